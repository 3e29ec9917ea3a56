"""`adaldyq probation report`: the probation figures (issue 19, seed 004) computed from the ledger's
probation files, as the page `/probation/report/` computes them."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from adaldyq.cli._common import (
    DataDirOption,
    FormatOption,
    OutputFormat,
    console,
    dumps,
    fail,
    one_line_errors,
)

app = typer.Typer(
    help="The probation service: people on probation, programmes, work, aid, repeat offending.",
    no_args_is_help=True,
)


@app.command()
@one_line_errors
def report(
    on: Annotated[str | None, typer.Option("--on", help="YYYY-MM-DD (default: today).")] = None,
    data: DataDirOption = None,
    fmt: FormatOption = OutputFormat.text,
) -> None:
    """People on probation (by region), programmes, employed, medical aid, education, repeat
    offences within 1 and 3 years of release."""
    from datetime import date

    from adaldyq.web.bootstrap import django_setup

    django_setup(data)
    from django.utils import timezone

    from adaldyq.web.release.probation_selectors import report as figures

    try:
        day = date.fromisoformat(on) if on else timezone.localdate()
    except ValueError:
        raise fail(f"--on must be YYYY-MM-DD, not {on!r}") from None
    found: dict[str, Any] = figures(None, on=day)
    if fmt is not OutputFormat.text:
        typer.echo(dumps(found))
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
    for region, n in found["by_region"].items():
        console.print(f"  {region:<20} {n:>8,}")
