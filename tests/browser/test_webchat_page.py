"""The web chat page in headless Chromium: Somali, consent, a reply with buttons, a tap, a reload."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from bot.gateway.strings import PAGE_STRINGS
from bot.i18n import translate
from tests.browser.conftest import ARTIFACTS
from tests.integration.expected import check_language, rendered
from tests.integration.stack import Stack

pytestmark = pytest.mark.browser


def _texts(messages: Locator) -> list[str]:
    """The message text of each chat bubble, without its sender label and buttons."""
    found: list[str] = messages.evaluate_all(
        "items => items.map(li => Array.from(li.childNodes)"
        "  .filter(n => n.nodeType === Node.TEXT_NODE).map(n => n.textContent).join(''))"
    )
    return found


def _messages(bubbles: Locator) -> list[dict[str, Any]]:
    """The bot bubbles as the API's messages: text and button titles."""
    texts = _texts(bubbles)
    return [
        {
            "text": text,
            "buttons": [
                {"title": title}
                for title in bubbles.nth(i).locator(".quick button").all_inner_texts()
            ],
        }
        for i, text in enumerate(texts)
    ]


def test_somali_parent_chats_taps_a_button_and_keeps_the_conversation_after_reload(
    stack: Stack, page: Page
) -> None:
    page.goto(stack.url + "/")
    page.get_by_role("button", name="Soomaali").click()
    expect(page.locator("html")).to_have_attribute("lang", "so")
    notice = page.locator("#notice-text")
    expect(notice).to_contain_text(str(stack.settings.retention_days))
    page.locator("#agree").click()
    # The page's own words are Somali too.
    expect(page.locator("#send")).to_have_text(translate("so", PAGE_STRINGS["send"]))
    assert translate("so", PAGE_STRINGS["send"]) != PAGE_STRINGS["send"]

    box = page.locator("#message")
    expect(box).to_be_focused()
    box.fill("kooxaha ilmaha maxaa jira")
    box.press("Enter")
    # The bot asks which kind of group, in Somali, with Somali buttons.
    question = rendered("utter_ask_group_type", "so")
    assert question["text"] != rendered("utter_ask_group_type", "en")["text"]
    bot_messages = page.locator("#log li.bot")
    asked = bot_messages.filter(has_text=str(question["text"]))
    expect(asked).to_have_count(1, timeout=30_000)
    assert _texts(asked) == [question["text"]]
    buttons = asked.locator(".quick button")
    titles = [b["title"] for b in question["buttons"]]
    expect(buttons).to_have_text(titles)
    english = [b["title"] for b in rendered("utter_ask_group_type", "en")["buttons"]]
    assert not set(titles) & set(english), titles
    expect(page.locator("html")).to_have_attribute("lang", "so")

    # Tap "stay and play": the answer is Somali, with Somali group cards from the directory.
    before = bot_messages.count()
    title = buttons.first.inner_text()
    tapped_at = datetime.now(UTC)
    buttons.first.click()
    expect(page.locator("#log li.parent").last).to_contain_text(title)
    expect(bot_messages).not_to_have_count(before, timeout=30_000)
    page.wait_for_timeout(500)  # let the last server push arrive before counting
    answered_at = datetime.now(UTC)
    answer = _messages(bot_messages)[before:]
    cards = check_language(answer, "so", (tapped_at, answered_at))
    groups = [c for c in cards if c.service.category == "group"]
    assert groups, answer
    assert any(
        c.service.name.has("so") and c.text.startswith(c.service.name.get("so") + "\n")
        for c in groups
    ), answer
    shown = page.locator("#log li").all_inner_texts()

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "webchat-somali.png"), full_page=True)

    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "so")
    expect(page.locator("#log li")).to_have_count(len(shown), timeout=15_000)
    assert page.locator("#log li").all_inner_texts() == shown  # nothing lost, nothing repeated
    expect(page.locator("#log li.bot").filter(has_text=str(question["text"]))).to_have_count(1)
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
