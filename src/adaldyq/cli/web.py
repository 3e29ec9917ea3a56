"""`adaldyq web serve|migrate|create-user`, `adaldyq ledger replay` and `adaldyq ledger audit-views` (the web
read models against the ledger)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from typing import TYPE_CHECKING, Annotated, Any

import typer

from adaldyq.cli._common import (
    SIGN_EVERY,
    Area,
    console,
    dumps,
    err_console,
    fail,
    printed_for_scripts,
    web_setup,
)
from adaldyq.cli.api_token import app as api_token_app
from adaldyq.cli.options import DataDirOption, FormatOption, OutputFormat

if TYPE_CHECKING:
    from django.core.handlers.wsgi import WSGIHandler

app = Area("The web application: serve it, migrate its database, add users.")

app.add_typer(api_token_app, name="api-token")

PortOption = Annotated[int, typer.Option("--port", help="Port on 127.0.0.1.", min=1, max=65535)]
WorkersOption = Annotated[
    int | None,
    typer.Option(
        "--workers",
        help="Server processes (default: two per core).",
        min=1,
        max=64,
        show_default=False,
    ),
]
ThreadsOption = Annotated[
    int,
    typer.Option(
        "--threads",
        help="Threads per server process (1: sync workers; more: gthread workers).",
        min=1,
        max=32,
    ),
]


def default_workers() -> int:
    """Two worker processes per core this process may run on (docs/decisions/0012-serving.md).

    A sync worker waits, idle, for every durable SQLite commit (two requests in three write: each
    opening of a file is a ledger entry) and for every PostgreSQL round trip; with one worker per
    core the cores idled through those waits. ADR 0012 has the measurements behind two per core.
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return 2 * max(1, cores)


SignEveryOption = Annotated[
    float,
    typer.Option(
        "--sign-every",
        min=0,
        help="Start `adaldyq ledger sign --every S` beside the server (0: do not).",
    ),
]


#: Seconds between the register keeper's looks at the ledger (`adaldyq oversight keep --every`).
KEEP_EVERY = 1.0

KeepEveryOption = Annotated[
    float,
    typer.Option(
        "--keep-every",
        min=0,
        help="Start `adaldyq oversight keep --every S` beside the server (0: do not).",
    ),
]


def beside(area: str, verb: str, every: float) -> subprocess.Popen[bytes] | None:
    """`adaldyq AREA VERB --every EVERY` as a process of its own on the configured data folder,
    beside the server (None when `every` is 0)."""
    if not every:
        return None
    from django.conf import settings

    command = [sys.executable, "-m", "adaldyq.cli", area, verb, "--every", f"{every:g}"]
    command += ["--data-dir", str(settings.DATA_DIR)]
    return subprocess.Popen(command)


def signer_start(every: float) -> subprocess.Popen[bytes] | None:
    """`adaldyq ledger sign --every EVERY` beside the server.

    The signing key stays out of the web workers (issue 16); the signer signs a checkpoint only when
    the tree grew, so a decision is covered within `every` seconds of being recorded.
    """
    return beside("ledger", "sign", every)


def keeper_start(every: float) -> subprocess.Popen[bytes] | None:
    """`adaldyq oversight keep --every EVERY` beside the server: the deviation register built once
    and kept up to date for the register page (ADR 0036), so that no request builds it (on the
    national demo that takes longer than a request may)."""
    return beside("oversight", "keep", every)


