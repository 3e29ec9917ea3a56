"""Choice fields whose choices every form shares (adaldyq.web.formfields)."""

from __future__ import annotations

from django.utils import translation

from adaldyq.web.records.forms import INCENTIVE_KINDS, AdmissionForm, IncentiveForm


def test_the_forms_share_the_choices_and_one_that_sets_its_own_keeps_them_to_itself() -> None:
    first, second = IncentiveForm(prefix="a"), IncentiveForm(prefix="b")

    assert first.fields["kind"].choices is second.fields["kind"].choices
    first.fields["kind"].choices = [("gratitude", "only this one")]

    codes = [code for code, _ in INCENTIVE_KINDS]
    assert [code for code, _ in second.fields["kind"].choices] == codes
    assert [code for code, _ in IncentiveForm().fields["kind"].choices] == codes
    assert 'value="award"' not in str(first["kind"])
    assert 'value="award"' in str(second["kind"])


def test_the_shared_choices_are_said_in_the_page_s_language() -> None:
    form = IncentiveForm()
    with translation.override("en"):
        english = str(form["kind"])
    with translation.override("ru"):
        russian = str(IncentiveForm()["kind"])

    assert english != russian
    assert form.fields["late_code"].widget is not IncentiveForm().fields["late_code"].widget


def test_a_form_that_sets_its_choices_in_init_still_does(db: None) -> None:
    regions = AdmissionForm().fields["home_region"].choices

    assert len(list(regions)) > 1
