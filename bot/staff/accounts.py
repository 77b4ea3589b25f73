"""Named staff accounts who may read the reports: add (or reset a password), list, remove."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.staff.passwords import hash_password, verify_password
from bot.store.models import StaffAccount

NAME = re.compile(r"^[\w.@-]{2,120}$")


@cache
def _dummy() -> str:
    """Verified against when the name is unknown, so an unknown name costs the same time."""
    return hash_password("not-a-password-of-anyone")


class StaffError(ValueError):
    """A name that cannot be used."""


def add(session: Session, name: str, password: str) -> bool:
    """Add an account, or set a new password for an existing one; True when it is new."""
    if not NAME.match(name):
        raise StaffError("a name is 2-120 letters, digits, dots, dashes, @ or underscores")
    hashed = hash_password(password)
    account = session.scalars(select(StaffAccount).where(StaffAccount.name == name)).first()
    if account is not None:
        account.password_hash = hashed
        return False
    session.add(StaffAccount(name=name, password_hash=hashed))
    return True


def all_accounts(session: Session) -> Sequence[StaffAccount]:
    return session.scalars(select(StaffAccount).order_by(StaffAccount.name)).all()


def remove(session: Session, name: str) -> bool:
    """Remove an account; its sessions stop working at once. True when it existed."""
    result = session.execute(delete(StaffAccount).where(StaffAccount.name == name))
    return bool(result.rowcount)  # type: ignore[attr-defined]


def find(session: Session, name: str) -> StaffAccount | None:
    return session.scalars(select(StaffAccount).where(StaffAccount.name == name)).first()


def check(session: Session, name: str, password: str) -> StaffAccount | None:
    """The account when the name and password match; None otherwise."""
    account = find(session, name)
    if account is None:
        verify_password(password, _dummy())
        return None
    return account if verify_password(password, account.password_hash) else None
