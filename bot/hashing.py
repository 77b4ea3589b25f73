"""Keyed hashes for ids and tokens we must recognise but need not store in the clear."""

from __future__ import annotations

import hashlib
import hmac
import secrets


def keyed_hash(key: bytes, value: str, purpose: str) -> str:
    """HMAC-SHA256 of `value` under the service's secret key (SECRET_KEY), separated by purpose."""
    return hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def new_code() -> str:
    """An unguessable one-time code that fits in a Telegram /start deep link (≤ 64 chars)."""
    return secrets.token_urlsafe(18)
