"""`adaldyq programme report|import-officials`: the officials' visits programme (issue 20) from the
command line, computed as the programme's pages compute it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from adaldyq.cli._common import Area, actor_of, console, fail, printed_whole, said, web_setup
from adaldyq.cli.options import DataDirOption, FormatOption, OutputFormat

app = Area("The officials' visits programme: its figures, the list of officials in scope.")


@app.command()
def report(data: DataDirOption = None, fmt: FormatOption = OutputFormat.text) -> None:
    """Attendees, visits, attendees by category, body, region and institution, by month, repeat
    attendance and coverage of the officials in scope; the public councils' monitoring visits and
    their assignments answered late or not at all (`monitoring`)."""
    web_setup(data)
    from django.utils import timezone

    from adaldyq.web.programme.selectors import figures, monitoring_figures

    found: dict[str, Any] = figures()
    found["monitoring"] = monitoring_figures(None, timezone.localdate())
    if printed_whole(fmt, found):
        return
    console.print(
        f"{found['attendees']:,} officials have attended {found['visits']:,} programme visits "
        f"({found['attendances']:,} attendances); {found['repeat']['officials']:,} came more than once"
    )
    for key in ("by_category", "by_region", "by_institution", "by_body"):
        console.print(f"{key.replace('_', ' ')}:")
        for name, n in list(found[key].items())[:25]:
            console.print(f"  {name:<40} {n:>7,}")
    cov = found["coverage"]
    if cov["in_scope"]:
        console.print(f"coverage: {cov['attended']:,} of {cov['in_scope']:,} officials in scope")
    else:
        console.print("coverage: unknown (no list of officials in scope imported)")
    mon = found["monitoring"]
    console.print(
        f"public monitoring visits: {mon['visits']:,}; observations: {mon['observations']:,}; "
        f"assignments: {mon['assignments']:,} (answered: {mon['answered']:,}); answered late or "
        f"not at all on {mon['on']}: {len(mon['overdue']):,}"
    )
    for o in mon["overdue"][:25]:
        state = f"answered {o['answered_on']}" if o["answered_on"] else "no answer"
        console.print(
            f"  {o['institution']:<12} due {o['due']} ({o['days_late']} days late, {state}): {o['to']}"
        )


@app.command("import-officials")
def import_officials(
    path: Annotated[
        Path,
        typer.Argument(
            help="CSV (UTF-8) or XLSX: name, body, position, category, region (or kk/ru headings)."
        ),
    ],
    data: DataDirOption = None,
    fmt: FormatOption = OutputFormat.text,
) -> None:
    """Import the list of officials in scope: every row or none; each bad row named by its line."""
    web_setup(data)
    from adaldyq.web.programme.services import ImportRefusedError, officials_import

    try:
        table = path.read_bytes()
    except OSError as exc:
        raise fail(f"{path}: {exc.strerror}") from None
    try:
        n = officials_import(
            officer=actor_of(None, "adaldyq programme import-officials"),
            text=table,
        )
    except ImportRefusedError as exc:
        for b in exc.bad:
            said(
                fmt, {"line": b.line, "problem": b.problem}, f"line {b.line}: {b.problem}", err=True
            )
        raise fail(f"{len(exc.bad)} rows are wrong; nothing was imported") from None
    said(fmt, {"imported": n}, f"{n:,} officials imported")
