"""`adaldyq ledger ...`: append, import, verify, checkpoint, prove, export and witness the ledger."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer
from rich.table import Table

from adaldyq.cli._common import (
    Area,
    actor_of,
    console,
    data_dir,
    database_url,
    dumps,
    err_console,
    existing_data_dir,
    key_values,
    printed_whole,
    progress_bar,
)
from adaldyq.cli.options import (
    ActorOption,
    AuthorityOption,
    DataDirOption,
    FormatOption,
    OutputFormat,
)
from adaldyq.ledger import Actor, Draft, Ledger, MalformedEntryError, StoreSource, verify_source
from adaldyq.ledger.bundle import Bundle, export_bundle
from adaldyq.ledger.checkpoint import Checkpoint, Signer, Verifier, split_note
from adaldyq.ledger.errors import LedgerError, StoreError, WitnessAlarmError
from adaldyq.ledger.keys import (
    DEFAULT_ORIGIN,
    create_signer,
    key_change_draft,
    load_signer,
    load_verifiers,
    require_signer,
    save_new_signer,
)
from adaldyq.ledger.signer import GuardedSigner, SignerRefusalError
from adaldyq.ledger.tiles import TilesSource, export_tiles, is_tiles, verify_tiles
from adaldyq.ledger.verify import Report
from adaldyq.ledger.witness import LedgerLogSource, Witness
from adaldyq.ledger.witness_protocol import Cosigning, ProtocolWitness
from adaldyq.ledger.witness_protocol import serve as witness_server

app = Area("The tamper-evident ledger: append facts, sign checkpoints, prove, verify, witness.")


SubjectOption = Annotated[str, typer.Option("--subject", help="Person or institution id.")]
WitnessStateOption = Annotated[
    Path, typer.Option("--state", envvar="ADALDYQ_WITNESS_DIR", help="The witness's folder.")
]
WitnessNameOption = Annotated[str, typer.Option("--name", help="Witness key name, on first run.")]


@contextmanager
def _ledger(directory: Path, *, create: bool = True) -> Iterator[Ledger]:
    with Ledger.open(database_url(directory), create=create) as ledger:
        yield ledger


@contextmanager
def _progress(label: str, total: int | None) -> Iterator[Callable[[int], None]]:
    if not err_console.is_terminal or total == 0:
        yield lambda _n: None
        return
    with progress_bar(label, remaining=True) as progress:
        task = progress.add_task(label, total=total)
        yield lambda n: progress.advance(task, n)


def _print(obj: Any, fmt: OutputFormat, text: str) -> None:
    if fmt is OutputFormat.text:
        console.print(text, highlight=False, soft_wrap=True)
    else:
        print(dumps(obj))


def _json_object(text: str | bytes, what: str) -> dict[str, Any]:
    try:
        obj = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise MalformedEntryError(f"{what} is not JSON: {exc}") from None
    if not isinstance(obj, dict):
        raise MalformedEntryError(f"{what} must be a JSON object")
    return obj


@app.command()
def append(
    subject: SubjectOption,
    type_: Annotated[str, typer.Option("--type", help="Fact type, e.g. incentive.")],
    payload: Annotated[str, typer.Option("--payload", help="The fact as a JSON object.")],
    actor: ActorOption = None,
    authority: AuthorityOption = "command line",
    corrects: Annotated[
        int | None, typer.Option("--corrects", help="Sequence number this entry corrects.")
    ] = None,
    reason: Annotated[str | None, typer.Option("--reason", help="Why (for a correction).")] = None,
    data: DataDirOption = None,
    fmt: FormatOption = OutputFormat.text,
) -> None:
    """Append one entry; print its sequence number once it is durable."""
    draft = Draft(
        actor=actor_of(actor, authority),
        subject=subject,
        type=type_,
        payload=_json_object(payload, "--payload"),
        corrects=corrects,
        reason=reason,
    )
    with _ledger(data_dir(data)) as ledger:
        entry = ledger.append(draft)
    _print(entry.to_json(), fmt, str(entry.seq))


def _draft_from_line(obj: dict[str, Any], default: Actor) -> Draft:
    actor = default
    if "actor" in obj:
        given = obj["actor"]
        if not isinstance(given, dict):
            raise MalformedEntryError("actor must be an object with id and authority")
        actor = Actor(given.get("id", ""), given.get("authority", ""))
    return Draft(
        actor=actor,
        subject=obj.get("subject", ""),
        type=obj.get("type", ""),
        payload=obj.get("payload", {}),
        schema=obj.get("schema", 1),
        corrects=obj.get("corrects"),
        reason=obj.get("reason"),
    )


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="JSON lines: {subject, type, payload[, actor]}.")],
    batch: Annotated[int, typer.Option("--batch", help="Entries per transaction.")] = 50_000,
    actor: ActorOption = None,
    authority: AuthorityOption = "command line import",
    data: DataDirOption = None,
    fmt: FormatOption = OutputFormat.text,
) -> None:
    """Append every line of a JSON-lines file, in batches, with a progress bar."""
    default = actor_of(actor, authority)
    total_bytes = file.stat().st_size
    first = last = None
    count = 0
    with (
        _ledger(data_dir(data)) as ledger,
        ledger.bulk() as add,
        _progress("importing", total_bytes) as advance,
    ):
        drafts: list[Draft] = []
        done = 0
        with file.open("rb") as lines:
            for number, line in enumerate(lines, 1):
                done += len(line)
                if not line.strip():
                    continue
                try:
                    drafts.append(_draft_from_line(_json_object(line, "line"), default))
                except MalformedEntryError as exc:
                    raise MalformedEntryError(
                        f"{file}:{number}: {exc} ({count} entries imported before it)"
                    ) from None
                if len(drafts) >= batch:
                    seq, added = add(drafts)
                    first = seq if first is None else first
                    last, count, drafts = seq + added - 1, count + added, []
                    advance(done)
                    done = 0
            if drafts:
                seq, added = add(drafts)
                first = seq if first is None else first
                last, count = seq + added - 1, count + added
            advance(done)
    result = {"imported": count, "first_seq": first, "last_seq": last}
    _print(result, fmt, f"imported {count} entries" + (f" ({first}..{last})" if count else ""))


def _report_json(report: Report) -> dict[str, Any]:
    first = report.first
    return {
        "ok": report.ok,
        "size": report.size,
        "entries_checked": report.entries_checked,
        "checkpoints_checked": report.checkpoints_checked,
        "root_hash": report.root.hex() if report.ok else None,
        "first_bad_seq": first.seq if first else None,
        "fault": str(first) if first else None,
        "faults": [{"seq": f.seq, "message": f.message} for f in report.faults],
    }


#: The result of the last full verification of the data folder's ledger (the dashboards' health
#: panel reads it): DATA_DIR/verify/last.json.
LAST_VERIFICATION = Path("verify") / "last.json"


def _remember_verification(directory: Path, report: Report) -> None:
    """Keep the result of a full verification of the database's ledger, replacing the previous one."""
    target = directory / LAST_VERIFICATION
    target.parent.mkdir(parents=True, exist_ok=True)
    record = {"at": datetime.now(UTC).isoformat(timespec="seconds"), **_report_json(report)}
    record["faults"] = record["faults"][:20]
    tmp = target.with_suffix(".tmp")
    tmp.write_bytes(orjson.dumps(record))
    tmp.replace(target)


