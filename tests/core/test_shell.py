"""The HTML shell every page shares: navigation, workspace switcher, toasts, CSRF, error pages."""

import re

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory

from accounts.models import Membership, Role, User
from campaigns.models import Campaign
from core.api.problems import handler500

pytestmark = pytest.mark.django_db

NAV = {
    "Dashboard": "/",
    "Campaigns": "/campaigns/",
    "Generate": "/generate/",
    "Approvals": "/approvals/",
    "Leads": "/leads/",
    "Content": "/content/",
    "Lifecycle": "/lifecycle/",
    "Settings": "/accounts/settings/",
}


def test_it_links_every_area_and_each_link_opens(client, mark):
    client.force_login(mark)

    html = client.get("/").content.decode()

    for text, href in NAV.items():
        assert f'<a href="{href}"' in html and f">{text}</a>" in html, text
        assert client.get(href).status_code == 200, href


def test_it_marks_the_current_area(client, mark):
    client.force_login(mark)

    html = client.get("/campaigns/").content.decode()

    assert '<a href="/campaigns/" aria-current="page">Campaigns</a>' in html
    assert '<a href="/" aria-current="page">' not in html


def test_upcoming_areas_say_they_are_not_built_yet(client, mark):
    client.force_login(mark)

    html = client.get("/leads/").content.decode()

    assert "<h1>Leads" in html
    assert "not built yet" in html


def test_it_shows_who_is_signed_in_with_their_role_and_a_sign_out_button(client, vic):
    client.force_login(vic)

    html = client.get("/").content.decode()

    assert "vic" in html
    assert "badge-role-viewer" in html and ">Viewer<" in html
    assert re.search(r'<form method="post" action="/accounts/logout/">\s*<input type="hidden" name="csrfmiddlewaretoken"', html)
    assert ">Sign out</button>" in html


def test_the_workspace_switcher_only_appears_with_two_workspaces(client, alice, globex):
    client.force_login(alice)
    assert 'name="workspace"' not in client.get("/").content.decode()

    Membership.objects.create(workspace=globex, user=alice, role=Role.VIEWER)
    html = client.get("/").content.decode()

    assert 'action="/accounts/workspace/switch/"' in html
    assert '<option value="globex"' in html and '<option value="acme" selected' in html


def test_switching_workspace_changes_what_alice_sees(client, alice, globex):
    Membership.objects.create(workspace=globex, user=alice, role=Role.VIEWER)
    Campaign.objects.create(workspace=globex, name="Globex launch")
    client.force_login(alice)

    response = client.post("/accounts/workspace/switch/", {"workspace": "globex"}, follow=True)

    html = response.content.decode()
    assert "Switched to Globex." in html
    assert "<h1>Globex" in html
    assert "Globex launch" in client.get("/campaigns/").content.decode()


def test_switching_to_a_workspace_she_is_not_in_is_refused(client, alice, globex):
    client.force_login(alice)

    response = client.post("/accounts/workspace/switch/", {"workspace": "globex"}, follow=True)

    html = response.content.decode()
    assert "You are not a member of that workspace." in html
    assert "<h1>Acme" in html


def test_messages_appear_as_toasts(client, mark):
    client.force_login(mark)
    response = client.post("/campaigns/new/", {"name": "Autumn push"}, follow=True)

    html = response.content.decode()
    toasts = html[html.index('id="toasts"'):]
    assert 'class="toast toast-success"' in toasts
    assert "Created “Autumn push”." in toasts


def test_it_serves_htmx_and_its_own_assets_locally(client, mark):
    client.force_login(mark)

    html = client.get("/").content.decode()

    sources = re.findall(r'(?:src|href)="([^"]+\.(?:js|css|svg))"', html)
    assert any("django_htmx/htmx-2" in src for src in sources)
    assert any(src.endswith("css/app.css") for src in sources)
    assert any(src.endswith("js/app.js") for src in sources)
    assert all(src.startswith("/static/") for src in sources), sources
    for src in sources:
        assert client.get(src).status_code == 200, src


def test_it_sends_the_csrf_token_with_every_htmx_request(mark):
    client = Client(enforce_csrf_checks=True)
    client.force_login(mark)
    html = client.get("/campaigns/").content.decode()
    token = re.search(r'hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'', html).group(1)
    htmx = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "campaign-form"}

    refused = client.post("/campaigns/new/", {"name": "No token"}, **htmx)
    accepted = client.post("/campaigns/new/", {"name": "With token"}, HTTP_X_CSRFTOKEN=token, **htmx)

    assert refused.status_code == 403
    assert accepted.status_code == 200 and accepted["HX-Location"]
    assert list(Campaign.objects.values_list("name", flat=True)) == ["With token"]


def test_unknown_pages_answer_a_friendly_404(client, mark):
    client.force_login(mark)

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert ">Campaigns</a>" in html  # still inside the app's layout


def test_a_refused_action_answers_a_friendly_403(client, vic):
    client.force_login(vic)

    response = client.post("/campaigns/new/", {"name": "Nope"})

    assert response.status_code == 403
    html = response.content.decode()
    assert "You can’t do that here" in html
    assert "Your role (viewer) cannot do this." in html


def test_the_500_page_needs_neither_context_nor_database(django_assert_num_queries):
    request = RequestFactory().get("/campaigns/")

    with django_assert_num_queries(0):
        response = handler500(request)

    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
    assert "{%" not in render_to_string("500.html")


def test_someone_without_a_workspace_is_told_so(client, db):
    loner = User.objects.create_user("lonely", password="x" * 12)
    client.force_login(loner)

    response = client.get("/")

    assert response.status_code == 403
    html = response.content.decode()
    assert "not in a workspace yet" in html
    assert ">Sign out</button>" in html
    assert ">Campaigns</a>" not in html  # no navigation into areas they can't open
