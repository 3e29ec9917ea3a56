"""`adaldyq law ...`: evaluate, check and explain cases in the shared case format."""

from __future__ import annotations

import contextlib
import ctypes
import gc
import io
import multiprocessing as mp
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from adaldyq.cli._common import Area, console, date_option, dumps, err_console, fail
from adaldyq.cli.law_pack import amend_app, pack_app
from adaldyq.core.errors import AdaldyqError, CaseError, InputError
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
        raise CaseError(_too_large(size), case=path.stem)
    try:
        return orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as exc:
        raise CaseError(f"not valid JSON ({exc})", case=path.stem) from None


def _too_large(size: int) -> str:
    return f"{size:,} bytes; a case may be at most {MAX_CASE_BYTES:,} bytes (nothing was read)"


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
    failed = _evaluate_jsonl(jsonl, output, law, when, workers or os.cpu_count() or 1, keep_going)
    if failed:
        raise fail(f"{failed} case(s) could not be evaluated; their lines carry an 'error'")


def _evaluate_jsonl(
    source: Path,
    output: Path | None,
    law: LawPack,
    when: date | None,
    workers: int,
    keep_going: bool = False,
) -> int:
    # Results are acyclic and short-lived: the cyclic collector only costs time here (about a third).
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)
    _keep_heap()
    _BATCH.update(law=law, when=when, keep_going=keep_going)
    try:
        return _evaluate_lines(source, output, workers)
    finally:
        _BATCH.clear()
        gc.set_threshold(*threshold)
        gc.unfreeze()


_M_TOP_PAD, _M_MMAP_THRESHOLD = -2, -3  # malloc.h


def _keep_heap() -> bool:
    """Ask glibc's malloc to keep the heap it has for this batch (M_TOP_PAD 64 MiB) and to serve blocks
    up to 32 MiB from it (M_MMAP_THRESHOLD).

    A batch allocates and frees the same few megabytes a block of cases at a time (the piece read, the
    results joined); by default they are mapped and given back to the system each time, a page fault a
    page: 250,000 faults for the benchmark's population, 34,000 with these two settings, and 12% less
    CPU. The processes forked for the batch inherit them. Nothing is done on other C libraries.
    True when both were taken.
    """
    try:
        if not (os.confstr("CS_GNU_LIBC_VERSION") or "").startswith("glibc"):
            return False
        libc = ctypes.CDLL(None)
        pad = libc.mallopt(_M_TOP_PAD, 64 * 1024 * 1024)
        return bool(pad and libc.mallopt(_M_MMAP_THRESHOLD, 32 * 1024 * 1024))
    except (ValueError, OSError, AttributeError):  # not glibc, or no mallopt
        return False


#: The law pack and date of a batch, set before worker processes fork (so they are not pickled).
_BATCH: dict[str, Any] = {}
_BLOCK = 1000


class _BadLineError(InputError):
    """A bad case in a batch without --keep-going: its one line; the batch stops, nothing written."""


def _evaluate_block(block: tuple[int, list[bytes]]) -> tuple[bytes, int]:
    """Evaluate a block of lines (numbered from `first`); the results as JSON lines, and the failures.

    Without --keep-going the first bad case raises `_BadLineError` with its one-line message.
    """
    first, lines = block
    law, when, keep_going = _BATCH["law"], _BATCH["when"], _BATCH["keep_going"]
    loads, dumps_ = orjson.loads, orjson.dumps
    out: list[bytes] = []
    failed = 0
    for n, line in enumerate(lines, first):
        if not line.strip():
            continue
        try:
            if len(line) > MAX_CASE_BYTES:
                raise CaseError(_too_large(len(line)), case=f"line {n}")
            c = parse_case(loads(line), default_id=f"line {n}")
            result = evaluate(c.person, c.events, on=when or c.as_of, law=law, case_id=c.id)
            out.append(result.to_json())
        except (AdaldyqError, orjson.JSONDecodeError) as exc:
            failed += 1
            msg = exc.diagnostics() if isinstance(exc, AdaldyqError) else f"not valid JSON ({exc})"
            own = f"case 'line {n}' "  # a case without an id: its line names it
            msg = f"line {n}: {msg.removeprefix(own)}"
            if not keep_going:
                raise _BadLineError(msg) from None
            out.append(dumps_({"line": n, "error": msg}))
    return (b"\n".join(out) + b"\n" if out else b""), failed


#: Bytes of input a worker reads and evaluates at a time (whole lines).
_RANGE = 4 * 1024 * 1024


