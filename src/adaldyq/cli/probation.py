"""`adaldyq probation report`: the probation figures (issue 19, seed 004) computed from the ledger's
probation files, as the page `/probation/report/` computes them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from adaldyq.cli._common import (
    Area,
    actor_of,
    console,
    date_option,
    fail,
    printed_for_scripts,
    printed_whole,
    said,
    web_setup,
)
from adaldyq.cli.options import ActorOption, DataDirOption, FormatOption, OutputFormat

app = Area(
    "The probation service: people on probation, programmes, work, aid, repeat offending, electronic monitoring."
)


@app.command()
def report(
    on: Annotated[str | None, typer.Option("--on", help="YYYY-MM-DD (default: today).")] = None,
    data: DataDirOption = None,
    fmt: FormatOption = OutputFormat.text,
) -> None:
    """People on probation (by region), programmes, employed, medical aid, education, repeat
    offences within 1 and 3 years of release."""

    web_setup(data)
    from django.utils import timezone

    from adaldyq.web.release.probation_selectors import report as figures

    day = date_option(on or None) or timezone.localdate()
    found: dict[str, Any] = figures(None, on=day)
    if printed_whole(fmt, found):
        return
    console.print(
        f"on probation after parole or substitution on {found['as_of']}: {found['on_parole']:,}"
    )
    for key in (
        "programmes",
        "employed",
        "medical_aid",
        "education",
        "checkins",
        "overdue_reports",
    ):
        console.print(f"  {key.replace('_', ' '):<20} {found[key]:>8,}")
    for key in ("repeat_1y", "repeat_3y"):
        r = found[key]
        share = (
            "unknown (nobody released that long ago)" if r["share"] is None else f"{r['share']:.1%}"
        )
        console.print(f"  {key:<20} {r['reoffended']:>8,} of {r['released']:,}: {share}")
    # One line a region, within 80 columns: on parole, programmes, employed, medical aid,
    # education, new offences within 1 and 3 years (of the people released that long ago).
    console.print(
        f"  {'region':<18} {'parole':>7} {'progr':>6} {'work':>5} {'aid':>5} {'educ':>5} "
        f"{'again1y':>7} {'again3y':>7}"
    )
    for region, r in found["regions"].items():
        again = [
            "-" if r[k]["share"] is None else f"{r[k]['reoffended']}/{r[k]['released']}"
            for k in ("repeat_1y", "repeat_3y")
        ]
        console.print(
            f"  {region:<18} {r['on_parole']:>7,} {r['programmes']:>6,} {r['employed']:>5,} "
            f"{r['medical_aid']:>5,} {r['education']:>5,} {again[0]:>7} {again[1]:>7}"
        )


# Electronic monitoring (issue 19, ADR 0043): device feeds' tokens and their events.
tokens = Area("Device feeds' tokens: one per feed, shown once, kept as a hash, revocable.")
events = Area("Device events: import a file, anchor each hour in the ledger, verify, sweep.")
app.add_typer(tokens, name="feed-token")
app.add_typer(events, name="events")


@tokens.command("create")
def token_create(
    person: Annotated[str, typer.Option("--person", help="The personal file's number (its id).")],
    device: Annotated[str, typer.Option("--device", help="The device, as its serial number.")],
    actor: ActorOption = None,
    data: DataDirOption = None,
    fmt: FormatOption = OutputFormat.text,
) -> None:
    """Make a device feed for a person on probation and print its token (once: only its hash is kept)."""
    web_setup(data)
    from adaldyq.web.emonitoring.services import feed_create
    from adaldyq.web.records.models import Person

    found = Person.objects.filter(pk=person).first()
    if found is None:
        raise fail(f"no personal file {person!r}")
    feed, token = feed_create(
        officer=actor_of(actor, "adaldyq probation feed-token create"), person=found, device=device
    )
    if printed_whole(
        fmt, {"feed": feed.pk, "person": person, "device": feed.device, "token": token}
    ):
        return
    console.print(f"feed {feed.pk} for {person} ({feed.device}); its token, shown this once:")
    typer.echo(token)


@tokens.command("revoke")
def token_revoke(
    feed: Annotated[str, typer.Argument(help="The feed (F-...).")],
    actor: ActorOption = None,
    data: DataDirOption = None,
) -> None:
    """Refuse a feed's token from now on (its events stay)."""
    web_setup(data)
    from adaldyq.web.emonitoring.models import DeviceFeed
    from adaldyq.web.emonitoring.services import feed_revoke

    found = DeviceFeed.objects.filter(pk=feed).first()
    if found is None:
        raise fail(f"no device feed {feed!r}")
    feed_revoke(officer=actor_of(actor, "adaldyq probation feed-token revoke"), feed=found)
    console.print(f"feed {feed} revoked")


