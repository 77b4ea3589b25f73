"""The web chat's first screen in headless Chromium, in English, Somali and Turkish: after the
privacy notice, a greeting and the main things as buttons, so that nobody has to type."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect

from bot.conversations.welcome import welcome
from bot.core import LANGUAGE_NAMES
from tests.browser.conftest import ARTIFACTS
from tests.integration.expected import check_language, rendered
from tests.integration.stack import Stack

pytestmark = pytest.mark.browser


def _bubble_text(item) -> str:  # type: ignore[no-untyped-def]
    """A bubble's message text, without its sender label and buttons."""
    return str(
        item.evaluate(
            "li => Array.from(li.childNodes).filter(n => n.nodeType === Node.TEXT_NODE)"
            ".map(n => n.textContent).join('')"
        )
    )


@pytest.mark.parametrize("language", ["en", "so", "tr"])
def test_after_the_notice_a_greeting_and_buttons_in_the_chosen_language(
    stack: Stack, page: Page, language: str
) -> None:
    page.goto(stack.url + "/")
    page.get_by_role("button", name=LANGUAGE_NAMES[language]).click()
    expect(page.locator("#notice-text")).to_be_visible()
    page.locator("#agree").click()

    shown = welcome(language)
    first = page.locator("#log li").first
    expect(first).to_have_class("bot welcome")
    assert _bubble_text(first) == shown.text
    buttons = first.locator(".quick button")
    expect(buttons).to_have_text([b.title for b in shown.buttons])
    if language != "en":
        assert shown.text != welcome("en").text
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"first-screen-{language}.png"), full_page=True)

    # No typing: tap "Groups and activities"; the answer comes in the same language.
    tapped_at = datetime.now(UTC)
    buttons.first.click()
    expect(page.locator("#log li.parent")).to_have_count(1)
    expect(page.locator("#log li.parent")).to_contain_text(shown.buttons[0].title)
    question = rendered("utter_ask_group_type", language)
    asked = page.locator("#log li.bot").filter(has_text=str(question["text"]))
    expect(asked).to_have_count(1, timeout=30_000)
    answered_at = datetime.now(UTC)
    titles = asked.locator(".quick button").all_inner_texts()
    check_language(
        [{"text": question["text"], "buttons": [{"title": t} for t in titles]}],
        language,
        (tapped_at, answered_at),
    )
    assert titles == [b["title"] for b in question["buttons"]]

    # After a reload the first screen is still there, first, and nothing is repeated.
    page.wait_for_timeout(500)
    before = page.locator("#log li").all_inner_texts()
    page.reload()
    expect(page.locator("#log li")).to_have_count(len(before), timeout=15_000)
    assert page.locator("#log li").all_inner_texts() == before
    expect(page.locator("#log li").first).to_have_class("bot welcome")


def test_the_first_screen_follows_a_change_of_language(stack: Stack, page: Page) -> None:
    page.goto(stack.url + "/")
    page.get_by_role("button", name="English").click()
    page.locator("#agree").click()
    expect(page.locator("#log li.welcome .quick button")).to_have_count(6)
    page.locator("#language-select").select_option("tr")
    turkish = welcome("tr")
    expect(page.locator("#log li.welcome .quick button")).to_have_text(
        [b.title for b in turkish.buttons]
    )
    expect(page.locator("#log li.welcome")).to_have_count(1)
