"""`adaldyq oversight ...`: the register of departures from the law, its score and its export."""

from __future__ import annotations

import contextlib
import enum
import functools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from adaldyq.cli._common import (
    Area,
    console,
    database_url,
    date_option,
    dumps,
    err_console,
    existing_data_dir,
    fail,
    key_values,
    printed_for_scripts,
    printed_whole,
    progress_bar,
    web_setup,
)
from adaldyq.cli.options import DataDirOption, FormatOption, OutputFormat

app = Area("Oversight: where recorded decisions and visits depart from the law, with evidence.")

KindOption = Annotated[
    str | None, typer.Option("--kind", help="Only flags of this kind (see `flags --help`).")
]
InstitutionOption = Annotated[
    str | None, typer.Option("--institution", help="Only flags of this institution (code).")
]
OnOption = Annotated[
    str | None,
    typer.Option("--on", help="Review date, YYYY-MM-DD (default: the latest fact in the ledger)."),
]
OverlayOption = Annotated[
    str | None,
    typer.Option(
        "--overlay",
        help="Law-pack overlay: 'demo' for the illustrative figures (confidence D), 'none' for the "
        "law alone (default: demo in a demo data folder, else none).",
    ),
]
AllOption = Annotated[
    bool,
    typer.Option(
        "--all",
        help="Leads too (single events that matter only as part of a pattern, such as one penalty "
        "just before a qualification); by default findings and the patterns that stand out.",
    ),
]
OfficerOption = Annotated[
    str | None,
    typer.Option("--officer", help="Only flags of this officer (a pattern's leads: with --all)."),
]
DaysOption = Annotated[
    int,
    typer.Option("--days", help="Threshold in days for grounds, delays, penalties, unsupported."),
]


class ExportFormat(enum.StrEnum):
    """File formats of the exported register."""

    csv = "csv"
    xlsx = "xlsx"


@contextlib.contextmanager
def _register(
    data: Path | None, on: str | None, overlay: str | None, days: int, show_progress: bool
) -> Iterator[Any]:
    from adaldyq.law import LawPack
    from adaldyq.ledger import Ledger
    from adaldyq.oversight import Thresholds
    from adaldyq.oversight.checkpoint import checkpointed
    from adaldyq.oversight.sources import other_flags
    from adaldyq.web.institutions.register import institution_types, read_sites

    directory = existing_data_dir(data)
    if overlay is None:
        overlay = "demo" if (directory / "demo.json").exists() else "none"
    law = LawPack.load(overlay=None if overlay == "none" else overlay)
    review_on = date_option(on or None)
    thresholds = Thresholds(
        grounds_days=days, delay_days=days, penalty_window_days=days, unsupported_days=days
    )
    url = database_url(directory)
    saved = directory / "oversight" / "review.duckdb"

    def building(why: str) -> None:
        err_console.print(
            f"reviewing every file ({why}; the review is saved in {saved} for the next run)",
            highlight=False,
        )

    with Ledger.open(url, create=False) as ledger, ledger.reading() as cursor:
        sites = read_sites(cursor)
        types = institution_types(sites)
        review = functools.partial(
            checkpointed, cursor, saved, law=law, register=types, on=review_on,
            thresholds=thresholds, url=url,
        )  # fmt: skip
        if not show_progress or not err_console.is_terminal:
            reg, _ = review()
        else:
            with progress_bar("reviewing files") as bar:
                task = bar.add_task("review", total=None)

                def advance(done: int, total: int) -> None:
                    bar.update(task, completed=done, total=total)

                reg, _ = review(progress=advance, before_build=building)
        reg.add_flags(other_flags(cursor, sites=sites, on=reg.on))
    try:
        yield reg
    finally:
        reg.close()


def _cell(value: Any) -> str:
    if isinstance(value, list | tuple):
        return " ".join(str(v) for v in value)
    if isinstance(value, dict):
        return dumps(value)
    return "" if value is None else str(value)


def _evidence(seqs: Any, shown: int = 3) -> str:
    """The first ledger entries of the evidence, and how many more (`--format jsonl` lists them all)."""
    seqs = list(seqs)
    head = " ".join(f"#{s}" for s in seqs[:shown])
    return head + (f" +{len(seqs) - shown}" if len(seqs) > shown else "")


