"""The paper pages through the test client: upload (dry run, refused rows, import), the file's
timeline naming where on paper a fact was read, the scan, the head's settlement, the findings."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from adaldyq.web.paper.models import PaperPage
from adaldyq.web.records.models import Person
from tests.web.paper.conftest import ADMISSION, PAGE_2, SCAN_1, SCAN_2, table

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _upload(client: Client, content: bytes, action: str) -> Any:
    return client.post("/paper/", {
        "table": SimpleUploadedFile("batch.csv", content, "text/csv"),
        "scans": [SimpleUploadedFile("p1.jpg", SCAN_1, "image/jpeg"),
                  SimpleUploadedFile("p2.jpg", SCAN_2, "image/jpeg")],
        "action": action,
    })  # fmt: skip


def test_an_officer_checks_then_imports_and_the_file_shows_where_each_fact_was_read(
    world: dict[str, Any],
) -> None:
    officer = _client(world["a"])

    checked = _upload(officer, table(ADMISSION, PAGE_2), "check")
    assert checked.status_code == 200
    assert "Тексерілді: әзірге ештеңе жазылған жоқ" in checked.content.decode()
    assert not Person.objects.exists()
    refused = _upload(
        officer, table(ADMISSION, PAGE_2.replace("gratitude,,", "gratitude,9,")), "import"
    )
    assert refused.status_code == 400
    assert '<td class="num">3</td><td>degree</td>' in refused.content.decode()
    done = _upload(officer, table(ADMISSION, PAGE_2), "import")
    assert done.status_code == 200

    person = Person.objects.get(number="KA-0100")
    page = officer.get(f"/people/{person.pk}/").content.decode()
    assert "A-1/2020 қағаз ісі, 2-парақ" in page
    assert "бір рет көшірілген" in page
    scan = officer.get(f"/paper/scans/{__import__('hashlib').sha256(SCAN_2).hexdigest()}")
    assert scan.status_code == 200
    assert scan.content == SCAN_2


def test_the_template_downloads_with_russian_headers(world: dict[str, Any]) -> None:
    response = _client(world["a"]).get("/paper/template.csv", {"lang": "ru"})

    assert response.content.decode().startswith("Номер личного дела,")


def test_a_head_settles_a_page_and_the_prosecutor_sees_the_findings(world: dict[str, Any]) -> None:
    _upload(_client(world["a"]), table(ADMISSION, PAGE_2), "import")
    _upload(
        _client(world["b"]), table(PAGE_2.replace("2023-07-01", "2023-07-03").strip()), "import"
    )
    page = PaperPage.objects.get(page=2)
    head = _client(world["head"])
    assert head.post(f"/paper/pages/{page.pk}/", {"d0": "second", "reason": ""}).status_code == 400
    assert _client(world["b"]).post(f"/paper/pages/{page.pk}/", {}).status_code == 403

    settled = head.post(
        f"/paper/pages/{page.pk}/", {"d0": "second", "reason": "the scan says 3 July"}
    )

    assert settled.status_code == 302
    page.refresh_from_db()
    assert page.status == "settled"
    prosecutor = _client(world["prosecutor"])
    assert prosecutor.get("/paper/findings/").status_code == 200
    assert 'href="/paper/findings/"' in prosecutor.get("/commission/register/").content.decode()
    dashboards = prosecutor.get("/dashboards/").content.decode()
    share = dashboards[dashboards.index('id="paper-share"') :]
    assert "100%" in share, share[:1500]


def test_the_page_reads_how_far_an_upload_has_written_its_entries(world: dict[str, Any]) -> None:
    from adaldyq.web.paper.views import _progress_path, _progress_writer

    officer, token = _client(world["a"]), "ab" * 16
    assert officer.get(f"/paper/progress/{token}").json() == {"done": 0, "total": 0}

    _progress_writer(world["a"], token)(20000, 50500)

    assert officer.get(f"/paper/progress/{token}").json() == {"done": 20000, "total": 50500}
    assert _client(world["b"]).get(f"/paper/progress/{token}").json()["total"] == 0  # not theirs
    done = _upload_with(officer, table(ADMISSION, PAGE_2), token)
    assert done.status_code == 200
    assert not _progress_path(world["a"], token).exists()  # removed when the import ends


def _upload_with(client: Client, content: bytes, token: str) -> Any:
    return client.post("/paper/", {
        "table": SimpleUploadedFile("batch.csv", content, "text/csv"),
        "scans": [SimpleUploadedFile("p1.jpg", SCAN_1, "image/jpeg"),
                  SimpleUploadedFile("p2.jpg", SCAN_2, "image/jpeg")],
        "action": "import", "progress": token,
    })  # fmt: skip
