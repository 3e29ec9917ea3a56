"""The demo as shipped (issue 13): `adaldyq demo --build-only` once per session, served by `adaldyq web serve`.

The role tests (`test_role_*.py`) start from exactly what a new user gets from the README's first command:
the same command builds the data (small scale, on SQLite in a data folder, or on a database of its own on
the throwaway PostgreSQL server when ADALDYQ_TEST_DB=postgres), the same command serves it (gunicorn), and
the logins are those the demo prints (`demo-logins.json`). Both commands run on the session's today
(tests/clock.py). The role tests share one demo: each does its own task and must not rely on another's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.commands import adaldyq
from tests.pgserver import new_database
from tests.served import environment, free_port, serving
from tests.twofactor import code_for, hex_of_base32

ROOT = Path(__file__).resolve().parents[2]
DB = os.environ.get("ADALDYQ_TEST_DB", "sqlite")


@dataclass(frozen=True)
class ShippedDemo:
    """A built demo: its data folder, the environment its commands run in, and its printed logins."""

    data_dir: Path
    env: dict[str, str]
    logins: dict[str, dict[str, str]]
    built: dict[str, Any] = field(default_factory=dict)

    def command(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        """Run `adaldyq ARGS` on this demo (its data folder and database, the session's today)."""
        return adaldyq(self.data_dir, *args, env=self.env, timeout=timeout, clock=True)


def _environment(database_url: str | None) -> dict[str, str]:
    env = environment(database_url)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    env["COLUMNS"] = "200"
    return env


@pytest.fixture(scope="session")
def shipped_demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> ShippedDemo:
    """`adaldyq demo --build-only` (small scale), built once for the session."""
    data_dir = tmp_path_factory.mktemp("shipped-demo")
    url = None
    if DB == "postgres":
        url = new_database(request.getfixturevalue("postgres_url"), "shipped_demo")
    demo = ShippedDemo(data_dir, _environment(url), {})
    done = demo.command("demo", "--build-only", timeout=1800)
    if done.returncode != 0:
        pytest.fail(
            f"adaldyq demo --build-only failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        )
    logins = json.loads((data_dir / "demo-logins.json").read_text())
    built = json.loads((data_dir / "demo.json").read_text())
    return ShippedDemo(data_dir, demo.env, logins, built)


@pytest.fixture(scope="session")
def shipped_server(shipped_demo: ShippedDemo) -> Iterator[str]:
    """`adaldyq web serve` on the shipped demo; yields its base URL."""
    port = free_port()
    log = shipped_demo.data_dir / "serve.log"
    command = [sys.executable, "-m", "tests.clock", "adaldyq", "web", "serve"]
    command += ["--data-dir", str(shipped_demo.data_dir), "--port", str(port), "--workers", "2"]
    with serving(command, port, env=shipped_demo.env, log=log, cwd=ROOT):
        yield f"http://127.0.0.1:{port}"


#: The last step whose code each demo login signed in with (the server takes each step once).
_USED_STEPS: dict[str, int] = {}


def server_errors(page: Any) -> list[str]:
    """The server's error answers (5xx, as "status URL") to what `page` loads from now on: a list
    that fills as the page goes."""
    failures: list[str] = []
    page.on(
        "response", lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 500 else None
    )
    return failures


def demo_code(demo: ShippedDemo, role: str) -> str:
    """The next code of a demo login's authenticator, from the secret the demo printed (ADR 0039)."""
    login = demo.logins[role]
    code, step = code_for(
        hex_of_base32(login["totp_secret"]), _USED_STEPS.get(login["username"], -1)
    )
    _USED_STEPS[login["username"]] = step
    return code


def sign_in(page: Any, base: str, demo: ShippedDemo, role: str, *, lang: str | None = None) -> None:
    """Sign `page` in as the demo's login for `role` (a key of demo-logins.json), in `lang` if given:
    the password, then, for a role that signs in with two factors, the code of its printed secret."""
    from playwright.sync_api import expect

    login = demo.logins[role]
    page.goto(f"{base}/accounts/login/")
    if lang:
        page.click(f"header .lang button[value={lang}]")
    page.fill("#id_username", login["username"])
    page.fill("#id_password", login["password"])
    page.locator("#id_password").press("Enter")
    expect(page.locator("#id_password")).to_have_count(0)
    if "totp_secret" in login:
        expect(page.locator("#id_otp_token")).to_be_visible()
        page.fill("#id_otp_token", demo_code(demo, role))
        page.locator("#id_otp_token").press("Enter")
        expect(page.locator("#id_otp_token")).to_have_count(0)