def _verify_tiles(directory: Path, fmt: OutputFormat) -> None:
    """`verify --bundle` of a tlog-tiles folder: only the folder and its keys.txt."""
    keys = TilesSource(directory).verifiers()
    if not keys:
        raise StoreError(f"no keys.txt in {directory}: the log's public key is needed")
    size = Checkpoint.parse(split_note((directory / "checkpoint").read_text())[0]).size
    try:
        with _progress("verifying", size) as advance:
            head = verify_tiles(directory, keys, progress=advance)
    except LedgerError as exc:  # a fault in the folder: exit 1, as for the database
        if not printed_whole(fmt, {"ok": False, "fault": str(exc), "layout": "tiles"}):
            err_console.print(f"[bold red]FAULT[/] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    if not printed_whole(
        fmt, {"ok": True, "size": head.size, "root": head.root.hex(), "layout": "tiles"}
    ):
        console.print(
            f"[green]ok[/]: {head.size} entries in tiles, signed checkpoint, root {head.root.hex()}",
            highlight=False,
        )


@app.command()
def verify(
    bundle: Annotated[
        Path | None, typer.Option("--bundle", help="Check an exported bundle (no database).")
    ] = None,
    data: DataDirOption = None,
    fmt: FormatOption = OutputFormat.text,
) -> None:
    """Recompute every hash, the tree and every checkpoint signature; exit 1 on any fault."""
    if bundle is not None and is_tiles(bundle):
        _verify_tiles(bundle, fmt)
        return
    if bundle is not None:
        with Bundle(bundle) as source, _progress("verifying", source.size()) as advance:
            keys = source.verifiers()
            report = verify_source(source, keys[0] if keys else None, progress=advance)
    else:
        directory = existing_data_dir(data)
        keys = load_verifiers(directory)
        with _ledger(directory, create=False) as ledger, ledger.reading() as cursor:
            store = StoreSource(cursor, url=ledger.url)
            with _progress("verifying", store.size()) as advance:
                report = verify_source(store, keys[0] if keys else None, progress=advance)
        _remember_verification(directory, report)
    if fmt is not OutputFormat.text:
        print(dumps(_report_json(report)))
    elif report.ok:
        console.print(
            f"[green]ok[/]: {report.size} entries, {report.checkpoints_checked} signed "
            f"checkpoints, root {report.root.hex()}",
            highlight=False,
        )
    else:
        first = report.first
        where = f"first bad entry: {first.seq}: " if first and first.seq is not None else ""
        err_console.print(
            f"[bold red]FAULT[/] {where}{first.message if first else ''}",
            highlight=False,
            soft_wrap=True,
        )
    if not report.ok:
        raise typer.Exit(1)


