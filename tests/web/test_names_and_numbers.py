"""Every path that takes a person's name or a document number folds it (NFKC) and refuses bidi and
format controls, with the refusal in the user's language (issue 16; adaldyq.core.text, adaldyq.web.text).
"""

from __future__ import annotations

import importlib
import json
import pkgutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.test import Client
from django.utils import translation

from adaldyq import web
from adaldyq.core.errors import InputError
from adaldyq.web.accounts.roles import Role
from adaldyq.web.accounts.services import AccountError, user_create
from adaldyq.web.programme import services as programme
from adaldyq.web.records import services as records
from adaldyq.web.text import DocumentField, NameField, ReferenceField, TextField
from adaldyq.web.visits import services as visits
from tests.commands import adaldyq, shell_environment
from tests.web.fixtures import PASSWORD, officer_admits, person_payload

pytestmark = pytest.mark.django_db

RLO, RLM, ZWJ, NUL = "\u202e", "\u200f", "\u200d", "\x00"
FULL_WIDTH = "\uff2f\uff4d\uff41\uff52\uff4f\uff56\uff41"  # "Omarova" in full-width letters
REFUSED = {
    "en": "invisible or control characters",
    "ru": "невидимые или управляющие символы",
    "kk": "көрінбейтін немесе басқарушы таңбалар",
}


@pytest.fixture
def world(make_user: Any) -> dict[str, Any]:
    insts, officer, person = officer_admits(make_user)
    return {"insts": insts, "officer": officer, "person": person}


def _fields_of_text() -> dict[str, tuple[type[forms.Form], str]]:
    """Every field of the web's forms that takes a name, a text, a file or request number or a
    document number (`adaldyq.web.text`'s fields), as "module.Form.field"."""
    for found in pkgutil.walk_packages(web.__path__, "adaldyq.web."):
        if found.name.endswith(".forms"):
            importlib.import_module(found.name)
    out: dict[str, tuple[type[forms.Form], str]] = {}
    classes = list(forms.Form.__subclasses__())
    while classes:
        form_class = classes.pop()
        classes.extend(form_class.__subclasses__())
        if not form_class.__module__.startswith("adaldyq.web."):
            continue
        for name, field in form_class.base_fields.items():
            if isinstance(field, (NameField, TextField, ReferenceField, DocumentField)):
                where = (
                    f"{form_class.__module__.removeprefix('adaldyq.web.')}.{form_class.__name__}"
                )
                out[f"{where}.{name}"] = (form_class, name)
    return dict(sorted(out.items()))


FORMS = _fields_of_text()


def _of(*kinds: type[forms.Field]) -> list[str]:
    return [w for w, (form, f) in FORMS.items() if isinstance(form.base_fields[f], kinds)]


def test_the_fields_are_found_in_every_app_that_has_them() -> None:
    apps = {where.split(".")[0] for where in FORMS}
    assert apps == {"programme", "records", "transfers", "visits"}
    assert "records.forms.AdmissionForm.surname" in FORMS


@pytest.mark.parametrize(
    ("hidden", "lang"), [(RLO, "kk"), (RLM, "ru"), (ZWJ, "en"), (NUL, "en")],
    ids=["RLO-kk", "RLM-ru", "ZWJ-en", "NUL-en"],
)  # fmt: skip
@pytest.mark.parametrize("where", FORMS)
def test_every_form_refuses_a_hidden_character_in_the_users_language(
    where: str, hidden: str, lang: str
) -> None:
    form_class, field = FORMS[where]
    document = isinstance(form_class.base_fields[field], DocumentField)
    typed = f"N0123{hidden}456" if document else f"Омар{hidden}ова"
    with translation.override(lang):
        form = form_class({field: typed})
        form.is_valid()
        errors = " ".join(str(e) for e in form.errors.get(field, []))

    if hidden == NUL:  # Django's own validator, before ours: "Null characters are not allowed."
        assert errors
        return
    assert REFUSED[lang] in errors
    if not document:  # a name says which character, so that it can be found
        assert "U+" in errors


@pytest.mark.parametrize("where", _of(NameField))
def test_every_form_keeps_a_full_width_name_as_its_letters(where: str) -> None:
    form_class, field = FORMS[where]
    form = form_class({field: f"  {FULL_WIDTH}\u00a0Айгүл "})
    form.is_valid()

    assert field not in form.errors
    assert form.cleaned_data[field] == "Omarova Айгүл"


