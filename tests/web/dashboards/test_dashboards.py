"""The dashboards: rates within the reader's scope at a signed checkpoint, the rows behind each figure,
the ledger's health with its alarm, and the exports (issue 18)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import orjson
import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from adaldyq.ledger import sql
from adaldyq.ledger.checkpoint import cosign
from adaldyq.ledger.witness import witness_key
from adaldyq.web.audit.models import ViewCheck
from adaldyq.web.institutions.services import institution_upsert
from adaldyq.web.overrides.services import OverridePendingError, override_confirm
from adaldyq.web.records import services as records
from adaldyq.web.records.checkpoints import sign_guarded
from adaldyq.web.records.models import Fact
from tests.languages import in_each_language
from tests.web.fixtures import (
    booked_by_staff,
    person_payload,
    qualifying_person,
    register,
    relative_approved,
    room_defined,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user: Any) -> dict[str, Any]:
    """Karaganda's k1 with two people, Almaty's a1 with one; in k1 the two arrivals, a fact and its
    correction recorded years after their day, and one fact recorded on its day; signed."""
    insts = register()
    officer = make_user("officer", "records_officer", institution=insts["k1"])
    make_user("committee", "committee")
    make_user("almaty", "regional", region=insts["a1"].region)
    make_user("karaganda", "regional", region=insts["k1"].region)
    make_user("clerk", "records_officer", institution=insts["k1"])
    first = records.person_admit(officer=officer, person=person_payload("KA-0001"))
    records.person_admit(
        officer=officer, person=person_payload("KA-0002", id="p-ka-0002", surname="Сейітов")
    )
    records.person_admit(
        officer=officer,
        person=person_payload(
            "AL-0001", id="p-al-0001", surname="Жұмабаев", institution="LA-155/3"
        ),
    )
    late = records.fact_record(
        officer=officer, person=first, fact={"type": "incentive", "on": "2023-05-12"}
    )
    records.fact_correct(
        officer=officer, person=first, original=late, reason="the wrong day",
        replacement={"type": "incentive", "on": "2023-05-13"},
    )  # fmt: skip
    records.fact_record(  # on its day: not late
        officer=officer, person=first,
        fact={"type": "incentive", "on": timezone.localdate().isoformat()},
    )  # fmt: skip
    sign_guarded(Path(settings.DATA_DIR))
    return {"insts": insts, "first": first, "late": late}


def _client(username: str, lang: str = "en") -> Client:
    from adaldyq.web.accounts.models import User

    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    client.force_login(User.objects.get(username=username))
    return client


def _ledger_types() -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        return [e.type for e in sql.read_entries(cursor)]


def test_the_committee_sees_each_institution_against_the_country_at_the_checkpoint(world) -> None:
    page = _client("committee").get("/dashboards/")
    html = page.content.decode()

    assert page.status_code == 200
    ctx = page.context
    rows = {r["unit"]: r for r in ctx["rows"]}
    measures = [m for m, _l, _c in ctx["measures"]]
    k1 = dict(zip(measures, rows["UK-161/1"]["cells"], strict=True))
    assert (k1["corrections"]["n"], k1["corrections"]["k"]) == (5, 1)
    assert (k1["late"]["n"], k1["late"]["k"]) == (5, 4)
    assert "/dashboards/items/?measure=late&amp;level=institution&amp;unit=UK-161%2F1" in html
    assert rows["UK-161/1"]["occupancy"] == (2, 1200)
    assert 'data-vega-spec="funnel-spec"' in html
    assert 'data-vega-spec="trend-spec"' in html
    assert f"checkpoint of {ctx['size']} entries" in html
    assert "no hours of work or study are recorded yet" in html.split('id="fte"')[1][:300]


def test_a_figure_waits_for_the_next_checkpoint(world) -> None:
    officer = world["first"].institution and _officer()
    records.fact_record(
        officer=officer, person=world["first"], fact={"type": "incentive", "on": "2023-07-01"}
    )

    before = _client("committee").get("/dashboards/").context
    sign_guarded(Path(settings.DATA_DIR))
    after = _client("committee").get("/dashboards/").context

    def late(ctx: Any) -> int:
        return next(c["k"] for (m, _l, _c), c in zip(ctx["measures"], ctx["national"], strict=True)
                    if m == "late")  # fmt: skip

    assert (late(before), late(after)) == (5, 6)
    assert after["size"] > before["size"]


@pytest.mark.django_db(transaction=True)
def test_a_newer_checkpoint_is_computed_in_the_background_and_the_page_never_waits_for_it(
    world, settings: Any, monkeypatch: Any
) -> None:
    import threading
    import time

    from adaldyq.web.dashboards import selectors

    settings.DASHBOARDS_REFRESH_SECONDS = 600
    first = _client("committee").get("/dashboards/").context["size"]  # none computed: now
    records.fact_record(
        officer=_officer(), person=world["first"], fact={"type": "incentive", "on": "2023-07-01"}
    )
    sign_guarded(Path(settings.DATA_DIR))
    newest = selectors.checkpoint()

    # within the refresh: the figures computed, named by their checkpoint; nothing computed anew
    soon = _client("committee").get("/dashboards/").context
    assert (soon["size"], newest > first) == (first, True)
    assert not [t for t in threading.enumerate() if t.name == selectors.REFRESHER]

    # past it: the same answer at once, and the newest computed beside it for the next readers
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 601)
    later = _client("committee").get("/dashboards/").context
    for t in [t for t in threading.enumerate() if t.name == selectors.REFRESHER]:
        t.join(timeout=120)
    after = _client("committee").get("/dashboards/").context
    assert (later["size"], after["size"]) == (first, newest)


@pytest.mark.django_db(transaction=True)
def test_figures_never_computed_are_computed_apart_and_the_reader_is_told_to_come_back(
    world, settings: Any, monkeypatch: Any
) -> None:
    import threading

    from adaldyq.web.dashboards import selectors

    settings.DASHBOARDS_REFRESH_SECONDS = 600
    monkeypatch.setattr(selectors, "WAIT_FOR_FIGURES", 0.0)
    client = _client("committee", "kk")

    first = client.get("/dashboards/")
    api = client.get("/api/statistics?level=institution")
    for t in [t for t in threading.enumerate() if t.name == selectors.REFRESHER]:
        t.join(timeout=120)
    then = client.get("/dashboards/")

    assert (first.status_code, first["Retry-After"]) == (503, "60")
    assert "Көрсеткіштер есептеліп жатыр" in first.content.decode()
    assert api.status_code == 503
    assert then.status_code == 200
    assert then.context["size"] == selectors.checkpoint()


def test_work_and_study_are_counted_in_full_time_equivalents_from_the_hours_recorded(world) -> None:
    for kind, hours in (("work_hours", 104), ("study_hours", 52)):
        records.fact_record(
            officer=_officer(), person=world["first"],
            fact={"type": kind, "on": "2023-06-02", "hours": hours, "month": "2023-05"},
        )  # fmt: skip
    sign_guarded(Path(settings.DATA_DIR))

    page = _client("committee").get("/dashboards/")

    rows = {r["unit"]: r for r in page.context["rows"]}
    work, study = rows["UK-161/1"]["fte"]
    assert (round(work, 3), round(study, 3)) == (0.6, 0.3)  # 104 and 52 of 173.33 hours
    assert page.context["fte_month"] == "2023-05"
    assert rows["LA-155/3"]["fte"] is None
    assert 'data-vega-spec="fte-spec"' in page.content.decode()


def _officer() -> Any:
    from adaldyq.web.accounts.models import User

    return User.objects.get(username="officer")


def test_a_regional_department_sees_its_region_only_and_the_country_beside_it(world) -> None:
    page = _client("almaty", "ru").get("/dashboards/")
    html = page.content.decode()

    assert [r["unit"] for r in page.context["rows"]] == ["LA-155/3"]
    assert "UK-161/1" not in html
    assert "Омаров" not in html
    national = dict(zip([m for m, _l, _c in page.context["measures"]], page.context["national"],
                        strict=True))  # fmt: skip
    assert national["late"]["k"] == 5  # the country's (a1's arrival too), not the region's
    refused = _client("almaty").get(
        "/dashboards/items/?measure=late&level=institution&unit=UK-161/1"
    )
    assert "Омаров" not in refused.content.decode()
    assert _client("almaty").get("/dashboards/report.pdf?institution=UK-161/1").status_code == 403


def test_the_rows_behind_a_count_link_each_entry_and_file_and_are_an_access_entry(world) -> None:
    listed = _client("karaganda").get(
        "/dashboards/items/?measure=corrections&level=institution&unit=UK-161/1"
    )
    html = listed.content.decode()

    assert listed.status_code == 200
    corrected = Fact.objects.get(corrects__isnull=False)
    assert f"/ledger/entries/{corrected.seq}/" in html
    assert f"/people/{world['first'].pk}/?entry={corrected.seq}" in html
    assert "the wrong day" in html
    assert _ledger_types()[-1] == "file_opened"


def test_a_funnel_plot_names_the_exact_test_of_each_unit(world) -> None:
    page = _client("committee", "kk").get("/dashboards/?level=officer&measure=late")

    funnel = page.context["funnel"]
    assert funnel.head[0] == "Қызметкер"
    assert {row[0].text for row in funnel.rows} >= {"officer"} or funnel.rows
    assert funnel.spec["layer"][0]["data"]["values"]  # the limits along n


def test_the_exports_neutralise_formulas_and_keep_numbers_as_numbers(world) -> None:
    institution_upsert(code="=X-1", name="=HYPERLINK(\"http://x\")", region_key="almaty",
                       type="medium", capacity=5, lat=43.0, lon=77.0)  # fmt: skip
    client = _client("committee")

    text = client.get("/dashboards/export.csv").content.decode("utf-8-sig")
    book = client.get("/dashboards/export.xlsx").content

    assert "'=X-1" in text
    assert "\n=" not in text
    strings = zipfile.ZipFile(io.BytesIO(book)).read("xl/sharedStrings.xml").decode()
    assert "'=X-1" in strings.replace("&apos;", "'")


@in_each_language(kk="есебі", ru="Отчёт учреждения", en="Report of")
def test_an_institution_report_is_a_pdf_in_the_reader_language(
    world, lang: str, title: str
) -> None:
    from datetime import date

    from adaldyq.web.dashboards.words import report_html

    pdf = _client("committee", lang).get("/dashboards/report.pdf?institution=UK-161/1")
    html = report_html(code="UK-161/1", first=date(2023, 1, 1), last=date(2023, 12, 31), lang=lang)

    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    assert title in html
    assert "2023-05" in html  # the month of the late incentive and its correction


def test_the_health_panel_checks_the_witnesses_and_raises_the_alarm_on_a_fault(world) -> None:
    from django.db import connection

    folder = Path(settings.DATA_DIR) / "witnesses" / "ombudsman"
    folder.mkdir(parents=True, exist_ok=True)
    signer = witness_key(folder, "witness.ombudsman")
    with connection.cursor() as cursor:
        note = sql.read_latest_checkpoint(cursor)
    (folder / "checkpoints.jsonl").write_bytes(
        orjson.dumps({"note": cosign(note, signer, 1_780_000_000)}) + b"\n"
    )
    client = _client("committee")

    calm = client.get("/dashboards/health/")
    ViewCheck.objects.create(checked_at=timezone.now(), differences=3)
    (Path(settings.DATA_DIR) / "verify").mkdir(exist_ok=True)
    (Path(settings.DATA_DIR) / "verify" / "last.json").write_bytes(
        orjson.dumps({"ok": False, "at": "2026-12-06T03:00:00+00:00", "fault": "entry 4: hash"})
    )
    alarmed = client.get("/dashboards/health/")
    index = client.get("/dashboards/").content.decode()

    try:
        assert [w.current for w in calm.context["h"].witnesses] == [True]
        assert 'id="health-ok"' in calm.content.decode()
        assert alarmed.context["h"].faults == ["verification", "views"]
        assert 'id="health-alarm"' in alarmed.content.decode()
        assert "entry 4: hash" in alarmed.content.decode()
        assert 'id="dashboard-alarm"' in index
    finally:
        (Path(settings.DATA_DIR) / "verify" / "last.json").unlink()
        for f in folder.iterdir():
            f.unlink()
        folder.rmdir()


def test_the_figures_command_computes_what_the_page_then_shows(world) -> None:
    from typer.testing import CliRunner

    from adaldyq.cli.__main__ import app

    result = CliRunner().invoke(app, ["oversight", "figures", "--format", "json"])

    assert result.exit_code == 0, result.output
    found = orjson.loads(result.output)
    page = _client("committee").get("/dashboards/").context
    assert found["checkpoint"] == page["size"]
    shown = dict(zip([m for m, _l, _c in page["measures"]], page["national"], strict=True))
    assert (
        found["national"]["late"]
        == {"n": shown["late"]["n"], "k": shown["late"]["k"]}
        == {"n": 6, "k": 5}
    )


def test_a_witness_served_apart_is_read_from_the_signer_notes_and_a_forked_tree_alarms(
    world,
) -> None:
    from django.db import connection

    from adaldyq.ledger.checkpoint import Checkpoint, Signer, split_note

    data = Path(settings.DATA_DIR)
    honest, forked = Signer.generate("witness.a"), Signer.generate("witness.b")
    with connection.cursor() as cursor:
        note = sql.read_latest_checkpoint(cursor)
    size = Checkpoint.parse(split_note(note)[0]).size
    other = note.replace(split_note(note)[0].split("\n")[2], "A" * 43 + "=")  # another root
    (data / "witnesses.keys").write_text(
        f"{honest.verifier.encode()}\n{forked.verifier.encode()}\n"
    )
    (data / "cosigned").mkdir(exist_ok=True)
    (data / "cosigned" / f"{size}.note").write_text(cosign(note, honest, 1_780_000_000))
    (data / "cosigned" / f"{size - 1}.note").write_text(cosign(other, forked, 1_780_000_000))
    try:
        h = _client("committee").get("/dashboards/health/").context["h"]
    finally:
        (data / "witnesses.keys").unlink()
        for f in (data / "cosigned").iterdir():
            f.unlink()

    states = {w.name: w for w in h.witnesses}
    assert states["witness.a"].current
    assert states["witness.b"].fault  # its tree is not a prefix of ours
    assert h.faults == ["witness:witness.b"]


def test_a_decision_against_the_law_and_a_booking_over_a_rule_are_listed_with_law_and_proofs(
    make_user: Any, demo_law: None
) -> None:
    from datetime import timedelta

    from adaldyq.web.decisions import services as decisions

    insts = register()
    officer = make_user("officer", "head", institution=insts["k1"])
    make_user("committee", "committee")
    today = timezone.localdate()
    person = qualifying_person(officer, today)
    visitor = relative_approved(
        officer=officer,
        person=person,
        on=today - timedelta(days=60),
        approved_on=today - timedelta(days=59),
    )
    room = room_defined(officer=officer, name="Short", starts=["09:00"], book_max_days=5)
    # booked beyond the room's window of 5 days: refused unless overridden with a reason, and the
    # head's override is confirmed by the regional department (ADR 0037)
    with pytest.raises(OverridePendingError) as pending:
        booked_by_staff(
            officer, person, room, today + timedelta(days=7), visitor.visitor,
            override_reason="the head allowed it", today=today,
        )  # fmt: skip
    regional = make_user("karaganda", "regional", region=insts["k1"].region)
    override_confirm(checker=regional, override=pending.value.override, on=today)
    members = [
        {"name": "Staff One", "group": "staff", "present": True},
        {"name": "Akimat Two", "group": "local_executive", "present": True},
        {"name": "Public Three", "group": "public", "present": True},
    ]
    session = decisions.session_open(officer=officer, on=today, members=members)
    item = session.items.filter(person=person, question="degree").first()
    decision = decisions.decision_record(
        officer=officer,
        item=item,
        outcome="refuse",
        votes={m["id"]: "for" for m in session.present},
        reason_code="facts_disputed",
        reason="disputed",
    )
    sign_guarded(Path(settings.DATA_DIR))
    client = _client("committee", "ru")

    page = client.get("/dashboards/?level=commission").context
    listed = client.get("/dashboards/items/?measure=deviations&level=institution&unit=UK-161/1")
    booked = client.get("/dashboards/items/?measure=visits")

    country = client.get("/dashboards/").context
    shown = dict(zip([m for m, _l, _c in country["measures"]], country["national"], strict=True))
    assert (shown["deviations"]["k"], shown["visits"]["k"]) == (1, 1)
    assert [r["unit"] for r in page["rows"]] == [session.pk]
    html = listed.content.decode()
    assert f"/commission/decisions/{decision.seq}/" in html
    assert f"/verify/{decision.code}" in html
    assert "ст. 95 УИК РК" in html
    assert "Омаров" in booked.content.decode()


def test_staff_of_an_institution_and_prisoners_are_refused(world) -> None:
    assert _client("clerk").get("/dashboards/").status_code == 403
    assert _client("clerk").get("/dashboards/health/").status_code == 403