def stop_beside(process: subprocess.Popen[bytes] | None) -> None:
    """Stop a process `beside` started (the signer and the keeper hold nothing that needs a clean
    shutdown)."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def serve_forever(
    port: int,
    workers: int | None = None,
    threads: int = 1,
    sign_every: float = SIGN_EVERY,
    keep_every: float = KEEP_EVERY,
) -> None:
    """Serve the configured application on http://127.0.0.1:PORT with gunicorn until interrupted.

    Django must be set up (`django_setup`). The application is loaded once here and the worker
    processes are forked from it (docs/decisions/0012-serving.md); whitenoise serves the static files.
    The ledger's signer and the register's keeper run beside it, each a process of its own
    (`signer_start`, `keeper_start`).
    """
    import logging

    from django.conf import settings
    from django.db import connections
    from gunicorn.app.base import BaseApplication

    from adaldyq.web.records.selectors import law_pack
    from adaldyq.web.release.probation_selectors import warm as warm_probation
    from adaldyq.web.wsgi import application

    law_pack()  # parsed once, shared by the forked workers
    warm_probation()  # the country's probation files folded once here, not once per worker
    settings.LEDGER_SIGN_EVERY = sign_every  # what /verify promises for a fresh decision
    connections.close_all()  # no database connection may cross the fork
    count = workers or default_workers()
    options = {
        "bind": f"127.0.0.1:{port}",
        "workers": count,
        "worker_class": "sync" if threads == 1 else "gthread",
        "threads": threads,
        # A request waiting for SQLite's write lock waits up to the busy timeout (20 s) first.
        "timeout": 60,
        # Over-long addresses reach the application, which answers with its own 414 page in the
        # reader's language (adaldyq.web.errors); gunicorn still stops a request line at 1 MB.
        "limit_request_line": 0,
        "graceful_timeout": 10,
        "preload_app": True,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "adaldyq-web",
    }

    class Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        # django-stubs types a WSGI application's start_response as wsgiref's (it returns write),
        # types-gunicorn as a callable returning None: the same application, two spellings.
        def load(self) -> WSGIHandler:  # type: ignore[override]
            return application

    if settings.DEBUG:
        logging.getLogger(__name__).warning(
            "DJANGO_DEBUG=1: debug pages are on; not for production"
        )
    console.print(
        f"serving http://127.0.0.1:{port}/ with {count} worker processes"
        f"{f', {threads} threads each' if threads > 1 else ''} (Ctrl-C to stop)",
        highlight=False,
    )
    signer, keeper = signer_start(sign_every), keeper_start(keep_every)
    try:
        Server().run()
    finally:
        stop_beside(signer)
        stop_beside(keeper)


@app.command()
def serve(
    data: DataDirOption = None,
    port: PortOption = 8000,
    workers: WorkersOption = None,
    threads: ThreadsOption = 1,
    sign_every: SignEveryOption = SIGN_EVERY,
    keep_every: KeepEveryOption = KEEP_EVERY,
) -> None:
    """Serve the web application on http://127.0.0.1:PORT (SQLite in the data folder, or DATABASE_URL)."""
    web_setup(data)
    serve_forever(port, workers, threads, sign_every, keep_every)


@app.command()
def migrate(data: DataDirOption = None) -> None:
    """Create or update the database tables (read models and the ledger's)."""
    directory = web_setup(data)
    console.print(f"database ready in {directory}")


@app.command()
def check(output: FormatOption = OutputFormat.text, data: DataDirOption = None) -> None:
    """Is this deployment ready for production? Django's `check --deploy` and the project's own
    checks (HTTPS, DEBUG, hosts, secret key, file modes, signing key, proxies, cache); one line per
    problem, exit 1 if any."""
    web_setup(data, migrate=False, make_private=False)
    from django.core.checks import WARNING, run_checks

    problems = [
        {"id": m.id or "", "problem": str(m.msg).splitlines()[0], "hint": str(m.hint or "")}
        for m in run_checks(include_deployment_checks=True)
        if m.level >= WARNING and not m.is_silenced()
    ]
    if output is OutputFormat.text:
        for p in problems:
            console.print(f"{p['id']}: {p['problem']}", highlight=False, soft_wrap=True)
        if not problems:
            console.print("ready for production: no problem found", highlight=False)
    elif output is OutputFormat.json:
        typer.echo(dumps({"ok": not problems, "problems": problems}))
    else:
        for p in problems:
            typer.echo(dumps(p))
    if problems:
        raise typer.Exit(1)


