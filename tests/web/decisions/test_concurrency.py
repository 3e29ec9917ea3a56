"""Two secretaries record the same agenda item at once: one decision is signed, the other is refused."""

from __future__ import annotations

import json
import subprocess
import sys
import time
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
from tests.web.decisions.race_worker import SECRETARIES
from tests.web.decisions.test_commission import world  # noqa: F401 - the fixture
from tests.web.visits.test_concurrency import ROOT, _env
from tests.web.visits.test_concurrency import database_url as race_database_url  # noqa: F401

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
    env = _env(race_database_url, tmp_path)
    worker = [sys.executable, "-m", "tests.web.decisions.race_worker"]
    made = subprocess.run(
        [*worker, "setup"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    item = json.loads(made.stdout.strip().splitlines()[-1])["item"]
    go = tmp_path / "go"
    procs = [
        subprocess.Popen(
            [*worker, "decide", str(i), str(go), str(item)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(SECRETARIES)
    ]
    deadline = time.monotonic() + 240
    while len(list(tmp_path.glob("go.ready.*"))) < SECRETARIES and time.monotonic() < deadline:
        time.sleep(0.05)
    go.touch()  # every process has read the item and waits: all submit at once
    results = []
    for p in procs:
        out, err = p.communicate(timeout=240)
        assert p.returncode == 0, err[-2000:]
        results.append(json.loads(out.strip().splitlines()[-1]))

    decided = [r for r in results if "decided" in r]
    refused = [r for r in results if "refused" in r]
    assert len(decided) == 1, results
    assert [r["refused"] for r in refused] == ["this agenda item is already decided"] * (
        SECRETARIES - 1
    )
    count = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); "
         "from adaldyq.ledger import sql; from django.db import connection; "
         "c = connection.cursor(); "
         "print(sum(e.type == 'decision_recorded' for e in sql.read_entries(c, 0, sql.read_size(c))))"],
        env=env, cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert count.stdout.strip() == "1"  # the refused ones left no entry in the ledger


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
