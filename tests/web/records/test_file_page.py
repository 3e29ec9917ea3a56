"""The personal file's page: a refused entry says why at the top of its form; menu, years, entry links."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from adaldyq.web.records import services
from adaldyq.web.records.models import Fact
from tests.languages import in_each_language
from tests.web.fixtures import PASSWORD, officer_admits

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(make_user):
    _insts, officer, person = officer_admits(make_user)
    for on in ("2023-05-12", "2024-03-01", "2025-02-03"):
        services.fact_record(
            officer=officer,
            person=person,
            fact={"type": "incentive", "on": on, "kind": "gratitude"},
        )
    return person


def _client(lang: str = "en") -> Client:
    client = Client(headers={"accept-language": lang})
    assert client.login(username="officer", password=PASSWORD)
    client.cookies["django_language"] = lang
    return client


@in_each_language(
    kk=("Ештеңе сақталмады. Мыналарды түзетіңіз:", None),
    ru=("Ничего не сохранено. Исправьте, пожалуйста:", "Дата в будущем"),
    en=("Nothing was saved. Please correct:", "The date is in the future."),
)
def test_a_date_in_2090_is_refused_with_a_summary_at_the_top_of_its_form(
    person, lang, heading, future
) -> None:
    response = _client(lang).post(
        f"/people/{person.pk}/record/penalty/",
        {"penalty-on": "2090-01-01", "penalty-violation": "smoking"},
    )

    html = response.content.decode()
    assert response.status_code == 400
    form = html[html.index('id="form-penalty"') :]
    assert '<details open id="form-penalty">' in html
    summary = form[form.index('class="error-summary"') : form.index("</div>")]
    assert heading in summary
    assert 'href="#id_penalty-on"' in summary
    if future:
        assert future in summary
    assert f'action="/people/{person.pk}/record/penalty/#form-penalty"' in form
    assert 'id="id_penalty-on"' in form
    assert html.count('class="error-summary"') == 1


def test_a_refused_correction_keeps_the_reason_and_links_the_date(person) -> None:
    inc = Fact.objects.filter(person=person, kind="incentive").first()
    response = _client().post(
        f"/people/{person.pk}/entries/{inc.seq}/correct/",
        {f"c{inc.seq}-reason": "the day was mistyped", f"c{inc.seq}-reason_code": "typing_error", f"c{inc.seq}-on": "2090-01-01",
         f"c{inc.seq}-kind": "gratitude"},
    )  # fmt: skip

    html = response.content.decode()
    assert response.status_code == 400
    assert f'href="#id_c{inc.seq}-on"' in html
    assert "the day was mistyped</textarea>" in html
    assert 'value="2090-01-01"' in html


def test_the_menu_reaches_every_recording_form_and_the_persons_visits_and_transfers(person) -> None:
    html = _client().get(f"/people/{person.pk}/").content.decode()

    menu = html[
        html.index('class="page-menu"') : html.index("</nav>", html.index('class="page-menu"'))
    ]
    for kind in ("incentive", "penalty", "work_hours", "visitor_registered"):
        assert f'href="#form-{kind}"' in menu
        assert f'id="form-{kind}"' in html
    assert f'href="/visits/people/{person.pk}/"' in menu
    assert f'href="/transfers/people/{person.pk}/"' in menu
    assert menu.index('href="#form-penalty"') < len(menu)
    assert html.index('class="page-menu"') < html.index('id="law"')


def test_the_timeline_is_grouped_by_year_with_the_newest_year_open(person) -> None:
    html = _client().get(f"/people/{person.pk}/").content.decode()

    years = re.findall(r'<details class="year" id="year-(\d{4})"( open)?>', html)
    assert years == [("2025", " open"), ("2024", ""), ("2023", "")]


def test_an_entry_link_opens_its_year_and_marks_the_entry(person) -> None:
    old = Fact.objects.get(person=person, on="2023-05-12")

    html = _client().get(f"/people/{person.pk}/?entry={old.seq}").content.decode()

    years = re.findall(r'<details class="year" id="year-(\d{4})"( open)?>', html)
    assert dict(years) == {"2025": "", "2024": "", "2023": " open"}
    assert f'<tr class="marked" id="entry-{old.seq}" aria-current="true">' in html
    assert len(re.findall(r'id="entry-\d+" aria-current', html)) == 1


def test_an_entry_of_another_file_or_nonsense_marks_nothing(person) -> None:
    for entry in ("999999", "abc", "9" * 40):
        html = _client().get(f"/people/{person.pk}/?entry={entry}").content.decode()
        assert not re.search(r'id="entry-\d+" aria-current', html)
        assert '<details class="year" id="year-2025" open>' in html


@pytest.fixture
def prisoner(make_user):
    """A prisoner whose file lacks the gravity of the offence (parole cannot be computed)."""
    _insts, officer, person = officer_admits(make_user, "KA-0009", gravity=None)
    services.fact_record(
        officer=officer,
        person=person,
        fact={"type": "incentive", "on": "2023-05-12", "kind": "gratitude"},
    )
    make_user("self", "prisoner", person_id=person.pk)
    return person


@in_each_language(
    kk=("Жетіспейді: қылмыстың ауырлығы", "мекеменің есеп жүргізу қызметкері"),
    ru=("Не хватает: тяжести преступления", "сотрудник спецучёта учреждения"),
    en=("Missing: the gravity of the offence", "the records officer of the institution"),
)
def test_the_prisoners_page_speaks_plainly_and_says_what_is_missing_and_who_adds_it(
    prisoner, lang, missing, who
) -> None:
    client = Client(headers={"accept-language": lang})
    assert client.login(username="self", password=PASSWORD)
    client.cookies["django_language"] = lang

    html = client.get(f"/people/{prisoner.pk}/").content.decode()
    law = html[html.index('id="law"') : html.index("</section>", html.index('id="law"'))]

    for jargon in (
        "LAW.md",
        "§",
        "; S:",
        "[",
        "қосалқы дереккөз",
        "вторичный источник",
        "not determinable",
    ):
        assert jargon not in law, jargon
    parole = law[law.index('id="step-parole"') :]
    assert missing in parole
    assert who in parole
    assert 'href="#step-parole"' in html


def test_an_entry_with_decimal_hours_is_corrected_from_its_form_in_kazakh(person) -> None:
    # The correction form carries the entry's values; in kk "100,0" was sent back and refused.
    officer = person.facts.first().recorded_by
    from adaldyq.web.accounts.models import User

    fact = services.fact_record(
        officer=User.objects.get(username=officer),
        person=person,
        fact={"type": "work_hours", "on": "2025-05-02", "hours": 100.0, "month": "2025-04"},
    )
    client = _client("kk")
    fragment = client.get(f"/people/{person.pk}/entries/{fact.seq}/correct/").content.decode()
    form = fragment[fragment.index(f'id="correct-{fact.seq}"') :]
    data = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form))
    data[f"c{fact.seq}-reason"] = "сағаттар қате енгізілді"
    data[f"c{fact.seq}-reason_code"] = "typing_error"

    response = client.post(f"/people/{person.pk}/entries/{fact.seq}/correct/", data)

    assert response.status_code == 302, response.content.decode()[-1500:]
    fact.refresh_from_db()
    assert Fact.objects.get(pk=fact.superseded_by_id).data["hours"] == 100.0


def test_a_form_sent_again_with_a_fresh_key_is_caught_by_what_it_says(make_user) -> None:
    """Personal pages are never cached: the back button loads the form afresh with a new one-use key, and
    the officer sends the same penalty again. It is recognised as a repeat and not saved twice; a second
    identical one is saved only when the box the form then shows is ticked."""
    from django.test import Client

    from adaldyq.web.records.models import Fact

    _insts, officer, person = officer_admits(make_user)
    client = Client(headers={"accept-language": "en"})
    client.force_login(officer)
    post = {"penalty-on": "2025-03-04", "penalty-violation": "left the work zone"}

    def send(**extra: str) -> object:
        page = client.get(f"/people/{person.pk}/")
        token = re.search(
            r'id="form-penalty".*?name="idempotency_key" value="([^"]+)"',
            page.content.decode(),
            re.S,
        )
        data = {**post, **extra, **({"idempotency_key": token.group(1)} if token else {})}
        return client.post(f"/people/{person.pk}/record/penalty/", data, follow=True)

    send()
    again = send()
    page = again.content.decode()
    assert Fact.objects.filter(person=person, kind="penalty").count() == 1
    assert "Already recorded: you recorded the same Penalty" in page
    assert 'name="penalty-again"' in page  # the box, shown now
    send(**{"penalty-again": "on"})
    assert Fact.objects.filter(person=person, kind="penalty").count() == 2


def test_the_entitlements_table_kept_is_the_one_of_its_view_and_language(person) -> None:
    """The entitlements' table is kept per (rows, view, language): the person's own view has no
    confidence column and each language its words, whichever was rendered first."""
    from django.utils import translation

    from adaldyq.web.records.selectors import law_today
    from adaldyq.web.records.templatetags.records_tags import entitlements_table

    rows = law_today(person, lang="en").explained.entitlements
    assert rows
    for lang in ("en", "ru", "en", "kk"):
        with translation.override(lang):
            staff, own = str(entitlements_table(rows, False)), str(entitlements_table(rows, True))
        assert staff.count("<th") == own.count("<th") + 1  # the confidence column
        assert ("<summary>Entitlements</summary>" in staff) == (lang == "en")
        assert ("<summary>Entitlements</summary>" in own) == (lang == "en")


def _recording_forms(html: str) -> str:
    """The page's menu and its "Record a fact" section, their one-use keys and CSRF token masked."""
    shown = html[html.index('class="page-menu"') : html.index("</nav>")]
    shown += html[html.index('id="record"') : html.index('id="timeline"')]
    shown = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", shown)
    return re.sub(r'name="idempotency_key" value="[^"]+"', "KEY", shown)


