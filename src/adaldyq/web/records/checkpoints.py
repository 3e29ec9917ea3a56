"""Oversight witnesses of the ledger: sign the current tree head, then check and cosign it.

The ledger's signing key lives in the data directory (`adaldyq ledger checkpoint` uses the same one).
Each oversight user has a witness folder under DATA_DIR/witnesses/<username>: the witness pins the
ledger key on first use, remembers the last tree it saw, and refuses (WitnessAlarmError) a checkpoint
that is not consistent with it. An oversight body that wants independence runs the same witness on its
own machine with `adaldyq ledger witness`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from adaldyq.core.errors import InputError
from adaldyq.ledger import Ledger
from adaldyq.ledger.checkpoint import Signer
from adaldyq.ledger.keys import load_signer, load_verifiers, save_new_signer
from adaldyq.ledger.witness import LedgerLogSource, Witness
from adaldyq.web.accounts.scope import can_write_notes

ORIGIN = "adaldyq.ledger"


@dataclass(frozen=True, slots=True)
class Witnessed:
    old_size: int
    new_size: int
    note: str


def database_url() -> str:
    """The URL of Django's database, for the ledger's own connection."""
    s = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
        host = s.get("HOST") or "localhost"
        port = f":{s['PORT']}" if s.get("PORT") else ""
        return f"postgresql://{auth}@{host}{port}/{s['NAME']}"
    name = str(s["NAME"])
    if name.startswith("file:") or name == ":memory:":
        raise InputError("an in-memory database has no ledger another connection can witness")
    return f"sqlite:///{name}"


def _signer(directory: Path) -> Signer:
    signer = load_signer(directory)
    if signer is None:
        signer = Signer.generate(ORIGIN)
        save_new_signer(directory, signer)
    return signer


def sign_current(directory: Path) -> str:
    """Sign the current tree head with the deployment's key in `directory` (made on first use)."""
    from adaldyq.ledger.store import sign_checkpoint

    signer = _signer(directory)
    with transaction.atomic(), connection.cursor() as cursor:
        return sign_checkpoint(cursor, signer)


def witness_dir(user: Any) -> Path:
    return Path(settings.DATA_DIR) / "witnesses" / user.get_username()


def checkpoint_witness(*, user: Any) -> Witnessed:
    """Sign the current tree head and have `user`'s witness check it against what it saw; cosign."""
    if not can_write_notes(user):
        raise InputError("only oversight bodies witness checkpoints")
    directory = Path(settings.DATA_DIR)
    signer = _signer(directory)
    with Ledger.open(database_url(), create=False) as ledger:
        ledger.sign_checkpoint(signer)
        observer = Witness(witness_dir(user))
        if not observer.pinned():
            observer.pin(signer.verifier)
        result = observer.update(LedgerLogSource(ledger, load_verifiers(directory)))
    return Witnessed(result.old_size, result.new_size, result.note)


def ledger_status() -> dict[str, Any]:
    """Size of the ledger and its newest signed checkpoint."""
    from adaldyq.ledger import sql

    with connection.cursor() as cursor:
        size = sql.read_size(cursor)
        note = sql.read_latest_checkpoint(cursor)
    return {"size": size, "checkpoint": note}
