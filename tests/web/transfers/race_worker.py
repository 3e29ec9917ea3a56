"""A process of the filing race (test_refusals): `setup` builds the world, `file N` files once.

Run with DJANGO_SETTINGS_MODULE=adaldyq.web.settings.base and DATABASE_URL / ADALDYQ_DATA_DIR set,
so that every process talks to the same real database the way the web server's workers do.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from tests.web.concurrency import wait_for_the_start, worker_main

#: Relatives filing for the same person at once, each to another nearer institution.
FILERS = 4
TODAY = date(2026, 3, 2)


def setup() -> None:
    from django.core.management import call_command

    from adaldyq.web.records import services as records
    from tests.web.fixtures import person_payload
    from tests.web.transfers.conftest import small_register

    call_command("migrate", verbosity=0)
    small_register()
    from adaldyq.web.accounts.roles import Role
    from adaldyq.web.accounts.services import user_create

    clerk = user_create(username="clerk", password="x" * 12, role=Role.committee)
    records.person_admit(
        officer=clerk,
        person=person_payload("KA-0001", institution="M-ALM", home_region="karaganda"),
    )
    print(json.dumps({"ok": True}))


def file(i: int, go: Path) -> None:
    from adaldyq.web.records.models import Person
    from adaldyq.web.transfers import services

    person = Person.objects.select_related("institution").get(number="KA-0001")
    target = ("M-KAR", "M-AKM")[i % 2]
    wait_for_the_start(i, go)
    try:
        r, _code = services.transfer_request_file(
            actor=services.public_actor(f"N{i}"), person=person, target=target,
            ground="closer_to_home", filed_by="relative", on=TODAY,
        )  # fmt: skip
    except services.TransferRefusedError as exc:
        print(json.dumps({"i": i, "refused": exc.code, "message": exc.diagnostics()}))
    else:
        print(json.dumps({"i": i, "filed": r.number}))


if __name__ == "__main__":
    worker_main(setup, file)
