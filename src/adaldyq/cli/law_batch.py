"""The batch runtime of `adaldyq law evaluate --jsonl` (ADR 0013): many cases a line, evaluated in
blocks, in forked worker processes for a large file, the results written in input order.

What makes a batch fast lives here and nowhere else: the cyclic collector held off, glibc's heap
kept between blocks (`keep_heap`), the worker processes forked before any thread, each reading and
writing pieces of its own, and the pieces joined by `sendfile`. The command (`adaldyq.cli.law`)
only reads its options and calls `evaluate_jsonl`.
"""

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
from typing import Any

import orjson
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from adaldyq.cli._common import err_console
from adaldyq.core.errors import AdaldyqError, CaseError, InputError
from adaldyq.law import LawPack, evaluate, parse_case
from adaldyq.law.cases import MAX_CASE_BYTES

__all__ = ["evaluate_jsonl", "keep_heap", "too_large"]


def too_large(size: int) -> str:
    """The refusal of a case over `MAX_CASE_BYTES` (a file, or a line of a batch)."""
    return f"{size:,} bytes; a case may be at most {MAX_CASE_BYTES:,} bytes (nothing was read)"


def evaluate_jsonl(
    source: Path,
    output: Path | None,
    law: LawPack,
    when: date | None,
    workers: int,
    keep_going: bool = False,
) -> int:
    """Evaluate every case of `source` (a JSON object a line; "-": stdin) at `when` (None: each
    case's `as_of`) into `output` (None: stdout), in `workers` processes for a large file; the
    number of cases that failed (written as error lines with `keep_going`, else the first stops
    the batch and nothing is written)."""
    # Results are acyclic and short-lived: the cyclic collector only costs time here (ADR 0013).
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)
    keep_heap()
    _BATCH.update(law=law, when=when, keep_going=keep_going)
    try:
        return _evaluate_lines(source, output, workers)
    finally:
        _BATCH.clear()
        gc.set_threshold(*threshold)
        gc.unfreeze()


_M_TOP_PAD, _M_MMAP_THRESHOLD = -2, -3  # malloc.h


def keep_heap() -> bool:
    """Ask glibc's malloc to keep the heap it has for this batch (M_TOP_PAD 64 MiB) and to serve blocks
    up to 32 MiB from it (M_MMAP_THRESHOLD).

    A batch allocates and frees the same few megabytes a block of cases at a time (the piece read, the
    results joined); by default they are mapped and given back to the system each time, a page fault a
    page (ADR 0013 has the counts). The processes forked for the batch inherit these settings.
    Nothing is done on other C libraries. True when both were taken.
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
                raise CaseError(too_large(len(line)), case=f"line {n}")
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
