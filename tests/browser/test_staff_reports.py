"""The working group's report in headless Chromium: a member of staff logs in at
/staff/reports and reads every section under the page's strict security policy, and the
self-contained HTML file opens with no request at all. Screenshots go to test-artifacts/."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, ConsoleMessage, expect

from bench.synthetic_activity import fill
from bot import staff
from bot.directory import load_directory
from bot.gateway.app import create_app
from bot.gateway.startup import Options
from bot.reports import Period, build_report, read_population, render_html
from bot.store import Database
from tests.browser.conftest import ARTIFACTS
from tests.conftest import make_settings
from tests.gateway.fake_rasa import FakeRasa
from tests.integration.stack import free_port

pytestmark = pytest.mark.browser

PASSWORD = "a long enough password"
SECTIONS = [
    "1. Reach",
    "2. Needs",
    "3. Gaps",
    "4. Signposting",
    "5. Handoffs to a person",
    "6. Safety",
    "7. Feedback",
    "8. What changed",
]


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("staff-reports")
    url = f"sqlite:///{folder / 'familyhub.db'}"
    fill(url, date(2026, 10, 1), 2, scale=1.0)
    with Database(url).session() as session:
        staff.add(session, "hv.sam", PASSWORD)
    yield url, folder


@pytest.fixture(scope="module")
def gateway(database: tuple[str, Path]) -> Iterator[str]:
    url, folder = database
    port = free_port()
    settings = make_settings(folder, database_url=url, gateway_port=port)
    rasa = FakeRasa(folder / "rasa_tracker.db")
    app = create_app(
        settings, Options(rasa_transport=rasa.transport(), telegram=False, retention=False)
    )
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the gateway did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=15)


def test_staff_log_in_and_read_every_section_under_the_security_policy(
    gateway: str, browser: Browser
) -> None:
    context = browser.new_context(viewport={"width": 1000, "height": 1400})
    page = context.new_page()
    problems: list[str] = []
    # A policy violation is a console error; the browser's own favicon request is not ours.
    page.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if m.type == "error" and "favicon" not in (m.location.get("url") or "")
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(gateway + "/staff/reports")
    expect(page).to_have_url(gateway + "/staff/login")
    page.get_by_label("Name").fill("hv.sam")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("h1")).to_have_text("Family Hub helper: what the service learned")
    page.locator("#period").select_option("2026-11")  # the page's own script submits it
    expect(page.locator("p.period")).to_contain_text("November 2026")
    for title in SECTIONS:
        expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()
    # The script ran (it is allowed: served from the gateway), and so the Print button shows.
    expect(page.locator("html")).to_have_attribute("data-script", "ready")
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    images = page.locator("figure img")
    assert images.count() >= 8
    for i in range(images.count()):
        image = images.nth(i)
        assert image.evaluate("img => img.complete && img.naturalWidth > 0"), i
        assert len(image.get_attribute("alt") or "") > 40
    expect(page.locator("td.hidden").first).to_be_visible()
    assert problems == [], problems
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "staff-report-2026-11.png"), full_page=True)
    page.emulate_media(media="print")
    page.pdf(path=str(ARTIFACTS / "staff-report-2026-11.pdf"), format="A4")
    context.close()


def test_the_report_file_opens_with_no_request_at_all(
    database: tuple[str, Path], browser: Browser, tmp_path: Path
) -> None:
    url, folder = database
    settings = make_settings(folder, database_url=url)
    with Database(url).session() as session:
        made = build_report(
            session,
            Period.month(2026, 11),
            directory=load_directory(settings.services_directory, settings.zone),
            population=read_population(settings.report_population_file),
            today=date(2026, 12, 3),
        )
    path = tmp_path / "familyhub-report-2026-11.html"
    path.write_text(render_html(made), encoding="utf-8")
    page = browser.new_page(viewport={"width": 900, "height": 1200})
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    messages: list[ConsoleMessage] = []
    page.on("console", lambda message: messages.append(message))
    page.goto(path.as_uri())
    for title in SECTIONS:
        expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()
    assert all(page.locator("figure img").evaluate_all("all => all.map(i => i.naturalWidth > 0)"))
    # Only the file itself: the style is inline and the charts are data: images.
    assert [u for u in requested if not u.startswith("data:")] == [path.as_uri()]
    assert [m.text for m in messages if m.type == "error"] == []
    page.screenshot(path=str(ARTIFACTS / "report-file-2026-11.png"), full_page=True)
    page.close()
