"""/verify/ against the history it pinned, and the witnesses that vouch for it (issue 16)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.test import Client

from adaldyq.web.decisions.models import Decision
from adaldyq.web.records.checkpoints import sign_guarded
from tests.web.decisions.tampering import rewrite_and_resign
from tests.web.decisions.test_commission import world  # noqa: F401 - the fixture
from tests.web.decisions.test_pages import _decide, _open
from tests.web.fixtures import client_as


def test_a_history_rewritten_and_re_signed_with_the_real_key_turns_verify_red(world):  # noqa: F811
    client = client_as(world["officer"])
    _decide(client, _open(client), outcome="award_degree", degree="1")
    d = Decision.objects.get()
    sign_guarded(Path(settings.DATA_DIR))

    first = Client().get(f"/verify/{d.code}", HTTP_ACCEPT_LANGUAGE="en")
    assert first.status_code == 200
    assert 'data-state="verified"' in first.content.decode()  # and the verifier pins this tree

    # an admission long before the decision, rewritten; every later entry keeps its bytes
    rewrite_and_resign(0, b'"born":"', b'"born":"1', settings.DATA_DIR)
    second = Client().get(f"/verify/{d.code}", HTTP_ACCEPT_LANGUAGE="en")

    page = second.content.decode()
    assert second.status_code == 409
    assert 'data-state="failed"' in page
    assert "continues the history this verifier pinned first" in page


def test_the_page_counts_the_independent_witnesses_that_cosigned(world):  # noqa: F811
    import shutil

    from django.db import connection

    from adaldyq.ledger import sql
    from adaldyq.ledger.keys import load_verifiers
    from adaldyq.ledger.witness_protocol import ProtocolWitness

    client = client_as(world["officer"])
    _decide(client, _open(client), outcome="award_degree", degree="1")
    d = Decision.objects.get()
    note = sign_guarded(Path(settings.DATA_DIR))
    before = Client().get(f"/verify/{d.code}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No independent witness has cosigned this checkpoint yet." in before

    data = Path(settings.DATA_DIR)
    try:  # a witness elsewhere cosigned (adaldyq ledger sign --witness keeps its line in cosigned/)
        witness = ProtocolWitness(data / "elsewhere", name="ombudsman.kz/witness")
        witness.trust(load_verifiers(data)[0])
        answer = witness.add_checkpoint(f"old 0\n\n{note}".encode())
        assert answer.status == 200
        with connection.cursor() as cursor:
            size = sql.read_signed_size(cursor)
        (data / "cosigned").mkdir(exist_ok=True)
        (data / "cosigned" / f"{size}.note").write_text(note + answer.body.decode())
        (data / "witnesses.keys").write_text(witness.verifier.encode() + "\n")

        after = Client().get(f"/verify/{d.code}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "Cosigned by 1 independent witness: ombudsman.kz/witness." in after
    finally:
        shutil.rmtree(data / "elsewhere", ignore_errors=True)
        shutil.rmtree(data / "cosigned", ignore_errors=True)
        (data / "witnesses.keys").unlink(missing_ok=True)


def test_the_checkpoint_is_signed_at_a_time_of_the_pages_own_zone(world):  # noqa: F811
    """The signing time (UTC in the note) reads like the page's other times: Almaty's, formatted."""
    from datetime import UTC, datetime

    import time_machine
    from django.utils import formats, timezone

    client = client_as(world["officer"])
    _decide(client, _open(client), outcome="award_degree", degree="1")
    d = Decision.objects.get()
    with time_machine.travel("2026-12-31T20:30:00Z", tick=False):  # already 1 January in Almaty
        sign_guarded(Path(settings.DATA_DIR))
    page = Client().get(f"/verify/{d.code}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    moment = timezone.localtime(datetime(2026, 12, 31, 20, 30, tzinfo=UTC))
    assert formats.date_format(moment, "DATETIME_FORMAT") in page
    assert "2026-12-31T20:30:00Z" not in page
