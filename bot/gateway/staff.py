"""/staff/reports: the working group's report in a browser, for named staff accounts.

Staff log in with the name and password set by `familyhub staff add`; a signed, HttpOnly,
SameSite=Strict cookie keeps them in for STAFF_SESSION_HOURS, and stops working when the
account is removed or its password changes. Every page is sent under a strict
Content-Security-Policy: no inline script or style, the style and script served from here,
charts as data: images.
"""

from __future__ import annotations

import hmac
import io
import time
import zipfile
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs

from markupsafe import Markup, escape
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from bot import staff as accounts
from bot.directory.live import get_directory
from bot.gateway.ratelimit import RateLimiter
from bot.gateway.security import STAFF_POLICY
from bot.hashing import keyed_hash
from bot.reports import (
    Period,
    PeriodError,
    Report,
    build_report,
    check_complete,
    csv_text,
    read_population,
    recent,
    render_html,
    sheets,
    stylesheet,
    xlsx_bytes,
)
from bot.settings import Settings

COOKIE = "staff_session"
SESSION_HOURS = 8
CSS_URL = "/staff/static/report.css"
JS_URL = "/staff/static/staff.js"
SCRIPT = Path(__file__).resolve().parent / "static" / "staff.js"
HEADERS = {
    "Content-Security-Policy": STAFF_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
# Login attempts per minute from one address.
LOGINS_PER_MINUTE = 10


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.services.settings
    return settings


def _mac(settings: Settings, name: str, expires: int, password_hash: str) -> str:
    # The password's hash is in the signature: a new password ends every old session.
    return keyed_hash(settings.hashing_key(), f"{name}|{expires}|{password_hash}", "staff-session")


def _session_value(settings: Settings, name: str, password_hash: str) -> str:
    expires = int(time.time()) + SESSION_HOURS * 3600
    return f"{name}|{expires}|{_mac(settings, name, expires, password_hash)}"


def _who(request: Request) -> str | None:
    """The logged-in staff member's name, or None."""
    raw = request.cookies.get(COOKIE, "")
    try:
        name, expires_text, mac = raw.split("|")
        expires = int(expires_text)
    except ValueError:
        return None
    if expires < time.time():
        return None
    services = request.app.state.services
    with services.db.session() as session:
        account = accounts.find(session, name)
        if account is None:
            return None
        expected = _mac(services.settings, name, expires, account.password_hash)
    return name if hmac.compare_digest(mac, expected) else None


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    html = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{escape(title)}</title><link rel="stylesheet" href="{CSS_URL}"></head>'
        f"<body>{body}</body></html>"
    )
    return HTMLResponse(html, status_code=status, headers=HEADERS)


def _login_form(error: str = "", status: int = 200) -> HTMLResponse:
    message = f'<p class="error" role="alert">{escape(error)}</p>' if error else ""
    return _page(
        "Staff login: Family Hub helper reports",
        '<main class="login"><h1>Family Hub helper reports</h1>'
        "<p>For staff with an account (<code>familyhub staff add NAME</code>).</p>"
        f'{message}<form method="post" action="/staff/login">'
        '<label for="name">Name</label>'
        '<input id="name" name="name" autocomplete="username" required>'
        '<label for="password">Password</label>'
        '<input id="password" name="password" type="password" '
        'autocomplete="current-password" required>'
        '<p><button type="submit">Log in</button></p></form></main>',
        status,
    )


async def login_page(request: Request) -> Response:
    if await run_in_threadpool(_who, request):
        return RedirectResponse("/staff/reports", status_code=303, headers=HEADERS)
    return _login_form()