@tokens.command("list")
def token_list(
    person: Annotated[
        str | None, typer.Option("--person", help="Only this person's feeds.")
    ] = None,
    data: DataDirOption = None,
    fmt: FormatOption = OutputFormat.text,
) -> None:
    """Every feed: person, device, the token's first characters, made and revoked by whom, when."""
    web_setup(data)
    from adaldyq.web.emonitoring.models import DeviceFeed

    feeds = DeviceFeed.objects.order_by("created_at", "id")
    if person:
        feeds = feeds.filter(person_id=person)
    rows = [
        {
            "feed": f.pk, "person": f.person_id, "device": f.device, "token": f.token_prefix + "…",
            "created_at": f.created_at.isoformat(), "created_by": f.created_by,
            "revoked_at": f.revoked_at.isoformat() if f.revoked_at else None,
            "revoked_by": f.revoked_by or None,
        }
        for f in feeds
    ]  # fmt: skip
    if printed_for_scripts(fmt, rows, rows):
        return
    for r in rows:
        state = f"revoked {r['revoked_at']} by {r['revoked_by']}" if r["revoked_at"] else "active"
        console.print(
            f"{r['feed']}  {r['person']:<12} {r['device']:<20} {r['token']:<14} "
            f"made {str(r['created_at'])[:16]} by {r['created_by']}  {state}",
            highlight=False,
        )


def _rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """A JSONL file's lines or a CSV file's rows (header: `CSV_COLUMNS`), numbered as a person counts
    them (a CSV's header is row 1)."""
    import csv

    import orjson

    from adaldyq.emonitoring import CSV_COLUMNS

    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(f"{path}: cannot be read as UTF-8 text ({exc.__class__.__name__})") from None
    if path.suffix.lower() == ".csv":
        reader = csv.DictReader(text.splitlines())
        missing = {"feed", "id", "kind", "at"} - set(reader.fieldnames or ())
        unknown = set(reader.fieldnames or ()) - set(CSV_COLUMNS)
        if missing or unknown:
            raise fail(
                f"{path}: the header must name columns of {', '.join(CSV_COLUMNS)}"
                f" (missing: {', '.join(sorted(missing)) or 'none'};"
                f" unknown: {', '.join(sorted(unknown)) or 'none'})"
            )
        return [(n, dict(row)) for n, row in enumerate(reader, start=2)]
    out: list[tuple[int, dict[str, Any]]] = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = orjson.loads(line)
        except orjson.JSONDecodeError:
            raw = None
        out.append((n, raw if isinstance(raw, dict) else {"_line": line[:80]}))
    return out


@events.command("import")
def events_import(
    path: Annotated[Path, typer.Argument(help="JSONL (one event a line, with `feed`) or .csv.")],
    data: DataDirOption = None,
    fmt: FormatOption = OutputFormat.text,
) -> None:
    """Import device events: every row checked, each refused row named, then all rows or none."""
    rows = _rows(path)
    web_setup(data)
    from adaldyq.web.emonitoring.services import ImportRefusedError
    from adaldyq.web.emonitoring.services import events_import as imported

    try:
        result = imported(rows=rows)
    except ImportRefusedError as exc:
        for n, why in exc.refused:
            said(fmt, {"row": n, "problem": why}, f"row {n}: {why}", err=True)
        raise fail(f"{len(exc.refused)} row(s) refused; nothing was imported") from None
    if printed_whole(fmt, result.to_dict()):
        return
    console.print(
        f"{result.accepted:,} events imported, {result.duplicates:,} already there; "
        f"{len(result.opened):,} violations found, {len(result.closed):,} ended"
    )


@events.command("anchor")
def events_anchor(data: DataDirOption = None) -> None:
    """Anchor in the ledger each full hour of events not yet anchored (ingestion does it too)."""
    web_setup(data)
    from django.utils import timezone

    from adaldyq.web.emonitoring.services import digests_anchor

    made = digests_anchor(now=timezone.now())
    for d in made:
        console.print(f"{d.hour.isoformat()}  {d.count:>9,} events  root {d.root}  entry {d.seq}")
    console.print(f"{len(made)} hour(s) anchored")


@events.command("verify")
def events_verify(data: DataDirOption = None, fmt: FormatOption = OutputFormat.text) -> None:
    """Recompute each anchored hour's Merkle root from the stored events; exit 1 on any difference."""
    web_setup(data)
    from adaldyq.web.emonitoring.models import Digest
    from adaldyq.web.emonitoring.services import digests_verify

    faults = digests_verify()
    if not printed_for_scripts(fmt, {"faults": faults}, faults):
        for f in faults:
            console.print(
                f"hour {f['hour']}: stored events differ from the anchor ({f})", highlight=False
            )
        console.print(f"{Digest.objects.count()} hour(s) anchored, {len(faults)} differ")
    if faults:
        raise typer.Exit(1)


@events.command("sweep")
def events_sweep(data: DataDirOption = None) -> None:
    """Find the feeds silent for too long (loss of signal) and end idle violations, as of now."""
    web_setup(data)
    from django.utils import timezone

    from adaldyq.web.emonitoring.services import feeds_sweep

    result = feeds_sweep(now=timezone.now())
    console.print(f"{len(result.opened)} violation(s) found, {len(result.closed)} ended")
