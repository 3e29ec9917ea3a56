"""Importing device events from a file, and each hour anchored in the ledger (issue 19, ADR 0043)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
from django.utils import timezone
from typer.testing import CliRunner

from adaldyq.cli.__main__ import app
from adaldyq.web.emonitoring import services
from adaldyq.web.emonitoring.models import DeviceEvent, Digest, Violation
from tests.web.emonitoring.conftest import last_night

pytestmark = pytest.mark.django_db


def csv_of(feed: str, rows: list[str]) -> str:
    return "feed,id,kind,at,lat,lon,accuracy,level,present,what\n" + "".join(
        f"{feed},{r}\n" for r in rows
    )


def test_a_file_with_refused_rows_names_each_and_imports_nothing(
    monitored: dict[str, Any], tmp_path: Path
) -> None:
    feed = monitored["feed"].pk
    path = tmp_path / "events.csv"
    path.write_text(
        csv_of(feed, [
            f"e1,fix,{last_night(12)},43.26,76.93,10,,,",
            f"e2,fix,{last_night(12, 2)},43.26,,10,,,",           # no longitude
            f"e1,tamper,{last_night(12, 4)},,,,,,strap",          # the id of row 2 again
            f"e3,battery,{last_night(12, 6)},,,,,,",              # no level
        ]) + f"F-nobody,e4,tamper,{last_night(12, 8)},,,,,,strap\n",
        encoding="utf-8",
    )  # fmt: skip
    result = CliRunner().invoke(app, ["probation", "events", "import", str(path)])
    assert result.exit_code == 2
    for line in ("row 3: field 'lon'", "row 4: field 'id'", "row 5: field 'level'",
                 "row 6: field 'feed'"):  # fmt: skip
        assert line in result.output
    assert "4 row(s) refused; nothing was imported" in result.output
    assert DeviceEvent.objects.count() == 0


def test_a_jsonl_file_is_imported_whole_its_violations_found_and_a_second_import_adds_nothing(
    monitored: dict[str, Any], tmp_path: Path
) -> None:
    feed = monitored["feed"].pk
    lines = [
        {"feed": feed, "id": "j1", "kind": "fix", "at": last_night(13), "lat": 43.249,
         "lon": 76.951, "accuracy": 8},
        {"feed": feed, "id": "j2", "kind": "tamper", "at": last_night(13, 1), "what": "strap"},
    ]  # fmt: skip
    path = tmp_path / "events.jsonl"
    path.write_bytes(b"\n".join(orjson.dumps(x) for x in lines))
    first = CliRunner().invoke(
        app, ["probation", "events", "import", str(path), "--format", "json"]
    )
    second = CliRunner().invoke(
        app, ["probation", "events", "import", str(path), "--format", "json"]
    )
    assert first.exit_code == 0, first.output
    assert orjson.loads(first.output)["accepted"] == 2
    assert orjson.loads(second.output)["duplicates"] == 2
    assert sorted(Violation.objects.values_list("kind", "zone")) == [
        ("exclusion_zone", "рынок"), ("tamper", ""),
    ]  # fmt: skip


def test_each_hour_of_events_is_anchored_and_a_changed_row_is_found(
    monitored: dict[str, Any],
) -> None:
    feed = monitored["feed"]
    events = [services.parse_row({"id": f"h{i}", "kind": "battery", "at": last_night(14, i),
                                  "level": 80}, now=timezone.now()) for i in range(5)]  # fmt: skip
    services.events_ingest(feed_id=feed.pk, events=events)
    assert services.digests_anchor(now=timezone.now()) == []  # the hour is not over
    (digest,) = services.digests_anchor(now=timezone.now() + timedelta(hours=2))
    assert digest.count == 5
    assert services.digests_verify() == []

    DeviceEvent.objects.filter(event_id="h3").update(level=5)
    (fault,) = services.digests_verify()
    assert fault["entry"] == digest.seq
    assert Digest.objects.count() == 1
    assert CliRunner().invoke(app, ["probation", "events", "verify"]).exit_code == 1


def test_feed_tokens_are_made_listed_and_revoked_by_the_command(monitored: dict[str, Any]) -> None:
    person = monitored["person"].pk
    made = CliRunner().invoke(app, ["probation", "feed-token", "create", "--person", person,
                                    "--device", "BR-0100", "--format", "json"])  # fmt: skip
    assert made.exit_code == 0, made.output
    token = orjson.loads(made.output)
    assert services.feed_of_token(token["token"]).pk == token["feed"]
    listed = orjson.loads(
        CliRunner()
        .invoke(app, ["probation", "feed-token", "list", "--person", person, "--format", "json"])
        .output
    )
    assert token["token"] not in str(listed)
    assert {r["feed"] for r in listed} == {monitored["feed"].pk, token["feed"]}
    revoked = CliRunner().invoke(app, ["probation", "feed-token", "revoke", token["feed"]])
    assert revoked.exit_code == 0, revoked.output
    assert services.feed_of_token(token["token"]) is None


def test_the_violations_and_anchors_are_rebuilt_from_the_ledger_as_they_were(
    monitored: dict[str, Any],
) -> None:
    from adaldyq.web.emonitoring import projection
    from adaldyq.web.emonitoring.models import Digest, Violation

    feed = monitored["feed"]
    events = [services.parse_row({"id": f"r{i}", "kind": "tamper", "at": last_night(15, 40 * i)},
                                 now=timezone.now()) for i in range(2)]  # fmt: skip
    services.events_ingest(feed_id=feed.pk, events=events)
    services.digests_anchor(now=timezone.now() + timedelta(hours=2))
    before = (list(Violation.objects.order_by("seq").values()), list(Digest.objects.values()))

    projection.rebuild(durable=False)

    assert before[0]
    assert before[1]
    assert (
        list(Violation.objects.order_by("seq").values()),
        list(Digest.objects.values()),
    ) == before


def test_a_silent_device_is_found_by_the_sweep_once(monitored: dict[str, Any]) -> None:
    feed = monitored["feed"]
    event = services.parse_row({"id": "s1", "kind": "battery", "at": last_night(16), "level": 60},
                               now=timezone.now())  # fmt: skip
    services.events_ingest(feed_id=feed.pk, events=[event])

    swept = CliRunner().invoke(app, ["probation", "events", "sweep"])
    again = services.feeds_sweep(now=timezone.now())

    assert swept.exit_code == 0, swept.output
    assert "1 violation(s) found" in swept.output
    assert again.opened == []
    assert list(Violation.objects.values_list("kind", flat=True)) == ["signal_lost"]
