"""`adaldyq law pack ...` and `adaldyq law amend ...`: the pack in force and its amendments (ADR 0026).

The amendments live in the data folder's ledger (or DATABASE_URL's); the pack in force is the shipped
pack plus the approved ones. A proposal is approved or refused by another person (`--actor`,
ADALDYQ_ACTOR; default cli:<user>).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import orjson
import typer
from rich.table import Table

from adaldyq.cli._common import (
    Area,
    _chosen,
    actor_of,
    console,
    data_dir,
    database_url,
    date_option,
    dumps,
    fail,
    has_data,
    printed_for_scripts,
    web_setup,
)
from adaldyq.cli.options import (
    ActorOption,
    AuthorityOption,
    DataDirOption,
    FormatOption,
    OutputFormat,
)
from adaldyq.law import LawPack
from adaldyq.law.pack import Figure, Value

if (
    TYPE_CHECKING
):  # the ledger is imported only by the commands that read it (`law check` stays light)
    from adaldyq.law.amendments import Book
    from adaldyq.ledger import Draft

pack_app = Area("The law pack in force: the shipped pack plus the approved amendments.")
amend_app = Area("Amend the law pack: propose, and another person approves or refuses.")

OverlayOption = Annotated[
    str | None,
    typer.Option(
        "--overlay",
        envvar="ADALDYQ_LAW_OVERLAY",
        help="Law-pack overlay: 'demo' (illustrative figures, not law) or a folder.",
    ),
]

ProposalArgument = Annotated[int, typer.Argument(help="The proposal's entry number.")]


def _book(law: LawPack, data: Path | None) -> Book:
    """The amendments recorded in the data folder's ledger (none when there is no data yet)."""
    from adaldyq.law.amendments import Book, subject_of
    from adaldyq.ledger import Ledger

    directory = _chosen(data)
    if not has_data(directory):
        return Book()
    with Ledger.open(database_url(directory), create=False) as ledger:
        return Book.from_entries(ledger.entries_by_subject(subject_of(law)), law)


@contextmanager
def _writing(law: LawPack, data: Path | None) -> Iterator[tuple[Book, Any]]:
    """The book read and the entry appended in one write transaction (two reviewers cannot both
    settle one proposal)."""
    from adaldyq.law.amendments import Book, subject_of
    from adaldyq.ledger import Ledger, read_entries_by_subject

    with (
        Ledger.open(database_url(data_dir(data))) as ledger,
        ledger.transaction() as cursor,
    ):
        yield Book.from_entries(read_entries_by_subject(cursor, subject_of(law)), law), cursor


def _append(cursor: Any, draft: Draft, fmt: OutputFormat) -> None:
    from adaldyq.ledger import append_entries

    entry = append_entries(cursor, [draft])[0]
    if fmt is OutputFormat.text:
        console.print(str(entry.seq), highlight=False)
    else:
        print(dumps(entry.to_json()))


def _origin(v: Value) -> str:
    return "shipped" if v.amendment is None else f"amendment #{v.amendment}"


def _value_row(f: Figure, v: Value) -> dict[str, Any]:
    return {
        "figure": f.key,
        "value": v.value,
        "unit": f.unit,
        "valid_from": v.valid_from.isoformat(),
        "valid_to": v.valid_to.isoformat() if v.valid_to else None,
        "article": f.article,
        "confidence": v.confidence,
        "source": v.source,
        "origin": _origin(v),
        "amendment": v.amendment,
    }


def _covering(f: Figure, on: date) -> Value | None:
    for v in f.values:
        if v.valid_from <= on and (v.valid_to is None or on <= v.valid_to):
            return v
    return None


def _shown(value: Any) -> str:
    return "unknown" if value is None else value if isinstance(value, str) else dumps(value)


