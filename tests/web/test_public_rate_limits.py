"""The public pages pause a guesser: per address and per number typed (issue 16; ADR 0028).

Each page that looks something up by what a stranger types counts the tries that found nothing; at the
limit it answers 429 in the reader's language with Retry-After, until the window has passed. Limits
are made small here (settings); the counts live in the database's cache, as in production.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client

from tests.languages import in_each_language

PER_ADDRESS, PER_NUMBER, MINUTES = 3, 2, 15
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Form:
    path: str
    #: the data of try `i` guessing the number `number` (None: a different number every try)
    data: Callable[[int, str | None], dict[str, str]]
    method: str = "post"
    around_a_number: bool = True


def _doc(i: int, number: str | None) -> str:
    return number or f"N{9_000_000 + i}"


FORMS = {
    "visit": Form("/visit/", lambda i, n: {"document": _doc(i, n), "number": f"ZZ-{i:04d}"}),
    "visit-manage": Form(
        "/visit/manage/", lambda i, n: {"document": _doc(i, n), "code": f"CODE{i:04d}"}
    ),
    "transfer": Form(
        "/transfer/",
        lambda i, n: {
            "number": f"ZZ-{i:04d}",
            "document": _doc(i, n),
            "target": "UK-1",
            "ground": "closer_home",
            "consent": "on",
            "contact": "+7 700 000 00 00",
        },
    ),
    "transfer-status": Form(
        "/transfer/status/", lambda i, n: {"request": n or f"{700 + i}", "code": f"CODE{i:04d}"}
    ),
    "verify": Form(
        "/verify/", lambda i, n: {"code": f"WRONG{i:05d}"}, method="get", around_a_number=False
    ),
}


@pytest.fixture
def limits(settings: Any, db: Any) -> None:
    settings.PUBLIC_TRIES_PER_ADDRESS = PER_ADDRESS
    settings.PUBLIC_TRIES_PER_NUMBER = PER_NUMBER
    settings.PUBLIC_TRIES_MINUTES = MINUTES


def _try(form: Form, i: int, *, address: str, number: str | None = None, lang: str = "en") -> Any:
    client = Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE=lang)
    return getattr(client, form.method)(form.path, form.data(i, number))


@pytest.mark.parametrize("name", FORMS)
def test_one_client_guessing_many_numbers_is_paused_and_another_client_is_served(
    limits: None, name: str
) -> None:
    form = FORMS[name]
    with time_machine.travel(START, tick=False):
        for i in range(PER_ADDRESS):
            assert _try(form, i, address="203.0.113.5").status_code in (400, 404)

        paused = _try(form, 99, address="203.0.113.5")
        other = _try(form, 100, address="198.51.100.7")

    assert paused.status_code == 429
    assert paused["Retry-After"] == str(MINUTES * 60)
    assert "Try again in 15 minutes" in paused.content.decode()
    assert other.status_code in (400, 404)


@pytest.mark.parametrize("name", [n for n, f in FORMS.items() if f.around_a_number])
def test_many_clients_guessing_around_one_number_are_paused(limits: None, name: str) -> None:
    form = FORMS[name]
    number = "N 742 0001"
    with time_machine.travel(START, tick=False):
        for i in range(PER_NUMBER):
            assert _try(form, i, address=f"203.0.113.{i + 1}", number=number).status_code in (
                400,
                404,
            )
        # the same number typed another way (no spaces, full-width letters) is the same number
        paused = _try(form, 50, address="192.0.2.50", number="Ｎ７４２0001")
        another = _try(form, 51, address="192.0.2.51", number="N7420002")

    assert paused.status_code == 429
    assert another.status_code in (400, 404)


@pytest.mark.parametrize("name", FORMS)
def test_the_pause_ends_when_the_window_has_passed(limits: None, name: str) -> None:
    form = FORMS[name]
    with time_machine.travel(START, tick=False) as clock:
        for i in range(PER_ADDRESS):
            _try(form, i, address="203.0.113.5")
        clock.shift(timedelta(minutes=MINUTES - 1))
        still = _try(form, 10, address="203.0.113.5")
        clock.shift(timedelta(minutes=1, seconds=1))
        again = _try(form, 11, address="203.0.113.5")

    assert still.status_code == 429
    assert still["Retry-After"] == "60"
    assert again.status_code in (400, 404)


@in_each_language(kk="минуттан кейін", ru="Повторите через 15 мин", en="Try again in 15 minutes")
def test_the_pause_is_said_in_the_readers_language(limits: None, lang: str, words: str) -> None:
    form = FORMS["visit"]
    with time_machine.travel(START, tick=False):
        for i in range(PER_ADDRESS):
            _try(form, i, address="203.0.113.5", lang=lang)
        paused = _try(form, 9, address="203.0.113.5", lang=lang)

    assert paused.status_code == 429
    assert f'lang="{lang}"' in paused.content.decode()
    assert words in paused.content.decode()


def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_count(
    limits: None, settings: Any
) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    form = FORMS["verify"]

    def via_proxy(i: int, client: str) -> Any:
        return Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=client).get(
            form.path, form.data(i, None)
        )

    with time_machine.travel(START, tick=False):
        for i in range(PER_ADDRESS):
            via_proxy(i, "203.0.113.5")
        paused = via_proxy(10, "203.0.113.5")
        # a client that writes a made-up address before the proxy's is still the same client
        spoofed = via_proxy(11, "192.0.2.1, 203.0.113.5")
        other = via_proxy(12, "198.51.100.7")

    assert (paused.status_code, spoofed.status_code, other.status_code) == (429, 429, 404)


def test_a_right_answer_is_not_counted(limits: None, client: Client) -> None:
    with time_machine.travel(START, tick=False):
        for _ in range(PER_ADDRESS + 2):
            assert client.get("/verify/").status_code == 200  # the empty form is not a try
