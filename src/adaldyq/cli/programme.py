"""`adaldyq programme report|import-officials`: the officials' visits programme (issue 20) from the
command line, computed as the programme's pages compute it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from adaldyq.cli._common import (
    DataDirOption,
    FormatOption,
    OutputFormat,
    console,
    dumps,
    one_line_errors,
)

app = typer.Typer(
    help="The officials' visits programme: its figures, the list of officials in scope.",
    no_args_is_help=True,
)


def _setup(data: Path | None) -> None:
    from adaldyq.web.bootstrap import django_setup

    django_setup(data)


@app.command()
@one_line_errors
def report(data: DataDirOption = None, fmt: FormatOption = OutputFormat.text) -> None:
    """Attendees, visits, attendees by category, body, region and institution, by month, repeat
    attendance and coverage of the officials in scope."""
    _setup(data)
    from adaldyq.web.programme.selectors import figures

    found: dict[str, Any] = figures()
    if fmt is not OutputFormat.text:
        typer.echo(dumps(found))
        return
    console.print(
        f"{found['attendees']:,} officials have attended ({found['attendances']:,} attendances) "
        f"{found['visits']:,} programme visits; {found['repeat']['officials']:,} came more than once"
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
