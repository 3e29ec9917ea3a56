"""Ledger entries and their canonical bytes (docs/decisions/0004-ledger-format.md).

An entry's canonical form is the JSON object of its fields with sorted keys, no whitespace,
UTF-8 (RFC 8785-style, produced by orjson with OPT_SORT_KEYS). Its hash is the RFC 9162 leaf
hash of those bytes, so the entry with sequence number `seq` is leaf `seq` of the Merkle tree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple

import orjson

from adaldyq.ledger.errors import MalformedEntryError
from adaldyq.ledger.merkle import hash_leaf

FORMAT_VERSION = 1
KEY_CHANGED = "ledger_key_changed"
"""Entry type that hands the checkpoint signing role from one key to the next."""

_FIELDS = frozenset(
    {
        "v",
        "seq",
        "recorded_at",
        "actor",
        "subject",
        "type",
        "schema",
        "payload",
        "corrects",
        "reason",
    }
)


def _is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value)


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True, slots=True)
class Actor:
    """Who recorded an entry, and on whose authority (an order, a role, a delegation)."""

    id: str
    authority: str

    def __post_init__(self) -> None:
        if not _is_text(self.id):
            raise MalformedEntryError("actor id must be a non-empty string")
        if not _is_text(self.authority):
            raise MalformedEntryError("actor authority must be a non-empty string")


@dataclass(frozen=True, slots=True)
class Draft:
    """An entry before the ledger gives it a sequence number and a time."""

    actor: Actor
    subject: str
    type: str
    payload: dict[str, Any]
    schema: int = 1
    corrects: int | None = None
    reason: str | None = None

    def __init__(  # the dataclass's own, with its slots set directly (imports make millions)
        self,
        actor: Actor,
        subject: str,
        type: str,  # the field's name (shadows the builtin here only)
        payload: dict[str, Any],
        schema: int = 1,
        corrects: int | None = None,
        reason: str | None = None,
    ) -> None:
        _set_actor(self, actor)
        _set_subject(self, subject)
        _set_type(self, type)
        _set_payload(self, payload)
        _set_schema(self, schema)
        _set_corrects(self, corrects)
        _set_reason(self, reason)
        if (  # the common case in one test
            subject.__class__ is str
            and subject
            and type.__class__ is str
            and type
            and payload.__class__ is dict
            and schema.__class__ is int
            and schema >= 1
            and corrects is None
            and reason is None
        ):
            return
        self.__post_init__()

    def __post_init__(self) -> None:
        if not _is_text(self.subject):
            raise MalformedEntryError("subject must be a non-empty string")
        if not _is_text(self.type):
            raise MalformedEntryError("type must be a non-empty string")
        if not isinstance(self.payload, dict):  # type: ignore[redundant-expr, unused-ignore]
            raise MalformedEntryError("payload must be a JSON object")
        if not _is_count(self.schema) or self.schema < 1:
            raise MalformedEntryError("schema must be a positive integer")
        if (self.corrects is None) != (self.reason is None):
            raise MalformedEntryError("a correction needs both `corrects` and `reason`")
        if self.corrects is not None and (not _is_count(self.corrects) or self.corrects < 0):
            raise MalformedEntryError("corrects must be the sequence number of an earlier entry")
        if self.reason is not None and (not _is_text(self.reason) or not self.reason.strip()):
            raise MalformedEntryError("a correction needs a reason")


# The slots' own setters: a frozen dataclass refuses setattr, and object.__setattr__ costs twice.
_slot_setters: list[Callable[[Draft, Any], None]] = [
    vars(Draft)[name].__set__
    for name in ("actor", "subject", "type", "payload", "schema", "corrects", "reason")
]
(_set_actor, _set_subject, _set_type, _set_payload, _set_schema, _set_corrects, _set_reason) = (
    _slot_setters
)


class Entry(NamedTuple):
    """An entry as recorded: a draft with its sequence number, server time and canonical bytes."""

    seq: int
    recorded_at: str
    draft: Draft
    body: bytes

    @property
    def subject(self) -> str:
        """The person or institution the entry is about."""
        return self.draft.subject

    @property
    def type(self) -> str:
        """What kind of fact the entry records."""
        return self.draft.type

    @property
    def payload(self) -> dict[str, Any]:
        """The fact itself."""
        return self.draft.payload

    @property
    def leaf_hash(self) -> bytes:
        """RFC 9162 leaf hash of the canonical bytes."""
        return hash_leaf(self.body)

    def to_json(self) -> dict[str, Any]:
        """The canonical object (what the body encodes)."""
        return canonical_object(self.seq, self.recorded_at, self.draft)


def utc_timestamp(now: datetime) -> str:
    """ISO 8601 UTC with microseconds and a Z: the only form `recorded_at` takes."""
    if now.tzinfo is None:
        raise MalformedEntryError("recorded_at must be an aware datetime")
    return now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_object(seq: int, recorded_at: str, draft: Draft) -> dict[str, Any]:
    """The entry as a JSON object; every key is always present."""
    return {  # keys in sorted order, as they are serialised
        "actor": {"authority": draft.actor.authority, "id": draft.actor.id},
        "corrects": draft.corrects,
        "payload": draft.payload,
        "reason": draft.reason,
        "recorded_at": recorded_at,
        "schema": draft.schema,
        "seq": seq,
        "subject": draft.subject,
        "type": draft.type,
        "v": FORMAT_VERSION,
    }


def canonical_bytes(obj: dict[str, Any]) -> bytes:
    """Sorted keys, compact separators, UTF-8."""
    return orjson.dumps(obj, option=orjson.OPT_SORT_KEYS)


def make_entry(seq: int, recorded_at: str, draft: Draft) -> Entry:
    """Give a draft its place in the ledger and compute its canonical bytes."""
    if draft.corrects is not None and draft.corrects >= seq:
        raise MalformedEntryError(f"entry {seq} cannot correct entry {draft.corrects}: not earlier")
    try:
        body = canonical_bytes(canonical_object(seq, recorded_at, draft))
    except TypeError as exc:
        raise MalformedEntryError(f"payload of entry {seq} is not JSON: {exc}") from None
    return Entry(seq, recorded_at, draft, body)


def tail_of(seq: int, subject: str, type_: str) -> bytes:
    """The bytes every canonical body with these indexed columns ends with (sorted keys)."""
    return b',"seq":%d,"subject":%s,"type":%s,"v":1}' % (
        seq,
        orjson.dumps(subject),
        orjson.dumps(type_),
    )


def parse_entry(body: bytes) -> Entry:
    """Read an entry back from its canonical bytes; refuse anything not canonical."""
    try:
        obj = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise MalformedEntryError(f"entry body is not JSON: {exc}") from None
    if not isinstance(obj, dict) or set(obj) != _FIELDS:
        raise MalformedEntryError("entry body does not have the entry fields")
    if obj["v"] != FORMAT_VERSION:
        raise MalformedEntryError(f"unknown entry format version {obj['v']!r}")
    actor = obj["actor"]
    if not isinstance(actor, dict) or set(actor) != {"id", "authority"}:
        raise MalformedEntryError("entry actor must have id and authority")
    seq = obj["seq"]
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 0:
        raise MalformedEntryError("entry seq must be a non-negative integer")
    draft = Draft(
        actor=Actor(actor["id"], actor["authority"]),
        subject=obj["subject"],
        type=obj["type"],
        payload=obj["payload"],
        schema=obj["schema"],
        corrects=obj["corrects"],
        reason=obj["reason"],
    )
    entry = Entry(seq, obj["recorded_at"], draft, body)
    if canonical_bytes(entry.to_json()) != body:
        raise MalformedEntryError(f"entry {seq} is not in canonical form")
    return entry
