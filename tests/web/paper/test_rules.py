"""The paper import against the late-entry rules (ADR 0033), the findings of facts read once that
change an outcome today, and the command (issue 23, ADR 0042)."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.utils import timezone
from typer.testing import CliRunner

from adaldyq.cli.__main__ import app
from adaldyq.web.paper import selectors, services
from adaldyq.web.records import ledger_port
from adaldyq.web.records import services as records
from adaldyq.web.records.models import Fact
from adaldyq.web.records.services import actor_of
from tests.web.fixtures import person_payload
from tests.web.paper.conftest import ADMISSION, SCAN_1, SCAN_2, table

pytestmark = pytest.mark.django_db

SCANS = [
    services.Upload("p1.jpg", "image/jpeg", SCAN_1),
    services.Upload("p2.jpg", "image/jpeg", SCAN_2),
]


def _day(days_ago: int) -> str:
    return (timezone.localdate() - timedelta(days=days_ago)).isoformat()


def _import(user: Any, content: bytes) -> services.Report:
    return services.paper_import(
        actor=actor_of(user), name="b.csv", content=content, scans=SCANS,
        institution=user.institution.code,
    )  # fmt: skip


def test_a_file_opened_long_ago_takes_paper_facts_with_their_reason_but_not_past_the_head(
    world: dict[str, Any],
) -> None:
    with time_machine.travel(timezone.now() - timedelta(days=400), tick=True):
        records.person_admit(officer=world["a"], person=person_payload("KA-0100"))

    late = _import(
        world["a"], table(f"KA-0100,A-1,3,p2.jpg,incentive,{_day(45)},gratitude,,,,,,,,,")
    )
    very = _import(
        world["a"], table(f"KA-0100,A-1,4,p2.jpg,incentive,{_day(120)},gratitude,,,,,,,,,")
    )

    assert late.written
    fact = Fact.objects.get(kind="incentive")
    assert fact.data == {"kind": "gratitude"}  # how it was entered is not the fact
    with connection.cursor() as cursor:
        entry = next(
            e for e in ledger_port.entries_about(cursor, fact.person_id) if e.seq == fact.seq
        )
    assert entry.payload["late"] == {"code": "paper_file", "reason": "paper file A-1, page 3"}
    assert [(r.line, r.column) for r in very.refused] == [(2, "on")]


def test_a_fact_read_once_that_qualifies_a_degree_is_a_finding_until_a_second_officer_reads_it(
    world: dict[str, Any],
) -> None:
    incentive = f"KA-0100,A-1/2020,2,p2.jpg,incentive,{_day(200)},gratitude,,,,,,,,,"
    admission = ADMISSION.replace("2023-02-01", _day(400)).replace("2023-01-10", _day(420))
    _import(world["a"], table(admission, incentive))

    found = selectors.outcome_findings(world["prosecutor"], on=timezone.localdate())
    assert len(found) == 1
    assert ("qualifies_for_degree", 0, 1) in found[0].outcome.changes
    assert [s.kind for s in found[0].sources] == ["incentive"]
    client = Client()
    client.force_login(world["prosecutor"])
    page = client.get("/paper/findings/").content.decode()
    assert "Көтермелеу" in page  # the incentive, named in the page's language
    assert f'src="/paper/scans/{hashlib.sha256(SCAN_2).hexdigest()}"' in page

    _import(world["b"], table(incentive))
    assert selectors.outcome_findings(world["prosecutor"], on=timezone.localdate()) == []
    assert selectors.double_entry_share() == {"UK-161/1": (1, 1)}


def test_the_command_writes_the_template_checks_and_names_each_refused_row(
    world: dict[str, Any], tmp_path: Any
) -> None:
    (tmp_path / "scans").mkdir()
    (tmp_path / "scans" / "p1.jpg").write_bytes(SCAN_1)
    (tmp_path / "scans" / "p2.jpg").write_bytes(SCAN_2)
    template = CliRunner().invoke(
        app,
        [
            "records",
            "import-paper",
            "--template",
            "xlsx",
            "--lang",
            "kk",
            "-o",
            str(tmp_path / "t.xlsx"),
        ],
    )
    assert template.exit_code == 0, template.output
    bad = tmp_path / "bad.csv"
    bad.write_bytes(table(ADMISSION, "KA-0100,A-1/2020,2,p9.jpg,incentive,2023-05-12,,,,,,,,,,"))

    good = tmp_path / "good.csv"
    good.write_bytes(table(ADMISSION))
    scans = str(tmp_path / "scans")

    refused = CliRunner().invoke(app, ["records", "import-paper", str(bad), "--scans", scans])
    checked = CliRunner().invoke(
        app,
        ["records", "import-paper", str(good), "--scans", scans, "--dry-run", "--format", "json"],
    )

    assert refused.exit_code == 2
    assert "line 3, column 'scan'" in refused.output
    assert checked.exit_code == 0, checked.output
    assert '"people":1' in checked.output
    assert '"written":false' in checked.output
    assert not Fact.objects.exists()