async def login(request: Request) -> Response:
    address = request.client.host if request.client else "?"
    state = request.app.state
    if not hasattr(state, "staff_logins"):
        state.staff_logins = RateLimiter(LOGINS_PER_MINUTE)  # one per gateway
    if state.staff_logins.hit(address) is not None:
        return _login_form("Too many attempts. Wait a minute and try again.", 429)
    body = await request.body()
    if len(body) > 4096:
        return _login_form("That is too long.", 400)
    form = parse_qs(body.decode("utf-8", "replace"))
    name = (form.get("name") or [""])[0].strip()
    password = (form.get("password") or [""])[0]
    services = request.app.state.services

    def check() -> str | None:
        with services.db.session() as session:
            account = accounts.check(session, name, password)
            return account.password_hash if account is not None else None

    password_hash = await run_in_threadpool(check)
    if password_hash is None:
        return _login_form("That name and password do not match an account.", 401)
    response = RedirectResponse("/staff/reports", status_code=303, headers=HEADERS)
    response.set_cookie(
        COOKIE,
        _session_value(services.settings, name, password_hash),
        max_age=SESSION_HOURS * 3600,
        path="/staff",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


async def logout(request: Request) -> Response:
    response = RedirectResponse("/staff/login", status_code=303, headers=HEADERS)
    response.delete_cookie(COOKIE, path="/staff")
    return response


def _today(settings: Settings) -> datetime:
    return datetime.now(settings.zone)


def _periods(settings: Settings) -> list[Period]:
    return recent(_today(settings).date())


def _build(request: Request, period: Period, charts: bool) -> Report:
    services = request.app.state.services
    settings = services.settings
    try:
        directory = get_directory()
    except Exception:  # noqa: BLE001 (services shown by id when no directory is loaded)
        directory = None
    with services.db.session() as session:
        return build_report(
            session,
            period,
            directory=directory,
            population=read_population(settings.report_population_file),
            today=_today(settings).date(),
            charts=charts,
        )


def _chosen(request: Request) -> Period:
    settings = _settings(request)
    key = request.query_params.get("period") or request.path_params.get("key")
    period = Period.from_key(key) if key else _periods(settings)[0]
    check_complete(period, _today(settings).date())
    return period


def _controls(who: str, period: Period, periods: list[Period]) -> Markup:
    options = "".join(
        f'<option value="{p.key}"{" selected" if p == period else ""}>{escape(p.label)}</option>'
        for p in periods
    )
    return Markup(
        '<nav class="staff" aria-label="Report controls">'
        '<form method="get" action="/staff/reports"><label for="period">Period</label>'
        f'<select id="period" name="period">{options}</select>'
        '<button type="submit">Show</button></form>'
        f'<a href="/staff/reports/{period.key}.xlsx">Download XLSX</a>'
        f'<a href="/staff/reports/{period.key}.csv.zip">Download CSV</a>'
        '<button type="button" id="print" hidden>Print</button>'
        f'<span class="who">{escape(who)}</span>'
        '<form method="post" action="/staff/logout"><button type="submit">Log out</button></form>'
        "</nav>"
    )


async def reports(request: Request) -> Response:
    who = await run_in_threadpool(_who, request)
    if who is None:
        return RedirectResponse("/staff/login", status_code=303, headers=HEADERS)
    try:
        period = _chosen(request)
    except PeriodError as error:
        return _page(
            "No such report",
            f"<main><h1>No such report</h1><p>{escape(error)}</p>"
            '<p><a href="/staff/reports">The latest report</a></p></main>',
            400,
        )
    made = await run_in_threadpool(_build, request, period, True)
    page = render_html(
        made,
        standalone=False,
        css_url=CSS_URL,
        js_url=JS_URL,
        staff=_controls(who, period, _periods(_settings(request))),
    )
    return HTMLResponse(page, headers=HEADERS)


async def download(request: Request) -> Response:
    who = await run_in_threadpool(_who, request)
    if who is None:
        return RedirectResponse("/staff/login", status_code=303, headers=HEADERS)
    try:
        period = _chosen(request)
    except PeriodError as error:
        return PlainTextResponse(str(error), status_code=400, headers=HEADERS)
    made = await run_in_threadpool(_build, request, period, False)
    name = f"familyhub-report-{period.key}"
    if request.url.path.endswith(".xlsx"):
        content = await run_in_threadpool(xlsx_bytes, made)
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        filename = f"{name}.xlsx"
    else:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for sheet, rows in sheets(made).items():
                archive.writestr(f"{name}-{sheet}.csv", csv_text(rows))
        content, media, filename = buffer.getvalue(), "application/zip", f"{name}.csv.zip"
    headers = {**HEADERS, "Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(content, media_type=media, headers=headers)


async def css(request: Request) -> Response:
    return Response(
        stylesheet(), media_type="text/css", headers={**HEADERS, "Cache-Control": "no-cache"}
    )


async def script(request: Request) -> Response:
    return Response(
        SCRIPT.read_text(encoding="utf-8"),
        media_type="text/javascript",
        headers={**HEADERS, "Cache-Control": "no-cache"},
    )


async def home(request: Request) -> Response:
    return RedirectResponse("/staff/reports", status_code=303, headers=HEADERS)


routes = [
    Route("/staff", home, methods=["GET"]),
    Route("/staff/login", login_page, methods=["GET"]),
    Route("/staff/login", login, methods=["POST"]),
    Route("/staff/logout", logout, methods=["POST"]),
    Route("/staff/reports", reports, methods=["GET"]),
    Route("/staff/reports/{key}.xlsx", download, methods=["GET"]),
    Route("/staff/reports/{key}.csv.zip", download, methods=["GET"]),
    Route("/staff/static/report.css", css, methods=["GET"]),
    Route("/staff/static/staff.js", script, methods=["GET"]),
]
