"""The paper import: templates, refused rows, all or nothing, dry run, provenance (issue 23)."""

from __future__ import annotations

from typing import Any

import pytest

from adaldyq.files import paper
from adaldyq.web.paper import services
from adaldyq.web.paper.models import PaperPage, PaperSource
from adaldyq.web.records.models import Fact, Person
from adaldyq.web.records.services import actor_of
from tests.web.paper.conftest import ADMISSION, PAGE_2, SCAN_1, SCAN_2, table

pytestmark = pytest.mark.django_db

SCANS = [
    services.Upload("p1.jpg", "image/jpeg", SCAN_1),
    services.Upload("p2.jpg", "image/jpeg", SCAN_2),
]


def _import(user: Any, content: bytes, **kw: Any) -> services.Report:
    return services.paper_import(
        actor=actor_of(user), name="batch.csv", content=content, scans=SCANS,
        institution=user.institution.code, **kw,
    )  # fmt: skip


def test_a_dry_run_reports_what_would_be_written_and_writes_nothing(world: dict[str, Any]) -> None:
    report = _import(world["a"], table(ADMISSION, PAGE_2), dry_run=True)

    assert (report.people, report.facts, report.pages, report.written) == (1, 2, 2, False)
    assert [r["kind"] for r in report.preview] == ["admission", "incentive", "penalty"]
    assert not Person.objects.exists()


def test_every_refused_row_is_named_and_nothing_is_imported(world: dict[str, Any]) -> None:
    bad = table(
        ADMISSION,
        PAGE_2.replace("2023-05-12", "12/05/2023"),
        "KA-0100,A-1/2020,3,p3.jpg,penalty,2023-08-01,,,,,,,,,,",
        "KA-0200,A-2/2020,1,p1.jpg,incentive,2023-08-01,,,,,,,,,,",
        "KA-0100,A-1/2020,2,p2.jpg,degree_awarded,2023-09-01,,7,,,,,,,,",
    )
    report = _import(world["a"], bad)

    assert [(r.line, r.column) for r in report.refused] == [
        (3, "on"), (6, "scan"), (7, "number"), (8, "degree"),
    ]  # fmt: skip
    assert "12/05/2023" in report.refused[0].problem
    assert not report.written
    assert not Person.objects.exists()


def test_an_imported_fact_names_its_paper_file_page_scan_and_transcriber(
    world: dict[str, Any],
) -> None:
    report = _import(world["a"], table(ADMISSION, PAGE_2))

    person = Person.objects.get(number="KA-0100")
    sources = {s.kind: s for s in PaperSource.objects.filter(person_id=person.pk)}
    assert report.written
    assert set(sources) == {"person_admitted", "incentive", "penalty"}
    src = sources["penalty"]
    assert (src.paper_file, src.page, src.transcribed_by, src.checked) == (
        "A-1/2020",
        2,
        "officer-a",
        "single",
    )
    assert src.scan == "sha256:" + __import__("hashlib").sha256(SCAN_2).hexdigest()
    assert Fact.objects.get(seq=src.seq).data == {"kind": "smoking", "malicious": False}


def test_a_second_reading_that_agrees_marks_the_facts_double_entered(world: dict[str, Any]) -> None:
    _import(world["a"], table(ADMISSION, PAGE_2))
    report = _import(world["b"], table(*PAGE_2.strip().split("\n")[::-1]))

    assert (report.checked, report.agreed, report.facts) == (1, 1, 0)
    checked = PaperSource.objects.filter(page=2).values_list("checked", flat=True)
    assert set(checked) == {"double"}


def test_a_second_reading_by_the_first_reader_is_refused(world: dict[str, Any]) -> None:
    _import(world["a"], table(ADMISSION, PAGE_2))
    report = _import(world["a"], table(PAGE_2.strip()))

    assert [r.column for r in report.refused] == ["page", "page"]


def test_a_head_settles_the_differences_and_each_second_reading_taken_is_a_correction(
    world: dict[str, Any],
) -> None:
    _import(world["a"], table(ADMISSION, PAGE_2))
    second = PAGE_2.replace("2023-07-01,smoking", "2023-07-11,smoking").replace("gratitude", "")
    report = _import(world["b"], table(second.strip()))
    page = PaperPage.objects.get(page=2)
    assert (report.disputed, page.status, len(page.differences)) == (1, "disputed", 2)

    with pytest.raises(services.InputError):
        services.page_settle(head=world["b"], page=page, choices=["first", "second"], reason="x")
    services.page_settle(
        head=world["head"], page=page, choices=["first", "second"], reason="the scan reads 11 July"
    )

    page.refresh_from_db()
    penalty = Fact.objects.get(kind="penalty", superseded_by__isnull=True)
    assert page.status == "settled"
    assert penalty.on.isoformat() == "2023-07-11"
    assert PaperSource.objects.get(seq=penalty.seq).checked == "settled"


def test_the_templates_read_back_in_every_language() -> None:
    for lang in ("kk", "ru", "en"):
        rows = paper.read_table("t.csv", paper.template_csv(lang).encode())
        assert len(paper.read_batch(rows, scans={"page-001.jpg", "page-002.jpg"}).rows) == 2
        rows = paper.read_table("t.xlsx", paper.template_xlsx(lang))
        assert len(paper.read_batch(rows, scans={"page-001.jpg", "page-002.jpg"}).rows) == 2


def test_the_paper_read_models_are_rebuilt_the_same_from_the_ledger(world: dict[str, Any]) -> None:
    from adaldyq.web.paper import projection
    from adaldyq.web.paper.models import PaperBatch

    _import(world["a"], table(ADMISSION, PAGE_2))
    _import(world["b"], table(PAGE_2.replace("2023-07-01", "2023-07-02").strip()))
    services.page_settle(
        head=world["head"], page=PaperPage.objects.get(page=2), choices=["second"], reason="scan"
    )

    def rows() -> list[Any]:
        return [
            sorted(PaperSource.objects.values_list(), key=str),
            sorted(
                PaperPage.objects.values_list(*(f.name for f in PaperPage._meta.fields[1:])),
                key=str,
            ),
            sorted(PaperBatch.objects.values_list(), key=str),
        ]

    before = rows()
    projection.rebuild(durable=False)

    assert rows() == before
    assert PaperPage.objects.get(page=2).status == "settled"
