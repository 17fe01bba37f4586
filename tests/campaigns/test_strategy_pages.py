"""Strategy pages: the strategy tab, the edit form that saves a new version, the history
with invalidation, and the side-by-side diff."""

import json

import pytest

from campaigns.models import Campaign, Strategy
from campaigns.services import strategy_invalidate, strategy_version_create

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "strategy-panel"}

FULL = {
    "target_audience": "CFOs at Series B–D fintechs with 200–1,000 employees who close the books in spreadsheets.",
    "goals": ["20 qualified meetings in Q1", "5 pilots"],
    "platforms": ["email", "LinkedIn"],
    "content_pillars": ["5-day close", "Audit trail", "Cost of errors"],
    "brand_tone": "Plain-spoken, expert, no hype",
    "cadence": "3 posts a week",
    "constraints": "No customer names without written consent.",
    "ads_config": {"budget": 5000, "objective": "leads"},
}


@pytest.fixture
def campaign(acme, mark):
    return Campaign.objects.create(workspace=acme, owner=mark, name="Fintech CFO outreach")


def save(campaign, author, **data):
    return strategy_version_create(campaign=campaign, data=data, author=author)


def form_data(**overrides):
    data = {
        **FULL, "goals": "\n".join(FULL["goals"]), "platforms": "\n".join(FULL["platforms"]),
        "content_pillars": "\n".join(FULL["content_pillars"]), "ads_config": "budget: 5000\nobjective: leads",
    }
    return {**data, **overrides}


def strategy_tab(client, campaign) -> str:
    return client.get(f"/campaigns/{campaign.pk}/", {"tab": "strategy"}).content.decode()


# --- The strategy tab -------------------------------------------------------------------------

def test_the_tab_shows_every_field_of_the_current_version_with_author_and_score(client, vic, mark, campaign):
    save(campaign, mark, **FULL)
    client.force_login(vic)

    html = strategy_tab(client, campaign)

    assert "Version 1" in html and "Saved by mark" in html
    for text in ("CFOs at Series B–D fintechs", "20 qualified meetings in Q1", "LinkedIn", "Audit trail",
                 "Plain-spoken, expert, no hype", "3 posts a week", "No customer names", "objective", "leads"):
        assert text in html, text
    assert '<span class="score-value">100<small>/100</small>' in html
    assert "Every field is filled in well." in html
    assert "Edit strategy" not in html  # a viewer reads only


def test_missing_and_weak_fields_come_with_hints(client, mark, campaign):
    save(campaign, mark, goals=["More meetings"], content_pillars=["Only one"])
    client.force_login(mark)

    html = strategy_tab(client, campaign)

    assert '<span class="badge badge-danger">Missing</span> <strong>Target audience</strong>' in html
    assert "Describe who buys" in html and "Blocks leads, content." in html
    assert '<span class="badge badge-warning">Weak</span> <strong>Content pillars</strong>' in html
    assert f'href="/campaigns/{campaign.pk}/strategy/edit/">Edit strategy</a>' in html


def test_without_a_strategy_the_tab_invites_the_marketer_to_write_one(client, mark, campaign):
    client.force_login(mark)

    html = strategy_tab(client, campaign)

    assert "No strategy yet" in html and "Write the strategy" in html


# --- Editing saves a new version ------------------------------------------------------------------

def test_the_form_starts_from_the_current_version(client, mark, campaign):
    save(campaign, mark, **FULL)
    client.force_login(mark)

    html = client.get(f"/campaigns/{campaign.pk}/strategy/edit/").content.decode()

    assert "Save as version 2" in html
    assert "\n20 qualified meetings in Q1\n5 pilots</textarea>" in html
    assert "\nbudget: 5000\nobjective: leads</textarea>" in html
    assert 'value="Plain-spoken, expert, no hype"' in html


def test_saving_the_form_creates_a_new_version_and_keeps_the_old_one(client, mark, campaign):
    save(campaign, mark, goals=["Old goal"])
    client.force_login(mark)

    response = client.post(f"/campaigns/{campaign.pk}/strategy/edit/", form_data(platforms="email\n\n  LinkedIn  \n"))

    assert response.status_code == 302
    assert response["Location"] == f"/campaigns/{campaign.pk}/?tab=strategy"
    new = Strategy.objects.get(campaign=campaign, version=2)
    assert new.author == mark and new.is_valid
    assert new.platforms == ["email", "LinkedIn"]
    assert new.goals == FULL["goals"] and new.content_pillars == FULL["content_pillars"]
    assert new.ads_config == {"budget": 5000, "objective": "leads"}
    old = Strategy.objects.get(campaign=campaign, version=1)
    assert old.goals == ["Old goal"] and not old.is_valid
    assert "Saved strategy version 2." in client.get(response["Location"]).content.decode()