@app.command("migrate-tiles")
def migrate_tiles(data: DataDirOption = None, fmt: FormatOption = OutputFormat.text) -> None:
    """Convert a ledger that keeps its tree as one row per node into tiles (ADR 0046), verifying
    first: every entry against its hash, the tiles against the node rows and every checkpoint's
    root and signature; the node rows are dropped only then, all in one transaction. A ledger
    already in tiles is left as it is; any fault converts nothing and exits non-zero."""
    from adaldyq.ledger.migrate import convert_to_tiles

    directory = existing_data_dir(data)
    verifiers = load_verifiers(directory)
    with _ledger(directory, create=False) as ledger:
        total = ledger.size()
        with ledger.transaction() as cursor, _progress("converting", total) as advance:
            done = convert_to_tiles(cursor, ledger.dialect, verifiers, progress=advance)
    if done is None:
        _print(
            {"converted": False, "size": total}, fmt, "the ledger keeps its tree as tiles already"
        )
        return
    _print(
        {
            "converted": True,
            "size": done.size,
            "tiles": done.tiles,
            "checkpoints_checked": done.checkpoints,
            "root_hash": done.root.hex(),
            "seconds": round(done.seconds, 2),
        },
        fmt,
        f"converted {done.size} entries into {done.tiles} full tiles in {done.seconds:.1f} s; "
        f"{done.checkpoints} signed checkpoints match, root {done.root.hex()}",
    )


