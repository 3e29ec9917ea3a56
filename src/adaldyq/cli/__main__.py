"""The `adaldyq` command: `adaldyq <area> <verb>`.

Only the area named on the command line is imported (`adaldyq law ...` does not load the ledger, the
web application or the demo generator): a command starts in about half the time. `adaldyq --help`, a
misspelt area and `app` (for tests) get every area.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import typer

from adaldyq.cli._common import Area

#: The command groups, in the order `adaldyq --help` lists them: name and module (its `app`).
AREAS: dict[str, str] = {
    "law": "adaldyq.cli.law",
    "ledger": "adaldyq.cli.ledger",
    "oversight": "adaldyq.cli.oversight",
    "parole": "adaldyq.cli.parole",
    "placement": "adaldyq.cli.placement",
    "probation": "adaldyq.cli.probation",
    "programme": "adaldyq.cli.programme",
    "records": "adaldyq.cli.records",
    "stats": "adaldyq.cli.stats",
    "web": "adaldyq.cli.web",
    "work": "adaldyq.cli.work",
}


def build(only: str | None = None) -> typer.Typer:
    """The command tree: every area, or only the group `only` (one of AREAS)."""
    root = Area(
        "Tamper-evident personal files, the penal law as code, and oversight of departures from it.",
        name="adaldyq",
        pretty_exceptions_enable=False,
    )
    for name, module in AREAS.items():
        if only is not None and name != only:
            continue
        group = importlib.import_module(module).app
        if name == "ledger":  # the web read models, rebuilt from the ledger
            from adaldyq.cli.web import audit_views, replay

            group.command("replay")(replay)
            group.command("audit-views")(audit_views)
        root.add_typer(group, name=name)
    if only is None:
        from adaldyq.cli.demo import demo

        root.command("demo")(demo)
    return root


def _area(argv: list[str]) -> str | None:
    """The group the command line names first; None for anything else (an option such as --help, a
    misspelt area, `demo`): the whole tree."""
    return argv[0] if argv and argv[0] in AREAS else None


def __getattr__(name: str) -> Any:
    if name == "app":  # the whole tree, built when asked for (tests drive it with CliRunner)
        tree = build()
        globals()["app"] = tree
        return tree
    raise AttributeError(name)


def main() -> None:
    """Entry point of the console script; a checkout whose compiled engine is older than its sources
    is refused in one line (it would run the old engine, or fail to import what the sources added)."""
    from adaldyq.core.compiled import stale_extensions

    stale = stale_extensions()
    if stale:
        sys.exit(
            f"adaldyq: the compiled engine is older than {', '.join(stale)}: run scripts/setup "
            "(ADR 0013)"
        )
    build(_area(sys.argv[1:]))()


if __name__ == "__main__":
    main()
