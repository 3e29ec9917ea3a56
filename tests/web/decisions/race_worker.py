"""A process of the decision race (test_concurrency): `setup` opens the sitting, `decide N` decides once.

Run with DJANGO_SETTINGS_MODULE=adaldyq.web.settings.base and DATABASE_URL / ADALDYQ_DATA_DIR set,
so that every process talks to the same real database the way the web server's workers do.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.web.concurrency import wait_for_the_start, worker_main

SECRETARIES = 4
MEMBERS = [
    {"name": "Staff One", "group": "staff", "present": True},
    {"name": "Public Three", "group": "public", "present": True},
]


def setup() -> None:
    from django.core.management import call_command

    from adaldyq.web.decisions import services
    from tests.web.fixtures import account, qualifying_person, register

    call_command("migrate", verbosity=0)
    insts = register()
    officer = account("secretary", "records_officer", institution=insts["k1"])
    from django.utils import timezone

    on = timezone.localdate()  # a sitting's date lies near today (adaldyq.web.datebounds)
    qualifying_person(officer, on)
    session = services.session_open(officer=officer, on=on, members=MEMBERS)
    print(json.dumps({"item": session.items.get(question="degree").seq}))


def decide(i: int, go: Path, item_seq: str) -> None:
    from django.utils import translation

    from adaldyq.web.accounts.models import User
    from adaldyq.web.decisions import services
    from adaldyq.web.decisions.models import AgendaItem

    officer = User.objects.select_related("institution").get(username="secretary")
    item = AgendaItem.objects.select_related("session", "person").get(pk=int(item_seq))
    wait_for_the_start(i, go)
    try:
        with translation.override("en"):
            d = services.decision_record(
                officer=officer, item=item, outcome="award_degree", terms={"degree": 1},
                votes={"m1": "for", "m2": "for"},
            )  # fmt: skip
    except services.DecisionError as exc:
        print(json.dumps({"i": i, "refused": exc.diagnostics()}))
    else:
        print(json.dumps({"i": i, "decided": d.code}))


if __name__ == "__main__":
    worker_main(setup, decide)
