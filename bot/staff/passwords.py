"""Staff passwords, stored only as scrypt hashes (hashlib: no extra dependency), each with its
own salt and its cost parameters, so the cost can rise later without breaking old hashes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

# scrypt's cost: 2**15 × 8 × 128 bytes = 32 MiB of memory and ~0.1 s per guess on our machines.
N, R, P = 2**15, 8, 1
MAX_MEMORY = 64 * 1024 * 1024
SCHEME = "scrypt"
SHORTEST = 12


class WeakPassword(ValueError):
    """A password too short to be stored."""


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4))


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=MAX_MEMORY, dklen=32
    )


def hash_password(password: str) -> str:
    """`scrypt$N$r$p$salt$hash`, for a password of at least SHORTEST characters."""
    if len(password) < SHORTEST:
        raise WeakPassword(f"a password needs at least {SHORTEST} characters")
    salt = secrets.token_bytes(16)
    return f"{SCHEME}${N}${R}${P}${_b64(salt)}${_b64(_derive(password, salt, N, R, P))}"


def verify_password(password: str, stored: str) -> bool:
    """Whether `password` matches a stored hash (compared in constant time)."""
    try:
        scheme, n, r, p, salt, expected = stored.split("$")
        if scheme != SCHEME:
            return False
        found = _derive(password, _unb64(salt), int(n), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(found, _unb64(expected))
