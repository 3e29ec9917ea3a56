"""People are named by full name and position on every page, never by login (issue 13)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import translation

from tests.commands import adaldyq, shell_environment
from tests.languages import in_each_language
from tests.web.fixtures import PASSWORD, register

pytestmark = pytest.mark.django_db
HEAD = "Сәрсенбаев Ерлан Маратұлы"


def _named(text: str, who: object, lang: str) -> str:
    with translation.override(lang):
        return Template(text).render(Context({"who": who}))


@in_each_language(kk="Мекеме бастығы", ru="Начальник учреждения", en="Head of the institution")
def test_a_head_is_named_by_name_and_position_in_each_language(make_user, lang, position) -> None:
    user = make_user("head", "head", institution=register()["k1"], full_name=HEAD)

    by_user = _named("{{ who|person_name }}", user, lang)
    by_login = _named("{{ who|person_name }}", "head", lang)  # as the ledger records the actor

    assert by_user == by_login == f"{HEAD}, {position}"
    assert _named('{{ who|person_name:"name" }}', "head", lang) == HEAD
    assert _named('{{ who|person_name:"position" }}', "head", lang) == position


def test_a_users_own_position_comes_before_the_roles_words(make_user) -> None:
    make_user(
        "deputy",
        "head",
        institution=register()["k1"],
        full_name="Омарова Айгүл Серікқызы",
        position={"kk": "Бастықтың орынбасары", "ru": "Заместитель начальника"},
    )

    kk = _named("{{ who|person_name }}", "deputy", "kk")
    ru = _named("{{ who|person_name }}", "deputy", "ru")
    en = _named("{{ who|person_name }}", "deputy", "en")

    assert kk == "Омарова Айгүл Серікқызы, Бастықтың орынбасары"
    assert ru == "Омарова Айгүл Серікқызы, Заместитель начальника"
    assert en == "Омарова Айгүл Серікқызы, Head of the institution"  # none in English: the role's


def test_a_user_without_a_name_is_shown_by_position_with_the_login_and_an_unknown_login_as_is(
    make_user,
) -> None:
    make_user("chair", "committee")

    nameless = _named("{{ who|person_name }}", "chair", "ru")
    unknown = _named("{{ who|person_name }}", "UK-9/O01", "ru")

    assert nameless == "Сотрудник Комитета уголовно-исполнительной системы (логин chair)"
    assert unknown == "UK-9/O01"


def test_a_changed_name_shows_at_once_in_the_same_process(make_user) -> None:
    user = make_user("chair", "committee", full_name="Ахметов Дәурен")
    assert _named("{{ who|person_name:'name' }}", "chair", "kk") == "Ахметов Дәурен"

    user.full_name = "Ахметов Дәурен Болатұлы"
    user.save()

    assert _named("{{ who|person_name:'name' }}", "chair", "kk") == "Ахметов Дәурен Болатұлы"


def test_the_header_names_the_signed_in_user_not_the_login(make_user) -> None:
    make_user("records-officer", "records_officer", institution=register()["k1"], full_name=HEAD)
    client = Client()
    assert client.login(username="records-officer", password=PASSWORD)

    page = client.get("/institutions/", headers={"accept-language": "ru"}).content.decode()

    assert f"{HEAD}, Инспектор группы специального учёта" in page
    assert "records-officer" not in page


def test_create_user_takes_a_name_and_a_position_per_language(tmp_path: Path) -> None:
    args = ["web", "create-user", "ombuds", "--role", "ombudsman"]
    args += ["--name", "Жұмабаева  Сәуле Ержанқызы", "--position", "Уәкілдің кеңесшісі"]
    args += ["--position", "ru=Советник Уполномоченного"]
    passwords = "pw-1234-long\npw-1234-long\n"

    done = adaldyq(tmp_path, *args, env=shell_environment(), stdin=passwords)

    assert done.returncode == 0, done.stderr + done.stdout
    with sqlite3.connect(tmp_path / "adaldyq.sqlite3") as db:
        row = db.execute(
            "SELECT full_name, position_kk, position_ru, position_en FROM accounts_user "
            "WHERE username = 'ombuds'"
        ).fetchone()
    assert row == (
        "Жұмабаева Сәуле Ержанқызы",
        "Уәкілдің кеңесшісі",
        "Советник Уполномоченного",
        "Уәкілдің кеңесшісі",
    )

    again = adaldyq(tmp_path, *args, env=shell_environment(), stdin=passwords)

    assert again.returncode != 0  # the name is taken: one line, no traceback
    assert "user ombuds exists already" in again.stderr + again.stdout
    assert "Traceback" not in again.stderr
