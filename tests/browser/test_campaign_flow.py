"""The issue's story in a browser: a marketer writes a campaign's strategy, the advisor lists
what blocks it, an approver signs every scope off from the inbox without a reload, the
marketer publishes, and a new strategy version resets the approvals and blocks publishing."""

import re
import uuid

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import screenshot
from tests.browser.test_app import menu_link, sign_in

SCOPES = ("Strategy", "Content", "Schedule", "Ads")


def new_page(browser: Browser, live_server) -> Page:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1366, "height": 900})
    context.set_default_timeout(10_000)
    return context.new_page()


def test_strategy_approval_and_publish_flow(page: Page, browser: Browser, live_server):
    name = f"Flow campaign {uuid.uuid4().hex[:6]}"

    # The marketer creates the campaign; the advisor says what is missing.
    sign_in(page, "marketer", live_server.password)
    menu_link(page, "Campaigns").click()
    form = page.locator("#campaign-form")
    form.locator("[name=name]").fill(name)
    form.get_by_role("button", name="Create campaign").click()
    expect(page.locator("h1").first).to_have_text(name)
    advisor = page.locator("#advisor-sidebar")
    expect(advisor).to_contain_text("No strategy yet")
    expect(advisor).to_contain_text("Approvals are not set up")
    screenshot(page, "flow-1-new-campaign-advisor")

    # ... writes the strategy through the form.
    advisor.get_by_role("link", name=re.compile("Write the strategy")).click()
    expect(page.locator("h1")).to_have_text("Edit strategy")
    page.locator("[name=target_audience]").fill(
        "Heads of logistics at mid-size retailers (200–2,000 staff) who lose margin to late deliveries.")
    page.locator("[name=goals]").fill("15 qualified meetings this quarter\n3 paid pilots")
    page.locator("[name=platforms]").fill("email\nLinkedIn")
    page.locator("[name=content_pillars]").fill("On-time delivery\nCost per drop\nCustomer stories")
    page.locator("[name=brand_tone]").fill("Plain-spoken and practical")
    page.locator("[name=cadence]").fill("2 posts and 1 email a week")
    page.locator("[name=constraints]").fill("No competitor names in ads.")
    page.locator("[name=ads_config]").fill("budget: 3000\nobjective: leads")
    page.get_by_role("button", name="Save as version 1").click()
    expect(page.locator("#strategy-panel")).to_contain_text("Version 1")
    expect(page.locator("#toasts")).to_contain_text("Saved strategy version 1.")
    expect(advisor).not_to_contain_text("No strategy yet")
    screenshot(page, "flow-2-strategy-saved")

    # ... sets up approvals from the approvals tab; the advisor refreshes by itself.
    page.locator(".tabs").get_by_role("link", name="Approvals").click()
    page.get_by_role("button", name="Set up approvals").click()
    expect(page.locator("#approvals-panel")).to_contain_text("Strategy approval is pending.")
    expect(advisor).to_contain_text("Content approval is pending.")
    expect(advisor).not_to_contain_text("Approvals are not set up")
    campaign_url = page.url.split("?")[0]
    screenshot(page, "flow-3-approvals-pending")

    # The approver approves every scope from the inbox, without a page load.
    approver = new_page(browser, live_server)
    sign_in(approver, "approver", live_server.password)
    menu_link(approver, "Approvals").click()
    expect(approver.locator("h1")).to_have_text("Approvals")
    group = approver.locator(".inbox-group", has=approver.get_by_role("link", name=name))
    screenshot(approver, "flow-4-inbox")
    approver.evaluate("window.__samePage = true")
    for scope in SCOPES:
        row = group.locator(".scope", has=approver.locator(".scope-name", has_text=scope))
        row.get_by_role("button", name="Approve").click()
        expect(approver.locator("#toasts")).to_contain_text(f"{scope} approved for version 1")
        expect(group.locator(".scope-name", has_text=scope)).to_have_count(0)
    expect(group).to_contain_text("Nothing left to decide for")
    assert approver.evaluate("window.__samePage === true"), "the inbox reloaded the page"
    screenshot(approver, "flow-5-inbox-done")

    # The marketer publishes.
    page.goto(campaign_url + "approvals/")
    panel = page.locator("#approvals-panel")
    expect(panel).to_contain_text("Every required scope is approved for strategy version 1.")
    panel.get_by_role("button", name="Publish version 1").click()
    expect(page.locator("#toasts")).to_contain_text("with strategy version 1")
    expect(panel).to_contain_text("Version 1 is already published.")
    screenshot(page, "flow-6-published")

    # A new strategy version resets the approvals; publishing is refused with the reasons.
    page.goto(campaign_url + "strategy/edit/")
    page.locator("[name=cadence]").fill("3 posts and 1 email a week")
    page.get_by_role("button", name="Save as version 2").click()
    expect(page.locator("#strategy-panel")).to_contain_text("Version 2")
    page.locator(".tabs").get_by_role("link", name="Approvals").click()
    expect(panel).to_contain_text("Decisions count for strategy version 2.")
    panel.get_by_role("button", name="Publish version 2").click()
    expect(panel).to_contain_text("Not published.")
    for scope in SCOPES:
        expect(panel.locator(".blockers")).to_contain_text(f"{scope} approval is pending.")
    expect(panel.locator(".trail")).to_contain_text("no longer counts")
    expect(page.locator("#advisor-sidebar")).to_contain_text("Strategy approval is pending.")
    screenshot(page, "flow-7-publish-refused")
    approver.context.close()
