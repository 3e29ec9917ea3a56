"""The public figures: computed at a signed checkpoint, small cells hidden, recomputed from a bundle."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from django.conf import settings
from django.db import connection
from typer.testing import CliRunner

from adaldyq.cli.__main__ import app
from adaldyq.ledger.keys import load_verifiers
from adaldyq.ledger.tiles import export_tiles
from adaldyq.web.portal.services import publication_publish
from adaldyq.web.records import services
from adaldyq.web.records.checkpoints import sign_guarded
from tests.web.fixtures import person_payload, register

pytestmark = pytest.mark.django_db


def _people(officer, n: int, institution: str, prefix: str, **over) -> None:
    for k in range(n):
        services.person_admit(
            officer=officer,
            person=person_payload(number=f"{prefix}-{k:04d}", institution=institution, **over),
        )


@pytest.fixture
def published(make_user) -> dict:
    insts = register()
    officer = make_user("officer", "records_officer", institution=insts["k1"])
    _people(officer, 14, "UK-161/1", "KA", home_region="karaganda")
    _people(officer, 12, "LA-155/3", "AL", home_region="karaganda")
    _people(officer, 3, "UK-161/2", "KB", home_region="almaty")  # three people: never published
    sign_guarded(Path(settings.DATA_DIR))
    pub, new = publication_publish()
    assert new
    return orjson.loads(pub.body)


def _export(directory: Path) -> None:
    with connection.cursor() as cursor:
        export_tiles(cursor, directory)
    keys = load_verifiers(Path(settings.DATA_DIR))
    (directory / "keys.txt").write_text("".join(v.encode() + "\n" for v in keys))


def _recompute(bundle: Path, published: Path) -> tuple[int, dict]:
    result = CliRunner().invoke(
        app,
        [
            "stats",
            "recompute",
            "--bundle",
            str(bundle),
            "--published",
            str(published),
            "--format",
            "json",
        ],
    )
    return result.exit_code, orjson.loads(result.output)


def test_a_cell_of_three_people_is_hidden_with_a_partner_and_the_rest_is_published(
    published: dict,
) -> None:
    table = published["tables"]["population_by_type_and_sex"]
    counts = dict(zip(table["rows"], table["counts"], strict=True))

    assert counts["medium"] == [14, 0, 14]
    assert counts["minimum"][0] is None  # three men
    assert counts["minimum"][2] is None  # and the row's total, which would say the same
    assert counts["total"][2] == 29
    assert (
        sum(v is None for v in counts["total"])
        + sum(  # the column has a second hidden cell
            row[0] is None for r, row in counts.items() if r != "total"
        )
        >= 2
    )
    body = orjson.dumps(published)
    assert b'"KB-' not in body
    assert b"p-kb-" not in body


def test_every_figure_names_its_signed_checkpoint(published: dict) -> None:
    cp = published["checkpoint"]

    assert cp["size"] >= 29  # every admission is an entry
    assert cp["note"].split("\n")[1] == str(cp["size"])
    assert cp["note"].split("\n")[2] == cp["root"]
    assert published["as_of"] == cp["time"][:10]


def test_a_checkpoint_is_published_once(published: dict) -> None:
    again, new = publication_publish()

    assert not new
    assert orjson.loads(again.body) == published


def test_the_figures_are_recomputed_from_an_exported_bundle_grown_since(
    published: dict, tmp_path: Path
) -> None:
    from adaldyq.web.accounts.models import User

    _people(
        User.objects.get(username="officer"), 20, "UK-161/1", "KC"
    )  # entries after the publication's checkpoint
    sign_guarded(Path(settings.DATA_DIR))
    _export(tmp_path / "tiles")
    (tmp_path / "figures.json").write_bytes(orjson.dumps(published))

    code, report = _recompute(tmp_path / "tiles", tmp_path / "figures.json")

    assert code == 0, report
    assert report["ok"]
    assert report["differences"] == []
    assert report["checkpoint"]["size"] == published["checkpoint"]["size"]
    assert report["bundle_size"] > report["checkpoint"]["size"]


def test_a_published_figure_that_differs_is_named_and_the_command_fails(
    published: dict, tmp_path: Path
) -> None:
    _export(tmp_path / "tiles")
    table = published["tables"]["population_by_region_and_sex"]
    table["counts"][table["rows"].index("karaganda")][0] = 18  # 17 (14 and 3) published
    (tmp_path / "figures.json").write_bytes(orjson.dumps(published))

    code, report = _recompute(tmp_path / "tiles", tmp_path / "figures.json")

    assert code == 1
    assert {
        "table": "population_by_region_and_sex",
        "row": "karaganda",
        "col": "male",
        "measure": "count",
        "published": 18,
        "recomputed": 17,
    } in report["differences"]


def test_a_publication_at_a_root_the_bundle_does_not_hold_is_refused(
    published: dict, tmp_path: Path
) -> None:
    _export(tmp_path / "tiles")
    published["checkpoint"]["root"] = "A" * 43 + "="
    (tmp_path / "figures.json").write_bytes(orjson.dumps(published))

    result = CliRunner().invoke(
        app, ["stats", "recompute", "--bundle", str(tmp_path / "tiles"), "--published",
              str(tmp_path / "figures.json")],
    )  # fmt: skip

    assert result.exit_code == 2
    assert "the publication names" in result.output


def test_the_population_published_is_the_people_the_pages_show_placed(published: dict) -> None:
    from adaldyq.web.records.models import Person

    placed = Person.objects.filter(institution__isnull=False).count()

    for table_id in ("population_by_type_and_sex", "population_by_region_and_sex",
                     "degrees_by_type", "work_and_study"):  # fmt: skip
        assert published["tables"][table_id]["counts"][-1][-1] == placed, table_id