def test_ads_settings_may_be_typed_as_json(client, mark, campaign):
    client.force_login(mark)

    client.post(f"/campaigns/{campaign.pk}/strategy/edit/",
                form_data(ads_config='{"budget": 1200.5, "retargeting": true, "audience": "CFOs"}'))

    assert Strategy.objects.get(campaign=campaign).ads_config == {"budget": 1200.5, "retargeting": True,
                                                                   "audience": "CFOs"}


@pytest.mark.parametrize(("field", "value", "error"), [
    ("platforms", "\n".join(f"channel {i}" for i in range(21)), "At most 20 lines; this has 21."),
    ("platforms", "x" * 61, "Line 1 has 61 characters; the limit is 60."),
    ("goals", "ok\n" + "g" * 301, "Line 2 has 301 characters; the limit is 300."),
    ("content_pillars", "\n".join(f"pillar {i}" for i in range(13)), "At most 12 lines; this has 13."),
    ("target_audience", "a" * 2001, "Ensure this value has at most 2000 characters (it has 2001)."),
    ("brand_tone", "t" * 301, "Ensure this value has at most 300 characters (it has 301)."),
    ("constraints", "c" * 2001, "Ensure this value has at most 2000 characters (it has 2001)."),
    ("cadence", "c" * 201, "Ensure this value has at most 200 characters (it has 201)."),
    ("ads_config", '{"budget": ', "This is not valid JSON"),
    ("ads_config", '["budget"]', "Give a JSON object"),
    ("ads_config", "budget 5000", "Line 1 needs the form “name: value”."),
    ("ads_config", '{"nested": {"a": 1}}', "“nested” must be a number, true/false or text"),
])
def test_invalid_input_answers_422_with_the_error_beside_the_field_and_saves_nothing(
    client, mark, campaign, field, value, error,
):
    client.force_login(mark)

    response = client.post(f"/campaigns/{campaign.pk}/strategy/edit/", form_data(**{field: value}))

    html = response.content.decode()
    assert response.status_code == 422
    assert "Nothing was saved." in html
    assert f'<p class="field-error" id="id_{field}_error">{error}' in html.replace("&quot;", '"')
    kept = "brand_tone" if field == "cadence" else "cadence"
    assert f'value="{FULL[kept]}"' in html  # what was typed is kept
    assert not Strategy.objects.filter(campaign=campaign).exists()


def test_viewers_cannot_edit_and_outsiders_get_404(client, vic, bob, campaign):
    client.force_login(vic)
    assert client.get(f"/campaigns/{campaign.pk}/strategy/edit/").status_code == 403
    assert client.post(f"/campaigns/{campaign.pk}/strategy/edit/", form_data()).status_code == 403

    client.force_login(bob)
    for url in ("strategy/edit/", "strategy/diff/", "?tab=strategy"):
        assert client.get(f"/campaigns/{campaign.pk}/{url}").status_code == 404, url
    assert client.post(f"/campaigns/{campaign.pk}/strategy/edit/", form_data()).status_code == 404
    assert not Strategy.objects.exists()


def test_user_text_is_escaped(client, mark, campaign):
    save(campaign, mark, target_audience="<script>alert(1)</script>", platforms=["<b>x</b>"])
    client.force_login(mark)

    html = strategy_tab(client, campaign)

    assert "<script>alert(1)</script>" not in html and "<b>x</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- History and invalidation ---------------------------------------------------------------------

def test_the_history_lists_every_version_with_its_status(client, mark, alice, campaign):
    save(campaign, mark, goals=["one"])
    save(campaign, alice, goals=["two"])
    client.force_login(mark)

    html = strategy_tab(client, campaign)

    assert "2 versions" in html
    assert "<strong>v2</strong>" in html and "<strong>v1</strong>" in html
    assert ">Current</span>" in html and ">Invalidated</span>" in html
    assert "Superseded by version 2." in html
    assert html.count("Invalidate version") == 1  # only the valid version


def test_invalidating_needs_a_reason(client, mark, campaign):
    save(campaign, mark, goals=["one"])
    client.force_login(mark)

    response = client.post(f"/campaigns/{campaign.pk}/strategy/1/invalidate/", {"reason": "  "}, **HTMX)

    html = response.content.decode()
    assert response.status_code == 422
    assert html.lstrip().startswith('<div id="strategy-panel"')
    assert '<p class="field-error" id="reason-1_error">Say why this version is invalid.</p>' in html
    assert '<details class="invalidate" open>' in html
    assert Strategy.objects.get(campaign=campaign).is_valid


