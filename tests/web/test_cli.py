"""The web commands are registered where the README says they are."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from adaldyq.cli.__main__ import app


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["demo", "--help"], "--build-only"),
        (["web", "serve", "--help"], "--port"),
        (["web", "migrate", "--help"], "--data-dir"),
        (["web", "create-user", "--help"], "--role"),
        (["ledger", "replay", "--help"], "read models"),
    ],
)
def test_the_web_commands_are_registered(args: list[str], says: str) -> None:
    result = CliRunner().invoke(app, args, terminal_width=200)

    assert result.exit_code == 0, result.output
    assert says in result.output