StateOption = Annotated[
    Path | None,
    typer.Option(
        "--state",
        envvar="ADALDYQ_SIGNER_STATE",
        help="The signer's state folder (the last tree it signed); default DATA_DIR/signer. In "
        "production a folder of the signer's own user.",
    ),
]


def _guarded(directory: Path, state: Path | None) -> GuardedSigner:
    return GuardedSigner(require_signer(directory), state or directory / "signer")


@app.command("key-create")
def key_create(
    origin: Annotated[
        str, typer.Option("--origin", help="The log's name, written into every checkpoint.")
    ] = DEFAULT_ORIGIN,
    data: DataDirOption = None,
) -> None:
    """Make the ledger's signing key, once (nothing else ever makes one; rotate with rotate-key)."""
    directory = data_dir(data)
    signer = create_signer(directory, origin)
    console.print(
        f"created signing key {signer.verifier.encode()}", highlight=False, soft_wrap=True
    )


@app.command()
def checkpoint(
    state: StateOption = None,
    data: DataDirOption = None,
    fmt: FormatOption = OutputFormat.text,
) -> None:
    """Sign the current tree head (if it grew and extends the last signed one) and print the
    newest checkpoint."""
    directory = data_dir(data)
    guarded = _guarded(directory, state)
    with _ledger(directory) as ledger:
        signed = guarded.sign(ledger)
        note = signed.note if signed else ledger.latest_checkpoint()
    if note is None:
        raise StoreError("the ledger is empty: nothing to sign")
    if fmt is OutputFormat.text:
        sys.stdout.write(note)
    else:
        print(dumps({"checkpoint": note}))


@app.command()
def sign(
    every: Annotated[
        float,
        typer.Option(
            "--every",
            min=0,
            help="Seconds between rounds; each round signs only if the tree grew. 0: one round.",
        ),
    ] = 0,
    state: StateOption = None,
    witness_urls: Annotated[
        list[str] | None,
        typer.Option(
            "--witness",
            help="A witness's add-checkpoint URL (C2SP tlog-witness; repeat for several): each new "
            "checkpoint is sent to it and its cosignature kept in DATA_DIR/cosigned.",
        ),
    ] = None,
    data: DataDirOption = None,
    fmt: FormatOption = OutputFormat.text,
) -> None:
    """Sign the tree head when entries are not yet covered by a checkpoint; with --every, keep doing so.

    `adaldyq web serve` and `adaldyq demo` start `adaldyq ledger sign --every 60` as a process of its
    own, so that the key is used outside the web workers and a recorded decision is covered by a
    signed checkpoint within a minute. The signer signs only a tree that extends the last one it
    signed (its state folder, `--state`); anything else is an ALARM and nothing is signed
    (adaldyq.ledger.signer).
    """
    directory = existing_data_dir(data)
    guarded = (
        None if every else _guarded(directory, state)
    )  # once: a missing key is one line, exit 2
    cosigning = Cosigning(directory / "cosigned", list(witness_urls or []))
    with _ledger(directory, create=False) as ledger:
        while True:
            try:
                # beside a server, a data folder without its key yet (`key-create`) is said each round
                # and waited for: the server runs, and /verify says the checkpoint is overdue
                guarded = guarded or _guarded(directory, state)
                signed = guarded.sign(ledger)
            except SignerRefusalError as exc:  # never signed; said every round until someone looks
                if not every:
                    raise
                err_console.print(f"[bold red]ALARM[/] {exc}", highlight=False, soft_wrap=True)
                signed = None
            except (
                Exception
            ) as exc:  # a round that fails (the database busy, restarting) is retried
                if not every:
                    raise
                err_console.print(f"error: {exc}", highlight=False, soft_wrap=True)
                signed = None
            if signed is not None:
                _print(
                    {"checkpoint": signed.note, "size": signed.size},
                    fmt,
                    f"signed the tree of {signed.size} entries",
                )
                sys.stdout.flush()
            for line in cosigning.round(ledger):  # the witnesses, whether or not this round signed
                err_console.print(line, highlight=False, soft_wrap=True)
            if not every:
                return
            try:
                time.sleep(every)
            except KeyboardInterrupt:  # Ctrl-C on the server's terminal reaches its signer too
                return


