"""The web chat on a shared phone, in headless Chromium: the session stays in the tab unless the
parent keeps it, the stream's URL holds no token, the page runs under its policy, and "Quick
exit" leaves at once for a neutral site, leaving nothing of the conversation behind."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.integration.stack import Stack

pytestmark = pytest.mark.browser

STORE = "familyhub-chat"


@pytest.fixture
def context(browser: Browser, stack: Stack) -> Iterator[BrowserContext]:
    opened = browser.new_context(viewport={"width": 390, "height": 844})
    # No network here: the neutral site answers from this stand-in.
    neutral = stack.settings.quick_exit_url
    opened.route(neutral + "**", lambda route: route.fulfill(body="<p>Weather</p>"))
    yield opened
    opened.close()


def start(page: Page, stack: Stack) -> dict[str, list[str]]:
    """A parent starts an English chat and gets an answer; what the page asked and complained of."""
    seen: dict[str, list[str]] = {"urls": [], "console": []}
    page.on("request", lambda request: seen["urls"].append(request.url))
    page.on("console", lambda message: seen["console"].append(message.text))
    page.goto(stack.url + "/")
    page.get_by_role("button", name="English").click()
    page.locator("#agree").click()
    page.locator("#message").fill("hello")
    page.locator("#message").press("Enter")
    # The welcome is a bot item of its own, shown at once: wait for the answer after it, and
    # for the last server push, before anything is counted.
    expect(page.locator("#log li.bot:not(.welcome)")).not_to_have_count(0, timeout=30_000)
    page.wait_for_timeout(500)
    return seen


def stored(page: Page) -> tuple[str | None, str | None]:
    found: list[str | None] = page.evaluate(
        f"() => [sessionStorage.getItem('{STORE}'), localStorage.getItem('{STORE}')]"
    )
    return found[0], found[1]


def test_the_session_stays_in_its_tab_and_quick_exit_leaves_nothing(
    context: BrowserContext, stack: Stack
) -> None:
    page = context.new_page()
    seen = start(page, stack)
    in_tab, on_device = stored(page)
    assert in_tab is not None and on_device is None
    token = page.evaluate(f"() => JSON.parse(sessionStorage.getItem('{STORE}')).token")
    # The event stream was opened with a ticket; the token is in no URL the page asked for.
    assert any("/events?ticket=" in url for url in seen["urls"])
    assert not [url for url in seen["urls"] if token in url]
    # The page and its script ran under the security policy without a single refusal.
    assert not [text for text in seen["console"] if "Content Security Policy" in text]

    # Another tab on the same phone does not open the conversation.
    other = context.new_page()
    other.goto(stack.url + "/")
    expect(other.locator("#screen-language")).to_be_visible()
    other.close()

    page.locator("#quick-exit").click()
    page.wait_for_url(stack.settings.quick_exit_url + "**", timeout=10_000)
    # Back on the chat's address, in the same tab: nothing of the conversation is left.
    page.goto(stack.url + "/")
    expect(page.locator("#screen-language")).to_be_visible()
    assert stored(page) == (None, None)
    assert page.locator("#log li").count() == 0


def test_keep_me_signed_in_keeps_the_chat_on_this_device_until_quick_exit(
    context: BrowserContext, stack: Stack
) -> None:
    page = context.new_page()
    start(page, stack)
    page.locator("#keep").check()
    in_tab, on_device = stored(page)
    assert in_tab is None and on_device is not None
    shown = page.locator("#log li").count()

    later = context.new_page()  # the parent comes back in a new tab
    later.goto(stack.url + "/")
    expect(later.locator("#log li")).to_have_count(shown, timeout=15_000)
    expect(later.locator("#keep")).to_be_checked()

    later.locator("#quick-exit").click()
    later.wait_for_url(stack.settings.quick_exit_url + "**", timeout=10_000)
    page.close()
    fresh = context.new_page()
    fresh.goto(stack.url + "/")
    expect(fresh.locator("#screen-language")).to_be_visible()
    assert stored(fresh) == (None, None)