@pytest.mark.parametrize("where", _of(ReferenceField))
def test_every_form_reads_a_full_width_file_or_request_number_as_its_digits(where: str) -> None:
    form_class, field = FORMS[where]
    form = form_class(
        {field: " \uff2b\uff21\uff0d\uff10\uff10\uff10\uff11 "}
    )  # "KA-0001" full-width
    form.is_valid()

    assert field not in form.errors
    assert form.cleaned_data[field] == "KA-0001"


def test_the_api_refuses_a_visitor_whose_name_hides_a_bidi_override(world: Any) -> None:
    client = Client(headers={"accept-language": "ru"})
    assert client.login(username="officer", password=PASSWORD)

    answer = client.post(
        f"/api/people/{world['person'].pk}/facts",
        json.dumps({"type": "visitor_registered", "on": "2023-03-01", "name": f"Омарова{RLO}",
                    "relationship": "spouse", "document": "N0123456"}),
        content_type="application/json",
    )  # fmt: skip

    assert answer.status_code == 422
    assert REFUSED["ru"] in " ".join(answer.json()["errors"]["name"])


def test_the_services_refuse_what_skipped_a_form_and_keep_names_in_nfkc(world: Any) -> None:
    officer, person = world["officer"], world["person"]
    with pytest.raises(InputError, match="U\\+200D"):
        visits.visitor_register(
            officer=officer, person=person, name=f"Омар{ZWJ}ова", document="N0123456",
            relationship="spouse", evidence="certificate", on=date(2023, 3, 1),
        )  # fmt: skip
    with pytest.raises(InputError, match="U\\+202E"):
        records.person_admit(
            officer=officer, person=person_payload("KA-0002", surname=f"Омаров{RLO}")
        )

    with pytest.raises(InputError, match="U\\+202E"):
        records.person_admit(officer=officer, person=person_payload(f"KA-0004{RLO}"))

    kept = records.person_admit(
        officer=officer, person=person_payload("KA-0003", surname=f" {FULL_WIDTH} ")
    )
    visitor = visits.visitor_register(
        officer=officer, person=person, name=f"{FULL_WIDTH}  Айгүл", document="Ｎ０１２３４５６",
        relationship="spouse", evidence="certificate", on=date(2023, 3, 1),
    )  # fmt: skip

    assert kept.surname == "Omarova"
    assert (visitor.name, visitor.document) == ("Omarova Айгүл", "N0123456")


def test_a_user_is_not_created_under_a_name_that_hides_a_character() -> None:
    with pytest.raises(AccountError, match="U\\+202E"):
        user_create(username=f"ombudsman{RLO}", password=PASSWORD, role=Role.ombudsman)
    with pytest.raises(AccountError, match="U\\+200F"):
        user_create(
            username="ombudsman", password=PASSWORD, role=Role.ombudsman, full_name=f"A{RLM}B"
        )

    with pytest.raises(AccountError, match="U\\+200B"):
        user_create(
            username="ombudsman", password=PASSWORD, role=Role.ombudsman,
            position={"ru": "Уполномоченный\u200b"},
        )  # fmt: skip

    made = user_create(
        username="ombudsman", password=PASSWORD, role=Role.ombudsman, full_name=FULL_WIDTH,
        position={"ru": "Начальник  отряда № 2"},
    )  # fmt: skip

    assert made.full_name == "Omarova"
    assert made.position_ru == "Начальник отряда № 2"  # beside a name: no NFKC, "№" stays


def test_the_create_user_command_refuses_a_hidden_character_in_one_line(tmp_path: Path) -> None:
    done = adaldyq(
        tmp_path, "web", "create-user", "ombudsman", "--role", "ombudsman",
        "--name", f"Омарова{ZWJ}", env=shell_environment(), stdin=f"{PASSWORD}\n{PASSWORD}\n",
    )  # fmt: skip

    assert done.returncode != 0
    assert "U+200D" in done.stderr + done.stdout
    assert "Traceback" not in done.stderr


def test_a_csv_list_names_the_row_whose_name_hides_a_character(world: Any) -> None:
    header = "name,body,position,category,region\n"
    good = f"{FULL_WIDTH},Орган 1,басшы,corps_a,almaty\n"
    bad = f"Омар{RLM}ова,Орган 2,басшы,corps_a,almaty\n"

    with pytest.raises(programme.ImportRefusedError) as refused:
        programme.parse_officials(header + good + bad)
    rows = programme.parse_officials(header + good)

    assert [b.line for b in refused.value.bad] == [3]
    assert "U+200F" in refused.value.bad[0].problem
    assert rows[0]["name"] == "Omarova"
