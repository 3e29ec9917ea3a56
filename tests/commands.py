"""`adaldyq` run in a process of its own, as a user runs it, by the tests."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def shell_environment() -> dict[str, str]:
    """The environment of a user's shell: this session's, without its database and Django settings."""
    return {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }


def adaldyq(
    data_dir: Path,
    *args: str,
    env: Mapping[str, str],
    stdin: str | None = None,
    timeout: float | None = None,
    clock: bool = False,
) -> subprocess.CompletedProcess[str]:
    """`adaldyq ARGS --data-dir DATA_DIR` in the environment `env` (the whole of it), `stdin` typed
    in; with `clock`, on the session's today (tests/clock.py). Its exit code, output and errors."""
    program = (
        [sys.executable, "-m", "tests.clock", "adaldyq"]
        if clock
        else [str(Path(sys.executable).with_name("adaldyq"))]
    )
    return subprocess.run(
        [*program, *args, "--data-dir", str(data_dir)], input=stdin, env=dict(env), cwd=ROOT,
        capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip
