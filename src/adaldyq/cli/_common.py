"""What every command shares: the data directory, DATABASE_URL, output formats, one-line errors."""

from __future__ import annotations

import functools
import getpass
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar, cast

import orjson
import platformdirs
import typer
from rich.console import Console
from typer.models import CommandFunctionType

from adaldyq.cli.options import OutputFormat
from adaldyq.core.errors import AdaldyqError

if TYPE_CHECKING:
    from rich.progress import Progress

    from adaldyq.ledger import Actor

P = ParamSpec("P")
R = TypeVar("R")

console = Console()
err_console = Console(stderr=True)


#: The embedded database's file in a data directory.
SQLITE_FILE = "adaldyq.sqlite3"
#: Seconds between the rounds of the signer beside the web application (`adaldyq ledger sign --every`):
#: a recorded decision is covered by a signed checkpoint within this time.
SIGN_EVERY = 60


def _chosen(path: Path | None) -> Path:
    return path if path is not None else Path(platformdirs.user_data_dir("adaldyq"))


def data_dir(path: Path | None) -> Path:
    """The data directory to use, created if missing."""
    chosen = _chosen(path)
    chosen.mkdir(parents=True, exist_ok=True)
    return chosen


def has_data(directory: Path) -> bool:
    """Whether there is a database to read: DATABASE_URL is set, or the data directory holds one."""
    return bool(os.environ.get("DATABASE_URL")) or (directory / SQLITE_FILE).is_file()


def existing_data_dir(path: Path | None) -> Path:
    """The data directory of a command that only reads: it must hold a database (or DATABASE_URL be
    set); nothing is created."""
    chosen = _chosen(path)
    if not has_data(chosen):
        raise fail(
            f"no adaldyq data in {chosen} (no {SQLITE_FILE} there, and DATABASE_URL is not set); "
            f"build one with: adaldyq demo --build-only --data-dir {chosen}"
        )
    return chosen


def database_url(directory: Path) -> str:
    """DATABASE_URL when set, else the SQLite file in the data directory."""
    return os.environ.get("DATABASE_URL") or f"sqlite:///{directory / SQLITE_FILE}"


def key_values(mapping: Mapping[str, Any], *, nested: bool = True) -> str:
    """A mapping as `key=value` words for a table cell: nested values as compact JSON (or left out
    when not `nested`), empty ones left out."""
    words = []
    for k, v in mapping.items():
        if v is None or v == "" or (not nested and isinstance(v, dict | list)):
            continue
        words.append(f"{k}={dumps(v) if isinstance(v, dict | list) else v}")
    return " ".join(words)


def dumps(obj: Any) -> str:
    """Compact JSON for machine output (dates as ISO strings)."""
    return orjson.dumps(obj, option=orjson.OPT_NON_STR_KEYS).decode()


def web_setup(data: Path | None, *, migrate: bool = True, make_private: bool = True) -> Path:
    """The web application set up for a command that reads or writes through it (Django is imported
    then, not when the CLI starts); returns the data directory (`adaldyq.web.bootstrap`)."""
    from adaldyq.web.bootstrap import django_setup

    return django_setup(data, migrate=migrate, make_private=make_private)


def date_option(text: str | None, option: str = "--on") -> date | None:
    """The day an option gives as YYYY-MM-DD (None when it is not given); anything else fails in
    one line naming the option."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise fail(f"{option}: not an ISO date YYYY-MM-DD: {text!r}") from None


def actor_of(actor: str | None, authority: str) -> Actor:
    """Who records an entry from the command line: `--actor`, or `cli:<the user>`."""
    from adaldyq.ledger import Actor

    return Actor(actor or f"cli:{getpass.getuser()}", authority)


def progress_bar(
    label: str,
    *,
    to: Console | None = None,
    transient: bool = True,
    remaining: bool = False,
    disable: bool = False,
) -> Progress:
    """The commands' progress bar: the label, the bar, done of the total and the time taken (the time
    still to go with `remaining`), on the error console unless `to` names another."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    time = TimeRemainingColumn() if remaining else TimeElapsedColumn()
    return Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        time,
        console=to or err_console,
        transient=transient,
        disable=disable,
    )


def printed_whole(fmt: OutputFormat, whole: Any) -> bool:
    """Print a report for scripts as one JSON document (`--format json`, and `jsonl` too: the report
    is one object); False for `text`: the command prints it for people."""
    if fmt is OutputFormat.text:
        return False
    typer.echo(dumps(whole))
    return True


def said(fmt: OutputFormat, obj: Any, text: str, *, err: bool = False) -> None:
    """One line of a result or a refusal: `obj` as JSON for scripts (`--format json|jsonl`), `text`
    for people; on stderr with `err`."""
    typer.echo(dumps(obj) if fmt is not OutputFormat.text else text, err=err)


def printed_for_scripts(fmt: OutputFormat, whole: Any, rows: Iterable[Any]) -> bool:
    """Print a result for scripts: `whole` as one JSON document (`--format json`), or each of `rows`
    on a line of its own (`jsonl`). False for `text`: the command prints it for people."""
    if fmt is OutputFormat.json:
        print(dumps(whole))
        return True
    if fmt is OutputFormat.jsonl:
        for row in rows:
            print(dumps(row))
        return True
    return False


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print one clear line to stderr and return the Exit to raise."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


class Area(typer.Typer):
    """A group of commands, `adaldyq <area> <verb>`: called bare it shows its help, and every
    command registered on it turns its deliberate errors into one line and exit 2
    (`one_line_errors`)."""

    def __init__(self, help: str, **settings: Any) -> None:
        super().__init__(help=help, no_args_is_help=True, **settings)

    def command(
        self, name: str | None = None, **settings: Any
    ) -> Callable[[CommandFunctionType], CommandFunctionType]:
        register = super().command(name, **settings)

        def decorator(func: CommandFunctionType) -> CommandFunctionType:
            return register(cast("CommandFunctionType", one_line_errors(func)))

        return decorator


def one_line_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn deliberate errors (and broken pipes, missing files) into one line and exit 2."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except AdaldyqError as exc:
            raise fail(exc.diagnostics()) from None
        except FileNotFoundError as exc:
            raise fail(f"no such file: {exc.filename}") from None
        except BrokenPipeError:
            sys.stderr.close()
            raise typer.Exit(0) from None
        except OSError as exc:  # a folder given for a file, no permission, a full disk
            raise fail(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": ")) from None

    return wrapper
