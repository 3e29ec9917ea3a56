"""Forms of the personal file: one per fact type. The API validates with the same forms.

A form's `fact()` is the case-format mapping (`type`, `on`, fields) the services record.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, ClassVar

from django import forms
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from adaldyq.core.regions import load_regions
from adaldyq.files import PAROLE_FIELDS
from adaldyq.web.formfields import ChoiceField, TypedChoiceField
from adaldyq.web.institutions.models import SENTENCE_TYPES
from adaldyq.web.records.entry_rules import CORRECTION_REASONS, LATE_REASONS, entry_lateness
from adaldyq.web.text import DocumentField, NameField, ReferenceField
from adaldyq.web.visits.forms import document_type_choices

CONDITIONS = [
    ("regular", _("regular")),
    ("light", _("light")),
    ("preferential", _("preferential")),
    ("strict", _("strict")),
]
MALICIOUS_ITEMS = [
    ("", _("not malicious")),
    ("refused_paid_work", _("refusing paid work offered by the administration")),
    ("left_without_permission", _("leaving a minimum-security institution without permission")),
    ("late_from_leave", _("late return from leave")),
    ("alcohol_or_drugs", _("alcohol or drugs")),
    ("gambling", _("gambling")),
    ("sexual_acts", _("acts of a sexual nature")),
    ("petty_hooliganism", _("petty hooliganism")),
    ("organising_violations", _("organising groups for such violations")),
    ("repeated_after_isolation", _("a repeated violation within 6 months of isolation for it")),
]
INCENTIVE_KINDS = [
    ("gratitude", _("gratitude")),
    ("extra_parcel", _("an extra parcel")),
    ("extra_visit", _("an extra visit")),
    ("penalty_lifted", _("early lifting of a penalty")),
    ("award", _("an award")),
    ("bonus", _("a money bonus")),
    ("extra_phone_call", _("an extra phone call")),
]
#: Penalties as codes (the demo's generator and imports give these; the form takes the violation in words).
PENALTY_KINDS = [
    ("warning", _("a warning")),
    ("reprimand", _("a reprimand")),
    ("disciplinary_isolator", _("placement in the disciplinary isolator")),
    ("solitary_cell", _("transfer to a solitary cell")),
]
RECOGNITIONS = [
    ("offender", _("offender")),
    ("systematic_offender", _("systematic offender")),
    ("malicious_offender", _("malicious offender")),
]
RELATIONSHIPS = [
    ("spouse", _("spouse")),
    ("mother", _("mother")),
    ("father", _("father")),
    ("son", _("son")),
    ("daughter", _("daughter")),
    ("sister", _("sister")),
    ("brother", _("brother")),
    ("partner_with_child", _("partner with a child in common")),
    ("grandparent", _("grandparent")),
    ("grandchild", _("grandchild")),
    ("other", _("other person")),
]


class FactForm(forms.Form):
    """The date every fact has; subclasses add their fields."""

    type: ClassVar[str] = ""
    title: ClassVar[Any] = ""
    head_only: ClassVar[bool] = False

    on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    #: Shown (`show_again`) only after a send was taken for a repeat of a fact recorded minutes before.
    again = forms.BooleanField(
        required=False,
        label=_("Record a second identical fact (one like it was recorded minutes ago)"),
    )

    #: Why the fact is recorded long after its day (`entry_rules`): asked only then.
    late_code = ChoiceField(
        label=_("Why it is recorded late (only for a fact dated more than 30 days ago)"),
        choices=[("", "—"), *LATE_REASONS],
        required=False,
    )
    late_reason = forms.CharField(
        label=_("Explain in a few words why it is recorded late"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self,
        *args: Any,
        person: Any = None,
        show_again: bool = False,
        as_replacement: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.person = person
        self.show_again = show_again
        #: A correction's replacement: the correction's own reason stands, no late reason is asked.
        self.as_replacement = as_replacement
        #: "on_time", "reason" or "head" once the form is valid (`entry_rules.entry_lateness`).
        self.lateness = "on_time"
        late = ("late_code", "late_reason")
        self.order_fields([*(n for n in self.fields if n not in late), *late])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        on = cleaned.get("on")
        if on is None or self.person is None or self.as_replacement:
            return cleaned
        self.lateness = entry_lateness(
            person=self.person, kind=self.type, on=on, today=timezone.localdate()
        )
        reason = str(cleaned.get("late_reason") or "").strip()
        if self.lateness != "on_time" and not (cleaned.get("late_code") and len(reason) >= 5):
            self.add_error(
                "late_code",
                forms.ValidationError(
                    _(
                        "This fact is dated %(days)s days ago: choose why it is recorded late and "
                        "explain it in a few words."
                    ),
                    params={"days": (timezone.localdate() - on).days},
                ),
            )
        return cleaned

    def clean_on(self) -> date:
        on: date = self.cleaned_data["on"]
        if on > timezone.localdate():
            raise forms.ValidationError(_("The date is in the future."))
        if self.person is not None and on < self.person.sentence_start:
            raise forms.ValidationError(
                _("The date is before the start of the sentence (%(start)s)."),
                params={"start": self.person.sentence_start.isoformat()},
            )
        return on

    def fields_payload(self) -> dict[str, Any]:
        return {}

    def fact(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "on": self.cleaned_data["on"].isoformat(),
            **self.fields_payload(),
        }

    def late(self) -> dict[str, str]:
        """The reason code and the written reason for a fact recorded late."""
        d = self.cleaned_data
        return {"code": str(d.get("late_code") or ""), "reason": str(d.get("late_reason") or "")}

    def record(self, *, officer: Any) -> Any:
        """Record the fact through the service that owns it (most facts: records.fact_record); a
        fact dated beyond the head's threshold is proposed for the head's confirmation instead
        (a `Proposal`, not a `Fact`)."""
        from adaldyq.web.records import services

        if self.lateness == "head":
            return services.fact_propose(
                officer=officer, person=self.person, fact=self.fact(), late=self.late()
            )
        return services.fact_record(
            officer=officer, person=self.person, fact=self.fact(), late=self.late()
        )


class IncentiveForm(FactForm):
    type, title = "incentive", _("Incentive")
    kind = ChoiceField(label=_("Kind"), choices=INCENTIVE_KINDS)

    def fields_payload(self) -> dict[str, Any]:
        return {"kind": self.cleaned_data["kind"]}


class PenaltyForm(FactForm):
    type, title = "penalty", _("Penalty")
    violation = forms.CharField(label=_("Violation"), max_length=300)
    malicious = ChoiceField(
        label=_("Malicious violation (item of the list)"), choices=MALICIOUS_ITEMS, required=False
    )

    def fields_payload(self) -> dict[str, Any]:
        item = self.cleaned_data.get("malicious") or ""
        return {"kind": self.cleaned_data["violation"].strip(), "malicious": item or False}


class JoinedForm(FactForm):
    type, title = "joined_organisation", _("Joined the voluntary organisation")


class LeftForm(FactForm):
    type, title = "left_organisation", _("Left the voluntary organisation")


class HoursForm(FactForm):
    hours = forms.DecimalField(
        label=_("Hours in the month"), min_value=0, max_value=300, decimal_places=1
    )
    month = forms.CharField(label=_("Month (YYYY-MM)"), max_length=7)

    def clean_month(self) -> str:
        m: str = self.cleaned_data["month"].strip()
        if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", m):
            raise forms.ValidationError(_("Write the month as YYYY-MM, e.g. 2025-03."))
        return m

    def fields_payload(self) -> dict[str, Any]:
        return {"hours": float(self.cleaned_data["hours"]), "month": self.cleaned_data["month"]}


class WorkHoursForm(HoursForm):
    type, title = "work_hours", _("Work hours")


class StudyHoursForm(HoursForm):
    type, title = "study_hours", _("Study hours")


class WorkAssessedForm(FactForm):
    type, title = "work_assessed", _("Assessment of the attitude to work")
    diligent = TypedChoiceField(
        label=_("Attitude to work"),
        choices=[("true", _("diligent")), ("false", _("not diligent"))],
        coerce=lambda v: v == "true",
    )

    def fields_payload(self) -> dict[str, Any]:
        return {"diligent": bool(self.cleaned_data["diligent"])}


class RecognisedForm(FactForm):
    type, title = "recognised", _("Recognition as offender")
    as_ = ChoiceField(label=_("Recognised as"), choices=RECOGNITIONS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["as"] = self.fields.pop("as_")

    def fields_payload(self) -> dict[str, Any]:
        return {"as": self.cleaned_data["as"]}


class ConditionChangedForm(FactForm):
    type, title = "condition_changed", _("Transfer between conditions")
    to = ChoiceField(label=_("To the condition"), choices=CONDITIONS)

    def fields_payload(self) -> dict[str, Any]:
        return {"to": self.cleaned_data["to"]}


class VisitorForm(FactForm):
    """A relative or visitor applies: registered here, decided by another officer on the visits page
    with the identity document seen (visits.services.visitor_decide)."""

    type, title = "visitor_registered", _("Relative or visitor")
    name = NameField(label=_("Full name"), max_length=200)
    relationship = ChoiceField(label=_("Relationship"), choices=RELATIONSHIPS)
    document_type = ChoiceField(
        label=_("Identity document"), choices=document_type_choices, required=False
    )
    document = DocumentField(label=_("Identity document number"))
    evidence = forms.CharField(
        label=_("Evidence of the relationship"), max_length=500, required=False
    )

    def fields_payload(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "visitor": f"doc:{d['document']}",
            "name": d["name"].strip(),
            "document": d["document"],
            "relationship": d["relationship"],
            "approved": False,
            "evidence": d.get("evidence", "").strip(),
            "decision": "pending",
            **({"document_type": d["document_type"]} if d.get("document_type") else {}),
        }

    def record(self, *, officer: Any) -> Any:
        """Register through the visits service (the application waits for another officer)."""
        from adaldyq.web.records.models import Fact
        from adaldyq.web.visits import services as visits

        d = self.cleaned_data
        visitor = visits.visitor_register(
            officer=officer,
            person=self.person,
            name=d["name"],
            document=d["document"],
            document_type=d.get("document_type", ""),
            relationship=d["relationship"],
            evidence=d.get("evidence", ""),
            on=d["on"],
        )
        return Fact.objects.get(pk=visitor.seq)


def _stated(label: Any) -> forms.TypedChoiceField:
    """A yes-or-no question of the file that may be left unanswered (None: not stated)."""
    return TypedChoiceField(
        label=label,
        choices=[("", _("not stated")), ("true", _("yes")), ("false", _("no"))],
        coerce=lambda v: v == "true",
        empty_value=None,
        required=False,
    )


class ParoleFactsForm(FactForm):
    """What the court's sentence or a later record says of the facts the parole rules read; a
    question left unanswered keeps what the file said before (or that it does not say)."""

    type, title = "parole_facts", _("Facts for parole")
    corruption = _stated(_("The crime is a corruption crime (from the court's sentence)"))
    damage_compensated = _stated(_("The damage caused by the crime is fully compensated"))
    procedural_agreement = _stated(
        _("A procedural agreement was concluded (from the court's sentence)")
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if all(cleaned.get(name) is None for name in PAROLE_FIELDS):
            raise forms.ValidationError(_("Answer at least one of the questions."))
        return cleaned

    def fields_payload(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {name: d[name] for name in PAROLE_FIELDS if d.get(name) is not None}


class DegreeAwardedForm(FactForm):
    type, title, head_only = "degree_awarded", _("Degree of behaviour awarded"), True
    degree = TypedChoiceField(
        label=_("Degree"), choices=[("1", "+1"), ("2", "+2"), ("3", "+3")], coerce=int
    )

    def fields_payload(self) -> dict[str, Any]:
        return {"degree": int(self.cleaned_data["degree"])}


class DegreeRevokedForm(FactForm):
    type, title, head_only = "degree_revoked", _("Degree of behaviour revoked"), True


FACT_FORMS: dict[str, type[FactForm]] = {
    f.type: f
    for f in (
        IncentiveForm,
        PenaltyForm,
        JoinedForm,
        LeftForm,
        WorkHoursForm,
        StudyHoursForm,
        WorkAssessedForm,
        RecognisedForm,
        ConditionChangedForm,
        VisitorForm,
        DegreeAwardedForm,
        DegreeRevokedForm,
        ParoleFactsForm,
    )
}


class CorrectionForm(forms.Form):
    """Why an entry is corrected (a code from the list and a written reason), and whether it is
    withdrawn rather than replaced."""

    reason_code = ChoiceField(
        label=_("Why it is corrected"), choices=[("", "—"), *CORRECTION_REASONS]
    )

    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    withdraw = forms.BooleanField(label=_("Withdraw the entry (no replacement)"), required=False)

    def clean_reason(self) -> str:
        reason: str = self.cleaned_data["reason"].strip()
        if len(reason) < 5:
            raise forms.ValidationError(_("Give the reason in a few words."))
        return reason


class Correction:
    """A correction of one entry as sent from the file's page or the API, read the same for both:
    why (`form`) and, unless it withdraws the entry, the replacement in the form of the entry's
    kind (`replacement`); recorded through `services.correction_record`."""

    def __init__(self, data: Any, *, person: Any, original: Any, prefix: str | None = None) -> None:
        self.person = person
        self.original = original
        self.form = CorrectionForm(data, prefix=prefix)
        self.replacement: FactForm | None = None
        if self.form.is_valid() and not self.form.cleaned_data["withdraw"]:
            form_class = FACT_FORMS.get(original.kind)
            if form_class is None:
                self.form.add_error(
                    "withdraw", _("This entry can only be withdrawn, not replaced.")
                )
            else:
                self.replacement = form_class(
                    data, person=person, prefix=prefix, as_replacement=True
                )

    def is_valid(self) -> bool:
        return self.form.is_valid() and (self.replacement is None or self.replacement.is_valid())

    def errors(self) -> dict[str, list[str]]:
        """The refused fields: the correction's, else the replacement's."""
        form = (
            self.replacement if self.replacement is not None and self.form.is_valid() else self.form
        )
        return {k: [str(e) for e in v] for k, v in form.errors.items()}

    def record(self, *, officer: Any) -> Any:
        """The corrected entry, or the withdrawal of an old penalty proposed to the head."""
        from adaldyq.web.records import services

        return services.correction_record(
            officer=officer,
            person=self.person,
            original=self.original,
            correction=self.form.cleaned_data,
            replacement=self.replacement.fact() if self.replacement is not None else None,
        )


class ProposalDecisionForm(forms.Form):
    """The head's answer to an entry proposed for confirmation."""

    proposal = forms.IntegerField(min_value=0, max_value=2**63 - 1)
    decision = ChoiceField(
        choices=[("confirm", _("Confirm")), ("refuse", _("Refuse"))], label=_("Decision")
    )
    reason = forms.CharField(
        label=_("Reason for refusing"), max_length=1000, required=False, widget=forms.Textarea
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == "refuse" and not str(cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for refusing."))
        return cleaned


class NoteForm(forms.Form):
    text = forms.CharField(
        label=pgettext_lazy("oversight", "Note"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


SEXES = [("male", _("male")), ("female", _("female"))]
GRAVITIES = [
    ("", "—"),
    ("minor", _("minor")),
    ("medium", _("medium gravity")),
    ("grave", _("grave")),
    ("especially_grave", _("especially grave")),
]


def region_choices() -> list[tuple[str, str]]:
    """The regions of Kazakhstan (adaldyq.core.regions), named in the reader's language."""
    lang = (get_language() or "kk")[:2]
    lang = lang if lang in ("kk", "ru", "en") else "en"
    return [("", "—"), *sorted(((r.key, r.name(lang)) for r in load_regions()), key=lambda c: c[1])]


class AdmissionForm(forms.Form):
    """A new personal file: identity, sentence, arrival, and the home region placement uses."""

    number = ReferenceField(label=_("Personal file number"), max_length=40)
    surname = NameField(label=_("Surname"), max_length=100)
    given_name = NameField(label=_("Given name"), max_length=100)
    patronymic = NameField(label=_("Patronymic"), max_length=100, required=False)
    sex = ChoiceField(label=_("Sex"), choices=SEXES)
    born = forms.DateField(label=_("Date of birth"), widget=forms.DateInput(attrs={"type": "date"}))
    sentence_start = forms.DateField(
        label=_("Start of the term"), widget=forms.DateInput(attrs={"type": "date"})
    )
    years = forms.IntegerField(label=_("Years"), min_value=0, max_value=30, initial=0)
    months = forms.IntegerField(label=_("Months"), min_value=0, max_value=11, initial=0)
    days = forms.IntegerField(label=_("Days"), min_value=0, max_value=31, initial=0)
    life = forms.BooleanField(label=_("Life imprisonment"), required=False)
    gravity = ChoiceField(
        label=_("Gravity of the gravest offence"), choices=GRAVITIES, required=False
    )
    sentence_type = ChoiceField(
        label=_("Institution type set by the court"), choices=SENTENCE_TYPES
    )
    home_region = ChoiceField(
        label=_("Home region (where the person lived before conviction)"),
        help_text=_("Placement proposes the nearest institution of the right type to it."),
    )
    arrived_on = forms.DateField(
        label=_("Arrived on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    condition = ChoiceField(label=_("Condition on arrival"), choices=CONDITIONS, initial="regular")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        home_region = self.fields["home_region"]
        assert isinstance(home_region, forms.ChoiceField)  # noqa: S101 - declared so above
        home_region.choices = region_choices()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = timezone.localdate()
        born, start, arrived = data.get("born"), data.get("sentence_start"), data.get("arrived_on")
        if born and born > today:
            self.add_error("born", _("The date is in the future."))
        if arrived and arrived > today:
            self.add_error("arrived_on", _("The date is in the future."))
        if born and start and start <= born:
            self.add_error("sentence_start", _("The term cannot start before the date of birth."))
        if start and arrived and arrived < start:
            self.add_error("arrived_on", _("The arrival cannot be before the start of the term."))
        if not data.get("life") and not any(data.get(k) for k in ("years", "months", "days")):
            self.add_error("years", _("Give the length of the term, or mark life imprisonment."))
        return data

    def person(self, *, institution_code: str | None) -> dict[str, Any]:
        """The admission payload; without an institution the person awaits placement."""
        d = self.cleaned_data
        sentence: dict[str, Any] = {"start": d["sentence_start"].isoformat()}
        if d["life"]:
            sentence["life"] = True
        else:
            sentence.update(years=d["years"] or 0, months=d["months"] or 0, days=d["days"] or 0)
        return {
            "number": d["number"].strip(),
            "surname": d["surname"].strip(),
            "given_name": d["given_name"].strip(),
            "patronymic": d["patronymic"].strip(),
            "sex": d["sex"],
            "born": d["born"].isoformat(),
            "sentence": sentence,
            "gravity": d["gravity"] or None,
            "sentence_type": d["sentence_type"],
            "home_region": d["home_region"],
            "institution": institution_code,
            "condition": d["condition"],
            "on": d["arrived_on"].isoformat(),
        }
