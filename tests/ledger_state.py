"""The deployment's ledger state for the web and browser tests (imported by both conftests).

A deployment makes its signing key once (`adaldyq ledger key-create`; nothing in the application makes
one on its own, issue 16), and keeps the verifier's pin and the signer's memory across its life. Each test
has its own database, so each gets its own pin and signer state (a pin of another test's tree would not
match).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


def signing_key() -> None:
    from django.conf import settings

    from adaldyq.ledger.keys import DEFAULT_ORIGIN, create_signer, load_signer

    if load_signer(Path(settings.DATA_DIR)) is None:
        create_signer(Path(settings.DATA_DIR), DEFAULT_ORIGIN)


@pytest.fixture(autouse=True)
def ledger_private_state(tmp_path_factory: pytest.TempPathFactory, settings: Any) -> None:
    folder = tmp_path_factory.mktemp("ledger-state")
    settings.LEDGER_PIN_FILE = str(folder / "pin.json")
    settings.LEDGER_SIGNER_STATE = str(folder / "signer")
