"""The transfers pages as a Kazakh or Russian reader sees them: rules in words and cited as that
language cites them, dates in the site's format, institutions by name with their Cyrillic code once."""

from __future__ import annotations

import re
from typing import Any

import pytest

from adaldyq.web.institutions.models import Institution
from adaldyq.web.transfers import services
from adaldyq.web.transfers.services import public_actor
from tests.languages import in_each_language
from tests.web.fixtures import client_as
from tests.web.transfers.conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def jumped(world: dict[str, Any]) -> dict[str, Any]:
    """Two requests into M-KAR (Cyrillic code М-КАР) and the second granted out of queue order."""
    Institution.objects.filter(code="M-KAR").update(
        code_local="М-КАР",
        name_ru="М-КАР, Карагандинская область",
        name_kk="М-КАР, Қарағанды облысы",
    )
    Institution.objects.filter(code="M-ALM").update(
        code_local="М-АЛМ", name_ru="Колония в Алматы", name_kk="Алматыдағы колония"
    )
    Institution.objects.filter(code="M-AKM").update(code_local="М-АКМ")
    a = world["admit"]("KA-0001", institution="M-ALM")
    b = world["admit"]("KA-0002", institution="M-ALM")
    first, _ = services.transfer_request_file(
        actor=public_actor("N1"), person=a, target="M-KAR", ground="closer_to_home",
        family=("minor_children",), on=TODAY,
    )  # fmt: skip
    second, _ = services.transfer_request_file(
        actor=public_actor("N2"), person=b, target="M-KAR", ground="closer_to_home", on=TODAY
    )
    granted = client_as(world["committee"]).post(
        f"/transfers/requests/{second.number}/", {"outcome": "grant", "reason": "urgent"}
    )
    assert granted.status_code == 302  # to the override, which a second person confirms
    assert client_as(world["clerk"]).post(granted.url, {"action": "confirm"}).status_code == 302
    return {**world, "a": a, "b": b, "first": first, "second": second}


@in_each_language(
    kk=("кезегінің ретімен шешіледі", "ҚР ҚАК 88-бабы"),
    ru=("решаются в порядке его очереди", "ст. 88 УИК РК"),
    en=("decided in its queue", "Code art. 88"),
)
def test_flags_name_the_rule_the_day_and_the_institution_in_the_readers_language(
    jumped: dict[str, Any], make_user: Any, lang: str, rule_words: str, cited: str
) -> None:
    page = client_as(make_user("prosecutor", "prosecutor")).get(
        "/transfers/flags/", HTTP_ACCEPT_LANGUAGE=lang
    )

    body = page.content.decode()
    (flag,) = page.context["rows"]
    assert flag["kind"] == "queue_jumped"
    assert rule_words in body
    assert cited in body
    assert "queue.order" not in body
    assert flag["on"].isoformat() not in body
    shown = flag["on"].strftime("%d.%m.%Y") if lang != "en" else f"{flag['on'].day} "
    assert shown in body
    assert f"{jumped['b'].full_name}</a> ({jumped['b'].number})" in body  # named, not by file id
    for seq in flag["evidence"]:
        assert f'href="/ledger/entries/{seq}/"' in body
    if lang != "en":
        assert "Code art" not in body
        assert "Mandela Rule" not in body
        assert "M-KAR" not in body
        assert "М-КАР" in body


def _text(html: str) -> str:
    """What a reader sees: the page without its tags (codes in links and form values are for machines)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]*>", " ", html))


@pytest.mark.parametrize(
    ("lang", "kar", "alm"),
    [
        ("ru", "М-КАР, Карагандинская область", "М-АЛМ · Колония в Алматы"),
        ("kk", "М-КАР, Қарағанды облысы", "М-АЛМ · Алматыдағы колония"),
    ],
)
def test_transfers_pages_name_institutions_once_in_cyrillic_on_kazakh_and_russian_pages(
    jumped: dict[str, Any], lang: str, kar: str, alm: str
) -> None:
    waiting = jumped["admit"]("KA-0009", institution=None)
    c = client_as(jumped["committee"])
    proposal = c.post(f"/transfers/place/{waiting.pk}/", {"type": "medium"})
    assert proposal.status_code == 302
    pages = {
        "requests": c.get("/transfers/", HTTP_ACCEPT_LANGUAGE=lang),
        "request": c.get(
            f"/transfers/requests/{jumped['first'].number}/", HTTP_ACCEPT_LANGUAGE=lang
        ),
        "person": c.get(f"/transfers/people/{jumped['a'].pk}/", HTTP_ACCEPT_LANGUAGE=lang),
        "moved": c.get(f"/transfers/people/{jumped['b'].pk}/", HTTP_ACCEPT_LANGUAGE=lang),
        "capacity": c.get("/transfers/capacity/", HTTP_ACCEPT_LANGUAGE=lang),
        "awaiting": c.get("/transfers/awaiting/", HTTP_ACCEPT_LANGUAGE=lang),
        "placement": c.get(proposal["Location"], HTTP_ACCEPT_LANGUAGE=lang),
        "propose": c.get(f"/transfers/place/{jumped['a'].pk}/", HTTP_ACCEPT_LANGUAGE=lang),
        "simulator": c.get(
            "/transfers/simulator/", {"run": "1", "merge": "1"}, HTTP_ACCEPT_LANGUAGE=lang
        ),
    }

    for name, page in pages.items():
        assert page.status_code == 200, name
        text = _text(page.content.decode())
        for latin in ("M-KAR", "M-ALM", "M-AKM"):
            assert latin not in text, (name, latin)
        assert "М-КАР · " not in text, name  # the code not repeated before a name that has it
    assert kar in _text(pages["request"].content.decode())
    assert kar in _text(pages["requests"].content.decode())
    assert f"{jumped['b'].full_name} ({jumped['b'].number})" in _text(
        pages["requests"].content.decode()
    )
    assert kar in _text(pages["capacity"].content.decode())
    assert kar in _text(pages["placement"].content.decode())
    distance = {"ru": r"\d+ км от дома \(", "kk": r"үйден \d+ км \("}[lang]
    assert re.search(distance, _text(pages["placement"].content.decode()))
    proposed = pages["awaiting"].context["pending"][waiting.pk].proposed
    cyrillic = {"M-KAR": "М-КАР", "M-ALM": "М-АЛМ", "M-AKM": "М-АКМ"}[proposed]
    assert _text(pages["awaiting"].content.decode()).count(cyrillic) == 1
    now_in = re.search(r'id="now-in">([^<]*)<', pages["person"].content.decode())
    assert now_in is not None
    assert now_in[1] == alm
    moved = re.search(r'id="now-in">([^<]*)<', pages["moved"].content.decode())
    assert moved is not None
    assert moved[1] == kar