@app.command("witness-serve")
def witness_serve(
    state: WitnessStateOption,
    log_key: Annotated[
        list[str] | None,
        typer.Option("--log-key", help="A log public key to trust (repeat; kept in the folder)."),
    ] = None,
    name: WitnessNameOption = "witness.adaldyq",
    host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535)] = 8700,
    prefix: Annotated[str, typer.Option("--prefix", help="URL prefix of add-checkpoint.")] = "",
) -> None:
    """Serve a witness over HTTP (C2SP tlog-witness: POST PREFIX/add-checkpoint), apart from the log:
    its own process, folder and, ideally, machine. Prints its public key, then serves until stopped."""
    observer = ProtocolWitness(state, name=name)
    for key in log_key or []:
        observer.trust(Verifier.decode(key))
    server = witness_server(observer, host, port, prefix)
    console.print(
        f"witness {observer.verifier.encode()} on http://{host}:{server.server_address[1]}"
        f"{prefix.rstrip('/')}/add-checkpoint",
        highlight=False,
        soft_wrap=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@app.command("rotate-key")
def rotate_key(
    actor: ActorOption = None,
    authority: AuthorityOption = "command line",
    data: DataDirOption = None,
) -> None:
    """Make a new signing key, hand over to it with a key-change entry signed by both."""
    directory = data_dir(data)
    old = load_signer(directory)
    if old is None:
        raise StoreError("no signing key yet: run `adaldyq ledger key-create` first")
    new = Signer.generate(old.name)
    with _ledger(directory) as ledger:
        entry = ledger.append(key_change_draft(old, new, actor_of(actor, authority)))
        save_new_signer(directory, new)
        ledger.sign_checkpoint(new)
    console.print(
        f"key changed at entry {entry.seq}: {new.verifier.encode()}",
        highlight=False,
        soft_wrap=True,
    )


@app.command()
def prove(
    seq: Annotated[int | None, typer.Argument(help="Entry to prove included.")] = None,
    from_: Annotated[
        int | None, typer.Option("--from", help="Prove consistency from this tree size.")
    ] = None,
    size: Annotated[
        int | None, typer.Option("--size", help="Tree size to prove against (default: current).")
    ] = None,
    data: DataDirOption = None,
) -> None:
    """Inclusion proof of entry SEQ, or consistency proof --from SIZE, as JSON."""
    if (seq is None) == (from_ is None):
        raise StoreError("give either SEQ (inclusion) or --from SIZE (consistency)")
    with _ledger(existing_data_dir(data), create=False) as ledger:
        if seq is not None:
            proof: Any = ledger.inclusion_proof(seq, size)
        else:
            assert from_ is not None  # noqa: S101 - checked above
            proof = ledger.consistency_proof(from_, size)
        result = proof.to_json()
        result["checkpoint"] = ledger.latest_checkpoint()
    print(dumps(result))


@app.command()
def export(
    directory: Annotated[Path, typer.Argument(help="Folder to write the log to.")],
    layout: Annotated[
        str,
        typer.Option(
            "--layout",
            help="tiles: C2SP tlog-tiles (checkpoint, tile/..., tile/entries/...), servable by any "
            "web server and re-exportable into the same folder; bundle: the older entries.jsonl form.",
        ),
    ] = "tiles",
    data: DataDirOption = None,
    fmt: FormatOption = OutputFormat.text,
) -> None:
    """Write the log (its newest signed tree) to a folder that `verify --bundle` and `witness --bundle`
    read offline, with the public keys beside it (keys.txt)."""
    if layout not in ("tiles", "bundle"):
        raise StoreError(f"--layout is tiles or bundle, not {layout!r}")
    source_dir = existing_data_dir(data)
    verifiers = load_verifiers(source_dir)
    with _ledger(source_dir, create=False) as ledger, ledger.reading() as cursor:
        total = StoreSource(cursor).size()
        with _progress("exporting", total) as advance:
            if layout == "tiles":
                size = export_tiles(cursor, directory, progress=advance)
                (directory / "keys.txt").write_text("".join(v.encode() + "\n" for v in verifiers))
            else:
                size = export_bundle(cursor, directory, verifiers, progress=advance)
    _print(
        {"directory": str(directory), "layout": layout, "size": size},
        fmt,
        f"exported {size} entries to {directory} ({layout})",
    )


@app.command()
def witness(
    state: WitnessStateOption,
    bundle: Annotated[
        Path | None,
        typer.Option("--bundle", help="Read the log from an exported folder (tiles or bundle)."),
    ] = None,
    log_key: Annotated[
        str | None, typer.Option("--log-key", help="Ledger public key to trust (pinned once).")
    ] = None,
    name: WitnessNameOption = "witness.adaldyq",
    data: DataDirOption = None,
    fmt: FormatOption = OutputFormat.text,
) -> None:
    """Check the newest checkpoint against what this witness saw before; cosign it or alarm."""
    directory = existing_data_dir(data) if bundle is None else None  # before the state is made
    observer = Witness(state, name=name)
    if log_key is not None and not observer.pinned():
        observer.pin(Verifier.decode(log_key))
    try:
        if bundle is not None and is_tiles(bundle):
            result = observer.update(TilesSource(bundle))
        elif bundle is not None:
            with Bundle(bundle) as source:
                result = observer.update(source)
        else:
            assert directory is not None  # noqa: S101
            with _ledger(directory, create=False) as ledger:
                result = observer.update(LedgerLogSource(ledger, load_verifiers(directory)))
    except WitnessAlarmError as exc:
        if fmt is OutputFormat.text:
            err_console.print(f"[bold red]{exc}[/]", highlight=False, soft_wrap=True)
        else:
            print(dumps({"ok": False, "alarm": str(exc), "first_bad_seq": exc.seq}))
        raise typer.Exit(1) from None
    obj = {
        "ok": True,
        "old_size": result.old_size,
        "new_size": result.new_size,
        "checkpoint": result.note,
    }
    if fmt is OutputFormat.text:
        err_console.print(
            f"consistent: {result.old_size} -> {result.new_size} entries; cosigned",
            highlight=False,
            soft_wrap=True,
        )
        sys.stdout.write(result.note)
    else:
        print(dumps(obj))


@app.command()
def show(
    subject: SubjectOption,
    data: DataDirOption = None,
    fmt: FormatOption = OutputFormat.text,
) -> None:
    """Every entry about one subject, corrections included (--format jsonl: the entries' own bytes)."""
    with _ledger(existing_data_dir(data), create=False) as ledger:
        entries = ledger.entries_by_subject(subject)
    if fmt is OutputFormat.json:
        print(dumps([e.to_json() for e in entries]))
    elif fmt is OutputFormat.jsonl:
        for e in entries:
            sys.stdout.write(e.body.decode() + "\n")
    else:
        table = Table(title=f"{subject}: {len(entries):,} entries", show_lines=False)
        table.add_column("seq", justify="right", no_wrap=True)
        table.add_column("recorded", no_wrap=True)
        table.add_column("by", no_wrap=True)
        table.add_column("type", overflow="fold")
        table.add_column("what", overflow="fold", ratio=1)
        for e in entries:
            what = key_values(e.payload)
            if e.draft.corrects is not None:
                what = f"corrects #{e.draft.corrects} ({e.draft.reason}): {what}"
            table.add_row(str(e.seq), e.recorded_at[:10], e.draft.actor.id, e.type, what)
        console.print(table)
