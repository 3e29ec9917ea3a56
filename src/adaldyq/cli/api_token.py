"""`adaldyq web api-token create|revoke|list`: the REST API's tokens for machine clients (ADR 0041)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from adaldyq.cli._common import Area, console, dumps, err_console, printed_for_scripts, web_setup
from adaldyq.cli.options import DataDirOption, FormatOption, OutputFormat

if TYPE_CHECKING:
    from adaldyq.web.accounts.models import User

app = Area("API tokens of machine clients: each acts as its user, with that user's role and scope.")

#: Who made or revoked a token from the command line (the server's administrator).
BY = "command line"


def _row(token: Any) -> dict[str, Any]:
    from adaldyq.web.accounts.tokens import token_status

    def at(value: Any) -> str | None:
        return value.isoformat(timespec="seconds") if value is not None else None

    return {
        "prefix": token.prefix,
        "user": token.user.get_username(),
        "role": token.user.role,
        "name": token.name,
        "status": token_status(token),
        "created_at": at(token.created_at),
        "created_by": token.created_by,
        "expires_at": at(token.expires_at),
        "revoked_at": at(token.revoked_at),
        "last_used_at": at(token.last_used_at),
    }


def _user(login: str) -> User:
    """The user LOGIN (TokenError when there is none)."""
    from adaldyq.web.accounts.models import User
    from adaldyq.web.accounts.tokens import TokenError

    user = User.objects.filter(username=login).first()
    if user is None:
        raise TokenError(f"no user {login!r}")
    return user


@app.command("create")
def create(
    login: str,
    name: Annotated[str, typer.Option("--name", help='What the client is ("court system").')],
    days: Annotated[int, typer.Option("--days", help="Days until it expires (1 to 365).")] = 90,
    output: FormatOption = OutputFormat.text,
    data: DataDirOption = None,
) -> None:
    """Make a token for LOGIN (a person's or a machine account's) and print it once: it is not kept."""
    web_setup(data)
    from adaldyq.web.accounts.tokens import token_create

    user = _user(login)
    token, secret = token_create(user=user, name=name, days=days, by=BY)
    if output is OutputFormat.text:
        typer.echo(secret)
        err_console.print(
            f"{token.prefix} for {login} ({user.role}), expires {token.expires_at:%Y-%m-%d}; "
            "the token is shown only now",
            highlight=False,
        )
        return
    typer.echo(dumps(_row(token) | {"token": secret}))


@app.command("revoke")
def revoke(prefix: str, data: DataDirOption = None) -> None:
    """Revoke the token PREFIX (adq_...): the API refuses it from the next request on."""
    web_setup(data)
    from adaldyq.web.accounts.tokens import token_revoke

    token = token_revoke(prefix=prefix, by=BY)
    console.print(f"{token.prefix} of {token.user.get_username()} revoked", highlight=False)


@app.command("list")
def list_tokens(
    login: Annotated[str | None, typer.Option("--login", help="Only this user's tokens.")] = None,
    output: FormatOption = OutputFormat.text,
    data: DataDirOption = None,
) -> None:
    """List the tokens (never their secrets): prefix, user, name, status, expiry, last use."""
    web_setup(data)
    from adaldyq.web.accounts.tokens import tokens_of

    user = None if login is None else _user(login)
    rows = [_row(t) for t in tokens_of(user)]
    if not printed_for_scripts(output, {"tokens": rows}, rows):
        for r in rows:
            used = r["last_used_at"] or "never used"
            console.print(
                f"{r['prefix']}  {r['user']} ({r['role']})  {r['status']}  "
                f"expires {r['expires_at']}  {used}  {r['name']}",
                highlight=False,
                markup=False,
            )
        if not rows:
            console.print("no API tokens")
