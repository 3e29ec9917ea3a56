"""One-time codes for the public pages: the code of a visit's booking (`/visit/manage/`) and of a
transfer request's status (`/transfer/status/`). Eight characters a relative can read out and type
(no 0/O, no 1/I); the database keeps only their SHA-256."""

from __future__ import annotations

import hashlib
import secrets

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def one_time_code() -> str:
    """A new code of eight characters."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(8))


def code_hash(code: str) -> str:
    """What is kept of a code: the SHA-256 of the code as typed (spaces around and case ignored)."""
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()