@pack_app.command("show")
def show(
    on: Annotated[
        str | None, typer.Option("--on", help="Only the values in force on this date.")
    ] = None,
    figure: Annotated[
        str | None, typer.Option("--figure", help="Only figures whose key starts with this.")
    ] = None,
    overlay: OverlayOption = None,
    data: DataDirOption = None,
    fmt: FormatOption = OutputFormat.text,
) -> None:
    """Every figure of the pack in force with its origin: shipped, or the amendment's entry."""
    base = LawPack.load(overlay=overlay)
    law = _book(base, data).in_force(base)
    when = date_option(on)
    rows: list[dict[str, Any]] = []
    for key, f in law.figures.items():
        if figure and not key.startswith(figure):
            continue
        if when is None:
            rows.extend(_value_row(f, v) for v in f.values)
            continue
        v = _covering(f, when) or Value(when, None, None, "no value in force on this date", "?")
        rows.append(_value_row(f, v))
    described = {**law.describe(), "on": when.isoformat() if when else None}
    if printed_for_scripts(fmt, {"law_pack": described, "figures": rows}, rows):
        return
    table = Table(title=f"law pack {law.id} {law.version} {law.hash[:19]}…", show_lines=False)
    for column in ("figure", "value", "from", "to", "conf.", "origin"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(
            row["figure"],
            _shown(row["value"]),
            row["valid_from"],
            row["valid_to"] or "",
            row["confidence"],
            row["origin"],
        )
    console.print(table)


@pack_app.command("diff")
def diff(
    from_: Annotated[str, typer.Option("--from", help="The earlier date.")],
    to: Annotated[str, typer.Option("--to", help="The later date.")],
    overlay: OverlayOption = None,
    data: DataDirOption = None,
    fmt: FormatOption = OutputFormat.text,
) -> None:
    """The figures whose value in force differs between two dates, with what set the later one."""
    start, end = date_option(from_, "--from"), date_option(to, "--to")
    assert start is not None  # noqa: S101
    assert end is not None  # noqa: S101
    base = LawPack.load(overlay=overlay)
    law = _book(base, data).in_force(base)
    rows = []
    for key, f in law.figures.items():
        a, b = _covering(f, start), _covering(f, end)
        va, vb = (a.value if a else None), (b.value if b else None)
        if va != vb or (a and b and a.confidence != b.confidence):
            rows.append(
                {
                    "figure": key,
                    "from": va,
                    "to": vb,
                    "confidence_from": a.confidence if a else "?",
                    "confidence_to": b.confidence if b else "?",
                    "origin": _origin(b) if b else "no value",
                    "valid_from": b.valid_from.isoformat() if b else None,
                }
            )
    out = {"law_pack": law.describe(), "from": start.isoformat(), "to": end.isoformat()}
    if printed_for_scripts(fmt, {**out, "changes": rows}, rows):
        return
    if not rows:
        console.print(f"no figure differs between {start} and {end}", highlight=False)
        return
    table = Table(title=f"law pack {law.id}: {start} → {end}")
    for column in ("figure", str(start), str(end), "since", "origin"):
        table.add_column(column, overflow="fold")
    for r in rows:
        table.add_row(
            r["figure"],
            f"{_shown(r['from'])} ({r['confidence_from']})",
            f"{_shown(r['to'])} ({r['confidence_to']})",
            r["valid_from"] or "",
            r["origin"],
        )
    console.print(table)


def _value(text: str) -> Any:
    """--value as JSON (`2`, `null`, `[...]`), or as text when it is not JSON (`1/2`, `unlimited`)."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return text


@amend_app.command("propose")
def propose_cmd(
    figure: Annotated[str, typer.Option("--figure", help="The figure's key in the pack.")],
    value: Annotated[
        str, typer.Option("--value", help="Its value: a number, a text, JSON, or null (unknown).")
    ],
    valid_from: Annotated[str, typer.Option("--from", help="In force from (YYYY-MM-DD).")],
    article: Annotated[str, typer.Option("--article", help="The article, e.g. 'PEC art. 134'.")],
    edition: Annotated[str, typer.Option("--edition", help="The edition of the law it rests on.")],
    document: Annotated[
        Path, typer.Option("--document", help="The source document (kept by its hash).")
    ],
    confidence: Annotated[str, typer.Option("--confidence", help="L, L-old, S, P or ?.")],
    reason: Annotated[str, typer.Option("--reason", help="Why the figure changes.")],
    valid_to: Annotated[
        str | None, typer.Option("--to", help="In force until (YYYY-MM-DD), if known.")
    ] = None,
    actor: ActorOption = None,
    authority: AuthorityOption = "law-pack administration",
    overlay: OverlayOption = None,
    data: DataDirOption = None,
    fmt: FormatOption = OutputFormat.text,
) -> None:
    """Propose an amendment; print its entry's number. It is in force once another person approves."""
    from adaldyq.law.amendments import propose

    law = LawPack.load(overlay=overlay)
    payload = {
        "figure": figure,
        "value": _value(value),
        "valid_from": valid_from,
        "valid_to": valid_to,
        "article": article,
        "edition": edition,
        "document": "sha256:" + "0" * 64,  # checked first, the document kept only if the rest is
        "confidence": confidence,
        "reason": reason,
    }
    who = actor_of(actor, authority)
    propose(law, payload, who)
    directory = data_dir(data)
    from adaldyq.law.amendments import store_document

    payload["document"] = store_document(directory, document.read_bytes())
    with _writing(law, data) as (_, cursor):
        _append(cursor, propose(law, payload, who), fmt)


@amend_app.command("approve")
def approve_cmd(
    seq: ProposalArgument,
    actor: ActorOption = None,
    authority: AuthorityOption = "law-pack administration",
    overlay: OverlayOption = None,
    data: DataDirOption = None,
    fmt: FormatOption = OutputFormat.text,
) -> None:
    """Approve another person's proposal: from now on it is in the pack in force."""
    from adaldyq.law.amendments import approve

    law = LawPack.load(overlay=overlay)
    with _writing(law, data) as (book, cursor):
        _append(cursor, approve(book, seq, actor_of(actor, authority), law), fmt)


@amend_app.command("refuse")
def refuse_cmd(
    seq: ProposalArgument,
    reason: Annotated[str, typer.Option("--reason", help="Why it is refused.")],
    actor: ActorOption = None,
    authority: AuthorityOption = "law-pack administration",
    overlay: OverlayOption = None,
    data: DataDirOption = None,
    fmt: FormatOption = OutputFormat.text,
) -> None:
    """Refuse another person's proposal, saying why."""
    from adaldyq.law.amendments import refuse

    law = LawPack.load(overlay=overlay)
    with _writing(law, data) as (book, cursor):
        _append(cursor, refuse(book, seq, actor_of(actor, authority), law, reason), fmt)


@amend_app.command("list")
def list_cmd(
    overlay: OverlayOption = None,
    data: DataDirOption = None,
    fmt: FormatOption = OutputFormat.text,
) -> None:
    """Every amendment with its state: proposed, approved or refused, by whom."""
    law = LawPack.load(overlay=overlay)
    book = _book(law, data)
    rows = [
        {
            "seq": p.seq,
            "status": p.status,
            "proposed_by": p.proposer.id,
            "proposed_at": p.recorded_at,
            "decided_by": p.decided_by.id if p.decided_by else None,
            "decided_seq": p.decided_seq,
            "refusal": p.refusal,
            **p.amendment.to_payload(),
        }
        for p in book.proposals.values()
    ]
    ignored = [{"seq": s, "why": why} for s, why in book.ignored]
    if printed_for_scripts(fmt, {"amendments": rows, "ignored": ignored}, rows):
        return
    if not rows:
        console.print(f"no amendments to the law pack {law.id}", highlight=False)
    table = Table(title=f"amendments to the law pack {law.id}")
    for column in ("seq", "status", "figure", "value", "from", "to", "by", "reviewed by"):
        table.add_column(column, overflow="fold")
    for r in rows:
        table.add_row(
            str(r["seq"]),
            r["status"] + (f": {r['refusal']}" if r["refusal"] else ""),
            r["figure"],
            _shown(r["value"]),
            r["valid_from"],
            r["valid_to"] or "",
            r["proposed_by"],
            r["decided_by"] or "",
        )
    if rows:
        console.print(table)
    for i in ignored:
        console.print(f"entry #{i['seq']} does not count: {i['why']}", highlight=False)


@amend_app.command("preview")
def preview_cmd(
    seq: ProposalArgument,
    on: Annotated[
        str | None, typer.Option("--on", help="Today (default: the calendar's), for its date.")
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option("--workers", min=1, help="Processes for the engine (default: one per core)."),
    ] = None,
    data: DataDirOption = None,
    fmt: FormatOption = OutputFormat.text,
) -> None:
    """Who gets a different answer, on which date, with the amendment: the engine run on every person
    of the database without it and with it (its first day, and today); counts per institution."""
    web_setup(data)
    from adaldyq.web.records.amendments import impact

    found = impact(seq, today=date_option(on), workers=workers or os.cpu_count() or 1)
    rows = [
        {
            "person": c.person,
            "number": c.number,
            "institution": c.institution,
            "on": c.on.isoformat(),
            "what": c.what,
            "without": c.without,
            "with": c.with_it,
        }
        for c in found.changes
    ]
    dates = [d.isoformat() for d in found.dates]
    summary = {
        "amendment": seq,
        "status": found.proposal.status,
        "figure": found.proposal.amendment.figure,
        "dates": dates,
        "people": found.people,
        "people_changed": sum(found.per_institution.values()),
        "per_institution": found.per_institution,
        "not_evaluated": len(found.not_evaluated),
    }
    if printed_for_scripts(fmt, {**summary, "changes": rows}, rows):
        return
    console.print(
        f"amendment #{seq} ({summary['status']}) of {summary['figure']}: "
        f"{summary['people_changed']:,} of {found.people:,} people get a different answer on "
        + ", ".join(dates),
        highlight=False,
    )
    for inst, n in found.per_institution.items():
        console.print(f"  {inst}: {n:,}", highlight=False)
    for c in rows:
        console.print(
            f"  {c['number']} {c['institution']} {c['on']} {c['what']}: "
            f"{_shown(c['without'])} -> {_shown(c['with'])}",
            highlight=False,
        )
    if found.not_evaluated:
        console.print(
            f"{len(found.not_evaluated):,} people could not be evaluated", highlight=False
        )


@amend_app.command("export")
def export_cmd(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the file here (default: stdout).")
    ] = None,
    overlay: OverlayOption = None,
    data: DataDirOption = None,
) -> None:
    """Every approved amendment in a file another deployment can check and import (ADR 0028): the
    proposal and approval entries with their inclusion proofs in the latest signed checkpoint, and the
    source documents."""
    from adaldyq.law.amendment_files import export_amendments
    from adaldyq.law.amendments import DOCUMENTS, subject_of
    from adaldyq.ledger import (
        Ledger,
        read_entries_by_subject,
        read_inclusion_proof,
        read_latest_checkpoint,
    )

    law = LawPack.load(overlay=overlay)
    directory = _chosen(data)
    if not has_data(directory):
        raise fail(f"no ledger in {directory} (nor DATABASE_URL)")
    documents = {
        "sha256:" + path.name.removeprefix("sha256-"): path.read_bytes()
        for path in sorted((directory / DOCUMENTS).glob("sha256-*"))
    }
    with Ledger.open(database_url(directory), create=False) as ledger, ledger.transaction() as cur:
        obj = export_amendments(
            law,
            read_entries_by_subject(cur, subject_of(law)),
            read_latest_checkpoint(cur),
            lambda seq, size: read_inclusion_proof(cur, seq, size),
            documents,
        )
    text = orjson.dumps(obj, option=orjson.OPT_INDENT_2) + b"\n"
    if output is None:
        sys.stdout.buffer.write(text)
        return
    output.write_bytes(text)
    size = obj["checkpoint"].split("\n")[1]
    console.print(
        f"{len(obj['entries']) // 2} approved amendments written to {output}, proven in the "
        f"checkpoint of size {size}"
        + (
            f"; {len(obj['documents_missing'])} source documents missing"
            if obj["documents_missing"]
            else ""
        ),
        highlight=False,
    )


