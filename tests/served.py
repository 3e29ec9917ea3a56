"""The site served by a separate process (`adaldyq web serve`) on a free loopback port: for the tests
that serve it (tests/web/test_serve.py, the shipped demo's browser tests) and benchmarks/web_bench.py.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path


def free_port() -> int:
    """A TCP port free on the loopback interface now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def environment(database_url: str | None) -> dict[str, str]:
    """This process's environment without the test session's Django settings, database and data
    folder (the served site reads its own), with DATABASE_URL `database_url` when given."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "ADALDYQ_DATA_DIR", "DJANGO_DEBUG")
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _login_page_answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 - loopback
            return bool(answer.status == 200)
    except OSError:  # not listening yet, or an error answer (urllib's errors are OSErrors)
        return False


@contextlib.contextmanager
def serving(
    command: list[str],
    port: int,
    *,
    env: dict[str, str],
    log: Path,
    cwd: Path | None = None,
    timeout: float = 120,
) -> Iterator[subprocess.Popen[bytes]]:
    """Run `command`, which serves the site on `port`, its output to `log`; yield the process once
    the login page answers 200, then stop it (SIGTERM; killed if still running 30 s later). If the
    process ends, or the page does not answer within `timeout` seconds, RuntimeError with the log's
    end."""
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + timeout
        while not _login_page_answers(f"http://127.0.0.1:{port}/accounts/login/"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
