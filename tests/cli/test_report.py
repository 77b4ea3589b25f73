"""`familyhub report` writes a whole month's or quarter's report, and `familyhub staff` keeps
the accounts that read it online."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from click.testing import CliRunner

from bench.synthetic_activity import fill
from bot.cli import main
from bot.settings import Settings
from bot.staff import check
from bot.store import Database


def report(*arguments: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["report", *arguments])
    return result.exit_code, result.output


def test_each_format_is_written_for_a_whole_month(
    command_settings: Settings, tmp_path: Path
) -> None:
    fill(command_settings.database_url, date(2026, 10, 1), 2, scale=0.2)
    out = tmp_path / "reports"
    range_ = ["--from", "2026-11-01", "--to", "2026-11-30", "--out", str(out)]
    assert report(*range_)[0] == 0
    html = (out / "familyhub-report-2026-11.html").read_text(encoding="utf-8")
    assert (
        "November 2026" in html and "<script" not in html and "http" not in html.split("<body")[0]
    )
    assert report(*range_, "--format", "xlsx")[0] == 0
    assert (out / "familyhub-report-2026-11.xlsx").read_bytes()[:2] == b"PK"
    code, output = report(*range_, "--format", "csv")
    assert code == 0 and "familyhub-report-2026-11-reach-language.csv" in output
    assert (out / "familyhub-report-2026-11-changes.csv").exists()


def test_a_range_that_is_not_a_whole_month_or_quarter_is_a_clear_error(
    command_settings: Settings,
) -> None:
    code, output = report("--from", "2026-11-01", "--to", "2026-11-15")
    assert code == 2
    assert "not a whole calendar month or quarter" in output
    code, output = report("--from", "2026-11-01", "--to", "2026-11-31")
    assert code == 2 and "is not a date" in output


def test_staff_accounts_are_added_listed_and_removed(command_settings: Settings) -> None:
    runner = CliRunner()
    added = runner.invoke(main, ["staff", "add", "hv.sam"], input="a long enough password\n" * 2)
    assert added.exit_code == 0, added.output
    with Database(command_settings.database_url).session() as session:
        assert check(session, "hv.sam", "a long enough password") is not None
        assert check(session, "hv.sam", "a wrong password here") is None
    assert "hv.sam" in runner.invoke(main, ["staff", "list"]).output
    short = runner.invoke(main, ["staff", "add", "hv.kim", "--password", "short"])
    assert short.exit_code == 2 and "at least 12" in short.output
    assert runner.invoke(main, ["staff", "remove", "hv.sam"]).exit_code == 0
    assert runner.invoke(main, ["staff", "remove", "hv.sam"]).exit_code == 2
    assert "No staff accounts" in runner.invoke(main, ["staff", "list"]).output
