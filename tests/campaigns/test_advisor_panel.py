"""The advisor on the campaign page: a sidebar on every tab with the score, the blockers and
the next steps (accept, dismiss, snooze), refreshed after each change; and the Advisor tab."""

import json

import pytest

from approvals.services import approval_decide, approvals_initialize
from campaigns.models import AdvisorResponse, Campaign
from campaigns.services import strategy_version_create

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "advisor-sidebar"}


@pytest.fixture
def campaign(acme, mark):
    return Campaign.objects.create(workspace=acme, owner=mark, name="Fintech CFO outreach")


def sidebar(html: str) -> str:
    start = html.index('<aside id="advisor-sidebar"')
    return html[start:html.index("</aside>", start)]


@pytest.mark.parametrize("tab", ["overview", "strategy", "approvals", "advisor"])
def test_the_sidebar_is_on_every_tab_and_says_what_blocks_a_new_campaign(client, mark, campaign, tab):
    client.force_login(mark)

    html = sidebar(client.get(f"/campaigns/{campaign.pk}/", {"tab": tab}).content.decode())

    assert "<strong>0</strong>/100" in html
    assert "Not ready to publish" in html and "2 blockers" in html
    assert html.index("No strategy yet") < html.index("Approvals are not set up")  # critical before high
    assert f'href="/campaigns/{campaign.pk}/strategy/edit/">Write the strategy →</a>' in html
    assert f'href="/campaigns/{campaign.pk}/approvals/">Set up approvals →</a>' in html
    assert 'hx-trigger="campaign-changed from:body"' in html


def test_recommendations_come_with_accept_snooze_and_dismiss(client, mark, campaign):
    strategy_version_create(campaign=campaign, data={"goals": ["20 meetings"]}, author=mark)
    client.force_login(mark)

    html = sidebar(client.get(f"/campaigns/{campaign.pk}/").content.decode())

    assert "Add target audience" in html and "Without it: leads, content." in html
    assert 'name="key" value="strategy.missing.target_audience"' in html
    for value in ("accepted", "snoozed", "dismissed"):
        assert f'name="response" value="{value}"' in html
    assert "more after these." in html


def test_an_approver_sees_why_the_campaign_is_not_ready(client, mark, april, campaign):
    strategy_version_create(campaign=campaign, data={"goals": ["20 meetings"]}, author=mark)
    approvals_initialize(campaign=campaign, scopes=["strategy", "ads"], by=mark)
    approval_decide(campaign=campaign, scope="ads", approve=False, user=april, comment="No budget set")
    client.force_login(april)

    html = sidebar(client.get(f"/campaigns/{campaign.pk}/").content.decode())

    assert html.index("Ads was rejected by april: No budget set") < html.index("Strategy approval is pending.")
    assert "Critical" in html and "Fix and resubmit →" in html


@pytest.mark.parametrize(("response", "message"), [
    ("accepted", "Marked as done."),
    ("dismissed", "Dismissed; the advisor won’t suggest it again."),
    ("snoozed", "Snoozed for 3 days."),
])
def test_a_response_hides_the_recommendation(client, mark, campaign, response, message):
    strategy_version_create(campaign=campaign, data={"goals": ["20 meetings"]}, author=mark)
    client.force_login(mark)
    key = "strategy.missing.target_audience"

    answer = client.post(f"/campaigns/{campaign.pk}/advisor/respond/", {"key": key, "response": response}, **HTMX)

    html = answer.content.decode()
    assert answer.status_code == 200
    assert html.lstrip().startswith('<aside id="advisor-sidebar"')
    assert "Add target audience" not in html
    recorded = AdvisorResponse.objects.get(campaign=campaign)
    assert (recorded.recommendation_key, recorded.response, recorded.user) == (key, response, mark)
    assert (recorded.snoozed_until is not None) == (response == "snoozed")
    assert json.loads(answer["HX-Trigger"])["toast"] == {"message": message, "level": "success"}


def test_a_bad_response_is_refused_and_records_nothing(client, mark, campaign):
    client.force_login(mark)

    answer = client.post(f"/campaigns/{campaign.pk}/advisor/respond/", {"key": "x", "response": "maybe"}, **HTMX)

    assert answer.status_code == 422
    assert json.loads(answer["HX-Trigger"])["toast"]["level"] == "error"
    assert not AdvisorResponse.objects.exists()


def test_viewers_read_the_advisor_but_cannot_respond(client, vic, bob, mark, campaign):
    strategy_version_create(campaign=campaign, data={"goals": ["20 meetings"]}, author=mark)
    client.force_login(vic)

    html = sidebar(client.get(f"/campaigns/{campaign.pk}/").content.decode())
    refused = client.post(f"/campaigns/{campaign.pk}/advisor/respond/",
                          {"key": "strategy.missing.cadence", "response": "dismissed"}, **HTMX)

    assert "Add target audience" in html and 'name="response"' not in html
    assert refused.status_code == 403
    client.force_login(bob)
    assert client.get(f"/campaigns/{campaign.pk}/advisor/").status_code == 404
    assert not AdvisorResponse.objects.exists()


def test_the_sidebar_refreshes_on_its_own_address(client, mark, campaign):
    client.force_login(mark)
    before = client.get(f"/campaigns/{campaign.pk}/advisor/").content.decode()
    strategy_version_create(campaign=campaign, data={"goals": ["20 meetings"]}, author=mark)

    after = client.get(f"/campaigns/{campaign.pk}/advisor/").content.decode()

    assert "<html" not in after
    assert "No strategy yet" in before and "No strategy yet" not in after
    assert "Add target audience" in after


def test_responding_without_javascript_goes_back_to_the_campaign(client, mark, campaign):
    client.force_login(mark)

    answer = client.post(f"/campaigns/{campaign.pk}/advisor/respond/",
                         {"key": "strategy.weak.goals", "response": "dismissed"})

    assert answer.status_code == 302 and answer["Location"] == f"/campaigns/{campaign.pk}/"


def test_the_advisor_tab_scores_every_area(client, mark, april, campaign):
    strategy_version_create(campaign=campaign, data={"goals": ["20 meetings"], "platforms": ["email"]}, author=mark)
    approvals_initialize(campaign=campaign, scopes=["strategy", "ads"], by=mark)
    approval_decide(campaign=campaign, scope="strategy", approve=True, user=april)
    client.force_login(mark)

    html = client.get(f"/campaigns/{campaign.pk}/", {"tab": "advisor"}).content.decode()
    tab = html[html.index("Readiness by area"):html.index('<aside id="advisor-sidebar"')]

    for area in ("Strategy", "Approvals", "Content", "Schedule", "Leads"):
        assert f'<div class="strong">{area}</div>' in tab
    assert "1 of 2 scopes approved." in tab and "Version 1; 6 field(s) missing." in tab
    assert 'aria-label="Approvals: 50 percent"' in tab
