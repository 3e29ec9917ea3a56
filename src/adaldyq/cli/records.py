"""`adaldyq records import-paper`: paper files brought into the ledger (issue 23, ADR 0040)."""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from adaldyq.cli._common import (
    Area,
    actor_of,
    console,
    err_console,
    fail,
    printed_whole,
    progress_bar,
    said,
    web_setup,
)
from adaldyq.cli.options import (
    ActorOption,
    AuthorityOption,
    DataDirOption,
    FormatOption,
    OutputFormat,
)

app = Area("Personal files: paper files brought into the ledger.")


@app.command("import-paper")
def import_paper(
    table: Annotated[
        Path | None,
        typer.Argument(help="The filled template: CSV (UTF-8) or XLSX, headers in kk, ru or en."),
    ] = None,
    scans: Annotated[
        Path | None,
        typer.Option("--scans", help="Folder of the scanned pages the rows name (file names)."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check every row and say what would be written.")
    ] = False,
    template: Annotated[
        str | None,
        typer.Option("--template", help="Write the empty template instead: csv or xlsx."),
    ] = None,
    lang: Annotated[
        str, typer.Option("--lang", help="The template's headers: kk, ru or en.")
    ] = "kk",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Where the template goes.")
    ] = None,
    actor: ActorOption = None,
    authority: AuthorityOption = "paper files transcribed",
    data: DataDirOption = None,
    fmt: FormatOption = OutputFormat.text,
) -> None:
    """Import a filled template with the scans of its pages: every row or none, each refused row
    named by its line, column and why; a page read before by another officer is compared with that
    reading (double entry). `--template csv|xlsx` writes the template to fill."""
    from adaldyq.files import paper

    if template is not None:
        if template not in ("csv", "xlsx") or lang not in ("kk", "ru", "en"):
            raise fail("--template is csv or xlsx, --lang kk, ru or en")
        target = output or Path(f"paper-template-{lang}.{template}")
        if template == "csv":
            target.write_text(paper.template_csv(lang), encoding="utf-8")
        else:
            target.write_bytes(paper.template_xlsx(lang))
        said(fmt, {"template": str(target)}, str(target))
        return
    if table is None:
        raise fail("name the filled template (or --template csv|xlsx)")
    web_setup(data)
    from adaldyq.web.paper.services import Upload, paper_import

    uploads = []
    if scans is not None:
        if not scans.is_dir():
            raise fail(f"--scans {scans}: not a folder")
        for path in sorted(p for p in scans.iterdir() if p.is_file()):
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            uploads.append(Upload(path.name, kind, path.read_bytes()))
    with _Bar() as advance:
        report = paper_import(
            actor=actor_of(actor, authority), name=table.name, content=table.read_bytes(),
            scans=uploads, dry_run=dry_run, progress=advance,
        )  # fmt: skip
    if not printed_whole(fmt, report.as_json()):
        for r in report.refused:
            typer.echo(f"{table.name}: {r}", err=True)
        if not report.refused:
            verb = "written" if report.written else "would be written (dry run)"
            console.print(
                f"{report.rows:,} rows: {report.people:,} files opened, {report.facts:,} facts "
                f"from {report.pages:,} pages {verb}; {report.checked:,} pages read a second time "
                f"({report.agreed:,} agree, {report.disputed:,} for a head to settle)",
                highlight=False,
            )
    if report.refused:
        raise fail(f"{len(report.refused)} rows refused; nothing was imported")


class _Bar:
    """The import's progress bar on the terminal (rich), entries written of the total."""

    def __enter__(self) -> Callable[[int, int], None]:
        self.progress = progress_bar(
            "importing", remaining=True, disable=not err_console.is_terminal
        )
        self.progress.__enter__()
        self.task = self.progress.add_task("importing", total=None)
        return self.advance

    def advance(self, done: int, total: int) -> None:
        self.progress.update(self.task, completed=done, total=total)

    def __exit__(self, *exc: object) -> None:
        self.progress.__exit__(None, None, None)
