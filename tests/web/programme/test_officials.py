"""The list of officials in scope: imported whole or not at all, bad rows named; who is not reached."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from typer.testing import CliRunner

from adaldyq.cli.__main__ import app
from adaldyq.core.regions import load_regions
from adaldyq.ledger.tiles import MAX_ENTRY
from adaldyq.web.programme import projection, services
from adaldyq.web.programme.models import Official
from adaldyq.web.programme.selectors import coverage, not_reached
from adaldyq.web.records import ledger_port
from tests.web.programme.conftest import official

pytestmark = pytest.mark.django_db

HEADER = "name,body,position,category,region\n"


def _list(n: int, bad: dict[int, str] | None = None) -> str:
    regions = [r.key for r in load_regions()]
    cats = ["political", "corps_a", "corps_b", "other"]
    lines = [HEADER.strip()]
    for i in range(n):
        row = f"Синтетов Шенеулік {i},Орган {i % 40},бөлім басшысы,{cats[i % 4]},{regions[i % 20]}"
        lines.append((bad or {}).get(i, row))
    return "\n".join(lines) + "\n"


def _import_entries() -> list[Any]:
    with connection.cursor() as cursor:
        return [e for e in ledger_port.entries(cursor) if e.type == projection.OFFICIALS_IMPORTED]


def test_five_thousand_officials_import_in_entries_that_fit_a_bundle(world) -> None:
    assert services.officials_import(officer=world["agency"], text=_list(5000)) == 5000
    assert Official.objects.count() == 5000
    entries = _import_entries()
    assert len(entries) > 1
    assert all(len(e.body) < MAX_ENTRY for e in entries)
    assert coverage()["in_scope"] == 5000
    assert coverage()["attended"] == 0
    assert projection.rebuild() == len(entries) + len(world["insts"])  # the stations lists too
    assert Official.objects.count() == 5000


def test_every_bad_row_is_named_and_nothing_is_imported(world) -> None:
    bad = {
        10: "Синтетов,Орган 1,x,minister,almaty",
        200: ",Орган 2,x,corps_a,almaty",
        3000: "Синтетов Y,Орган 3,x,corps_a,atlantis",
        4999: "Синтетов Шенеулік 0,Орган 0,бөлім басшысы,political,abai",  # row 0 again
    }
    with pytest.raises(services.ImportRefusedError) as refused:
        services.officials_import(officer=world["agency"], text=_list(5000, bad))
    assert [b.line for b in refused.value.bad] == [12, 202, 3002, 5001]
    assert re.search(r"\b2\b", refused.value.bad[-1].problem)  # "the same official as on line 2"
    assert Official.objects.count() == 0
    assert _import_entries() == []
    with pytest.raises(services.ImportRefusedError) as missing:
        services.parse_officials("name,body\nA,B\n")
    assert "category" in missing.value.bad[0].problem


def test_not_reached_by_body_and_the_page(world) -> None:
    text = HEADER + "".join(
        f"{o['name']},{o['body']},{o['position']},{o['category']},{o['region']}\n"
        for o in (official(n) for n in range(1, 7))
    )
    services.officials_import(officer=world["agency"], text=text)
    day = date(2026, 3, 3)
    v = services.visit_plan(officer=world["agency"], host="M-ALM", day=day, route=["cells"],
                            capacity=5, on=day - timedelta(days=9))  # fmt: skip
    v = services.visit_decide(officer=world["head"], visit=v, confirmed=True, on=day)
    services.attendance_record(officer=world["agency"], visit=v, official=official(1), on=day)
    services.attendance_record(
        officer=world["agency"], visit=v, official=official(3, name=" сынақов  РЕСМИ 3 "), on=day
    )
    cov = coverage()
    assert (cov["in_scope"], cov["attended"], cov["share"]) == (6, 2, round(2 / 6, 4))
    body = official(1)["body"]
    assert {o.name for o in not_reached(body)} == {official(5)["name"]}
    client = Client(HTTP_ACCEPT_LANGUAGE="kk")
    client.force_login(world["agency"])
    page = client.get("/programme/officials/", {"body": body}).content.decode()
    assert official(5)["name"] in page
    assert official(1)["name"] not in page
    assert "Әлі қамтылмағандар" in page


def test_the_import_form_names_bad_rows_and_keeps_nothing(world) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="ru")
    client.force_login(world["agency"])
    upload = io.BytesIO(_list(3, {1: "X,Y,z,corps_a,mars"}).encode())
    upload.name = "list.csv"
    response = client.post("/programme/officials/import/", {"file": upload})
    assert response.status_code == 400
    assert 'data-line="3"' in response.content.decode()
    assert "mars" in response.content.decode()
    assert Official.objects.count() == 0
    good = io.BytesIO(_list(3).encode())
    good.name = "list.csv"
    assert client.post("/programme/officials/import/", {"file": good}).status_code == 302
    assert Official.objects.count() == 3
    head = Client()
    head.force_login(world["head"])
    assert head.post("/programme/officials/import/", {}).status_code == 403


def test_the_import_command(world, tmp_path) -> None:
    path = tmp_path / "list.csv"
    path.write_text(_list(5, {2: "A,B,c,corps_z,almaty"}), encoding="utf-8")
    refused = CliRunner().invoke(app, ["programme", "import-officials", str(path)])
    assert refused.exit_code == 2
    assert "line 4" in refused.output
    path.write_text(_list(5), encoding="utf-8")
    done = CliRunner().invoke(app, ["programme", "import-officials", str(path), "--format", "json"])
    assert done.exit_code == 0, done.output
    assert '"imported":5' in done.output


def _xlsx(rows: list[list[object]]) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.close()
    return out.getvalue()


def test_an_excel_list_with_russian_headings_imports_and_names_its_bad_rows_by_row(world) -> None:
    header = ["ФИО", "Государственный орган", "Должность", "Категория", "Область"]
    good = ["Синтетов Ресми", "Акимат", "аким", "political", "almaty"]
    bad = ["Демоев Ресми", "Акимат", "аким", "minister", "almaty"]
    client = Client(HTTP_ACCEPT_LANGUAGE="kk")
    client.force_login(world["agency"])
    upload = io.BytesIO(_xlsx([header, good, [], bad]))
    upload.name = "list.xlsx"
    response = client.post("/programme/officials/import/", {"file": upload})
    assert response.status_code == 400
    assert 'data-line="4"' in response.content.decode()  # the spreadsheet's own row number
    assert Official.objects.count() == 0
    assert services.officials_import(officer=world["agency"], text=_xlsx([header, good])) == 1
    assert Official.objects.get().body == "Акимат"
    # a semicolon CSV with Kazakh headings, as a Kazakh office suite saves it
    kk = "Аты-жөні;Мемлекеттік орган;Лауазымы;Санаты;Өңір\nТестов Ресми;Мәслихат;хатшы;corps_b;abai\n"
    assert services.officials_import(officer=world["agency"], text=kk.encode("utf-8-sig")) == 1
    with pytest.raises(services.ImportRefusedError) as neither:
        services.officials_import(officer=world["agency"], text="ФИО".encode("cp1251"))
    assert "UTF-8" in neither.value.bad[0].problem
