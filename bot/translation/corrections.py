"""`familyhub i18n import`: a reviewer's spreadsheet taken back into the catalogs and directory.

Each row on its own: a good row is applied and marked reviewed (reviewer and date), a broken
row is refused with its reasons, an empty row is left alone. A row whose English or draft has
changed since the export is refused too, so a newer change is never overwritten without saying
so (`overwrite_newer` replaces a changed draft, and says which).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from bot.directory import check_bytes
from bot.translation.checks import Checker
from bot.translation.crisis_texts import ClinicalRegister
from bot.translation.directory_review import Reviewed
from bot.translation.entries import CATALOG, Entry, Sources, collect, fingerprint
from bot.translation.spreadsheet import DECISIONS, NEEDS_WORK, Row, Sheet


@dataclass
class Outcome:
    """What the import did, row by row."""

    applied: list[str] = field(default_factory=list)
    needs_work: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    untouched: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.applied or self.needs_work)


@dataclass(frozen=True)
class _Change:
    entry: Entry
    text: str | None  # None: the draft stays as it is
    status: str
    note: str | None


def _label(row: Row) -> str:
    return f"row {row.number} ({row.where.split(';')[0] or row.key})"


def _text(row: Row, entry: Entry) -> str:
    """The corrected text as a catalog or directory keeps it: one line unless the English has more."""
    if "\n" in entry.english:
        return row.corrected.strip()
    return " ".join(row.corrected.split())


def _judge(
    row: Row,
    entry: Entry | None,
    checker: Checker,
    reviewer: str,
    today: date,
    overwrite_newer: bool,
    outcome: Outcome,
) -> _Change | None:
    """The change a row asks for, or None (refused or empty; the outcome says which)."""
    label = _label(row)
    if not (row.corrected or row.decision):
        outcome.untouched += 1
        if row.comments:
            outcome.warnings.append(
                f"{label}: a comment, but no correction or decision: not applied"
            )
        return None
    reasons = []
    if row.decision and row.decision not in DECISIONS:
        reasons.append(f"the decision must be {' or '.join(DECISIONS)}, not '{row.decision}'")
    if entry is None:
        outcome.refused.append(f"{label}: this text is no longer in the catalogs or the directory")
        return None
    old_english, _, old_draft = row.fingerprint.partition(":")
    if old_english != fingerprint(entry.english, "") or not old_draft:
        outcome.refused.append(
            f"{label}: the English has changed since this spreadsheet was made; export again"
        )
        return None
    if old_draft != fingerprint("", entry.text):
        if not overwrite_newer:
            outcome.refused.append(
                f"{label}: the {checker.language} text was changed after this spreadsheet was made "
                f"(now: '{entry.text}'); not overwritten. Export again, or use --overwrite-newer"
            )
            return None
        outcome.warnings.append(f"{label}: replaced a change made after the export: '{entry.text}'")
    text = _text(row, entry) if row.corrected else None
    needs_work = row.decision == NEEDS_WORK
    if needs_work and not row.comments:
        reasons.append("'needs work' needs a comment saying what is wrong")
    if not needs_work:
        # What will stand as reviewed must pass every check: the correction, or the draft.
        reasons += checker.problems(entry.english, text if text is not None else entry.text)
    elif text is not None:
        reasons += checker.problems(entry.english, text)
    if reasons:
        outcome.refused.append(f"{label}: " + "; ".join(reasons))
        return None
    if needs_work:
        return _Change(entry, text, f"needs-work {row.comments}", None)
    status = f"checked-by {' '.join(reviewer.split())} {today.isoformat()}"
    return _Change(entry, text, status, row.comments or None)


def import_sheet(
    sheet: Sheet,
    sources: Sources,
    reviewer: str,
    register: ClinicalRegister,
    *,
    zone: ZoneInfo,
    today: date | None = None,
    overwrite_newer: bool = False,
) -> Outcome:
    """Apply a reviewer's spreadsheet; returns what was applied, refused and left alone."""
    language, today = sheet.language, today or date.today()
    outcome = Outcome()
    if not reviewer.strip():
        raise ValueError("the reviewer's name is needed")
    checker = Checker(language, sources.glossary(), sources.loanwords())
    entries = {entry.key: entry for entry in collect(language, sources)}
    changes: list[_Change] = []
    seen: set[str] = set()
    for row in sheet.rows:
        if row.key in seen and (row.corrected or row.decision):
            outcome.refused.append(f"{_label(row)}: this text is in the spreadsheet twice")
            continue
        seen.add(row.key)
        change = _judge(
            row, entries.get(row.key), checker, reviewer, today, overwrite_newer, outcome
        )
        if change is None:
            continue
        changes.append(change)
        label = _label(row)
        (outcome.needs_work if change.status.startswith("needs-work") else outcome.applied).append(
            label + (": corrected" if change.text is not None else ": approved as it was")
        )
        crisis = change.entry.kind == CATALOG and register.crisis_text(change.entry.english)
        if crisis and change.text is not None and change.text != change.entry.text:
            outcome.warnings.append(
                f"{label}: a crisis text changed; its clinical review in {language} "
                "(bot/safety/review.yml) must be done again"
            )
    if changes:
        _apply(changes, sources, language, zone)
    return outcome


def _apply(changes: list[_Change], sources: Sources, language: str, zone: ZoneInfo) -> None:
    """Write the catalog, the directory and its review record; the directory only if still valid."""
    po = sources.catalog(language)
    directory = sources.directory_file()
    review = sources.review()
    for change in changes:
        entry = change.entry
        if entry.kind == CATALOG:
            po.set(entry.english, change.text, change.status, change.note)
            continue
        assert directory is not None
        if change.text is not None:
            directory.set(entry.ident, language, change.text)
        text = change.text if change.text is not None else entry.text
        review.set(language, entry.ident, Reviewed(change.status, entry.english, text, change.note))
    if directory is not None and any(c.entry.kind != CATALOG for c in changes):
        dumped = directory.dumps()
        found, problems = check_bytes(dumped.encode("utf-8"), zone)
        if found is None:
            raise ValueError(
                "the directory would not be valid after the import; nothing was changed: "
                + "; ".join(p.format(directory.path.name) for p in problems)
            )
        directory.path.write_text(dumped, encoding="utf-8")
        review.save()
    po.save()
