"""Generate in a browser: a marketer enters a website, watches the positioning canvas, the
email pack and the enrichment blueprint fill in side by side over the websocket, reopens the
generation, and saves the positioning as a campaign's strategy version."""

import re
import time

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import screenshot
from tests.browser.test_app import menu_link, sign_in
from tests.generators.local_http import LocalServer, site_routes

PAGE_DELAY_SECONDS = 0.25  # slow enough that the page opens while the generation runs


def _slowly(reply):
    def answer(handler):
        time.sleep(PAGE_DELAY_SECONDS)
        reply.send(handler)

    return answer


@pytest.fixture(scope="module")
def site():
    """Relaypoint's site on 127.0.0.1 (which the live server may fetch), answering slowly."""
    with LocalServer({path: _slowly(reply) for path, reply in site_routes("relaypoint").items()}) as server:
        yield server


def _page(browser: Browser, live_server, width: int, height: int, **options) -> Page:
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": height}, **options)
    context.set_default_timeout(15_000)
    return context.new_page()


def test_the_three_parts_stream_in_side_by_side(browser: Browser, live_server, site):
    page = _page(browser, live_server, 1366, 800)
    sign_in(page, "marketer", live_server.password)
    menu_link(page, "Generate").click()
    expect(page.locator("h1")).to_have_text("Generate")

    page.locator("[name=website]").fill(site.url("/"))
    page.locator("summary", has_text="Ideal customer profile").click()
    page.locator("[name=roles]").fill("VP of Revenue Operations\nCFO")
    page.locator("[name=industries]").fill("B2B SaaS")
    page.locator("[name=refresh]").check()
    page.get_by_role("button", name="Generate", exact=True).click()

    generation = page.locator("[data-generation]")
    expect(page).to_have_url(re.compile(r"/generate/\d+/$"))
    # The page opened before the run finished and follows it over the websocket.
    expect(generation).to_have_attribute("data-following", "")
    parts = page.locator("[data-part]")
    expect(parts).to_have_count(3)
    boxes = [parts.nth(i).bounding_box() for i in range(3)]
    assert boxes[0]["y"] == boxes[1]["y"] == boxes[2]["y"] and boxes[0]["x"] < boxes[1]["x"] < boxes[2]["x"]

    for name in ("positioning", "email_pack", "enrichment"):
        part = page.locator(f'[data-part="{name}"]')
        expect(part).to_have_attribute("data-status", "completed")
        expect(part.locator("[data-part-status]")).to_have_text("Done")
    expect(page.locator("[data-generation-status]")).to_have_text("Completed")
    expect(page.locator('[data-part="positioning"]')).to_contain_text("Elevator pitch")
    expect(page.locator('[data-part="email_pack"]')).to_contain_text("Call to action")
    expect(page.locator('[data-part="enrichment"]')).to_contain_text("Qualification rules")
    expect(page.locator('[data-part="positioning"] .evidence a').first).to_have_attribute("href", re.compile(r"^http://127\.0\.0\.1:"))
    expect(page.get_by_role("heading", name="Save positioning as a new strategy version")).to_be_visible()
    screenshot(page, "generate-1366-streamed")

    # Reopened from the history, it renders without running again.
    url = page.url
    page.goto("/generate/")
    page.locator(f'.history-card a[href="{url.removeprefix(live_server.url)}"]').first.click()
    expect(page.locator('[data-part="email_pack"] [data-part-status]')).to_have_text("Done")
    page.context.close()


def test_saving_positioning_creates_a_strategy_version(browser: Browser, live_server, site):
    page = _page(browser, live_server, 1366, 800)
    sign_in(page, "marketer", live_server.password)
    page.goto("/generate/")
    page.locator("[name=website]").fill(site.url("/"))
    page.locator("[name=kind]").select_option("positioning")
    page.get_by_role("button", name="Generate", exact=True).click()
    expect(page.locator('[data-part="positioning"] [data-part-status]')).to_have_text("Done")

    form = page.locator("form.save-strategy")
    form.locator("[name=campaign]").select_option(index=1)
    campaign = form.locator("[name=campaign] option:checked").inner_text()
    form.get_by_role("button", name="Save as new strategy version").click()

    expect(page.locator("h1").first).to_have_text(campaign)
    expect(page.locator("#toasts")).to_contain_text("Saved the positioning as strategy version")
    page.context.close()


def test_a_blocked_address_is_explained_beside_the_field_and_the_page_fits_a_phone(browser: Browser, live_server, site):
    page = _page(browser, live_server, 390, 844, device_scale_factor=2, is_mobile=True, has_touch=True)
    sign_in(page, "marketer", live_server.password)
    page.goto("/generate/")
    page.locator("[name=website]").fill("http://169.254.169.254/latest/meta-data/")
    page.get_by_role("button", name="Generate", exact=True).click()
    expect(page.locator("#id_website_error")).to_contain_text("cannot read this address")
    screenshot(page, "generate-390-blocked")

    page.locator("[name=website]").fill(site.url("/"))
    page.get_by_role("button", name="Generate", exact=True).click()
    expect(page.locator('[data-part="enrichment"] [data-part-status]')).to_have_text("Done")
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    screenshot(page, "generate-390-streamed")
    assert overflow <= 0, f"the generation page is {overflow}px wider than a 390px screen"
    page.context.close()
