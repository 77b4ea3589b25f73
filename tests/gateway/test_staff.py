"""/staff/reports: named staff log in and read the report under a strict security policy."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

import pytest
from starlette.testclient import TestClient

from bench.synthetic_activity import fill
from bot import staff
from bot.settings import Settings
from tests.gateway.conftest import services

PASSWORD = "a long enough password"
SECTIONS = ("reach", "needs", "gaps", "signposting", "handoffs", "safety", "feedback", "changes")


@pytest.fixture
def staffed(client: TestClient, settings: Settings) -> TestClient:
    with services(client).db.session() as session:
        staff.add(session, "hv.sam", PASSWORD)
    fill(settings.database_url, date(2026, 10, 1), 2, scale=0.2)
    return client


def log_in(client: TestClient, password: str = PASSWORD) -> int:
    response = client.post(
        "/staff/login",
        data={"name": "hv.sam", "password": password},
        follow_redirects=False,
    )
    return response.status_code


def test_the_report_needs_a_login(staffed: TestClient) -> None:
    response = staffed.get("/staff/reports", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/staff/login"
    assert staffed.get("/staff/reports/2026-11.xlsx", follow_redirects=False).status_code == 303
    assert log_in(staffed, "the wrong password!") == 401
    assert "staff_session" not in staffed.cookies


def test_a_logged_in_member_of_staff_reads_the_report_under_a_strict_policy(
    staffed: TestClient,
) -> None:
    assert log_in(staffed) == 303
    response = staffed.get("/staff/reports?period=2026-11")
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "default-src 'none'" in policy
    page = response.text
    for key in SECTIONS:
        assert f'<section id="{key}"' in page
    # No inline script or style: the page's own script and style come from the gateway.
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/staff/static/staff.js" defer>']
    assert "<style" not in page and " style=" not in page
    assert re.search(r'<link rel="stylesheet" href="/staff/static/report.css">', page)
    assert "November 2026" in page and "hv.sam" in page
    script = staffed.get("/staff/static/staff.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert staffed.get("/staff/static/report.css").headers["content-type"].startswith("text/css")


def test_downloads_and_a_period_that_is_not_a_month_or_quarter(staffed: TestClient) -> None:
    log_in(staffed)
    workbook = staffed.get("/staff/reports/2026-11.xlsx")
    assert workbook.status_code == 200 and workbook.content[:2] == b"PK"
    archive = zipfile.ZipFile(io.BytesIO(staffed.get("/staff/reports/2026-11.csv.zip").content))
    assert "familyhub-report-2026-11-needs.csv" in archive.namelist()
    refused = staffed.get("/staff/reports?period=2026-11-15")
    assert refused.status_code == 400 and "not a month" in refused.text


def test_removing_the_account_or_changing_its_password_ends_its_sessions(
    staffed: TestClient,
) -> None:
    log_in(staffed)
    assert staffed.get("/staff/reports", follow_redirects=False).status_code == 200
    with services(staffed).db.session() as session:
        staff.add(session, "hv.sam", "another long password")
    assert staffed.get("/staff/reports", follow_redirects=False).status_code == 303
    log_in(staffed, "another long password")
    with services(staffed).db.session() as session:
        staff.remove(session, "hv.sam")
    assert staffed.get("/staff/reports", follow_redirects=False).status_code == 303


def test_passwords_are_stored_as_scrypt_hashes_only(staffed: TestClient) -> None:
    with services(staffed).db.session() as session:
        account = staff.find(session, "hv.sam")
        assert account is not None
        assert account.password_hash.startswith("scrypt$32768$8$1$")
        assert PASSWORD not in account.password_hash
        with pytest.raises(staff.WeakPassword):
            staff.add(session, "short.one", "too short")


def test_logins_from_one_address_are_limited(staffed: TestClient) -> None:
    codes = [log_in(staffed, "not the password at all") for _ in range(11)]
    assert codes[:10] == [401] * 10 and codes[10] == 429
