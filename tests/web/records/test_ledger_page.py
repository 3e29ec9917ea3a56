"""Oversight bodies witness the ledger's checkpoints; nobody else may."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection

from adaldyq.web.records import services
from tests.web.fixtures import person_payload, register, signed_in


@pytest.fixture
def world(make_user: Any) -> None:
    insts = register()
    officer = make_user("officer", "records_officer", institution=insts["k1"])
    services.person_admit(officer=officer, person=person_payload())
    make_user("ombudsman", "ombudsman")


@pytest.mark.django_db
def test_a_records_officer_sees_the_ledger_but_cannot_witness(world: None) -> None:
    client = signed_in("officer")

    assert "Entries" in client.get("/ledger/").content.decode()
    assert client.post("/ledger/").status_code == 403


@pytest.mark.django_db(transaction=True)
def test_an_oversight_body_witnesses_and_cosigns_the_growing_ledger(world: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the witness opens its own connection; the SQLite test database is in memory")
    client = signed_in("ombudsman")
    from pathlib import Path

    from django.conf import settings

    from adaldyq.web.records.checkpoints import sign_guarded

    sign_guarded(Path(settings.DATA_DIR))  # the signer process signs; the web only witnesses
    first = client.post("/ledger/")
    from adaldyq.web.accounts.models import User

    services.person_admit(
        officer=User.objects.get(username="officer"), person=person_payload("KA-0009")
    )
    sign_guarded(Path(settings.DATA_DIR))
    second = client.post("/ledger/")

    assert first.status_code == 200
    seen = re.search(
        r"before \((\d+) entries\); now (\d+) entries, cosigned", second.content.decode()
    )
    assert seen is not None
    assert int(seen[2]) == int(seen[1]) + 1
