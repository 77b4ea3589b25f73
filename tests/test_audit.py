"""`make audit`: the accepted advisories are justified, current, and the only ones let through.

Offline: pip-audit itself is replaced by a stub that records its arguments, so that a new
advisory failing `make audit` is checked here without the advisory service (which `make test`
must never depend on: advisories change daily)."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ACCEPTED = ROOT / "security" / "accepted-advisories.txt"
PINS = {
    "dev": ROOT / "requirements" / "constraints.txt",
    "rasa": ROOT / "requirements" / "rasa.txt",
}
ID = re.compile(r"^(GHSA(-[23456789cfghjmpqrvwx]{4}){3}|PYSEC-\d{4}-\d+|CVE-\d{4}-\d{4,})$")


def accepted() -> list[tuple[str, str, str]]:
    rows = []
    for line in ACCEPTED.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            advisory, environment, pin = line.split()
            rows.append((advisory, environment, pin))
    return rows


def dependencies_section() -> str:
    text = (ROOT / "docs" / "security.md").read_text()
    start = text.index("## Dependencies")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def test_every_accepted_advisory_is_well_formed_and_pinned_as_written() -> None:
    rows = accepted()
    assert rows
    for advisory, environment, pin in rows:
        assert ID.match(advisory), advisory
        assert environment in PINS, environment
        pins = {line.strip().lower() for line in PINS[environment].read_text().splitlines()}
        # Once the package moves on, the entry must go (or be checked again).
        assert pin.lower() in pins, f"{advisory}: {pin} is no longer pinned in {environment}"
    assert len({row[0] for row in rows}) == len(rows), "an advisory accepted twice"


def test_every_accepted_advisory_is_justified_in_the_security_docs() -> None:
    section = dependencies_section()
    for advisory, _environment, pin in accepted():
        assert advisory in section, f"{advisory} ({pin}) has no reason in docs/security.md"


@pytest.fixture
def stub(tmp_path: Path) -> Path:
    """A pip-audit that writes its arguments to a file and exits with $STUB_EXIT."""
    script = tmp_path / "pip-audit"
    script.write_text(
        f'#!/usr/bin/env bash\necho "$*" >> {tmp_path / "calls"}\nexit "${{STUB_EXIT:-0}}"\n'
    )
    script.chmod(0o755)
    return script


def audit(stub: Path, exit_code: int) -> tuple[int, list[str]]:
    env = {**os.environ, "PIP_AUDIT": str(stub), "STUB_EXIT": str(exit_code)}
    env["RASA_SITE"] = "/nowhere/site-packages"
    done = subprocess.run(
        [str(ROOT / "scripts" / "audit")], env=env, capture_output=True, text=True, check=False
    )
    return done.returncode, (stub.parent / "calls").read_text().splitlines()


def test_both_environments_are_audited_strictly_with_only_the_accepted_ignored(
    stub: Path,
) -> None:
    code, calls = audit(stub, 0)
    assert code == 0
    assert len(calls) == 2
    dev, rasa = calls
    assert "--path" not in dev.split() and "--path /nowhere/site-packages" in rasa
    for environment, call in zip(("dev", "rasa"), calls, strict=True):
        arguments = call.split()
        assert "--strict" in arguments, "a package that cannot be checked must fail the audit"
        ignored = {arguments[i + 1] for i, a in enumerate(arguments) if a == "--ignore-vuln"}
        # Each environment lets through only what was accepted for it.
        assert ignored == {row[0] for row in accepted() if row[1] == environment}


def test_a_new_advisory_fails_make_audit(stub: Path) -> None:
    code, calls = audit(stub, 1)  # pip-audit's exit status when it finds one
    assert code == 1
    assert len(calls) == 2, "the other environment is still audited"


def test_make_test_does_not_audit() -> None:
    makefile = (ROOT / "Makefile").read_text()
    test_rule = re.search(r"^test:(.*)$", makefile, re.M)
    assert test_rule is not None and "audit" not in test_rule.group(1)
    assert "audit" not in (ROOT / ".ci" / "run").read_text()