def _forget_kept_forms() -> None:
    from adaldyq.web.records.templatetags import records_tags

    records_tags._UNBOUND_FIELDS.clear()
    records_tags._TITLES.clear()
    records_tags._LINKS.clear()


def test_the_kept_recording_forms_are_each_languages_own_and_follow_the_register(person) -> None:
    """The forms' markup kept per language is what the page shows without it, whichever language
    was kept first, and still so once the institutions' register has a new version."""
    from adaldyq.web.institutions.models import Institution
    from adaldyq.web.institutions.views import register_token
    from tests.ledger_state import register_version_row

    register_version_row()
    page = f"/people/{person.pk}/"

    def fresh(lang: str) -> str:
        _forget_kept_forms()
        return _recording_forms(_client(lang).get(page).content.decode())

    def kept(lang: str) -> str:
        return _recording_forms(_client(lang).get(page).content.decode())

    shown = {lang: fresh(lang) for lang in ("kk", "ru", "en")}
    assert "Жазалау шарасы" in shown["kk"]
    assert "Взыскание" in shown["ru"]
    assert ">Penalty</summary>" in shown["en"]
    for lang in ("kk", "ru", "en", "kk"):  # each after another language's forms were kept
        assert kept(lang) == shown[lang]

    token = register_token()
    Institution.objects.filter(pk=person.institution_id).update(
        name="Renamed colony", name_ru="Переименованная колония"
    )
    assert register_token() != token
    for lang in ("kk", "ru", "en"):
        assert kept(lang) == fresh(lang)
