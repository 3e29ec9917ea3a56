"""`adaldyq law ...`: evaluate, check and explain cases in the shared case format."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer

from adaldyq.cli._common import Area, console, date_option, dumps, fail
from adaldyq.cli.law_batch import evaluate_jsonl, too_large
from adaldyq.cli.law_pack import amend_app, pack_app
from adaldyq.core.errors import AdaldyqError, CaseError
from adaldyq.law import LawPack, differences, evaluate, parse_case
from adaldyq.law.cases import MAX_CASE_BYTES
from adaldyq.law.messages import LANGUAGES, render_lines

app = Area("The penal law as code: evaluate, check and explain cases.")
app.add_typer(pack_app, name="pack")
app.add_typer(amend_app, name="amend")

OverlayOption = Annotated[
    str | None,
    typer.Option(
        "--overlay", help="Law-pack overlay: 'demo' (illustrative figures, not law) or a folder."
    ),
]
PackOption = Annotated[
    Path | None, typer.Option("--pack", help="Law-pack folder (default: the shipped kz pack).")
]
OnOption = Annotated[
    str | None,
    typer.Option("--on", help="Evaluate on this date (YYYY-MM-DD) instead of each case's as_of."),
]


def _law(pack: Path | None, overlay: str | None) -> LawPack:
    return LawPack.load(pack, overlay=overlay)


def _read_case(path: Path) -> Any:
    """The JSON of a case file, refused (naming the case) when larger than a case may be."""
    size = path.stat().st_size
    if size > MAX_CASE_BYTES:
        raise CaseError(too_large(size), case=path.stem)
    try:
        return orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as exc:
        raise CaseError(f"not valid JSON ({exc})", case=path.stem) from None


@app.command("evaluate")
def evaluate_cmd(
    case: Annotated[
        Path | None, typer.Argument(help="A case file (JSON).", show_default=False)
    ] = None,
    jsonl: Annotated[
        Path | None,
        typer.Option("--jsonl", help="Read many cases, one JSON object a line ('-' for stdin)."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write results here (default: stdout).")
    ] = None,
    on: OnOption = None,
    pack: PackOption = None,
    overlay: OverlayOption = None,
    workers: Annotated[
        int | None,
        typer.Option("--workers", min=1, help="Processes for --jsonl (default: one per core)."),
    ] = None,
    keep_going: Annotated[
        bool,
        typer.Option(
            "--keep-going",
            help="With --jsonl: write an error line for a bad case and go on with the next.",
        ),
    ] = False,
) -> None:
    """Print the engine's full result for a case as JSON (with --jsonl: one result a line).

    A bad case is one line naming the case and the field, exit 2, and nothing is written; with
    --jsonl the line number too, and --keep-going writes it in the case's place and goes on.
    """
    if (case is None) == (jsonl is None):
        raise fail("give either a CASE.json or --jsonl FILE")
    law = _law(pack, overlay)
    when = date_option(on)
    if case is not None:
        c = parse_case(_read_case(case), default_id=case.stem)
        result = evaluate(c.person, c.events, on=when or c.as_of, law=law, case_id=c.id)
        out = result.to_json(indent=True) + b"\n"
        if output:
            output.write_bytes(out)
        else:
            sys.stdout.buffer.write(out)
        return
    assert jsonl is not None  # noqa: S101
    failed = evaluate_jsonl(jsonl, output, law, when, workers or os.cpu_count() or 1, keep_going)
    if failed:
        raise fail(f"{failed} case(s) could not be evaluated; their lines carry an 'error'")


@app.command("check")
def check_cmd(
    cases: Annotated[list[Path], typer.Argument(help="Case files with an 'expect' section.")],
    pack: PackOption = None,
    overlay: OverlayOption = None,
) -> None:
    """Compare the engine's results with each case's `expect`; ends with `N passed, M failed`.

    Exit 1 when a result differs from its case's `expect`, 2 when a case could not be read.
    """
    law = _law(pack, overlay)
    passed = failed = bad = 0
    for path in cases:
        try:
            c = parse_case(_read_case(path), default_id=path.stem)
            result = evaluate(c.person, c.events, on=c.as_of, law=law, case_id=c.id)
        except AdaldyqError as exc:
            failed += 1
            bad += 1
            console.print(f"[red]FAIL[/] {path.name}: {exc.diagnostics()}", highlight=False)
            continue
        diffs = differences(result, c.expect)
        if diffs:
            failed += 1
            console.print(f"[red]FAIL[/] {c.id}", highlight=False)
            for key, want, got in diffs:
                console.print(
                    f"     {key}: expected {dumps(want)}, got {dumps(got)}", highlight=False
                )
        else:
            passed += 1
            console.print(f"[green]ok[/]   {c.id}", highlight=False)
    console.print(f"{passed} passed, {failed} failed", highlight=False)
    if failed:
        raise typer.Exit(2 if bad else 1)


@app.command("explain")
def explain_cmd(
    case: Annotated[Path, typer.Argument(help="A case file (JSON).")],
    lang: Annotated[str, typer.Option("--lang", help="kk, ru or en.")] = "en",
    on: OnOption = None,
    pack: PackOption = None,
    overlay: OverlayOption = None,
) -> None:
    """Explain a case in plain words: degree, conditions, open transfers and when the closed ones open."""
    if lang not in LANGUAGES:
        raise fail(f"--lang must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    law = _law(pack, overlay)
    c = parse_case(_read_case(case), default_id=case.stem)
    result = evaluate(c.person, c.events, on=date_option(on) or c.as_of, law=law, case_id=c.id)
    console.print(f"[bold]{c.id}[/]" + (f": {c.about}" if c.about else ""), highlight=False)
    for line in render_lines(result, lang):  # markup=False: "[…]" is a citation, not a style
        console.print(line, highlight=False, soft_wrap=True, markup=False)
    console.print(f"[dim]law pack {law.id} {law.version} {law.hash[:19]}…[/]", highlight=False)