@app.command("create-user")
def create_user(
    username: str,
    role: Annotated[
        str,
        typer.Option(
            help="records_officer, head, regional, committee, prosecutor, "
            "anticorruption, ombudsman, public_council, prisoner, law_admin, probation_officer"
        ),
    ],
    institution: Annotated[
        str | None, typer.Option(help="Institution code (officer, head).")
    ] = None,
    region: Annotated[
        str | None, typer.Option(help="Region key (regional, probation_officer).")
    ] = None,
    person: Annotated[str | None, typer.Option(help="Person id (prisoner).")] = None,
    name: Annotated[
        str, typer.Option(help="Full name, surname first, as pages and documents show it.")
    ] = "",
    position: Annotated[
        list[str] | None,
        typer.Option(
            help="Position: TEXT for every language, or kk=TEXT, ru=TEXT, en=TEXT (repeat the "
            "option); a language left out shows the role's words."
        ),
    ] = None,
    two_factor: Annotated[
        bool,
        typer.Option(
            "--two-factor",
            help="Sign in with a code from an authenticator (enrolled at the first sign-in) even "
            "where the role does not require it; heads, regional, committee, oversight and law_admin "
            "always do.",
        ),
    ] = False,
    data: DataDirOption = None,
) -> None:
    """Add a user; the password is asked for twice and hashed with Argon2."""
    web_setup(data)
    from adaldyq.core.errors import InputError
    from adaldyq.web.accounts.roles import Role
    from adaldyq.web.accounts.services import user_create
    from adaldyq.web.institutions.models import Institution, Region

    if role not in {r.value for r in Role}:
        raise InputError(f"unknown role {role!r}: one of {', '.join(r.value for r in Role)}")
    inst = Institution.objects.filter(code=institution).first() if institution else None
    if institution and inst is None:
        raise InputError(f"no institution with the code {institution!r} in the register")
    area = Region.objects.filter(key=region).first() if region else None
    if region and area is None:
        raise InputError(f"no region {region!r}: one of the keys in the institutions register")
    positions = _positions(position or [])
    password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    user_create(
        username=username,
        password=password,
        role=Role(role),
        institution=inst,
        region=area,
        person_id=person,
        full_name=name,
        position=positions,
        two_factor_required=two_factor,
    )
    from adaldyq.web.accounts.twofactor import role_requires_code

    if two_factor or role_requires_code(role):
        console.print(
            f"user {username} ({role}) created; enrols an authenticator at the first sign-in"
        )
    else:
        console.print(f"user {username} ({role}) created")


def _login(login: str, data: DataDirOption) -> Any:
    """The web's user `login` (Django set up on the data folder); an InputError when there is none."""
    web_setup(data)
    from adaldyq.core.errors import InputError
    from adaldyq.web.accounts.models import User

    user = User.objects.filter(username=login).first()
    if user is None:
        raise InputError(f"no user {login!r}")
    return user


@app.command("otp-code")
def otp_code(login: str, data: DataDirOption = None) -> None:
    """Print the code a login's authenticator would show now (for the demo's logins; ADR 0039)."""
    from adaldyq.core.errors import InputError

    user = _login(login, data)  # Django is set up here: the second factor's models after it
    from adaldyq.web.accounts.twofactor import authenticator, next_code

    device = authenticator(user)
    if device is None:
        raise InputError(
            f"{login} has no authenticator: it signs in without a code or enrols first"
        )
    found = next_code(device)
    if found is None:
        raise InputError(
            f"{login} signed in with this half-minute's codes already: run again in {device.step} s"
        )
    code, seconds = found
    typer.echo(code)
    err_console.print(f"good for about {seconds} s", style="dim", highlight=False)


@app.command("two-factor-reset")
def two_factor_reset(login: str, data: DataDirOption = None) -> None:
    """Forget a login's authenticator and recovery codes (a lost phone): it enrols at the next sign-in."""
    user = _login(login, data)
    from adaldyq.web.accounts.twofactor import devices_remove

    removed = devices_remove(user=user)
    console.print(
        f"{login}: {removed} devices removed; enrols an authenticator at the next sign-in"
    )


