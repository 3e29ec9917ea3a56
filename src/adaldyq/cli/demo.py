"""`adaldyq demo`: build the synthetic national dataset through the ledger and serve the application."""

from __future__ import annotations

import enum
import os
import time
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from adaldyq.cli._common import console, progress_bar
from adaldyq.cli.options import DataDirOption

MARKER = "demo.json"


class Scale(enum.StrEnum):
    small = "small"
    national = "national"


def demo(
    scale: Annotated[
        Scale, typer.Option("--scale", help="small: 3,000 people; national: 35,000.")
    ] = Scale.small,
    port: Annotated[
        int, typer.Option("--port", help="Port on 127.0.0.1.", min=1, max=65535)
    ] = 8000,
    data: DataDirOption = None,
    build_only: Annotated[
        bool, typer.Option("--build-only", help="Build the data and exit.")
    ] = False,
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Start again from an empty data folder.")
    ] = False,
) -> None:
    """Build a synthetic but realistic dataset, print a login per role and serve http://127.0.0.1:PORT."""
    import orjson

    from adaldyq.cli._common import data_dir

    directory = data_dir(data)
    marker = directory / MARKER
    if rebuild:
        _clear(directory)
    from adaldyq.web.bootstrap import django_setup

    # The demo shows visit booking end to end with the law pack's illustrative figures (D, not law);
    # every screen that uses one says so.
    os.environ.setdefault("ADALDYQ_LAW_OVERLAY", "demo")
    started = time.perf_counter()
    django_setup(directory)
    if marker.exists():
        built = orjson.loads(marker.read_bytes())
        console.print(
            f"using the {built['scale']} demo already built in {directory} (--rebuild to start again)"
        )
    else:
        built = _build(scale, directory)
        marker.write_bytes(orjson.dumps(built))
        console.print(
            f"built {built['people']:,} people ({built.get('released_on_probation', 0):,} of them "
            f"released on parole or substitution), {built['entries']:,} ledger entries, {built['institutions']} "
            f"institutions, {built['planted']} planted abuses in {time.perf_counter() - started:.1f} s"
        )
    _print_logins(directory, port)
    if build_only:
        return
    from adaldyq.cli.web import serve_forever

    serve_forever(port)


def _clear(directory: Path) -> None:
    for name in (
        "adaldyq.sqlite3",
        "adaldyq.sqlite3-wal",
        "adaldyq.sqlite3-shm",
        MARKER,
        "demo-logins.json",
        "planted.jsonl",
    ):
        (directory / name).unlink(missing_ok=True)


def _build(scale: Scale, directory: Path) -> dict[str, object]:
    from django.db import connection

    from adaldyq.demo.probation import parolees_for
    from adaldyq.demo.register import staff
    from adaldyq.demo.synth import (
        DEFAULT_SEED,
        SCALES,
        institutions_for,
        iter_people,
        new_officers,
    )
    from adaldyq.web.demo import build
    from adaldyq.web.records.models import Person

    if Person.objects.exists():
        raise typer.BadParameter(
            "the database already holds people: use --rebuild (SQLite in the data folder), another "
            f"--data-dir, or point DATABASE_URL at an empty database ({connection.settings_dict['NAME']})"
        )
    count = SCALES[scale.value]
    parolees = parolees_for(count)
    as_of = date.today()  # noqa: DTZ011 - histories run up to the day the demo is built
    institutions = institutions_for(scale.value, DEFAULT_SEED)
    officers = [
        *(o for i in institutions for o in staff(i, DEFAULT_SEED)),
        *new_officers(institutions),
    ]
    with progress_bar("loading people through the ledger", to=console, transient=False) as bar:
        task = bar.add_task("people", total=count + parolees)
        report = build(
            institutions,
            officers,
            iter_people(
                institutions,
                count=count,
                seed=DEFAULT_SEED,
                officers=officers,
                as_of=as_of,
                parolees=parolees,
            ),
            data_dir=directory,
            progress=lambda n: bar.advance(task, n),
        )
    return {
        "as_of": as_of.isoformat(),
        "scale": scale.value,
        "people": report.people,
        "released_on_probation": parolees,
        "entries": report.entries,
        "institutions": report.institutions,
        "planted": report.planted,
        "visit_rooms": report.rooms,
        "transfer_requests": report.requests,
        "transfer_decisions": report.decisions,
        "awaiting_placement": report.awaiting,
        "commission_sessions": report.sessions,
        "signed_checkpoint": report.checkpoint,
        "seed": DEFAULT_SEED,
    }


def _print_logins(directory: Path, port: int) -> None:
    from adaldyq.web.demo import authenticators_ensure

    logins = authenticators_ensure(directory)  # a demo built before two-factor sign-in gets them
    console.print(f"\nadaldyq demo: http://127.0.0.1:{port}/   (data in {directory})")
    console.print("logins (kept in demo-logins.json):")
    for role, login in logins.items():
        if "username" not in login:
            continue
        secret = login.get("totp_secret", "")
        code = f"   TOTP secret: {secret}" if secret else ""
        console.print(
            f"  {role:<16} {login['username']:<16} {login['password']:<14} "
            f"scope: {login['scope']:<8}{code}",
            highlight=False,
            soft_wrap=True,
        )
    console.print(
        "logins with a TOTP secret sign in with a code after the password: add the secret to an "
        "authenticator app, or print the current code with "
        f"`adaldyq web otp-code LOGIN --data-dir {directory}`",
        highlight=False,
        markup=False,
        soft_wrap=True,
    )
    relative = logins.get("relative")
    if relative:
        console.print(
            f"  relative         on http://127.0.0.1:{port}{relative['page']}: document number "
            f"{relative['document']}, personal file {relative['file']}",
            highlight=False,
        )
    console.print(f"planted abuses: {directory / 'planted.jsonl'}\n")
