"""What a person sees in the browser: sign-in, every menu entry, the htmx campaign form,
API keys from the settings page, and a phone-width layout."""

import re
import uuid
from urllib.parse import urlsplit

import httpx
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot

# Menu entry → what the page's <h1> says (the dashboard is titled with the workspace name).
MENU = {
    "Dashboard": "Demo Co",
    "Campaigns": "Campaigns",
    "Generate": "Generate",
    "Approvals": "Approvals",
    "Leads": "Leads",
    "Content": "Content",
    "Lifecycle": "Lifecycle",
    "Settings": "Settings",
}


def sign_in(page: Page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.locator("[name=username]").fill(username)
    page.locator("[name=password]").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def menu_link(page: Page, text: str):
    return page.get_by_role("navigation").get_by_role("link", name=text, exact=True).first


# The new key is shown once, as text or in a read-only field to copy from.
SHOWN_KEY_JS = """() => {
    const re = /ld_[\\w-]+_[\\w-]{20,}/;
    const texts = [document.body.innerText, ...Array.from(document.querySelectorAll("input"), i => i.value)];
    for (const text of texts) { const m = re.exec(text); if (m) return m[0]; }
    return null;
}"""


def shown_api_key(page: Page) -> str:
    return page.wait_for_function(SHOWN_KEY_JS).json_value()


def test_the_login_page_renders_and_a_wrong_password_is_refused(page: Page, live_server):
    response = page.goto("/")
    assert response.status == 200
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator("h1")).to_have_text("Sign in")
    screenshot(page, "login")

    page.locator("[name=username]").fill("marketer")
    page.locator("[name=password]").fill("not the password")
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_text(re.compile(r"correct username and password", re.I))).to_be_visible()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    screenshot(page, "login-wrong-password")


def test_a_marketer_reaches_every_menu_entry(page: Page, live_server):
    sign_in(page, "marketer", live_server.password)

    for text, heading in MENU.items():
        link = menu_link(page, text)
        path = urlsplit(link.get_attribute("href")).path
        with page.expect_response(lambda r, path=path: urlsplit(r.url).path == path) as answer:
            link.click()
        page.wait_for_load_state()
        assert answer.value.status < 400, f"{text}: HTTP {answer.value.status}"
        expect(page.locator("h1").first).to_contain_text(heading)
        screenshot(page, f"menu-{text.lower()}")


def test_a_marketer_creates_a_campaign_inline(page: Page, live_server):
    sign_in(page, "marketer", live_server.password)
    menu_link(page, "Campaigns").click()
    expect(page.locator("h1").first).to_have_text("Campaigns")
    name = f"Browser test campaign {uuid.uuid4().hex[:6]}"

    form = page.locator("form", has=page.get_by_role("button", name="Create campaign"))
    form.locator("[name=name]").fill(name)
    form.locator("[name=target_niche]").fill("Logistics, 50–500 employees")
    form.locator("[name=service]").fill("Route planning")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        form.get_by_role("button", name="Create campaign").click()
    assert answer.value.status < 400, f"create campaign: HTTP {answer.value.status}"
    expect(page.locator("h1").first).to_have_text(name)
    screenshot(page, "campaign-created")

    menu_link(page, "Campaigns").click()
    expect(page.get_by_role("link", name=name)).to_be_visible()
    screenshot(page, "campaign-list")


def test_an_admin_creates_an_api_key_that_works_on_the_api(page: Page, live_server):
    sign_in(page, "admin", live_server.password)
    menu_link(page, "Settings").click()
    expect(page.locator("h1").first).to_have_text("Settings")

    form = page.locator("form", has=page.get_by_role("button", name="Create key"))
    form.locator("[name=name]").fill("Browser test integration")
    form.get_by_role("button", name="Create key").click()
    key = shown_api_key(page)
    screenshot(page, "api-key-created")

    response = httpx.get(f"{live_server.url}/api/v1/campaigns/",
                         headers={"Authorization": f"Bearer {key}"}, timeout=10)
    assert response.status_code == 200, response.text
    names = {campaign["name"] for campaign in response.json()["results"]}
    assert "Q1 Fintech CFO outreach" in names

    refused = httpx.get(f"{live_server.url}/api/v1/campaigns/",
                        headers={"Authorization": f"Bearer {key}x"}, timeout=10)
    assert refused.status_code == 401
    assert refused.headers["content-type"].startswith("application/problem+json")


def assert_fits_the_screen(page: Page, path: str, name: str) -> None:
    response = page.goto(path)
    assert response.status == 200
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    screenshot(page, f"phone-{name}")
    assert overflow <= 0, f"{path} is {overflow}px wider than a 390px screen"


def test_pages_fit_a_phone_screen(phone_page: Page, live_server):
    page = phone_page
    assert_fits_the_screen(page, "/accounts/login/", "login")
    sign_in(page, "marketer", live_server.password)
    for path, name in [("/", "dashboard"), ("/campaigns/", "campaigns"), ("/accounts/settings/", "settings")]:
        assert_fits_the_screen(page, path, name)