@app.command()
def flags(
    kind: KindOption = None,
    institution: InstitutionOption = None,
    officer: OfficerOption = None,
    every: AllOption = False,
    output: FormatOption = OutputFormat.text,
    on: OnOption = None,
    overlay: OverlayOption = None,
    days: DaysOption = 30,
    data: DataDirOption = None,
    kept: Annotated[
        bool,
        typer.Option(
            "--kept",
            help="Read the register `adaldyq oversight keep` keeps (as of today, up to the ledger's "
            "latest entry) instead of computing it: --format jsonl only (ADR 0036).",
        ),
    ] = False,
) -> None:
    """Findings and patterns (with --all, leads too): class, kind, person, institution, officer, date,
    evidence entries, rule, computed now. A finding names its person; a pattern its officer or
    institution, with the exact test behind it (ADR 0025)."""
    from adaldyq.oversight import CLASSES
    from adaldyq.oversight.sources import all_flag_kinds

    known = all_flag_kinds()
    if kind is not None and kind not in known:
        raise fail(f"--kind: unknown kind {kind!r}; one of {', '.join(sorted(known))}")
    if kept:
        if output is not OutputFormat.jsonl or on is not None or days != 30:
            raise fail("--kept: only with --format jsonl, without --on and --days")
        wanted = None if every or kind is not None else {"finding", "pattern"}
        for kept_row in _kept_rows(data):
            if (
                (wanted is None or kept_row["class"] in wanted)
                and (kind is None or kept_row["kind"] == kind)
                and (institution is None or kept_row["institution"] == institution)
                and (officer is None or kept_row["officer"] == officer)
            ):
                typer.echo(dumps(kept_row))
        return
    with _register(data, on, overlay, days, output is OutputFormat.text) as reg:
        # a kind asked for by name is shown whatever its class
        classes = None if every or kind is not None else {"finding", "pattern"}
        found = reg.flags(kind=kind, institution=institution, classes=classes)
        if officer is not None:
            found = [f for f in found if f.officer == officer]
        if output is OutputFormat.jsonl:
            for f in found:
                typer.echo(dumps(f.to_dict()))
            return
        if output is OutputFormat.json:
            payload = {
                "on": reg.on,
                "flags": [f.to_dict() for f in found],
                "not_determinable": reg.not_determinable(),
                "delays": reg.delays(),
            }
            typer.echo(dumps(payload))
            return
        table = Table(title=f"{len(found):,} flags as of {reg.on}", show_lines=False)
        found.sort(key=lambda f: CLASSES.index(f.flag_class))  # findings, patterns, then leads
        table.add_column("class", no_wrap=True)
        # the identifying columns keep their width; the detail, a line of what is left, only on a wide
        # terminal (all of it: --format json)
        wide = console.width >= 110
        table.add_column("kind", overflow="fold", min_width=14)
        for name in ("person", "institution" if wide else "inst.", "officer", "on"):
            table.add_column(name, no_wrap=True)
        table.add_column("evidence", overflow="fold", min_width=8)
        if wide:
            table.add_column(
                "detail", overflow="ellipsis", no_wrap=True, max_width=console.width - 90
            )
        for f in found[:500]:
            row = [
                f.flag_class, f.kind, f.person, f.institution, f.officer, _cell(f.on),
                _evidence(f.evidence),
            ]  # fmt: skip
            table.add_row(*row, *([key_values(f.detail, nested=False)] if wide else []))
        console.print(table)
        if len(found) > 500:
            console.print(f"(first 500 of {len(found):,}; --format jsonl for all)")
        counts: dict[tuple[str, str], int] = {}
        for f in found:
            counts[f.flag_class, f.kind] = counts.get((f.flag_class, f.kind), 0) + 1
        for (cls, name), n in sorted(
            counts.items(), key=lambda c: (CLASSES.index(c[0][0]), c[0][1])
        ):
            console.print(f"{cls} {name}: {n:,}", highlight=False)
        if classes is not None:
            hidden = len(reg.flags(institution=institution, classes={"lead"}))
            console.print(
                f"leads not shown: {hidden:,} (each reached from its pattern: --kind KIND --officer "
                "OFFICER --all; every one: --all)",
                highlight=False,
            )
        nd = reg.not_determinable()
        console.print(
            f"not determinable (figure missing from the law pack): {nd['decisions']:,} decisions, "
            f"{nd['visits']:,} visits; files not reviewed: {nd['people_not_reviewed']:,}",
            highlight=False,
        )


