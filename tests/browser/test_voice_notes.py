"""Voice notes in the web chat page, in headless Chromium with a fake microphone: a parent
records one for their mentor, and plays back the mentor's, fetched with the token in a header
and played from a blob: URL. The gateway runs with a stand-in Rasa and the fake Bot API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Page, Request, async_playwright, expect

from bot.settings import Settings
from tests.fakes.samples import probe, recording
from tests.fakes.telegram_api import FakeTelegram, media_update
from tests.gateway.fake_rasa import FakeRasa
from tests.handoff_flows.conftest import (
    ON_DUTY,
    Clock,
    Gateway,
    accept,
    rasa_script,
    register,
)

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
AMINA = 2001
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # A microphone that plays a beep, allowed without asking.
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    "--autoplay-policy=no-user-gesture-required",
]


@pytest.fixture
async def gateway(telegram_settings: Settings, tmp_path: Path) -> AsyncIterator[Gateway]:
    rasa = FakeRasa(tmp_path / "rasa_tracker.db")
    rasa.script = rasa_script
    running = await Gateway(telegram_settings, rasa, Clock(ON_DUTY)).start()
    try:
        yield running
    finally:
        await running.stop()


@pytest.fixture
async def page() -> AsyncIterator[Page]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        context = await browser.new_context(viewport={"width": 390, "height": 844})
        opened = await context.new_page()
        yield opened
        await context.close()
        await browser.close()


async def test_a_parent_records_a_voice_note_for_the_mentor_and_plays_the_mentors_back(
    fake_api: FakeTelegram, gateway: Gateway, page: Page
) -> None:
    await register(fake_api, gateway, AMINA, "Amina", "en")
    requests: list[Request] = []
    page.on("request", lambda r: requests.append(r))
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    await page.goto(str(gateway.client.base_url) + "/")
    await page.get_by_role("button", name="English").click()
    await page.locator("#agree").click()
    # No mentor yet: no record or photo button.
    await expect(page.locator("#media-bar")).to_be_hidden()
    await page.locator("#message").fill("/human")
    await page.locator("#message").press("Enter")
    await accept(fake_api, AMINA)

    # The mentor has joined: the page shows the record and photo buttons.
    await expect(page.locator("#media-bar")).to_be_visible(timeout=10_000)
    await expect(page.locator("#photo")).to_be_visible()
    await page.locator("#record").click()
    await expect(page.locator("#recording")).to_be_visible()
    await expect(page.locator("#record-timer")).to_have_text("0:02 / 2:00", timeout=10_000)
    await page.locator("#record-stop").click()

    # The mentor gets it on Telegram as a voice note: OGG/Opus, about two seconds.
    [sent] = await fake_api.wait_for_call("sendVoice", timeout=20)
    assert sent.params["chat_id"] == AMINA
    assert sent.params["caption"] == "💬 Parent #1 · voice note, not screened:"
    found = probe(sent.files["voice"])
    assert found["codec_name"] == "opus" and 1.0 < float(found["duration"]) < 4.0
    await expect(page.locator("#log li.parent").last).to_have_text("You🎤 Voice note")

    # The mentor answers with a voice note: the page shows it as an <audio> it can play.
    fake_api.add_file("mentor-voice", recording("ogg", seconds=2.0))
    fake_api.push_update(media_update(AMINA, "voice", file_id="mentor-voice", message_id=99))
    audio = page.locator("#log li.mentor audio")
    await expect(audio).to_have_count(1, timeout=15_000)
    await expect(audio).to_have_js_property("readyState", 4, timeout=10_000)
    src = await audio.get_attribute("src")
    assert src is not None and src.startswith("blob:")
    played = await audio.evaluate(
        "a => a.play().then(() => new Promise(r => setTimeout(r, 700)))"
        ".then(() => ({time: a.currentTime, duration: a.duration, error: a.error}))"
    )
    assert played["error"] is None and played["duration"] > 1.5 and played["time"] > 0.2, played

    # The token went in a header, never in a file's URL.
    token = await page.evaluate("JSON.parse(sessionStorage.getItem('familyhub-chat')).token")
    media = [r for r in requests if "/media" in r.url]
    assert media and all(token not in r.url for r in media)
    fetched = [r for r in media if r.method == "GET" and "/media/" in r.url]
    assert fetched
    for request in fetched:
        assert (await request.all_headers()).get("authorization") == f"Bearer {token}"
    assert errors == [], errors
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / "webchat-voice-notes.png"), full_page=True)
