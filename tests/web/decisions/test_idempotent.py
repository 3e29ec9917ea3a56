"""The commission's writes sent twice (back button, double click) write once (ADR 0015, issue 13)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from adaldyq.web.decisions.models import Decision, Session
from adaldyq.web.idempotency.keys import FIELD
from tests.web.decisions.test_commission import world  # noqa: F401 - the fixture
from tests.web.fixtures import client_as, ledger_size

pytestmark = pytest.mark.django_db


def _key(html: str, marker: str) -> str:
    found = re.search(rf'name="{FIELD}" value="([^"]+)"', html[html.index(marker) :])
    assert found, marker
    return found.group(1)


def test_a_session_opened_twice_decided_twice_and_confirmed_twice_is_written_once(world) -> None:  # noqa: F811
    officer = client_as(world["officer"])
    post = {"on": date.today().isoformat()}  # noqa: DTZ011
    for i, (name, group) in enumerate([("Staff", "staff"), ("Public", "public")], 1):
        post |= {f"member-{i}-name": name, f"member-{i}-group": group, f"member-{i}-present": "on"}
    post[FIELD] = _key(officer.get("/commission/").content.decode(), 'id="open-session"')

    opened = [officer.post("/commission/open/", post) for _ in range(2)]

    assert [r.status_code for r in opened] == [302, 302]
    assert opened[1].url == opened[0].url
    session = Session.objects.get()
    item = session.items.get(question="degree")
    page = officer.get(f"/commission/sessions/{session.pk}/").content.decode()
    decide = {
        "outcome": item.proposal.get("outcome", "refuse"),
        **{f"vote-{m['id']}": "for" for m in session.present},
        FIELD: _key(page, f'id="item-{item.seq}"'),
    }
    if decide["outcome"] != "refuse":
        decide["degree"] = str(item.proposal.get("degree", 1))
    first = officer.post(f"/commission/items/{item.seq}/decide/", decide, HTTP_HX_REQUEST="true")
    size = ledger_size()
    again = officer.post(f"/commission/items/{item.seq}/decide/", decide, HTTP_HX_REQUEST="true")

    assert first.status_code == 200
    assert again["HX-Redirect"]
    assert ledger_size() == size
    assert Decision.objects.filter(item=item).count() == 1

    decision = Decision.objects.get(item=item)
    head = client_as(world["head"])
    confirm = {
        FIELD: _key(
            head.get(f"/commission/decisions/{decision.seq}/").content.decode(),
            f'action="/commission/decisions/{decision.seq}/confirm/"',
        )
    }
    confirmed = [
        head.post(f"/commission/decisions/{decision.seq}/confirm/", confirm) for _ in range(2)
    ]

    assert [r.status_code for r in confirmed] == [302, 302]
    assert confirmed[1].url == confirmed[0].url
    decision.refresh_from_db()
    assert decision.confirmed_seq is not None
    assert (
        "Бұрын тіркелген" in head.get(confirmed[1].url).content.decode()
    )  # the default language, kk
