"""`adaldyq work import|report`: work and study hours (issue 19, ADR 0040) from the command line,
checked and counted as the pages check and count them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from adaldyq.cli._common import Area, actor_of, console, fail, printed_whole, said, web_setup
from adaldyq.cli.options import DataDirOption, FormatOption, OutputFormat

app = Area(
    "Work and study: timesheets imported, the month's full-time equivalents per institution."
)


@app.command("import")
def import_(
    path: Annotated[
        Path,
        typer.Argument(
            help="CSV (UTF-8, comma or semicolon) or XLSX: personal file number, date, place, "
            "hours (and the institution when the place is its own code), headers in kk, ru or en."
        ),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check every row and write nothing.")
    ] = False,
    actor: Annotated[str | None, typer.Option(help="Who records the entries.")] = None,
    data: DataDirOption = None,
    fmt: FormatOption = OutputFormat.text,
) -> None:
    """Import a timesheet: every row, one entry a person and day, or none; each row refused is
    named with its line and reason, and the exit is 1."""
    web_setup(data)
    from adaldyq.web.work import services, timesheet

    rows = timesheet.read(path)
    who = actor_of(actor, "adaldyq work import")
    if dry_run:
        checked = services.hours_check(actor=who, rows=rows)
        refused = checked.refused
    else:
        try:
            checked = services.hours_record(actor=who, rows=rows)
            refused = []
        except services.HoursRefusedError as exc:
            refused = list(exc.refused)
    for r in refused:
        said(fmt, r.to_dict(), f"line {r.line} ({r.person or '—'}): {r.text}", err=True)
    if refused:
        raise fail(f"{len(refused)} of {len(rows)} rows refused; nothing was imported", code=1)
    summary = {
        "rows": len(rows),
        "people": checked.people,
        "hours": checked.hours,
        "imported": 0 if dry_run else len(checked.drafts),
    }
    if not printed_whole(fmt, summary):
        verb = "would be imported (dry run)" if dry_run else "imported"
        console.print(
            f"{len(rows):,} rows {verb}: {checked.hours:g} hours of {checked.people:,} people"
        )


@app.command()
def report(
    month: Annotated[str | None, typer.Option(help="YYYY-MM; this month without it.")] = None,
    data: DataDirOption = None,
    fmt: FormatOption = OutputFormat.text,
) -> None:
    """The month's work and study per institution: full-time equivalents beside the headcount and
    the gap between them, certificates and qualifications gained, production by kind."""
    web_setup(data)
    from django.utils import timezone

    from adaldyq.web.work.selectors import month_bounds, report_dict

    month = month or timezone.localdate().strftime("%Y-%m")
    try:
        month_bounds(month)
    except ValueError:
        raise fail(f"--month: not a month YYYY-MM: {month!r}") from None
    found = report_dict(month=month, institutions=None)
    if printed_whole(fmt, found):
        return
    console.print(
        f"{found['month']}: one full-time equivalent = {found['fte_hours']} hours ({found['fte_basis']})"
    )
    console.print(
        f"{'institution':<14} {'held':>6} {'work':>6} {'FTE':>8} {'gap':>8} {'study':>6} {'FTE':>8} {'gap':>8}"
    )
    for r in [*found["institutions"], {"institution": "total", **found["total"]}]:
        w, s = r["work"], r["study"]
        console.print(
            f"{r['institution']:<14} {r['population']:>6} {w['headcount']:>6} {w['fte']:>8} "
            f"{w['gap']:>8} {s['headcount']:>6} {s['fte']:>8} {s['gap']:>8}"
        )