@app.command()
def score(
    planted: Annotated[Path, typer.Option("--planted", help="DIR/planted.jsonl of the demo.")],
    output: FormatOption = OutputFormat.text,
    on: OnOption = None,
    overlay: OverlayOption = None,
    days: DaysOption = 30,
    data: DataDirOption = None,
) -> None:
    """Precision and recall of each kind of flag against the demo's planted abuses."""
    from adaldyq.oversight import read_planted, score_classes
    from adaldyq.oversight import score as score_flags

    abuses = read_planted(planted)
    with _register(data, on, overlay, days, output is OutputFormat.text) as reg:
        every = reg.flags()
        scores = score_flags(every, abuses)
        by_class = score_classes(every, abuses)
    rows = [c.to_dict() for c in by_class] + [s.to_dict() for s in scores]
    if printed_for_scripts(output, rows, rows):
        return
    table = _score_table(f"flags against {len(abuses):,} planted abuses", "kind")
    for s in scores:
        table.add_row(s.kind, *_score_cells(s))
    console.print(table)
    apart = _score_table(
        "findings (person level) and patterns (officer, institution) apart",
        "class",
        "planted, only a lead",
    )
    for c in by_class:
        leads = f"{c.leads_only:,}" if c.flag_class == "finding" else ""
        apart.add_row(c.flag_class, *_score_cells(c), leads)
    console.print(apart)


def _score_table(title: str, what: str, *more: str) -> Table:
    """A table of scores against the planted abuses: `what` is scored, then the counts and rates."""
    table = Table(title=title)
    table.add_column(what, justify="left")
    for name in ("planted", "found", "flags", "recall", "precision", *more):
        table.add_column(name, justify="right")
    return table


def _score_cells(s: Any) -> tuple[str, ...]:
    """Planted, found, flags, recall and precision as the score tables print them."""
    rates = ("-" if r is None else f"{r:.1%}" for r in (s.recall, s.precision))
    return (f"{s.planted:,}", f"{s.found:,}", f"{s.flags:,}", *rates)


class ExportLanguage(enum.StrEnum):
    """Languages the exported register is written in."""

    kk = "kk"
    ru = "ru"
    en = "en"


def _web_words(directory: Path) -> None:
    """Load the web application's translations (the register's words live in its catalogues)."""
    from django.apps import apps

    if not apps.ready:
        web_setup(directory, migrate=False)


def _kept_rows(data: Path | None) -> list[dict[str, Any]]:
    """The flags of the kept register, when it includes every entry that could change it."""
    from django.apps import apps

    if not apps.ready:  # Django configured already (a test, a caller's process): its database
        web_setup(existing_data_dir(data), migrate=False)
    from adaldyq.web.decisions.register_state import changes_since, register_state

    state = register_state()
    if state is None:
        raise fail("--kept: no kept register in this data folder (run `adaldyq oversight keep`)")
    behind = changes_since(state["upto"])
    if behind:
        raise fail(f"--kept: the kept register lacks the ledger's {behind:,} newest entries")
    from adaldyq.oversight.register import Flag, sorted_flags

    # in the computed register's order (its own flags and the other sources' sorted together)
    rows = [Flag.from_dict(r) for r in (*state["flags"], *state["other"])]
    return [f.to_dict() for f in sorted_flags(rows)]


