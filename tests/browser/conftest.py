"""Browser tests: Debian's chromium driven by Playwright against pytest-django's live server."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault(
    "DJANGO_ALLOW_ASYNC_UNSAFE", "true"
)  # Playwright's sync API runs an event loop

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    path = os.environ.get("ADALDYQ_CHROMIUM", "/usr/bin/chromium")
    if not Path(path).exists():
        pytest.skip(f"chromium not found at {path} (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": path, "args": ARGS}


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the tests leave screenshots (ADALDYQ_SCREENSHOTS, else a temporary folder)."""
    given = os.environ.get("ADALDYQ_SCREENSHOTS")
    path = Path(given) if given else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session", autouse=True)
def ledger_signing_key() -> None:
    """The deployment's signing key, made once (tests/ledger_state.py)."""
    signing_key()


# The demo as shipped, for the role tests (tests/browser/shipped.py).
from tests.browser.shipped import shipped_demo, shipped_server  # noqa: E402, F401

# Each test its own verifier pin and signer state (tests/ledger_state.py).
from tests.ledger_state import (  # noqa: E402, F401
    ledger_private_state,
    ledger_starts_empty,
    signing_key,
)