def _positions(values: list[str]) -> dict[str, str]:
    """`--position` values as {language: text}: "kk=..." for one language, plain text for all three."""
    every: dict[str, str] = {}
    one: dict[str, str] = {}
    for value in values:
        lang, sep, text = value.partition("=")
        if sep and lang.strip() in ("kk", "ru", "en"):
            one[lang.strip()] = text.strip()
        else:
            every = dict.fromkeys(("kk", "ru", "en"), value.strip())
    return every | one


ForceOption = Annotated[
    bool,
    typer.Option(
        "--force", help="Rebuild even when the read models differ from the ledger (listed first)."
    ),
]


def _print_differences(found: list[Any], output: OutputFormat) -> None:
    rows = [d.to_dict() for d in found]
    if printed_for_scripts(output, {"differences": rows}, rows):
        return
    for d in found[:200]:
        key = ", ".join(f"{k}={v}" for k, v in d.key.items())
        if d.ledger is None:
            line = f"{d.table} [{key}]: the page shows a row the ledger does not give: {dumps(d.shown)}"
        elif d.shown is None:
            line = f"{d.table} [{key}]: the ledger gives a row the page lacks: {dumps(d.ledger)}"
        else:
            line = (
                f"{d.table} [{key}] {d.column}: the page shows {dumps(d.shown)}, "
                f"the ledger says {dumps(d.ledger)}"
            )
        console.print(line, highlight=False, markup=False, soft_wrap=True)
    if len(found) > 200:
        console.print(f"(first 200 of {len(found):,}; --format jsonl for all)")


def audit_views(output: FormatOption = OutputFormat.text, data: DataDirOption = None) -> None:
    """Recompute every read model from the ledger and list each row that differs (exit 1 if any)."""
    web_setup(data)
    from adaldyq.web.audit.services import audit_views as audit

    started = time.perf_counter()
    found, check = audit()
    _print_differences(found, output)
    if output is OutputFormat.text:
        if found:
            tables = ", ".join(f"{t} {n:,}" for t, n in sorted(check.tables.items()))
            console.print(
                f"{check.differences:,} rows differ from the ledger ({tables}); "
                f"checked up to entry {check.ledger_upto} in {time.perf_counter() - started:.1f} s",
                highlight=False,
            )
        else:
            console.print(
                f"the read models agree with the ledger (up to entry {check.ledger_upto}; "
                f"{time.perf_counter() - started:.1f} s)",
                highlight=False,
            )
    if found:
        raise typer.Exit(1)


def replay(force: ForceOption = False, data: DataDirOption = None) -> None:
    """Rebuild the web read models from the ledger; if they differ from it, list how and stop
    (`--force`: rebuild all the same)."""
    web_setup(data)
    from adaldyq.web.audit.services import audit_views as audit
    from adaldyq.web.records.services import other_read_models_rebuild, read_models_rebuild

    started = time.perf_counter()
    found, check = audit()
    if found:
        _print_differences(found, OutputFormat.text)
        if not force:
            raise fail(
                f"{check.differences:,} rows of the read models differ from the ledger (listed above); "
                "nothing was rebuilt: find out why, then rebuild with: adaldyq ledger replay --force"
            )
        console.print(f"rebuilding {check.differences:,} differing rows from the ledger (--force)")
    n = read_models_rebuild()
    console.print(
        f"personal files: replayed {n:,} entries in {time.perf_counter() - started:.1f} s"
    )
    for app_label, applied in other_read_models_rebuild().items():
        console.print(f"{app_label}: {applied:,} entries applied")
    if found:  # rebuilt from the ledger, the rows now agree with it: the alarm clears
        from adaldyq.web.audit.services import record_rebuilt

        record_rebuilt(check.ledger_upto)
    console.print(f"done in {time.perf_counter() - started:.1f} s")
