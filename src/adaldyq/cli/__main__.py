"""The `adaldyq` command: `adaldyq <area> <verb>`."""

from __future__ import annotations

import typer

from adaldyq.cli.demo import demo
from adaldyq.cli.law import app as law_app
from adaldyq.cli.ledger import app as ledger_app
from adaldyq.cli.oversight import app as oversight_app
from adaldyq.cli.placement import app as placement_app
from adaldyq.cli.web import app as web_app
from adaldyq.cli.web import replay

app = typer.Typer(
    name="adaldyq",
    help="Tamper-evident personal files, the penal law as code, and oversight of departures from it.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(law_app, name="law")
app.add_typer(ledger_app, name="ledger")
app.add_typer(oversight_app, name="oversight")
app.add_typer(placement_app, name="placement")
ledger_app.command("replay")(replay)  # the web read models, rebuilt from the ledger
app.add_typer(web_app, name="web")
app.command("demo")(demo)


def main() -> None:
    """Entry point of the console script."""
    app()


if __name__ == "__main__":
    main()
