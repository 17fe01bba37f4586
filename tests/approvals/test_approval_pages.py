"""Approval pages: the approvals tab of a campaign (set-up, decisions, publish gate, audit
trail) and the approver inbox, with htmx answers and their refusals."""

import json

import pytest

from approvals.models import ApprovalDecision, ApprovalScope, ApprovalStatus, Publication
from approvals.services import approval_decide, approvals_initialize
from campaigns.models import Campaign
from campaigns.services import strategy_version_create

pytestmark = pytest.mark.django_db

SCOPES = ("strategy", "content", "schedule", "ads")


def htmx(target="approvals-panel"):
    return {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": target}


@pytest.fixture
def campaign(acme, mark):
    return Campaign.objects.create(workspace=acme, owner=mark, name="Fintech CFO outreach")


@pytest.fixture
def ready_for_review(campaign, mark):
    """Strategy version 1 by mark, all four scopes required."""
    strategy_version_create(campaign=campaign, data={"goals": ["20 meetings"]}, author=mark)
    approvals_initialize(campaign=campaign, scopes=None, by=mark)
    return campaign


def decide(client, campaign, scope, verb, *, origin="campaign", headers=None, **data):
    data = {"strategy_version": 1, "origin": origin, **data}
    return client.post(f"/campaigns/{campaign.pk}/approvals/{scope}/{verb}/", data, **(htmx() if headers is None else headers))


def approvals_tab(client, campaign) -> str:
    return client.get(f"/campaigns/{campaign.pk}/approvals/").content.decode()


def scope_status(campaign, scope):
    return ApprovalScope.objects.get(campaign=campaign, scope=scope).status


# --- Set-up -------------------------------------------------------------------------------------

def test_the_tab_offers_to_set_up_approvals_with_every_scope_checked(client, mark, campaign):
    client.force_login(mark)

    html = approvals_tab(client, campaign)

    assert "Set up approvals" in html
    for scope in SCOPES:
        assert f'name="scopes" value="{scope}"' in html
    assert html.count(" checked") >= 4


def test_setting_up_approvals_with_htmx_answers_the_panel(client, mark, campaign):
    client.force_login(mark)

    response = client.post(f"/campaigns/{campaign.pk}/approvals/initialize/", {"scopes": ["strategy", "ads"]},
                           **htmx())

    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<div id="approvals-panel"')
    assert sorted(ApprovalScope.objects.filter(campaign=campaign).values_list("scope", flat=True)) == ["ads", "strategy"]
    trigger = json.loads(response["HX-Trigger"])
    assert "campaign-changed" in trigger and trigger["toast"]["message"] == "Approvals need: strategy, ads."


def test_setting_up_without_a_scope_is_an_error_beside_the_field(client, mark, campaign):
    client.force_login(mark)

    response = client.post(f"/campaigns/{campaign.pk}/approvals/initialize/", {}, **htmx())

    assert response.status_code == 422
    assert '<p class="field-error" id="id_scopes_error">Choose at least one scope.</p>' in response.content.decode()
    assert not ApprovalScope.objects.exists()


def test_viewers_cannot_set_up_approvals(client, vic, campaign):
    client.force_login(vic)

    assert "A marketer sets up which scopes" in approvals_tab(client, campaign)
    assert client.post(f"/campaigns/{campaign.pk}/approvals/initialize/", {"scopes": ["ads"]}).status_code == 403
    assert not ApprovalScope.objects.exists()


# --- The approvals tab ----------------------------------------------------------------------------

def test_the_tab_shows_each_scopes_state_and_the_blockers(client, april, ready_for_review):
    campaign = ready_for_review
    approval_decide(campaign=campaign, scope="strategy", approve=True, user=april)
    approval_decide(campaign=campaign, scope="ads", approve=False, user=april, comment="Budget too high")
    client.force_login(april)

    html = approvals_tab(client, campaign)

    assert "Decisions count for strategy version 1." in html
    assert "Approved by april for version 1" in html and "Counts for v1" in html
    assert "Rejected by april for version 1" in html and "Budget too high" in html
    assert html.count("Waiting for an approver to review version 1.") == 2
    assert "Ads was rejected by april: Budget too high" in html
    assert "Content approval is pending." in html
    assert html.count('class="decision"') == 4  # april may decide every scope


def test_an_approval_for_an_older_version_does_not_count(client, mark, april, ready_for_review):
    campaign = ready_for_review
    approval_decide(campaign=campaign, scope="strategy", approve=True, user=april)
    strategy_version_create(campaign=campaign, data={"goals": ["30 meetings"]}, author=mark)
    client.force_login(mark)

    html = approvals_tab(client, campaign)

    assert "Decisions count for strategy version 2." in html
    assert "Strategy approval is pending." in html
    assert "Only members with the approver role can approve or reject." in html
    assert 'class="decision"' not in html


def test_the_audit_trail_lists_decisions_newest_first(client, april, ready_for_review):
    campaign = ready_for_review
    approval_decide(campaign=campaign, scope="content", approve=False, user=april, comment="Too <b>salesy</b>")
    client.force_login(april)

    html = approvals_tab(client, campaign)
    trail = html[html.index("Audit trail"):]

    assert trail.index(">Rejected</span>") < trail.index(">Required</span>")
    assert "Too &lt;b&gt;salesy&lt;/b&gt;" in trail and "<b>salesy</b>" not in html
    assert trail.count("<tr>") == 6  # header + 4 required + 1 rejected


def test_the_approvals_tab_runs_a_fixed_number_of_queries(client, april, mark, acme, ready_for_review,
                                                         django_assert_num_queries):
    campaign = ready_for_review
    for scope in SCOPES:
        approval_decide(campaign=campaign, scope=scope, approve=True, user=april)
    strategy_version_create(campaign=campaign, data={"goals": ["v2"]}, author=mark)
    client.force_login(april)

    # 1 session, 2 user, 3 membership with its workspace, 4 the campaign with its owner;
    # the tab: 5 scopes with deciders, 6 the gate's current strategy, 7 the audit trail with actors;
    # the advisor sidebar: 8 current strategy (the gate reuses it), 9 scopes with deciders,
    # 10 advisor responses; 11 the user's workspaces (switcher).
    with django_assert_num_queries(11):
        response = client.get(f"/campaigns/{campaign.pk}/approvals/")

    assert response.status_code == 200
    assert response.content.decode().count("badge-kind-") == 12  # 4 required, 4 approved, 4 reset


# --- Deciding from the tab ---------------------------------------------------------------------

def test_an_approver_approves_inline_and_the_advisor_is_told(client, april, ready_for_review):
    client.force_login(april)

    response = decide(client, ready_for_review, "content", "approve")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="approvals-panel"')
    assert "Approved by april for version 1" in html
    assert scope_status(ready_for_review, "content") == ApprovalStatus.APPROVED
    trigger = json.loads(response["HX-Trigger"])
    assert "campaign-changed" in trigger
    assert trigger["toast"]["message"] == "Content approved for version 1 of “Fintech CFO outreach”."


def test_rejecting_without_a_comment_shows_the_error_beside_the_field(client, april, ready_for_review):
    client.force_login(april)

    response = decide(client, ready_for_review, "schedule", "reject", comment="  ")

    html = response.content.decode()
    assert response.status_code == 422
    assert (f'<p class="field-error" id="comment-{ready_for_review.pk}-schedule_error">'
            "A rejection needs a comment.</p>") in html
    assert scope_status(ready_for_review, "schedule") == ApprovalStatus.PENDING
    assert ApprovalDecision.objects.filter(kind="rejected").count() == 0


def test_rejecting_with_a_comment_records_it(client, april, ready_for_review):
    client.force_login(april)

    response = decide(client, ready_for_review, "schedule", "reject", comment="Too often")

    assert response.status_code == 200
    assert "Schedule was rejected by april: Too often" in response.content.decode()
    assert scope_status(ready_for_review, "schedule") == ApprovalStatus.REJECTED


def test_a_decision_on_a_stale_page_is_refused_with_a_clear_409(client, mark, april, ready_for_review):
    strategy_version_create(campaign=ready_for_review, data={"goals": ["changed"]}, author=mark)
    client.force_login(april)

    response = decide(client, ready_for_review, "content", "approve", strategy_version=1)

    html = response.content.decode()
    assert response.status_code == 409
    assert response["X-Refusal-Fragment"] == "true"  # app.js swaps it in like a 200
    assert "You reviewed version 1, but the current version is 2. Review it and decide again." in html
    assert "Decisions count for strategy version 2." in html
    assert scope_status(ready_for_review, "content") == ApprovalStatus.PENDING


def test_an_approver_cannot_approve_a_strategy_they_wrote(client, april, campaign):
    strategy_version_create(campaign=campaign, data={"goals": ["mine"]}, author=april)
    approvals_initialize(campaign=campaign, scopes=["strategy"], by=april)
    client.force_login(april)

    response = decide(client, campaign, "strategy", "approve")

    assert response.status_code == 403
    assert "You wrote this strategy version; another approver must approve it." in response.content.decode()
    assert scope_status(campaign, "strategy") == ApprovalStatus.PENDING


def test_approving_twice_says_so(client, april, ready_for_review):
    approval_decide(campaign=ready_for_review, scope="ads", approve=True, user=april)
    client.force_login(april)

    response = decide(client, ready_for_review, "ads", "approve")

    assert response.status_code == 409
    assert "Ads is already approved for version 1." in response.content.decode()


@pytest.mark.parametrize("persona", ["vic", "mark", "alice"])
def test_only_approvers_may_decide(client, request, persona, ready_for_review):
    client.force_login(request.getfixturevalue(persona))

    for verb in ("approve", "reject"):
        assert decide(client, ready_for_review, "content", verb, comment="x").status_code == 403
    assert scope_status(ready_for_review, "content") == ApprovalStatus.PENDING


def test_outsiders_get_404_everywhere(client, bob, ready_for_review):
    client.force_login(bob)
    pk = ready_for_review.pk

    assert client.get(f"/campaigns/{pk}/approvals/").status_code == 404
    assert client.post(f"/campaigns/{pk}/approvals/initialize/", {"scopes": ["ads"]}).status_code == 404
    assert client.post(f"/campaigns/{pk}/publish/").status_code == 404
    assert "Fintech CFO outreach" not in client.get("/approvals/").content.decode()


def test_deciding_without_javascript_redirects_back(client, april, ready_for_review):
    client.force_login(april)

    from_tab = decide(client, ready_for_review, "content", "approve", headers={})
    from_inbox = decide(client, ready_for_review, "ads", "approve", origin="inbox", headers={})
    refused = decide(client, ready_for_review, "schedule", "reject", headers={})

    assert from_tab.status_code == 302 and from_tab["Location"] == f"/campaigns/{ready_for_review.pk}/approvals/"
    assert from_inbox.status_code == 302 and from_inbox["Location"] == "/approvals/"
    assert refused.status_code == 422 and "A rejection needs a comment." in refused.content.decode()
    assert "<html" in refused.content.decode()


# --- Publishing -----------------------------------------------------------------------------------

def test_publishing_too_early_is_refused_with_every_reason(client, mark, april, ready_for_review):
    approval_decide(campaign=ready_for_review, scope="ads", approve=False, user=april, comment="No budget")
    client.force_login(mark)

    response = client.post(f"/campaigns/{ready_for_review.pk}/publish/", **htmx())

    html = response.content.decode()
    assert response.status_code == 409
    assert response["X-Refusal-Fragment"] == "true"
    assert "<strong>Not published.</strong>" in html
    for reason in ("Strategy approval is pending.", "Content approval is pending.", "Schedule approval is pending.",
                   "Ads was rejected by april: No budget"):
        assert reason in html, reason
    assert not Publication.objects.exists()


def test_publishing_when_every_scope_is_approved(client, mark, april, ready_for_review):
    for scope in SCOPES:
        approval_decide(campaign=ready_for_review, scope=scope, approve=True, user=april)
    client.force_login(mark)

    assert "Every required scope is approved for strategy version 1." in approvals_tab(client, ready_for_review)
    response = client.post(f"/campaigns/{ready_for_review.pk}/publish/", **htmx())

    assert response.status_code == 200
    assert Publication.objects.get(campaign=ready_for_review).strategy_version == 1
    assert "Version 1 is already published." in response.content.decode()
    assert json.loads(response["HX-Trigger"])["toast"]["message"] == (
        "Published “Fintech CFO outreach” with strategy version 1.")


def test_viewers_cannot_publish(client, vic, ready_for_review):
    client.force_login(vic)

    assert client.post(f"/campaigns/{ready_for_review.pk}/publish/").status_code == 403
    assert "Publish version" not in approvals_tab(client, ready_for_review)


# --- The approver inbox --------------------------------------------------------------------------

@pytest.fixture
def second(acme, mark):
    campaign = Campaign.objects.create(workspace=acme, owner=mark, name="DevTools platform teams")
    strategy_version_create(campaign=campaign, data={"goals": ["a"]}, author=mark)
    strategy_version_create(campaign=campaign, data={"goals": ["b"]}, author=mark)
    approvals_initialize(campaign=campaign, scopes=["strategy", "content"], by=mark)
    return campaign


def test_the_inbox_lists_every_pending_scope_by_campaign(client, april, bob, globex, ready_for_review, second):
    outside = Campaign.objects.create(workspace=globex, name="Globex secret launch")
    strategy_version_create(campaign=outside, data={}, author=bob)
    approvals_initialize(campaign=outside, scopes=None, by=bob)
    approval_decide(campaign=ready_for_review, scope="ads", approve=True, user=april)
    client.force_login(april)

    html = client.get("/approvals/").content.decode()

    assert "<h1>Approvals</h1>" in html and "5 pending" in html
    assert html.index("DevTools platform teams") < html.index("Fintech CFO outreach")
    assert "Strategy version 2 by mark" in html and "Strategy version 1 by mark" in html
    assert f'href="/campaigns/{second.pk}/?tab=strategy">Review version 2</a>' in html
    assert f'id="inbox-{ready_for_review.pk}-ads"' not in html  # decided already
    assert "Globex secret launch" not in html
    assert html.count('class="decision"') == 5


def test_approving_from_the_inbox_updates_only_that_campaign(client, april, ready_for_review, second):
    client.force_login(april)

    response = decide(client, second, "content", "approve", origin="inbox", strategy_version=2,
                      headers=htmx(f"inbox-campaign-{second.pk}"))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<section class="card inbox-group" id="inbox-campaign-{second.pk}"')
    assert f'id="inbox-{second.pk}-content"' not in html and f'id="inbox-{second.pk}-strategy"' in html
    assert "Fintech CFO outreach" not in html
    assert json.loads(response["HX-Trigger"])["toast"]["message"].startswith("Content approved for version 2")


def test_the_last_decision_on_a_campaign_leaves_a_done_note(client, april, second):
    approval_decide(campaign=second, scope="strategy", approve=True, user=april)
    client.force_login(april)

    response = decide(client, second, "content", "reject", origin="inbox", strategy_version=2, comment="Off-brand")

    html = response.content.decode()
    assert "Nothing left to decide for" in html and "DevTools platform teams" in html
    assert 'class="decision"' not in html


def test_a_refusal_in_the_inbox_stays_in_the_row(client, april, second):
    client.force_login(april)

    response = decide(client, second, "content", "reject", origin="inbox", strategy_version=2)

    html = response.content.decode()
    assert response.status_code == 422
    assert f'id="comment-{second.pk}-content_error">A rejection needs a comment.' in html
    assert html.lstrip().startswith('<section class="card inbox-group"')


def test_the_inbox_marks_the_approvers_own_strategy(client, april, campaign):
    strategy_version_create(campaign=campaign, data={"goals": ["mine"]}, author=april)
    approvals_initialize(campaign=campaign, scopes=["strategy"], by=april)
    client.force_login(april)

    html = client.get("/approvals/").content.decode()

    assert "You wrote version 1, so another approver must approve the strategy." in html
    assert ">Approve</button>" not in html and ">Reject</button>" in html


@pytest.mark.parametrize("persona", ["vic", "mark"])
def test_non_approvers_see_the_inbox_read_only(client, request, persona, ready_for_review):
    client.force_login(request.getfixturevalue(persona))

    html = client.get("/approvals/").content.decode()

    assert "only members with the approver role can approve or reject" in html
    assert "Fintech CFO outreach" in html and "4 pending" in html
    assert 'class="decision"' not in html


def test_an_empty_inbox_says_so(client, april):
    client.force_login(april)

    assert "Nothing waits for approval" in client.get("/approvals/").content.decode()


def test_the_inbox_runs_a_fixed_number_of_queries(client, april, acme, mark, django_assert_num_queries):
    for i in range(6):
        campaign = Campaign.objects.create(workspace=acme, owner=mark, name=f"Campaign {i}")
        strategy_version_create(campaign=campaign, data={"goals": [str(i)]}, author=mark)
        approvals_initialize(campaign=campaign, scopes=None, by=mark)
    client.force_login(april)

    # 1 session, 2 user, 3 membership with its workspace, 4 pending scopes with their campaigns,
    # 5 the current strategy versions of those campaigns with authors, 6 the user's workspaces.
    with django_assert_num_queries(6):
        response = client.get("/approvals/")

    assert response.content.decode().count('class="decision"') == 24
