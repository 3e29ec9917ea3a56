"""`adaldyq parole due`: who is due for parole or substitution in an institution (issue 19), computed
as the page `/parole/due/` computes it."""

from __future__ import annotations

from typing import Annotated

import typer

from adaldyq.cli._common import Area, console, fail, printed_for_scripts, web_setup
from adaldyq.cli.options import DataDirOption, FormatOption, OutputFormat

app = Area("Parole and substitution of the unserved part: who is due, with the law's answer.")


@app.command()
def due(
    institution: Annotated[str, typer.Option("--institution", help="The institution's code.")],
    month: Annotated[
        str | None, typer.Option("--month", help="YYYY-MM (default: this month).")
    ] = None,
    data: DataDirOption = None,
    fmt: FormatOption = OutputFormat.text,
) -> None:
    """The people whose parole or substitution date falls in the three months from MONTH: possible,
    mandatory, excluded, or not determinable with the fact that is missing."""
    web_setup(data)
    from adaldyq.web.institutions.models import Institution
    from adaldyq.web.release.selectors import MONTHS_AHEAD, month_of, parole_due

    try:
        first = month_of(month)
    except ValueError:
        raise fail(f"--month must be YYYY-MM, not {month!r}") from None
    inst = Institution.objects.filter(code=institution).first()
    if inst is None:
        raise fail(f"no institution {institution!r} in the register")
    rows = parole_due(institution=inst, month=first)
    found = [
        {**r.due.to_dict(), "number": r.person.number, "name": r.person.full_name} for r in rows
    ]
    whole = {"institution": institution, "month": first.strftime("%Y-%m"), "months": MONTHS_AHEAD,
             "due": found}  # fmt: skip
    if printed_for_scripts(fmt, whole, found):
        return
    console.print(
        f"{institution}: {len(found):,} due in the {MONTHS_AHEAD} months from {first:%Y-%m}"
    )
    for row in found:
        missing = f" (missing: {', '.join(row['missing'])})" if row["missing"] else ""
        console.print(
            f"  {row['on'] or '?':<10} {row['kind']:<12} {row['answer']:<16} "
            f"{row['number']} {row['name']}{missing}",
            highlight=False,
        )
