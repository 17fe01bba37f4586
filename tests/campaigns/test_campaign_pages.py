"""Campaign pages: the dashboard, the list with live search and inline create, the campaign page."""

import json
from decimal import Decimal

import pytest

from accounts.models import Role
from campaigns.models import Campaign
from tests.conftest import _member

pytestmark = pytest.mark.django_db

HTMX_TABLE = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "campaign-table"}
HTMX_FORM = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "campaign-form"}


@pytest.fixture
def fintech(acme, mark):
    return Campaign.objects.create(
        workspace=acme, owner=mark, name="Fintech CFO outreach", target_niche="Fintech",
        service="Close automation", target_clients=25, target_mrr=Decimal("60000"),
        description="Reach finance leaders.",
    )


@pytest.fixture
def devtools(acme, mark):
    return Campaign.objects.create(workspace=acme, owner=mark, name="DevTools platform teams",
                                   target_niche="B2B SaaS", active=False)


@pytest.fixture
def globex_launch(globex):
    return Campaign.objects.create(workspace=globex, name="Globex secret launch")


# --- Dashboard ------------------------------------------------------------------------

def test_the_dashboard_shows_the_workspace_its_counts_and_recent_campaigns(client, mark, fintech, devtools, globex_launch):
    client.force_login(mark)

    html = client.get("/").content.decode()

    assert "<h1>Acme" in html
    assert '<span class="stat-label">Campaigns</span>\n    <span class="stat-value">2</span>' in html
    assert '<span class="stat-label">Active</span>\n    <span class="stat-value">1</span>' in html
    assert "Fintech CFO outreach" in html and "DevTools platform teams" in html
    assert "Globex secret launch" not in html
    assert "Getting started" in html


def test_an_empty_dashboard_points_the_marketer_to_the_first_campaign(client, mark):
    client.force_login(mark)

    html = client.get("/").content.decode()

    assert "No campaigns yet" in html
    assert "Create a campaign" in html


# --- List and search ----------------------------------------------------------------------

def test_the_list_shows_only_this_workspaces_campaigns(client, vic, fintech, devtools, globex_launch):
    client.force_login(vic)

    html = client.get("/campaigns/").content.decode()

    assert "Fintech CFO outreach" in html
    assert "DevTools platform teams" in html and "Archived" in html
    assert "Globex secret launch" not in html
    assert "2 campaigns" in html


def test_live_search_answers_only_the_table(client, mark, fintech, devtools):
    client.force_login(mark)

    response = client.get("/campaigns/", {"q": "fintech"}, **HTMX_TABLE)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="campaign-table"')
    assert "<html" not in html and "campaign-form" not in html
    assert "Fintech CFO outreach" in html
    assert "DevTools platform teams" not in html
    assert "1 campaign match" in html


def test_search_without_javascript_renders_the_whole_page(client, mark, fintech, devtools):
    client.force_login(mark)

    html = client.get("/campaigns/", {"q": "saas"}).content.decode()

    assert "<html" in html
    assert "DevTools platform teams" in html and "Fintech CFO outreach" not in html


def test_it_filters_by_status(client, mark, fintech, devtools):
    client.force_login(mark)

    html = client.get("/campaigns/", {"active": "false"}, **HTMX_TABLE).content.decode()

    assert "DevTools platform teams" in html and "Fintech CFO outreach" not in html


def test_a_search_that_finds_nothing_says_so(client, mark, fintech):
    client.force_login(mark)

    html = client.get("/campaigns/", {"q": "zzz"}, **HTMX_TABLE).content.decode()

    assert "No campaigns match" in html
    assert "Clear filters" in html


def test_the_list_pages_long_lists(client, mark, acme):
    Campaign.objects.bulk_create(Campaign(workspace=acme, name=f"Campaign {i:02}") for i in range(30))
    client.force_login(mark)

    first = client.get("/campaigns/").content.decode()
    second = client.get("/campaigns/", {"page": 2}, **HTMX_TABLE).content.decode()

    assert first.count('href="/campaigns/') - first.count('href="/campaigns/"') == 25
    assert "Page 1 of 2" in first and ">Next</a>" in first
    assert "Page 2 of 2" in second and ">Previous</a>" in second


def test_user_text_is_escaped(client, mark, acme):
    Campaign.objects.create(workspace=acme, name="<script>alert(1)</script>", target_niche="<b>bold</b>")
    client.force_login(mark)

    html = client.get("/campaigns/").content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_the_list_page_runs_a_fixed_number_of_queries(client, mark, acme, django_assert_num_queries):
    Campaign.objects.bulk_create(Campaign(workspace=acme, name=f"Campaign {i}", owner=mark) for i in range(20))
    client.force_login(mark)

    # 1 session, 2 user, 3 membership with its workspace, 4 the user's workspaces (switcher),
    # 5 count of matching campaigns, 6 the page of campaigns with their owners.
    with django_assert_num_queries(6):
        response = client.get("/campaigns/")

    assert response.status_code == 200


# --- Create -------------------------------------------------------------------------------

def test_a_marketer_sees_the_create_form(client, mark):
    client.force_login(mark)

    html = client.get("/campaigns/").content.decode()

    assert 'id="campaign-form"' in html
    assert ">New campaign</a>" in html


def test_a_viewer_sees_no_create_form_and_cannot_post_one(client, vic):
    client.force_login(vic)

    html = client.get("/campaigns/").content.decode()
    response = client.post("/campaigns/new/", {"name": "Sneaky"}, **HTMX_FORM)

    assert 'id="campaign-form"' not in html and "New campaign" not in html
    assert response.status_code == 403
    assert not Campaign.objects.exists()