def test_invalidating_with_a_reason_updates_the_tab_and_the_advisor(client, mark, campaign):
    save(campaign, mark, goals=["one"])
    client.force_login(mark)

    response = client.post(f"/campaigns/{campaign.pk}/strategy/1/invalidate/", {"reason": "Wrong market"}, **HTMX)

    strategy = Strategy.objects.get(campaign=campaign)
    assert response.status_code == 200
    assert not strategy.is_valid and strategy.invalidation_reason == "Wrong market" and strategy.invalidated_by == mark
    assert "No valid strategy" in response.content.decode()
    trigger = json.loads(response["HX-Trigger"])
    assert "campaign-changed" in trigger
    assert trigger["toast"] == {"message": "Version 1 invalidated.", "level": "success"}


def test_invalidating_an_invalid_version_says_so(client, mark, campaign):
    strategy = save(campaign, mark, goals=["one"])
    strategy_invalidate(strategy=strategy, reason="First reason", by=mark)
    client.force_login(mark)

    response = client.post(f"/campaigns/{campaign.pk}/strategy/1/invalidate/", {"reason": "Again"}, **HTMX)

    assert response.status_code == 409
    assert response["X-Refusal-Fragment"] == "true"
    assert "Version 1 was already invalidated: First reason" in response.content.decode()


def test_invalidating_without_javascript_redirects_or_shows_the_error(client, mark, vic, campaign):
    save(campaign, mark, goals=["one"])
    client.force_login(vic)
    assert client.post(f"/campaigns/{campaign.pk}/strategy/1/invalidate/", {"reason": "x"}).status_code == 403

    client.force_login(mark)
    refused = client.post(f"/campaigns/{campaign.pk}/strategy/1/invalidate/", {"reason": ""})
    done = client.post(f"/campaigns/{campaign.pk}/strategy/1/invalidate/", {"reason": "Obsolete"})

    assert refused.status_code == 422 and "<html" in refused.content.decode()
    assert done.status_code == 302 and done["Location"] == f"/campaigns/{campaign.pk}/?tab=strategy"


def test_the_strategy_tab_runs_a_fixed_number_of_queries(client, mark, campaign, django_assert_num_queries):
    for i in range(8):
        save(campaign, mark, goals=[f"goal {i}"])
    client.force_login(mark)

    # 1 session, 2 user, 3 membership with its workspace, 4 the campaign with its owner,
    # 5 every strategy version with author and invalidator (the tab);
    # the advisor sidebar: 6 current strategy (the approval gate reuses it), 7 approval scopes
    # with deciders, 8 advisor responses; 9 the user's workspaces (switcher).
    with django_assert_num_queries(9):
        response = client.get(f"/campaigns/{campaign.pk}/", {"tab": "strategy"})

    assert response.status_code == 200
    assert response.content.decode().count("<strong>v") == 8


# --- Diff ------------------------------------------------------------------------------------------

def test_the_diff_shows_both_versions_side_by_side_and_what_changed(client, vic, mark, campaign):
    save(campaign, mark, **FULL)
    save(campaign, mark, **{**FULL, "platforms": ["email", "Webinars"], "brand_tone": "Warm and expert",
                            "ads_config": {"budget": 8000, "objective": "leads"}})
    client.force_login(vic)

    html = client.get(f"/campaigns/{campaign.pk}/strategy/diff/", {"a": 1, "b": 2}).content.decode()

    assert "3 fields changed." in html
    assert '<li class="diff-removed"><del>LinkedIn</del></li>' in html
    assert '<li class="diff-added"><ins>Webinars</ins></li>' in html
    assert '<p class="diff-text-old">Plain-spoken, expert, no hype</p>' in html
    assert '<p class="diff-text-new">Warm and expert</p>' in html
    assert "<del>budget: 5000</del>" in html and "<ins>budget: 8000</ins>" in html
    assert html.count('class="diff-row diff-changed"') == 3
    assert '<option value="1" selected>Version 1 (invalidated)</option>' in html


def test_the_diff_compares_the_newest_two_by_default_and_refuses_unknown_versions(client, mark, campaign):
    for goal in ("one", "two", "three"):
        save(campaign, mark, goals=[goal])
    client.force_login(mark)

    html = client.get(f"/campaigns/{campaign.pk}/strategy/diff/").content.decode()

    assert '<option value="2" selected>' in html and '<option value="3" selected>' in html
    assert "<del>two</del>" in html and "<ins>three</ins>" in html
    assert client.get(f"/campaigns/{campaign.pk}/strategy/diff/", {"a": 9}).status_code == 404
    assert client.get(f"/campaigns/{campaign.pk}/strategy/diff/", {"a": "x"}).status_code == 404


def test_a_single_version_has_nothing_to_compare(client, mark, campaign):
    save(campaign, mark, goals=["one"])
    client.force_login(mark)

    html = client.get(f"/campaigns/{campaign.pk}/strategy/diff/").content.decode()

    assert "Nothing to compare yet" in html