@app.command()
def keep(
    every: Annotated[
        float, typer.Option("--every", help="Seconds between looks at the ledger (default 1).")
    ] = 1.0,
    once: Annotated[
        bool, typer.Option("--once", help="Bring it up to date once, then stop.")
    ] = False,
    data: DataDirOption = None,
) -> None:
    """Keep the deviation register up to date for the web's register page: build it once, then after
    each new entry review again only the files with new entries, and store the flags with the ledger
    entry they include (ADR 0036). Run it beside the web (a systemd service, as the signer)."""
    import time

    web_setup(existing_data_dir(data))
    from django.core.cache import cache

    from adaldyq.web.decisions.register_state import (
        BUILDING_HEARTBEAT,
        HEARTBEAT,
        KEEPER_NICENESS,
        KEEPER_PACE,
        MANY_CHANGES,
        RegisterKeeper,
        changes_since,
        ledger_size,
    )

    with contextlib.suppress(AttributeError, OSError):  # os.nice: not on every system
        os.nice(KEEPER_NICENESS)
    keeper = RegisterKeeper()
    done = -1
    alive = max(30.0, 3 * every)  # the heartbeat's life, set again each third of it
    beat = -alive

    def heartbeat(timeout: float) -> None:
        nonlocal beat
        cache.set(HEARTBEAT, time.time(), timeout=timeout)
        beat = time.monotonic() if timeout == alive else -alive

    def building() -> None:
        heartbeat(BUILDING_HEARTBEAT)  # a build: minutes on a national ledger

    try:
        while True:
            if time.monotonic() - beat >= alive / 3:
                heartbeat(alive)
            size = ledger_size()
            pause = every
            new = -1 if done < 0 else changes_since(done - 1) if size != done else 0
            if new:
                if new < 0 or new > MANY_CHANGES:
                    building()
                used = time.process_time()
                state = keeper.step(building=building)
                spent = time.process_time() - used
                if beat < 0:  # the heartbeat of a build: the usual one again
                    heartbeat(alive)
                done = state["upto"] + 1
                # at most a 1 / (1 + KEEPER_PACE) share of a core, however dear a refresh is (a
                # build, once a day, is not paced)
                pause = every if state["rebuilt"] else max(every, KEEPER_PACE * spent)
                how = "built" if state["rebuilt"] else "refreshed"
                console.print(
                    f"register {how} up to entry {done:,}: {len(state['flags']):,} flags in "
                    f"{state['seconds']:.2f} s ({spent:.2f} s of CPU)",
                    highlight=False,
                )
            else:
                done = size  # only the record of who read what: nothing to review
            if once:
                return
            time.sleep(pause)
    except KeyboardInterrupt:
        return
    finally:
        keeper.close()


@app.command()
def figures(data: DataDirOption = None, fmt: FormatOption = OutputFormat.text) -> None:
    """Compute the dashboards' figures at the newest signed checkpoint (the read models' counts and
    the register's rates), once: the pages then read them. Run it after each checkpoint (ADR 0032)."""
    import time

    web_setup(data)
    from adaldyq.web.dashboards import selectors

    started = time.perf_counter()
    size = selectors.checkpoint()
    found = selectors.scoped(selectors.figures(size=size), None)
    seconds = time.perf_counter() - started
    national = {m: {"n": n, "k": k} for m, (n, k) in found["national"].items()}
    if printed_whole(fmt, {"checkpoint": size, "seconds": round(seconds, 2), "national": national}):
        return
    console.print(f"figures at the checkpoint of {size:,} entries ({seconds:.1f} s):")
    for measure, c in national.items():
        console.print(f"  {measure:<20} {c['k']:>8,} of {c['n']:>9,}")


@app.command()
def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", help="csv or xlsx.")],
    out: Annotated[Path, typer.Option("--output", help="File to write.")],
    lang: Annotated[
        ExportLanguage,
        typer.Option(
            "--lang", help="Language of the columns, kinds, details and dates: kk, ru or en."
        ),
    ] = ExportLanguage.en,
    kind: KindOption = None,
    institution: InstitutionOption = None,
    on: OnOption = None,
    overlay: OverlayOption = None,
    days: DaysOption = 30,
    data: DataDirOption = None,
) -> None:
    """Write the register of flags to a CSV or XLSX file (one flag a row) in the reader's language:
    kinds and details in words, dates as the language writes them, no cell read as a formula."""
    with _register(data, on, overlay, days, True) as reg:
        rows = [f.to_dict() for f in reg.flags(kind=kind, institution=institution)]
    _web_words(existing_data_dir(data))
    from adaldyq.web.decisions import register_export

    if fmt is ExportFormat.csv:
        with out.open("w", newline="", encoding="utf-8") as handle:
            register_export.write_csv(rows, lang.value, handle)
    else:
        register_export.write_xlsx(rows, lang.value, out)
    err_console.print(f"wrote {len(rows):,} flags to {out}", highlight=False)
