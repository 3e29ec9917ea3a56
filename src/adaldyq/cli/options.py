"""The options every area's commands share, each declared once: where the data is, how the result is
printed, who records and on whose authority."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer


class OutputFormat(enum.StrEnum):
    """How a command prints its result."""

    text = "text"
    json = "json"
    jsonl = "jsonl"


DataDirOption = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        envvar="ADALDYQ_DATA_DIR",
        help="Folder with the database and signing keys (default: the user's data folder).",
        show_default=False,
    ),
]
FormatOption = Annotated[
    OutputFormat, typer.Option("--format", help="text for people, json or jsonl for scripts.")
]
ActorOption = Annotated[
    str | None,
    typer.Option("--actor", envvar="ADALDYQ_ACTOR", help="Who records (default: cli:<user>)."),
]
AuthorityOption = Annotated[
    str,
    typer.Option("--authority", envvar="ADALDYQ_AUTHORITY", help="On whose authority."),
]
