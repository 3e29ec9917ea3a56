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
from adaldyq.ledger import Ledger, sql
from adaldyq.ledger.keys import create_signer, load_signer, load_verifiers
from adaldyq.ledger.signer import GuardedSigner
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


def sign_guarded(directory: Path) -> str:
    """Sign the current tree through the guarded signer (adaldyq.ledger.signer; its state in
    DIR/signer) on Django's connection, making the data folder's key first if it has none. For
    commands (the demo build) and tests; the web workers never read the key (issue 16)."""
    signer = load_signer(directory) or create_signer(directory, ORIGIN)
    state = getattr(settings, "LEDGER_SIGNER_STATE", "") or directory / "signer"
    guarded = GuardedSigner(signer, Path(state))
    with transaction.atomic(), connection.cursor() as cursor:
        signed = guarded.sign_in(cursor)
        if signed is not None:
            transaction.on_commit(lambda: guarded.remember(signed))
            return signed.note
        note = sql.read_latest_checkpoint(cursor)
    if note is None:
        raise InputError("the ledger is empty: nothing to sign")
    return note


def witness_dir(user: Any) -> Path:
    return Path(str(settings.DATA_DIR)) / "witnesses" / str(user.get_username())


def checkpoint_witness(*, user: Any) -> Witnessed:
    """Have `user`'s witness check the newest signed checkpoint against what it saw; cosign it.

    The web signs nothing: checkpoints come from the signer process (`adaldyq ledger sign`)."""
    if not can_write_notes(user):
        raise InputError("only oversight bodies witness checkpoints")
    directory = Path(settings.DATA_DIR)
    with Ledger.open(database_url(), create=False) as ledger:
        observer = Witness(witness_dir(user))
        result = observer.update(LedgerLogSource(ledger, load_verifiers(directory)))
    return Witnessed(result.old_size, result.new_size, result.note)


def ledger_status() -> dict[str, Any]:
    """Size of the ledger and its newest signed checkpoint."""

    with connection.cursor() as cursor:
        size = sql.read_size(cursor)
        note = sql.read_latest_checkpoint(cursor)
    return {"size": size, "checkpoint": note}
