"""Short-lived tickets for the web chat's event stream, so its token never goes in a URL.

A browser's `EventSource` cannot send an Authorization header, and a URL ends up in proxy logs,
browser history and Referer headers. So the page first asks for a ticket with its token (a
POST, header only), then opens the stream with `?ticket=`. A ticket opens only its own session's
stream, only for `TICKET_SECONDS`; it is signed with SECRET_KEY, so any gateway can check it
without storing anything, and a ticket in a log is useless a minute later. The stream stays
open once opened; a reconnect asks for a new ticket.
"""

from __future__ import annotations

import hmac
import time

from bot.hashing import keyed_hash

TICKET_SECONDS = 60
PURPOSE = "stream-ticket"


def issue(key: bytes, session_id: str, now: float | None = None) -> str:
    expires = int((time.time() if now is None else now) + TICKET_SECONDS)
    return f"{expires}.{keyed_hash(key, f'{session_id}|{expires}', PURPOSE)}"


def valid(key: bytes, session_id: str, ticket: str, now: float | None = None) -> bool:
    expires_text, _, mac = ticket.partition(".")
    if not expires_text.isdigit() or len(expires_text) > 12:
        return False
    expires = int(expires_text)
    if expires < (time.time() if now is None else now):
        return False
    expected = keyed_hash(key, f"{session_id}|{expires}", PURPOSE)
    return hmac.compare_digest(mac.encode(), expected.encode())
