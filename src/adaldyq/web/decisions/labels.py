"""Words for the commission's codes, in the user's language (the codes themselves are data)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from adaldyq.placement.ledger import TRANSFER_FLAG_KINDS
from adaldyq.web.transfers.templatetags.transfers_tags import LABELS as TRANSFER_LABELS

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
    "long_closure": _("visits closed for longer than the project's limit"),
    "monitoring_assignment_overdue": _(
        "assignment of a public council's monitoring visit not answered by its due date"
    ),
    "monitoring_observation_repeated": _(
        "observation of a public council found again at a later visit"
    ),
    "device_curfew": _("electronic monitoring: away from home during the curfew hours"),
    "device_exclusion_zone": _("electronic monitoring: inside an exclusion zone"),
    "device_tamper": _("electronic monitoring: the bracelet's strap or case opened"),
    "device_battery": _("electronic monitoring: the bracelet's battery below 10%"),
    "device_signal_lost": _(
        "electronic monitoring: no signal from the bracelet for over 30 minutes"
    ),
    "release_refused_late_submission": _(
        "parole or substitution refused by the court: the administration did not submit on time"
    ),
    "commission_without_quorum": _("decision without quorum, or quorum not determinable"),
    "commission_without_public_representative": _("decision without any public representative"),
    "decision_without_grounds": _("degree or transfer decided without grounds in the facts"),
    "delayed_award": _("decision more than 30 days after the person qualified"),
    "grounds_ignored": _("grounds present for more than 30 days, no decision"),
    "penalty_before_qualifying": _("penalty shortly before the person would have qualified"),
    "unsupported_degree_held": _("degree held without support in the facts for more than 30 days"),
    "visits_above_entitlement": _("more visits than the entitlement"),
    "visit_not_allowed_in_condition": _("visit not allowed in these conditions"),
    "visit_unapproved_visitor": _("visit by a visitor not approved"),
    "visit_before_approval": _("visit before the visitor was approved"),
    "visit_under_other_prisoner": _("visit recorded under another prisoner"),
    "visit_unregistered_visitor": _("visit by an unregistered visitor"),
    "visit_no_registered_relatives": _("visit while the person had no approved visitor"),
    "visitor_visits_several_people": _("one visitor visits several prisoners"),
    "visitor_registered_in_several_institutions": _("visitor registered in several institutions"),
    "visit_while_elsewhere": _("visit recorded while the person was in another institution"),
    "rate_outlier": _("share far above the national share (exact test)"),
    "late_entry_changed_outcome": _("a decision that rests on a fact recorded late"),
    "withdrawal_changed_outcome": _("a decision that a withdrawal or correction made possible"),
    "fact_withdrawn": _("a fact withdrawn from the file"),
    "fact_corrected": _("a fact corrected in the file"),
    # the placement flags in the words the transfers pages use for them
    **{kind: TRANSFER_LABELS[kind] for kind in TRANSFER_FLAG_KINDS},
}
#: The register's columns, as its filters and sort order name them.
#: The class of a flag (issue 15): what it is worth on its own.
CLASS_LABELS = {
    "finding": _("finding"),
    "pattern": _("pattern"),
    "lead": _("lead"),
}
COLUMN_LABELS = {
    "kind": _("kind"),
    "person": _("person"),
    "institution": _("institution"),
    "officer": _("officer"),
    "officer_name": _("officer's name and position"),
    "on": _("date"),
    "evidence": _("evidence"),
    "confidence": _("confidence"),
    "rule": _("rule"),
    "detail": _("details"),
}
CHECK_LABELS = {
    "entry:decision": _("the decision's ledger entry reads back and its hash is recomputed"),
    "entry:confirmation": _(
        "the confirmation's ledger entry reads back and its hash is recomputed"
    ),
    "code": _("the code is the entry's hash"),
    "row": _("the stored decision agrees with its ledger entry"),
    "checkpoint": _("the latest checkpoint is signed by the ledger's key"),
    "pin": _("the checkpoint continues the history this verifier pinned first"),
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