def _evaluate_range(job: tuple[str, int, int, int, str]) -> tuple[str, int]:
    """A worker's share of a file: read whole lines from `offset` (the first numbered `first`),
    evaluate them and write the results to a file of its own; its path and the failures.

    The worker reads its input and writes its output itself: nothing large goes through a pipe.
    """
    path, offset, length, first, out_path = job
    with open(path, "rb") as fh:
        fh.seek(offset)
        data = fh.read(length)
    lines = data.split(b"\n")
    if lines and not lines[-1]:
        lines.pop()
    text, failed = _evaluate_block((first, lines))
    with open(out_path, "wb") as out:
        out.write(text)
    return out_path, failed


def _ranges(source: Path, folder: str) -> Iterator[tuple[str, int, int, int, str]]:
    """The file cut into pieces of about `_RANGE` bytes at line ends, with their first line numbers."""
    offset, first, k = 0, 1, 0
    with source.open("rb") as fh:
        while True:
            chunk = fh.read(_RANGE)
            if not chunk:
                return
            if not chunk.endswith(b"\n"):
                chunk += fh.readline()
            yield str(source), offset, len(chunk), first, os.path.join(folder, f"{k}.jsonl")
            offset += len(chunk)
            first += chunk.count(b"\n")
            k += 1


def _evaluate_file_parallel(
    source: Path, dst: Any, pool: Any, progress: Callable[[int], None]
) -> int:
    """Evaluate a large file in forked workers (`pool`), each reading and writing its own pieces; the
    results are copied into `dst` in input order."""
    failed = 0
    with tempfile.TemporaryDirectory(prefix="adaldyq-evaluate-") as folder:
        for out_path, bad in pool.imap(_evaluate_range, _ranges(source, folder), 1):
            with open(out_path, "rb") as piece:
                _copy(piece, dst)
            os.unlink(out_path)
            failed += bad
            progress(_RANGE)
    return failed


def _copy(src: Any, dst: Any) -> None:
    """Copy the whole of `src` (a binary file) to the end of `dst`, in the kernel when it can."""
    size = os.fstat(src.fileno()).st_size
    dst.flush()
    done = 0
    try:
        fd = dst.fileno()
        while done < size:
            sent = os.sendfile(fd, src.fileno(), done, size - done)
            if sent == 0:
                break
            done += sent
    except (OSError, ValueError, io.UnsupportedOperation):  # not a real file: in Python
        src.seek(done)
        shutil.copyfileobj(src, dst, 1024 * 1024)


def _blocks(src: Any) -> Iterator[tuple[int, list[bytes]]]:
    lines: list[bytes] = []
    first = 1
    for n, line in enumerate(src, 1):
        lines.append(line)
        if len(lines) >= _BLOCK:
            yield first, lines
            first, lines = n + 1, []
    if lines:
        yield first, lines


def _evaluate_lines(source: Path, output: Path | None, workers: int) -> int:
    """Evaluate the lines of `source` into `output` (or stdout). The results go to a file of their
    own first and reach `output` only when the batch ends: a batch stopped by a bad case writes
    nothing."""
    stdin = str(source) == "-"
    total = 0 if stdin else source.stat().st_size
    # Several processes for a large file, one per core, each reading and writing its own pieces;
    # the results are written in input order.
    parallel = workers > 1 and total > 4 * 1024 * 1024 and "fork" in mp.get_all_start_methods()
    pool = mp.get_context("fork").Pool(workers) if parallel else None  # forked before any thread
    src = sys.stdin.buffer if stdin else source.open("rb")
    folder = str(output.parent) if output else None
    dst = tempfile.NamedTemporaryFile(  # noqa: SIM115 -- renamed or removed below
        "w+b", dir=folder, prefix=".adaldyq-evaluate-", suffix=".jsonl", delete=False
    )
    if output:  # the mode a file `output.open("wb")` would have had, not the temporary file's 0600
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(dst.name, 0o666 & ~mask)
    show = err_console.is_terminal and not stdin
    failed = done = 0
    finished = False
    try:
        with Progress(
            TextColumn("evaluating"),
            BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            TimeRemainingColumn(),
            console=err_console,
            disable=not show,
        ) as progress:
            task = progress.add_task("cases", total=total)
            if pool is not None:
                failed = _evaluate_file_parallel(
                    source, dst, pool, lambda n: progress.advance(task, n)
                )
            else:
                for text, bad in map(_evaluate_block, _blocks(src)):
                    dst.write(text)
                    failed += bad
                    done += 1
                    if show and done % 4 == 0:
                        progress.update(task, completed=src.tell())
        dst.flush()
        if output:
            dst.close()
            os.replace(dst.name, output)
        else:
            dst.seek(0)
            _copy(dst, sys.stdout.buffer)
            sys.stdout.buffer.flush()
        finished = True
    finally:
        if pool is not None:
            if finished:
                pool.close()
            else:
                pool.terminate()
            pool.join()
        dst.close()
        if not (finished and output):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(dst.name)
        if not stdin:
            src.close()
    return failed


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
