"""The ledger's errors, each one a named fault a person can act on.

LedgerError (adaldyq.core.errors)
├── MalformedEntryError        an entry draft or stored body is not a valid entry
├── MalformedCheckpointError   a checkpoint or signed note does not parse
├── SignatureError             a signature does not verify with the key in effect
├── ProofError                 an inclusion or consistency proof does not verify
├── StoreError                 the database is not a ledger, or the request is out of range
└── WitnessAlarmError          a witness saw two views of the log that cannot both be true
"""

from __future__ import annotations

from adaldyq.core.errors import LedgerError

__all__ = [
    "LedgerError",
    "MalformedCheckpointError",
    "MalformedEntryError",
    "ProofError",
    "SignatureError",
    "StoreError",
    "WitnessAlarmError",
]


class MalformedEntryError(LedgerError):
    """An entry draft or a stored entry body is not a valid entry."""


class MalformedCheckpointError(LedgerError):
    """A checkpoint, signed note or key string does not parse."""


class SignatureError(LedgerError):
    """A signature does not verify with the key in effect."""


class ProofError(LedgerError):
    """An inclusion or consistency proof does not verify."""


class StoreError(LedgerError):
    """The database holds no ledger, or a request is outside the ledger."""


class WitnessAlarmError(LedgerError):
    """A witness saw a checkpoint that is not consistent with one it saw before."""

    def __init__(self, message: str, *, seq: int | None = None) -> None:
        self.seq = seq
        super().__init__(message)
