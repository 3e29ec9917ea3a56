"""The fragments rendered by Jinja2 (ADR 0050) escape every value: what a person typed is text, never markup."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.utils import translation

from adaldyq.web.records import services
from adaldyq.web.records.explanation import Criterion, EntitlementRow, Explanation, Step
from adaldyq.web.records.models import Fact, Person
from adaldyq.web.records.templatetags.records_tags import explanation_steps, law_explanation
from tests.web.fixtures import PASSWORD, person_payload, register

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script>'
ESCAPED = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"


@pytest.fixture
def client(make_user) -> Client:
    """A records officer's client on a file whose name and correction reason carry a script."""
    insts = register()
    officer = make_user("officer", "records_officer", institution=insts["k1"])
    person = services.person_admit(
        officer=officer, person=person_payload(surname=f"Омаров{SCRIPT}")
    )
    wrong = services.fact_record(
        officer=officer,
        person=person,
        fact={"type": "incentive", "on": "2023-05-12", "kind": "gratitude"},
    )
    services.fact_correct(
        officer=officer,
        person=person,
        original=Fact.objects.get(person=person, seq=wrong.seq),
        reason=f"the day {SCRIPT}",
        replacement={"type": "incentive", "on": "2023-05-13", "kind": "gratitude"},
    )
    client = Client(headers={"accept-language": "en"})
    assert client.login(username="officer", password=PASSWORD)
    return client


def test_the_timeline_the_correction_page_and_the_search_escape_what_was_typed(client) -> None:
    person = Person.objects.get()
    corrected = Fact.objects.filter(person=person, superseded_by_id__isnull=False).get()

    pages = {
        "file": client.get(f"/people/{person.pk}/").content.decode(),
        "correction": client.get(f"/people/{person.pk}/entries/{corrected.seq}/correct/").content.decode(),
        "search": client.get("/people/", {"q": "Омаров"}).content.decode(),
    }  # fmt: skip

    for name, html in pages.items():
        assert SCRIPT not in html, name
    timeline = pages["file"][pages["file"].index('id="timeline"') :]
    assert f"«the day {ESCAPED}»" in timeline  # the correction's note in the corrected row
    assert f"Омаров{ESCAPED}" in pages["search"]


def test_the_explanation_escapes_its_texts() -> None:
    criterion = Criterion(
        text=SCRIPT, state="met", met_on=date(2026, 1, 2), article=SCRIPT,
        confidence='S"', confidence_name=SCRIPT, amendment=3,
    )  # fmt: skip
    step = Step("parole", SCRIPT, "due", date(2026, 3, 4), (criterion,))
    entitlement = EntitlementRow(
        name=SCRIPT, value=SCRIPT, article=SCRIPT, confidence="S", confidence_name=SCRIPT,
        missing=SCRIPT,
    )  # fmt: skip
    explained = Explanation((), (step,), (entitlement,))

    with translation.override("ru"):
        page = str(law_explanation(explained, is_self=False))
        decision = str(explanation_steps(explained.steps))

    for html in (page, decision):
        assert "<script>" not in html
        assert ESCAPED in html
        assert 'class="badge conf-S&#34;"' in html  # an attribute's value too
        assert "с 04.03.2026, если новые факты этого не изменят" in html  # translated
        assert "выполнено (с 02.01.2026)" in html
    assert "по поправке № 3" in page
