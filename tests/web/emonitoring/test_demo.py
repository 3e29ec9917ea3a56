"""The demo's bracelets: zones, a feed, last night's events through the service (issue 19)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from adaldyq.web.emonitoring import services
from adaldyq.web.emonitoring.demo import BREAKS, feeds_plant
from adaldyq.web.emonitoring.models import DeviceEvent, Violation

pytestmark = pytest.mark.django_db


def test_the_demo_gives_a_person_on_probation_a_bracelet_and_a_night_that_breaks_the_curfew(
    world: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(BREAKS, "curfew", 1.0)
    counts = feeds_plant(today=world["today"], data_dir=tmp_path, share=1.0, officer=world["po"])

    (feed,) = orjson.loads((tmp_path / "demo-feeds.json").read_bytes())
    assert counts["monitored"] == 1
    assert counts["events"] == DeviceEvent.objects.count() > 360
    assert services.feed_of_token(feed["token"]).person_id == world["person"].pk
    assert "curfew" in set(Violation.objects.values_list("kind", flat=True))
    assert next(z.kind for z in services.zones_of(world["person"].pk)) == "home"
    # each violation the night was made to have is a planted finding (`adaldyq oversight score`)
    planted = [
        orjson.loads(line) for line in (tmp_path / "planted.jsonl").read_bytes().splitlines()
    ]
    assert sorted((p["kind"], p["person"], p["entries"][0]) for p in planted) == sorted(
        (f"device_{v.kind}", v.person_id, v.seq) for v in Violation.objects.all()
    )
    assert ("device_curfew", world["person"].pk) in {(p["kind"], p["person"]) for p in planted}
