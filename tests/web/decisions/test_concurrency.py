"""Two secretaries record the same agenda item at once: one decision is signed, the other is refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from adaldyq.web.decisions import projection, services
from adaldyq.web.decisions.models import Decision, Session
from adaldyq.web.records import ledger_port
from adaldyq.web.records.ledger_port import Draft
from adaldyq.web.records.services import actor_of
from tests.web.concurrency import Race, race_database_url  # noqa: F401 - the fixture
from tests.web.decisions.race_worker import SECRETARIES
from tests.web.decisions.test_commission import world  # noqa: F401 - the fixture

MEMBERS = [
    {"name": "Staff One", "group": "staff", "present": True},
    {"name": "Public Three", "group": "public", "present": True},
]


def _session(world: dict[str, Any]) -> Session:  # noqa: F811
    on = timezone.localdate()  # a sitting's date lies near today (adaldyq.web.datebounds)
    return services.session_open(officer=world["officer"], on=on, members=MEMBERS)


def test_secretaries_deciding_one_item_at_once_sign_one_decision_and_the_others_are_refused(
    race_database_url: str,  # noqa: F811 - the fixture
    tmp_path: Path,
) -> None:
    race = Race("tests.web.decisions.race_worker", race_database_url, tmp_path)
    item = race.setup()["item"]

    results = race.run("decide", SECRETARIES, str(item))

    decided = [r for r in results if "decided" in r]
    refused = [r for r in results if "refused" in r]
    assert len(decided) == 1, results
    assert [r["refused"] for r in refused] == ["this agenda item is already decided"] * (
        SECRETARIES - 1
    )
    count = race.python(
        "from adaldyq.ledger import sql; from django.db import connection; "
        "c = connection.cursor(); "
        "print(sum(e.type == 'decision_recorded' for e in sql.read_entries(c, 0, sql.read_size(c))))"
    )
    assert count == "1"  # the refused ones left no entry in the ledger


def test_the_database_refuses_a_second_decision_row_for_one_item(world):  # noqa: F811
    session = _session(world)
    item = session.items.get(question="degree")
    first = services.decision_record(
        officer=world["officer"], item=item, outcome="award_degree", terms={"degree": 1},
        votes={"m1": "for", "m2": "for"},
    )  # fmt: skip
    payload = {
        "session": session.pk, "item": item.seq, "institution": session.institution_code,
        "on": session.on.isoformat(), "question": "degree", "outcome": "refuse", "proposal": {},
        "quorum": {}, "law_pack": {}, "facts_hash": "", "fact_seqs": [],
    }  # fmt: skip
    draft = Draft(
        actor=actor_of(world["officer"]), subject=item.person_id, type="decision_recorded",
        payload=payload,
    )  # fmt: skip

    with pytest.raises(IntegrityError), transaction.atomic():
        ledger_port.append_projected([draft], projection.project)

    assert list(Decision.objects.filter(item=item)) == [first]
