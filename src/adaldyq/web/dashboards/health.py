"""The ledger's health for the dashboards: is what oversight relies on still whole? (ADR 0020, 0023)

status()   the newest checkpoint (checked with the log's keys), each witness's newest cosignature
           (checked with its key, and its tree against ours), the last full verification
           (`adaldyq ledger verify`, DATA_DIR/verify/last.json), the last check of the read models
           (`adaldyq ledger audit-views`), and the faults among them: any fault is an alarm.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from django.conf import settings
from django.db import connection

from adaldyq.ledger import sql
from adaldyq.ledger.checkpoint import (
    Checkpoint,
    Verifier,
    open_note,
    split_note,
    verify_cosignature,
)
from adaldyq.ledger.errors import LedgerError
from adaldyq.ledger.keys import load_verifiers
from adaldyq.ledger.merkle import verify_consistency

#: Where `adaldyq ledger verify` keeps its last result (adaldyq.cli.ledger.LAST_VERIFICATION).
LAST_VERIFICATION = Path("verify") / "last.json"


@dataclass(frozen=True, slots=True)
class WitnessState:
    """One witness folder under DATA_DIR/witnesses: the newest checkpoint it cosigned."""

    name: str
    size: int | None
    cosigned_at: datetime | None
    #: the newest checkpoint's size it has reached (True), not yet (False)
    current: bool
    #: what is wrong with it ("" when nothing)
    fault: str = ""


@dataclass(slots=True)
class Health:
    size: int = 0
    checkpoint_size: int = 0
    root: str = ""
    checkpoint_fault: str = ""
    witnesses: list[WitnessState] = field(default_factory=list)
    verification: dict[str, Any] | None = None
    view_check: Any = None
    faults: list[str] = field(default_factory=list)

    @property
    def alarm(self) -> bool:
        return bool(self.faults)


def _witness(folder: Path, latest: Checkpoint | None, cursor: Any) -> WitnessState | None:
    pub, seen = folder / "witness.pub", folder / "checkpoints.jsonl"
    if not pub.exists():
        return None
    lines = seen.read_bytes().splitlines() if seen.exists() else []
    if not lines:
        return WitnessState(folder.name, None, None, False)
    try:
        verifier = Verifier.decode(pub.read_text().strip())
        note = str(orjson.loads(lines[-1])["note"])
        cosigned = verify_cosignature(note, verifier)
        theirs = Checkpoint.parse(split_note(note)[0])
    except (LedgerError, KeyError, ValueError, orjson.JSONDecodeError) as exc:
        return WitnessState(folder.name, None, None, False, f"{type(exc).__name__}: {exc}")
    when = datetime.fromtimestamp(cosigned.timestamp, UTC)
    fault = _against(theirs, latest, cursor)
    current = latest is not None and theirs.size == latest.size and not fault
    return WitnessState(folder.name, theirs.size, when, current, fault)


def _against(theirs: Checkpoint, latest: Checkpoint | None, cursor: Any) -> str:
    """What is wrong with a witness's tree against the log's newest checkpoint ("" when nothing)."""
    if latest is None:
        return ""
    try:
        if theirs.size > latest.size:
            return "the witness cosigned a larger tree than the log's newest checkpoint"
        if theirs.size == latest.size and theirs.root != latest.root:
            return "the witness cosigned another tree of the same size"
        if 0 < theirs.size < latest.size:
            proof = sql.read_consistency_proof(cursor, theirs.size, latest.size)
            verify_consistency(theirs.size, latest.size, theirs.root, latest.root, proof)
    except LedgerError as exc:
        return f"{type(exc).__name__}: {exc}"
    return ""


def _http_witnesses(directory: Path, latest: Checkpoint | None, cursor: Any) -> list[WitnessState]:
    """The witnesses served apart (C2SP tlog-witness, `ledger sign --witness URL`): their keys in
    DATA_DIR/witnesses.keys, the cosigned notes the signer keeps in DATA_DIR/cosigned/SIZE.note."""
    keys_file = directory / "witnesses.keys"
    if not keys_file.exists():
        return []
    notes = sorted(
        ((int(p.stem), p) for p in (directory / "cosigned").glob("*.note") if p.stem.isdigit()),
        reverse=True,
    )
    out = []
    for text in keys_file.read_text().split():
        try:
            key = Verifier.decode(text)
        except LedgerError as exc:
            out.append(WitnessState(text[:40], None, None, False, f"{type(exc).__name__}: {exc}"))
            continue
        state = WitnessState(key.name, None, None, False)
        for _size, path in notes:  # the newest note it cosigned
            note = path.read_text()
            try:
                cosigned = verify_cosignature(note, key)
                theirs = Checkpoint.parse(split_note(note)[0])
            except LedgerError:
                continue
            fault = _against(theirs, latest, cursor)
            current = latest is not None and theirs.size == latest.size and not fault
            state = WitnessState(key.name, theirs.size,
                                 datetime.fromtimestamp(cosigned.timestamp, UTC), current, fault)  # fmt: skip
            break
        out.append(state)
    return out


def status() -> Health:
    """Everything the health panel shows, each part checked now."""
    from adaldyq.web.audit.services import last_check

    directory = Path(str(settings.DATA_DIR))
    h = Health()
    latest: Checkpoint | None = None
    with connection.cursor() as cursor:
        if sql.table_exists(cursor, "ledger_checkpoints"):
            h.size = sql.read_size(cursor)
            note = sql.read_latest_checkpoint(cursor)
            if note is not None:
                try:
                    latest, _verifier = open_note(note, load_verifiers(directory))
                    h.checkpoint_size, h.root = latest.size, latest.root.hex()
                except LedgerError as exc:
                    h.checkpoint_fault = f"{type(exc).__name__}: {exc}"
                    h.faults.append("checkpoint")
        witnesses = directory / "witnesses"
        if witnesses.is_dir():
            for folder in sorted(p for p in witnesses.iterdir() if p.is_dir()):
                state = _witness(folder, latest, cursor)
                if state is not None:
                    h.witnesses.append(state)
        h.witnesses += _http_witnesses(directory, latest, cursor)
        h.faults += [f"witness:{w.name}" for w in h.witnesses if w.fault]
    record = directory / LAST_VERIFICATION
    if record.exists():
        try:
            h.verification = orjson.loads(record.read_bytes())
        except orjson.JSONDecodeError:
            h.verification = {"ok": False, "fault": "unreadable record"}
        if h.verification is not None and not h.verification.get("ok"):
            h.faults.append("verification")
        if h.verification is not None and h.verification.get("at"):
            h.verification["at"] = datetime.fromisoformat(str(h.verification["at"]))
    h.view_check = last_check()
    if h.view_check is not None and h.view_check.differences:
        h.faults.append("views")
    return h
