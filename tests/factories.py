"""Objects for tests, one factory per model, all keyed by model in FACTORIES.

The tenancy test builds "an object of workspace A" for every API route through this
registry, so a new workspace-owned model needs a factory here before its routes pass.
"""

from itertools import count

from accounts.models import APIKey, Membership, Role, User, Workspace
from accounts.services import api_key_create
from approvals.models import ApprovalDecision
from approvals.services import approvals_initialize
from campaigns.models import AdvisorResponse, Campaign, Strategy
from campaigns.services import advisor_response_record, strategy_version_create
from generators.models import Generation, GenerationEvent

_sequence = count(1)


def user_make(*, username: str | None = None) -> User:
    username = username or f"person{next(_sequence)}"
    return User.objects.create_user(username=username, email=f"{username}@example.com")


def membership_make(workspace: Workspace, *, user: User | None = None, role: str = Role.MARKETER) -> Membership:
    return Membership.objects.create(workspace=workspace, user=user or user_make(), role=role)


def campaign_make(workspace: Workspace, **fields) -> Campaign:
    fields = {"name": f"Campaign {next(_sequence)}", "target_niche": "Dental clinics", **fields}
    return Campaign.objects.create(workspace=workspace, **fields)


def api_key_make(workspace: Workspace, *, user: User | None = None, name: str = "Integration") -> APIKey:
    if user is None:
        user = membership_make(workspace).user
    return api_key_create(workspace=workspace, user=user, name=name).api_key


def strategy_make(workspace: Workspace, *, campaign: Campaign | None = None, **fields) -> Strategy:
    data = {"platforms": ["email"], "goals": ["10 meetings"], "target_audience": "Practice owners", **fields}
    return strategy_version_create(campaign=campaign or campaign_make(workspace), data=data, author=None)


def approval_decision_make(workspace: Workspace, *, campaign: Campaign | None = None) -> ApprovalDecision:
    campaign = campaign or strategy_make(workspace).campaign
    approvals_initialize(campaign=campaign, scopes=["strategy"], by=None)
    return ApprovalDecision.objects.filter(campaign=campaign).latest("pk")


def advisor_response_make(workspace: Workspace, *, campaign: Campaign | None = None) -> AdvisorResponse:
    return advisor_response_record(campaign=campaign or campaign_make(workspace), key="strategy.none",
                                   response=AdvisorResponse.Kind.DISMISSED, user=None)


def generation_make(workspace: Workspace, **fields) -> Generation:
    """A finished generation with its closing event (so its event stream ends at once)."""
    fields = {"kind": Generation.Kind.POSITIONING, "website": "https://relaypoint.example/", "icp_source": "inferred",
              "writer_name": "template", "writer_version": "1", "status": Generation.Status.FAILED,
              "cache_key": f"generation:test-{next(_sequence)}", **fields}
    generation = Generation.objects.create(workspace=workspace, **fields)
    GenerationEvent.objects.create(workspace=workspace, generation=generation, seq=1, type="generation.completed",
                                   payload={"generation_id": generation.pk, "status": generation.status,
                                            "duration_ms": 0, "cache_hit": False})
    return generation


FACTORIES = {
    Campaign: campaign_make,
    APIKey: api_key_make,
    Membership: membership_make,
    Strategy: strategy_make,
    ApprovalDecision: approval_decision_make,
    AdvisorResponse: advisor_response_make,
    Generation: generation_make,
}
