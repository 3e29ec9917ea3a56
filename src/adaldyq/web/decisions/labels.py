"""Words for the commission's codes, in the user's language (the codes themselves are data)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

OUTCOME_LABELS = {
    "award_degree": _("award a degree of behaviour"),
    "recognise": _("recognise as an offender"),
    "revoke_degree": _("revoke the degree"),
    "transfer": _("transfer to other conditions"),
    "refuse": _("refuse"),
    "defer": _("defer"),
    "not_determinable": _("not determinable: a figure is missing from the law pack"),
}
QUESTION_LABELS = {
    "degree": _("degree of behaviour"),
    "condition": _("conditions of serving the sentence"),
}
GROUNDS_LABELS = {
    "qualifies_higher": _("qualifies for a higher degree than held"),
    "unsupported": _("the held degree is no longer supported by the facts"),
    "transfer_grounds": _("has grounds for a transfer between conditions"),
    "deferred": _("the case was deferred"),
    "manual": _("added by hand"),
}
GROUP_LABELS = {
    "staff": _("staff of the institution"),
    "local_executive": _("local executive body"),
    "public": _("public representative"),
}
VOTE_LABELS = {"for": _("for"), "against": _("against"), "abstain": _("abstained")}
REASON_LABELS = {
    "facts_missing_from_file": _("facts missing from the personal file"),
    "facts_disputed": _("the recorded facts are disputed"),
    "conduct_not_in_facts": _("conduct not recorded as facts"),
    "proceedings_pending": _("disciplinary proceedings pending"),
    "safety_of_person": _("the person's safety"),
    "law_read_differently": _("the commission reads the law differently from the law pack"),
    "prisoner_request": _("at the prisoner's request"),
    "other": _("other (explained in writing)"),
}
DIRECTION_LABELS = {
    "without_grounds": _("a change the engine did not propose"),
    "grounds_refused": _("a proposed change refused or deferred"),
    "different_change": _("a different change from the one proposed"),
    "other": _("other departure"),
    "": "",
}
RECOGNITION_LABELS = {
    "offender": _("offender of the established order"),
    "systematic_offender": _("systematic offender"),
    "malicious_offender": _("malicious offender"),
}
QUORUM_LABELS = {
    "met": _("quorum met"),
    "not_met": _("quorum not met"),
    "not_determinable": _("quorum not determinable: figure missing from the law pack"),
}
FLAG_LABELS = {
    "commission_contrary_to_proposal": _("decision contrary to the engine's proposal"),
    "commission_without_quorum": _("decision without quorum, or quorum not determinable"),
    "commission_without_public_representative": _("decision without any public representative"),
}
CHECK_LABELS = {
    "entry:decision": _("the decision's ledger entry reads back and its hash is recomputed"),
    "entry:confirmation": _(
        "the confirmation's ledger entry reads back and its hash is recomputed"
    ),
    "code": _("the code is the entry's hash"),
    "row": _("the stored decision agrees with its ledger entry"),
    "checkpoint": _("the latest checkpoint is signed by the ledger's key"),
    "proof:decision": _("the decision is included in the checkpoint's tree"),
    "proof:confirmation": _("the confirmation is included in the checkpoint's tree"),
}


def describe(outcome: str, terms: dict[str, object], condition_names: dict[str, str]) -> str:
    """An outcome with its terms, in words: "award a degree of behaviour +2"."""
    label = str(OUTCOME_LABELS.get(outcome, outcome))
    if outcome == "award_degree" and "degree" in terms:
        return f"{label} +{terms['degree']}"
    if outcome == "recognise" and "as" in terms:
        return f"{label}: {RECOGNITION_LABELS.get(str(terms['as']), terms['as'])}"
    if outcome == "transfer" and "to" in terms:
        return f"{label}: {condition_names.get(str(terms['to']), terms['to'])}"
    return label