def test_creating_with_htmx_sends_the_marketer_to_the_new_campaign(client, mark, acme):
    client.force_login(mark)

    response = client.post("/campaigns/new/", {"name": "Spring launch", "target_clients": "10"}, **HTMX_FORM)

    campaign = Campaign.objects.for_workspace(acme).get()
    assert response.status_code == 200
    assert json.loads(response["HX-Location"]) == {"path": f"/campaigns/{campaign.pk}/"}
    assert campaign.name == "Spring launch" and campaign.owner == mark and campaign.target_clients == 10
    page = client.get(f"/campaigns/{campaign.pk}/").content.decode()
    assert "Created “Spring launch”." in page


def test_an_invalid_form_comes_back_with_errors_next_to_the_fields(client, mark):
    client.force_login(mark)

    response = client.post("/campaigns/new/", {"name": "", "target_mrr": "-5", "service": "Kept"}, **HTMX_FORM)

    html = response.content.decode()
    assert response.status_code == 422
    assert html.lstrip().startswith('<form id="campaign-form"')
    assert '<p class="field-error" id="id_name_error">This field is required.</p>' in html
    assert 'id="id_target_mrr_error">Ensure this value is greater than or equal to 0.' in html
    assert 'value="Kept"' in html  # nothing typed is lost
    assert not Campaign.objects.exists()


def test_creating_without_javascript_redirects_to_the_campaign(client, mark, acme):
    client.force_login(mark)

    response = client.post("/campaigns/new/", {"name": "Plain form"})

    campaign = Campaign.objects.for_workspace(acme).get()
    assert response.status_code == 302
    assert response["Location"] == f"/campaigns/{campaign.pk}/"


def test_the_standalone_create_page_shows_errors_too(client, mark):
    client.force_login(mark)

    response = client.post("/campaigns/new/", {"name": ""})

    assert response.status_code == 422
    assert "<html" in response.content.decode()
    assert "This field is required." in response.content.decode()


# --- Campaign page ------------------------------------------------------------------------

def test_the_campaign_page_shows_its_overview(client, vic, fintech):
    client.force_login(vic)

    html = client.get(f"/campaigns/{fintech.pk}/").content.decode()

    assert "<h1>Fintech CFO outreach</h1>" in html
    assert "Reach finance leaders." in html
    assert "Close automation" in html and "$60,000" in html
    assert ">Draft</span>" in html and ">Active</span>" in html


def test_every_tab_shows_its_content_and_htmx_gets_only_the_tab(client, mark, fintech):
    client.force_login(mark)

    page = client.get(f"/campaigns/{fintech.pk}/", {"tab": "strategy"}).content.decode()
    fragment = client.get(
        f"/campaigns/{fintech.pk}/", {"tab": "advisor"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="campaign-tab"
    ).content.decode()

    assert "No strategy yet" in page and "<html" in page and "Coming soon" not in page
    assert "Readiness by area" in fragment
    assert "<html" not in fragment and 'id="advisor-sidebar"' not in fragment


def test_an_outsider_gets_404_for_another_workspaces_campaign(client, bob, fintech):
    client.force_login(bob)

    response = client.get(f"/campaigns/{fintech.pk}/")

    assert response.status_code == 404
    assert "Fintech CFO outreach" not in response.content.decode()


def test_a_missing_campaign_is_404(client, mark):
    client.force_login(mark)

    assert client.get("/campaigns/999999/").status_code == 404


@pytest.mark.parametrize("role", [Role.VIEWER, Role.MARKETER, Role.APPROVER, Role.ADMIN])
def test_every_role_can_read_the_campaign_pages(client, acme, fintech, role):
    user = _member(acme, f"reader-{role}", role)
    client.force_login(user)

    for url in ("/", "/campaigns/", f"/campaigns/{fintech.pk}/"):
        assert client.get(url).status_code == 200, url


def test_an_editor_edits_campaign_details(client, mark, acme):
    from campaigns.models import Campaign

    campaign = Campaign.objects.create(workspace=acme, name="Old name")
    client.force_login(mark)

    invalid = client.post(f"/campaigns/{campaign.pk}/edit/", {"name": "", "target_mrr": "-5"})
    saved = client.post(f"/campaigns/{campaign.pk}/edit/", {"name": "New name", "target_niche": "Clinics"})

    campaign.refresh_from_db()
    assert invalid.status_code == 422
    assert "This field is required." in invalid.content.decode()
    assert saved.status_code == 302
    assert (campaign.name, campaign.target_niche) == ("New name", "Clinics")


def test_an_editor_archives_and_reactivates_a_campaign(client, mark, vic, acme):
    from campaigns.models import Campaign

    campaign = Campaign.objects.create(workspace=acme, name="Seasonal")
    client.force_login(vic)
    assert client.post(f"/campaigns/{campaign.pk}/active/", {"active": "0"}).status_code == 403

    client.force_login(mark)
    client.post(f"/campaigns/{campaign.pk}/active/", {"active": "0"})
    campaign.refresh_from_db()
    assert campaign.active is False
    client.post(f"/campaigns/{campaign.pk}/active/", {"active": "1"})
    campaign.refresh_from_db()
    assert campaign.active is True


def test_an_outsider_cannot_edit_a_campaign(client, bob, acme):
    from campaigns.models import Campaign

    campaign = Campaign.objects.create(workspace=acme, name="Private")
    client.force_login(bob)

    assert client.get(f"/campaigns/{campaign.pk}/edit/").status_code == 404
    assert client.post(f"/campaigns/{campaign.pk}/active/", {"active": "0"}).status_code == 404
