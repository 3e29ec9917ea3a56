"""Work and study by the list, timesheets and the month's full-time equivalents (issue 19, ADR 0040):
a whole list is recorded or nothing, every refused row says why, the report puts FTE beside the
headcount, and the places and production come back from the ledger alone."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import orjson
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from typer.testing import CliRunner

from adaldyq.cli.__main__ import app
from adaldyq.web.institutions.models import Institution
from adaldyq.web.records import services as records
from adaldyq.web.records.models import Fact, Person
from adaldyq.web.work import projection, selectors
from adaldyq.web.work import services as work
from adaldyq.web.work.models import Output, Place
from tests.web.fixtures import ledger_size, nothing_written, person_payload, released_on_parole
from tests.web.transfers.conftest import small_register

pytestmark = pytest.mark.django_db

DAY = date(2024, 3, 5)


@pytest.fixture
def world(make_user: Any) -> dict[str, Any]:
    insts = small_register()
    officer = make_user("officer-alm", "records_officer", institution=insts["M-ALM"])
    people = [
        records.person_admit(
            officer=officer,
            person=person_payload(f"W-{i}", institution="M-ALM", surname=name, on="2024-01-05"),
        )
        for i, name in enumerate(("Абаев", "Бектасов", "Жолдасов"), start=1)
    ]
    other = records.person_admit(
        officer=make_user("officer-akm", "records_officer", institution=insts["M-AKM"]),
        person=person_payload("W-9", institution="M-AKM", surname="Сыртқаров", on="2024-01-05"),
    )
    actor = records.actor_of(officer)
    sewing = work.place_register(
        actor=actor, institution="M-ALM", code="sew-1", kind="workshop",
        name="Sewing workshop", lead="Tigin LLP", product="garments",
    )  # fmt: skip
    school = work.place_register(
        actor=actor, institution="M-ALM", code="SCH", kind="school",
        name="Secondary school No. 4", lead="A. Nurova",
    )  # fmt: skip
    return {"officer": officer, "people": people, "other": other, "sewing": sewing,
            "school": school, "actor": actor}  # fmt: skip


def _post(client: Any, w: dict[str, Any], hours: dict[int, str], **extra: str) -> Any:
    data = {"institution": "M-ALM", "place": w["sewing"].id, "on": DAY.isoformat(), **extra}
    data.update({f"hours-{w['people'][i].pk}": h for i, h in hours.items()})
    return client.post("/work/list/", data, HTTP_ACCEPT_LANGUAGE="en")


def test_a_list_is_one_entry_a_person_and_day_in_each_file_with_the_day_s_production(
    client: Any, world: dict[str, Any]
) -> None:
    client.force_login(world["officer"])
    before = ledger_size()

    page = _post(client, world, {0: "8", 1: "6,5"}, quantity="120", unit="pieces")

    assert page.status_code == 302
    assert ledger_size() == before + 3  # two people's days and the workshop's production
    rows = Fact.objects.filter(kind="work_hours").order_by("person_id")
    assert [(r.person_id, r.on, r.data["hours"], r.data["place"]) for r in rows] == [
        (world["people"][0].pk, DAY, 8.0, "M-ALM/SEW-1"),
        (world["people"][1].pk, DAY, 6.5, "M-ALM/SEW-1"),
    ]
    assert rows[0].data["month"] == "2024-03"
    assert Output.objects.get().quantity == 120


def test_a_list_with_a_wrong_row_records_nothing_and_marks_the_row(
    client: Any, world: dict[str, Any]
) -> None:
    client.force_login(world["officer"])
    before = ledger_size()

    page = _post(client, world, {0: "8", 1: "30"})

    assert page.status_code == 400
    assert ledger_size() == before + 1  # only the page's record of the files it showed again
    assert "the hours are not a number above 0 and up to 24" in page.content.decode()
    assert not Fact.objects.filter(kind="work_hours").exists()


def test_a_day_recorded_twice_is_refused_the_second_time(
    client: Any, world: dict[str, Any]
) -> None:
    client.force_login(world["officer"])
    _post(client, world, {0: "8"})

    again = _post(client, world, {0: "8", 2: "4"})

    assert again.status_code == 400
    assert "already recorded" in again.content.decode()
    assert Fact.objects.filter(kind="work_hours").count() == 1


def test_an_officer_of_another_institution_may_not_enter_its_list(
    client: Any, world: dict[str, Any], make_user: Any
) -> None:
    client.force_login(
        make_user("officer-kar", "records_officer", institution=small_register()["M-KAR"])
    )

    assert _post(client, world, {0: "8"}).status_code == 403
    assert client.post("/work/places/", {"institution": "M-ALM", "code": "X"}).status_code == 403


def _timesheet(tmp_path: Path, rows: list[list[Any]], *, xlsx: bool) -> Path:
    header = ["Жеке іс нөмірі", "Күні", "Орын", "Мекеме", "Сағат"]
    if xlsx:
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        for row in [header, *rows]:
            sheet.append(row)
        path = tmp_path / "timesheet.xlsx"
        book.save(path)
        return path
    path = tmp_path / "timesheet.csv"
    text = "\n".join(";".join(str(c) for c in row) for row in [header, *rows])
    path.write_text(text + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("xlsx", [False, True], ids=["csv", "xlsx"])
def test_a_timesheet_with_refused_rows_names_each_and_imports_nothing(
    world: dict[str, Any], tmp_path: Path, xlsx: bool
) -> None:
    path = _timesheet(
        tmp_path,
        [
            ["W-1", "05.03.2024", "SEW-1", "M-ALM", "8"],
            ["W-404", "05.03.2024", "SEW-1", "M-ALM", "8"],
            ["W-9", "05.03.2024", "SEW-1", "M-ALM", "8"],
            ["W-2", "31.02.2024", "SEW-1", "M-ALM", "8"],
            ["W-3", "01.01.2024", "SCH", "M-ALM", "4"],
            ["W-1", "05.03.2024", "SEW-1", "M-ALM", "2"],
        ],
        xlsx=xlsx,
    )
    with nothing_written():
        out = CliRunner().invoke(app, ["work", "import", str(path), "--format", "json"])

        assert out.exit_code == 1
    refused = [orjson.loads(line) for line in out.stderr.splitlines() if line.startswith("{")]
    assert [(r["line"], r["reason"]) for r in refused] == [
        (3, "unknown_person"),
        (4, "not_held_there"),
        (5, "bad_date"),
        (6, "before_admission"),
        (7, "twice_in_list"),
    ]
    assert "nothing was imported" in out.stderr


def test_a_good_timesheet_is_checked_by_a_dry_run_then_imported_whole(
    world: dict[str, Any], tmp_path: Path
) -> None:
    path = _timesheet(
        tmp_path,
        [
            ["W-1", "2024-03-05", "SEW-1", "M-ALM", "8"],
            ["W-2", "2024-03-05", "SCH", "M-ALM", "3,5"],
        ],
        xlsx=False,
    )
    with nothing_written():
        dry = CliRunner().invoke(
            app, ["work", "import", str(path), "--dry-run", "--format", "json"]
        )
        assert dry.exit_code == 0, dry.output
        assert orjson.loads(dry.stdout) == {"rows": 2, "people": 2, "hours": 11.5, "imported": 0}

    done = CliRunner().invoke(app, ["work", "import", str(path), "--format", "json"])
    assert done.exit_code == 0, done.output
    assert orjson.loads(done.stdout)["imported"] == 2
    assert set(Fact.objects.values_list("kind", flat=True).filter(on=DAY)) == {
        "work_hours",
        "study_hours",
    }


def test_a_timesheet_without_a_needed_column_is_one_line_and_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("дата,часы\n2024-03-05,8\n", encoding="utf-8")

    out = CliRunner().invoke(app, ["work", "import", str(path)])

    assert out.exit_code == 2
    assert "no column 'number'" in out.stderr


def test_the_report_puts_full_time_equivalents_beside_the_headcount(
    client: Any, world: dict[str, Any]
) -> None:
    actor, sewing, p = world["actor"], world["sewing"], world["people"]
    rows = [work.HoursRow(i, p[0].pk, date(2024, 3, d), sewing.id, 8.0, by_id=True)
            for i, d in enumerate(range(4, 9))]  # fmt: skip
    rows.append(work.HoursRow(9, p[1].pk, date(2024, 3, 4), sewing.id, 4.0, by_id=True))
    work.hours_record(actor=actor, rows=rows, output=(sewing.id, date(2024, 3, 4), 50.0, "pieces"))
    records.fact_record(
        officer=world["officer"], person=p[2],
        fact={"type": "qualification_gained", "on": "2024-03-20", "kind": "vocational_certificate",
              "title": "seamstress, grade 2"},
    )  # fmt: skip

    records.fact_record(
        officer=world["officer"], person=p[0],
        fact={"type": "programme_set", "on": "2024-01-20", "needs": ["vocational_training"]},
    )  # fmt: skip
    records.fact_record(
        officer=world["officer"], person=p[0],
        fact={"type": "programme_reviewed", "on": "2024-03-25", "quarter": "2024-Q1",
              "progress": "fulfilled"},
    )  # fmt: skip

    out = CliRunner().invoke(app, ["work", "report", "--month", "2024-03", "--format", "json"])

    assert out.exit_code == 0, out.output
    alm = next(r for r in orjson.loads(out.stdout)["institutions"] if r["institution"] == "M-ALM")
    assert alm["work"] == {"headcount": 2, "hours": 44.0, "fte": 0.25, "gap": 1.75}
    assert alm["qualifications"]["vocational_certificate"] == 1
    assert alm["production"] == [{"product": "garments", "unit": "pieces", "quantity": 50.0}]
    assert alm["programmes"] == {"held": 3, "with_programme": 1, "reviewed_in_quarter": 1}
    client.force_login(world["officer"])
    page = client.get("/work/report/", {"month": "2024-03"}, HTTP_ACCEPT_LANGUAGE="ru")
    text = page.content.decode()
    assert page.status_code == 200
    assert 'data-institution="M-ALM"' in text
    assert 'data-institution="M-AKM"' not in text  # another institution's figures
    assert "1.75" in text or "1,75" in text


def test_places_and_production_come_back_from_the_ledger(world: dict[str, Any]) -> None:
    work.hours_record(
        actor=world["actor"],
        rows=[work.HoursRow(1, world["people"][0].pk, DAY, world["sewing"].id, 8.0, by_id=True)],
        output=(world["sewing"].id, DAY, 12.5, "m2"),
    )
    shown = sorted(Place.objects.values_list("id", "kind", "lead", "product"))

    applied = projection.rebuild()

    assert applied == 3
    assert sorted(Place.objects.values_list("id", "kind", "lead", "product")) == shown
    assert list(Output.objects.values_list("place", "product", "quantity", "unit")) == [
        ("M-ALM/SEW-1", "garments", 12.5, "m2")
    ]


def test_the_list_shows_the_hours_already_recorded_that_day(
    client: Any, world: dict[str, Any]
) -> None:
    client.force_login(world["officer"])
    _post(client, world, {0: "7,5"})

    page = client.get(
        "/work/list/",
        {"institution": "M-ALM", "place": world["sewing"].id, "on": DAY.isoformat()},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    row = page.content.decode().split("Абаев")[1].split("</tr>")[0]
    assert '<td class="num">7.5</td>' in row


def test_a_timesheet_may_write_the_institution_as_kazakh_and_russian_do_and_numbers_as_numbers(
    world: dict[str, Any], tmp_path: Path
) -> None:
    Institution.objects.filter(code="M-ALM").update(code_local="М-АЛМ")
    Person.objects.filter(pk=world["people"][0].pk).update(number="1001")
    path = _timesheet(
        tmp_path, [[1001.0, DAY, "sew-1", "М-АЛМ", 7.5]], xlsx=True
    )  # a spreadsheet's number and date cells

    out = CliRunner().invoke(app, ["work", "import", str(path), "--format", "json"])

    assert out.exit_code == 0, out.output
    fact = Fact.objects.get(kind="work_hours")
    assert (fact.person_id, fact.on, fact.data["place"]) == (
        world["people"][0].pk,
        DAY,
        "M-ALM/SEW-1",
    )


def test_a_day_counts_where_the_person_was_held_that_day_not_where_they_are_now(
    world: dict[str, Any], make_user: Any
) -> None:
    moved = world["people"][2]
    records.fact_record(
        officer=world["officer"], person=moved,
        fact={"type": "transferred", "on": "2024-03-10", "institution": "M-AKM"},
    )  # fmt: skip
    sewing = world["sewing"].id

    checked = work.hours_check(
        actor=world["actor"],
        rows=[
            work.HoursRow(1, moved.pk, date(2024, 3, 8), sewing, 8.0, by_id=True),
            work.HoursRow(2, moved.pk, date(2024, 3, 11), sewing, 8.0, by_id=True),
        ],
    )

    assert [(r.line, r.reason) for r in checked.refused] == [(2, "not_held_there")]
    assert len(checked.drafts) == 1


def _released_and_back(w: dict[str, Any]) -> Person:
    """The first person, released on parole on 1 February and held in M-ALM again from the 20th."""
    back = w["people"][0]
    released_on_parole(officer=w["officer"], person=back, on=date(2024, 2, 1))
    records.fact_record(
        officer=w["officer"], person=back,
        fact={"type": "arrived", "on": "2024-02-20", "institution": "M-ALM"},
    )  # fmt: skip
    return back


def test_the_list_names_who_was_held_there_that_day_one_released_and_back_or_moved_since(
    client: Any, world: dict[str, Any]
) -> None:
    back, moved = _released_and_back(world), world["people"][2]
    records.fact_record(
        officer=world["officer"], person=moved,
        fact={"type": "transferred", "on": "2024-03-10", "institution": "M-AKM"},
    )  # fmt: skip
    client.force_login(world["officer"])

    listed = [p.pk for p in selectors.people_for_list(world["sewing"], DAY)]
    between = [p.pk for p in selectors.people_for_list(world["sewing"], date(2024, 2, 10))]
    page = _post(client, world, {0: "8"})

    assert listed == [p.pk for p in world["people"]]
    assert between == [world["people"][1].pk, moved.pk]
    assert page.status_code == 302
    assert Fact.objects.get(kind="work_hours").person_id == back.pk


def test_hours_of_a_day_out_after_a_release_are_refused_and_after_the_return_accepted(
    world: dict[str, Any],
) -> None:
    back = _released_and_back(world)
    sewing = world["sewing"].id

    checked = work.hours_check(
        actor=world["actor"],
        rows=[
            work.HoursRow(1, back.pk, date(2024, 2, 10), sewing, 8.0, by_id=True),
            work.HoursRow(2, back.pk, DAY, sewing, 8.0, by_id=True),
        ],
    )

    assert [(r.line, r.reason) for r in checked.refused] == [(1, "released")]
    assert [d.payload["on"] for d in checked.drafts] == [DAY.isoformat()]


def test_an_officer_uploads_a_timesheet_checks_it_and_a_place_of_another_institution_is_refused(
    client: Any, world: dict[str, Any], make_user: Any
) -> None:
    other = work.place_register(
        actor=world["actor"], institution="M-AKM", code="FARM", kind="workshop", name="Farm",
        product="agriculture",
    )  # fmt: skip
    assert other.institution == "M-AKM"
    client.force_login(world["officer"])
    good = "number,date,place,institution,hours\nW-1,2024-03-05,SEW-1,M-ALM,8\n"
    bad = good + "W-9,2024-03-05,FARM,M-AKM,8\n"

    def send(text: str, **extra: str) -> Any:
        upload = SimpleUploadedFile("t.csv", text.encode(), content_type="text/csv")
        return client.post(
            "/work/import/", {"timesheet": upload, **extra}, HTTP_ACCEPT_LANGUAGE="en"
        )

    refused = send(bad)
    checked = send(good, dry_run="1")
    recorded = send(good)

    assert refused.status_code == 400
    assert "whose lists you do not enter" in refused.content.decode()
    assert checked.status_code == 200
    assert "Nothing was recorded yet" in checked.content.decode()
    assert recorded.status_code == 200
    assert Fact.objects.filter(kind="work_hours").count() == 1