@amend_app.command("import")
def import_cmd(
    file: Annotated[Path, typer.Argument(help="A file written by `adaldyq law amend export`.")],
    trust: Annotated[
        Path,
        typer.Option(
            "--trust",
            help="The exporting deployment's public keys (its keys/ledger.pub, or one verifier key "
            "a line).",
        ),
    ],
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Check and show what would be recorded; write nothing."),
    ] = False,
    actor: ActorOption = None,
    authority: AuthorityOption = "law-pack administration",
    overlay: OverlayOption = None,
    data: DataDirOption = None,
    fmt: FormatOption = OutputFormat.text,
) -> None:
    """Record another deployment's approved amendments here as proposals naming their origin, after
    checking its signed checkpoint, the entries' inclusion and the documents' hashes. Each is in force
    here only once a second person here approves it; one imported before is left out."""
    from adaldyq.law.amendment_files import import_drafts, read_amendments
    from adaldyq.law.amendments import store_document
    from adaldyq.ledger import LedgerError, Verifier, append_entries

    law = LawPack.load(overlay=overlay)
    try:
        verifiers = [Verifier.decode(x) for x in trust.read_text().splitlines() if x.strip()]
    except LedgerError as exc:
        raise fail(f"--trust {trust}: not verifier keys: {exc}") from None
    try:
        obj = orjson.loads(file.read_bytes())
    except orjson.JSONDecodeError as exc:
        raise fail(f"{file}: not JSON: {exc}") from None
    carried, documents = read_amendments(obj, verifiers, law)
    who = actor_of(actor, authority)
    rows: list[dict[str, Any]] = []
    if dry_run:
        drafts = import_drafts(carried, _book(law, data), law, who)
    else:
        directory = data_dir(data)
        for content in documents.values():
            store_document(directory, content)
        with _writing(law, data) as (book, cursor):
            drafts = import_drafts(carried, book, law, who)
            for entry in append_entries(cursor, drafts):
                rows.append({"seq": entry.seq, **entry.payload})
    if dry_run:
        rows = [{"seq": None, **d.payload} for d in drafts]
    skipped = len(carried) - len(drafts)
    if printed_for_scripts(
        fmt, {"recorded": rows, "already_imported": skipped, "dry_run": dry_run}, rows
    ):
        return
    verb = "would record" if dry_run else "recorded"
    console.print(
        f"{verb} {len(rows)} proposals from {obj['checkpoint'].splitlines()[0]}"
        f" ({skipped} imported before); each needs a second person here to approve it",
        highlight=False,
    )
    for r in rows:
        i = r["imported"]
        console.print(
            f"  {'#' + str(r['seq']) if r['seq'] is not None else '-'} {r['figure']} = "
            f"{_shown(r['value'])} from {r['valid_from']} (there #{i['proposal']} by "
            f"{i['proposed_by']}, approved #{i['approval']} by {i['approved_by']})",
            highlight=False,
        )
    for name in obj.get("documents_missing") or []:
        console.print(f"the source document {name} was not in the file", highlight=False)
