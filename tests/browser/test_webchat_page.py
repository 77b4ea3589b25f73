"""The web chat page in headless Chromium: Somali, consent, a reply with buttons, a tap, a reload."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.integration.stack import Stack

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="so-SO")
    opened = context.new_page()
    yield opened
    context.close()


def test_somali_parent_chats_taps_a_button_and_keeps_the_conversation_after_reload(
    stack: Stack, page: Page
) -> None:
    page.goto(stack.url + "/")
    page.get_by_role("button", name="Soomaali").click()
    expect(page.locator("html")).to_have_attribute("lang", "so")
    notice = page.locator("#notice-text")
    expect(notice).to_contain_text(str(stack.settings.retention_days))
    page.locator("#agree").click()

    box = page.locator("#message")
    expect(box).to_be_focused()
    box.fill("kooxaha ilmaha maxaa jira")
    box.press("Enter")
    bot_messages = page.locator("#log li.bot")
    expect(bot_messages.first).to_be_visible(timeout=30_000)
    buttons = page.locator("#log li.bot .quick button")
    expect(buttons.first).to_be_visible(timeout=30_000)
    reply_text = bot_messages.first.inner_text()
    assert reply_text.strip()

    before = bot_messages.count()
    title = buttons.first.inner_text()
    buttons.first.click()
    expect(page.locator("#log li.parent").last).to_contain_text(title)
    expect(bot_messages).not_to_have_count(before, timeout=30_000)
    page.wait_for_timeout(500)  # let the last server push arrive before counting
    shown = page.locator("#log li").all_inner_texts()

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "webchat-somali.png"), full_page=True)

    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "so")
    expect(page.locator("#log li")).to_have_count(len(shown), timeout=15_000)
    assert page.locator("#log li").all_inner_texts() == shown  # nothing lost, nothing repeated
    page.screenshot(path=str(ARTIFACTS / "webchat-somali-after-reload.png"), full_page=True)


def test_message_text_is_never_html(stack: Stack, page: Page) -> None:
    page.goto(stack.url + "/")
    page.get_by_role("button", name="English").click()
    page.locator("#agree").click()
    page.locator("#message").fill("<img src=x onerror=alert(1)><b>bold</b>")
    page.locator("#send").click()
    mine = page.locator("#log li.parent").last
    expect(mine).to_contain_text("<b>bold</b>")
    assert page.locator("#log img, #log li b").count() == 0
