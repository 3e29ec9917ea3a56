"""Ledger entries -> the paper read models (issue 23, ADR 0040). The only code that writes them.

Entry types:

    paper_batch_imported  subject `paper:<batch>`  {batch, name, rows, scans[{document, name, type}]}
    <a fact's kind>, person_admitted              the fact, with `paper` {batch, file, page, scan}
                                                  (a settlement's correction adds `settles`)
    paper_page_checked    subject: the person     {batch, file, page, scan, first[seq],
                                                  second[{kind, payload}], differences[{first, second}]}
    paper_page_settled    subject: the person     {check, file, page, choices[first|second], reason}

A fact entry's `paper` is in `files.ENTRY_META`: the fact and the engine never see it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction

from adaldyq.ledger.entry import Entry
from adaldyq.web.db import delete_rows, insert_rows
from adaldyq.web.paper.models import (
    AGREED,
    DISPUTED,
    READ_MODELS,
    SETTLED,
    PaperBatch,
    PaperPage,
    PaperSource,
)
from adaldyq.web.records import ledger_port
from adaldyq.web.records import projection as records_projection
from adaldyq.web.records.projection import _moment

BATCH_IMPORTED = "paper_batch_imported"
PAGE_CHECKED = "paper_page_checked"
PAGE_SETTLED = "paper_page_settled"
#: The entry types a replay reads: the paper's own, and those a fact read from paper may have.
ENTRY_TYPES = frozenset(
    {BATCH_IMPORTED, PAGE_CHECKED, PAGE_SETTLED, records_projection.PERSON_ADMITTED,
     records_projection.FACT_VOIDED}
) | records_projection.FACT_TYPES  # fmt: skip


def _at(entry: Entry) -> datetime:
    return _moment(entry.recorded_at)


def _source_fields(entry: Entry) -> dict[str, Any]:
    src = entry.payload["paper"]
    return {
        "seq": entry.seq,
        "person_id": entry.subject,
        "kind": entry.type,
        "paper_file": str(src["file"]),
        "page": int(src["page"]),
        "scan": str(src["scan"]),
        "transcribed_by": entry.draft.actor.id,
        "transcribed_at": _at(entry),
        "batch": str(src["batch"]),
        "checked": SETTLED if src.get("settles") is not None else "single",
    }


def _source(entry: Entry) -> PaperSource:
    return PaperSource(**_source_fields(entry))


def _page_fields(entry: Entry) -> dict[str, Any]:
    src = entry.payload["paper"]
    return {
        "person_id": entry.subject,
        "paper_file": str(src["file"]),
        "page": int(src["page"]),
        "scan": str(src["scan"]),
        "first_by": entry.draft.actor.id,
        "first_batch": str(src["batch"]),
    }


def _page(entry: Entry) -> PaperPage:
    return PaperPage(**_page_fields(entry))


def _batch(entry: Entry) -> PaperBatch:
    p = entry.payload
    return PaperBatch(
        seq=entry.seq,
        batch=str(p["batch"]),
        by=entry.draft.actor.id,
        at=_at(entry),
        name=str(p.get("name", "")),
        rows=int(p.get("rows", 0)),
        scans=list(p.get("scans", [])),
    )


def is_paper(entry: Entry) -> bool:
    """A fact or admission read from a paper file."""
    paper = entry.payload.get("paper")
    return isinstance(paper, dict) and "file" in paper


def _key(entry: Entry) -> tuple[str, str, int]:
    p = entry.payload
    return (entry.subject, str(p["file"]), int(p["page"]))


def _checked_fields(entry: Entry) -> dict[str, Any]:
    p = entry.payload
    return {
        "status": DISPUTED if p.get("differences") else AGREED,
        "check_seq": entry.seq,
        "second_by": entry.draft.actor.id,
        "second_scan": str(p.get("scan", "")),
        "differences": [
            {"first": d.get("first"), "second": None if d.get("second") is None
             else p["second"][int(d["second"])]}
            for d in p.get("differences", [])
        ],
    }  # fmt: skip


def _settled_fields(entry: Entry) -> dict[str, Any]:
    p = entry.payload
    return {
        "status": SETTLED,
        "settled_seq": entry.seq,
        "settled_by": entry.draft.actor.id,
        "choices": list(p.get("choices", [])),
        "reason": str(p.get("reason", "")),
    }


def project(entry: Entry) -> None:
    """Apply one entry to the paper read models (entries of other types are passed over)."""
    kind = entry.type
    if kind == BATCH_IMPORTED:
        _batch(entry).save(force_insert=True)
    elif kind == PAGE_CHECKED:
        person, file, page = _key(entry)
        PaperPage.objects.filter(person_id=person, paper_file=file, page=page).update(
            **_checked_fields(entry)
        )
        if not entry.payload.get("differences"):
            first = [int(s) for s in entry.payload.get("first", [])]
            PaperSource.objects.filter(seq__in=first).update(checked="double")
    elif kind == PAGE_SETTLED:
        person, file, page = _key(entry)
        PaperPage.objects.filter(person_id=person, paper_file=file, page=page).update(
            **_settled_fields(entry)
        )
        PaperSource.objects.filter(person_id=person, paper_file=file, page=page).update(
            checked=SETTLED
        )
    elif is_paper(entry):
        source = _source(entry)
        source.save(force_insert=True)
        if not PaperPage.objects.filter(
            person_id=source.person_id, paper_file=source.paper_file, page=source.page
        ).exists():
            _page(entry).save(force_insert=True)


class BulkProjector:
    """The same rows as `project`, for many entries at once (an import, a replay): sources and
    batches inserted in bulk per chunk, pages kept in memory until `finish()`."""

    def __init__(self, known: Iterable[tuple[str, str, int]] = ()) -> None:
        self.pages: dict[tuple[str, str, int], dict[str, Any]] = {}
        self.known = set(known)  # pages with a row already (an import onto existing pages)
        self.later: list[Entry] = []

    def add(self, entries: Iterable[Entry]) -> None:
        """Project one chunk of entries, in sequence order."""
        sources, batches = [], []
        for entry in entries:
            if entry.type == BATCH_IMPORTED:
                batches.append(_batch(entry))
            elif entry.type in (PAGE_CHECKED, PAGE_SETTLED):
                self.later.append(entry)  # rare: applied after the rows they update
            elif is_paper(entry):
                # the row's values, not a model instance: building one costs more than its insert
                source = _source_fields(entry)
                sources.append(source)
                key = (source["person_id"], source["paper_file"], source["page"])
                if key not in self.pages and key not in self.known:
                    self.pages[key] = _page_fields(entry)
        PaperBatch.objects.bulk_create(batches, batch_size=2000)
        insert_rows(PaperSource, sources)

    def finish(self) -> None:
        """Insert the new pages, then apply the checks and settlements in sequence order."""
        insert_rows(PaperPage, list(self.pages.values()))
        self.known.update(self.pages)
        self.pages.clear()
        for entry in self.later:
            project(entry)
        self.later.clear()


def clear_read_models() -> None:
    """Empty the paper tables (before a replay)."""
    delete_rows(READ_MODELS)


def rebuild(*, durable: bool = True) -> int:
    """Rebuild the paper read models from the whole ledger; returns the entries applied."""
    applied = 0
    with transaction.atomic(durable=durable):
        clear_read_models()
        projector = BulkProjector()
        from django.db import connection

        with connection.cursor() as cursor:
            chunk: list[Entry] = []
            # a paper fact's canonical body holds its `paper` object; other facts stay unread
            marked = (ENTRY_TYPES - {BATCH_IMPORTED, PAGE_CHECKED, PAGE_SETTLED}, b'"paper":{')
            for entry in ledger_port.entries(cursor, types=ENTRY_TYPES, holding=marked):
                if entry.type in (BATCH_IMPORTED, PAGE_CHECKED, PAGE_SETTLED) or is_paper(entry):
                    chunk.append(entry)
                    applied += 1
                if len(chunk) >= 20_000:
                    projector.add(chunk)
                    chunk = []
            projector.add(chunk)
        projector.finish()
    return applied
