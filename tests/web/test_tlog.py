"""The ledger served as C2SP tlog-tiles (issue 21): hashes public, entries for read-all roles only."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from adaldyq.ledger import sql
from adaldyq.ledger.checkpoint import Checkpoint, split_note
from adaldyq.ledger.keys import load_verifiers
from adaldyq.ledger.tiles import tile_path, verify_tiles
from adaldyq.web.records import services
from adaldyq.web.records.checkpoints import sign_guarded
from tests.web.fixtures import PASSWORD, person_payload, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(make_user) -> int:
    insts = register()
    officer = make_user("officer", "records_officer", institution=insts["k1"])
    make_user("chair", "committee")
    for n in range(3):
        services.person_admit(officer=officer, person=person_payload(number=f"KA-{n:04d}"))
    note = sign_guarded(Path(settings.DATA_DIR))
    return Checkpoint.parse(split_note(note)[0]).size


def _client(username: str | None = None) -> Client:
    client = Client()
    if username:
        assert client.login(username=username, password=PASSWORD)
    return client


def test_the_checkpoint_and_hash_tiles_are_public_and_cacheable(signed: int) -> None:
    answer = _client().get("/ledger/checkpoint")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "text/plain; charset=utf-8"
    assert answer["Cache-Control"] == "public, max-age=5"
    with connection.cursor() as cursor:
        assert answer.content.decode() == sql.read_latest_checkpoint(cursor)
        leaves = [row[4] for row in sql.read_rows(cursor, 0, signed)]
    tile = _client().get("/ledger/" + tile_path(0, 0, signed))
    assert tile.status_code == 200
    assert tile["Cache-Control"] == "public, max-age=31536000, immutable"
    assert tile.content == b"".join(leaves)


@pytest.mark.parametrize(
    "path", ["tile/0/abc", "tile/0/000", "tile/0/000.p/255", "tile/9/000.p/1", "tile/entries/x"]
)
def test_tiles_the_signed_tree_does_not_have_are_not_found(signed: int, path: str) -> None:
    assert _client("chair").get(f"/ledger/{path}").status_code == 404


def test_entry_bundles_are_for_read_all_roles_and_every_read_is_recorded(signed: int) -> None:
    bundle = "/ledger/" + tile_path("entries", 0, signed)
    assert _client().get(bundle).status_code in (302, 403)
    assert _client("officer").get(bundle).status_code == 403
    with connection.cursor() as cursor:
        before = sql.read_size(cursor)
    answer = _client("chair").get(bundle)
    assert answer.status_code == 200
    assert answer["Cache-Control"] == "no-store, private"
    with connection.cursor() as cursor:
        read = sql.read_entries(cursor, before)
    assert [(e.type, e.subject, e.draft.actor.id) for e in read] == [
        ("log_read", "ledger", "chair")
    ]


def test_a_mirror_fetched_over_http_verifies_with_only_the_public_key(
    signed: int, tmp_path: Path
) -> None:
    chair = _client("chair")
    mirror = tmp_path / "mirror"
    resources = ["checkpoint", tile_path(0, 0, signed), tile_path("entries", 0, signed)]
    for resource in resources:
        target = mirror / resource
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(chair.get(f"/ledger/{resource}").content)
    head = verify_tiles(mirror, load_verifiers(Path(settings.DATA_DIR)))
    assert head.size == signed
