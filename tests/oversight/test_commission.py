"""Commission flags from `decision_recorded` payloads (PEC arts. 17, 103)."""

import pytest

from adaldyq.oversight.commission import commission_flags


def _payload(**over):
    base = {
        "on": "2025-02-03",
        "person": "PF-000001",
        "institution": "UK-1",
        "session": 7,
        "outcome": "award_degree",
        "deviates": False,
        "public_present": 1,
        "quorum": {"status": "met", "present": 4, "members": 5},
    }
    base.update(over)
    return base


@pytest.mark.parametrize(
    ("quorum", "flagged"),
    [
        ({"status": "met"}, False),
        ({"status": "not_met", "present": 1}, True),
        ({"status": "not_determinable"}, False),
    ],
)
def test_only_a_known_quorum_that_is_not_met_is_flagged(quorum, flagged) -> None:
    flags = commission_flags([(10, "UK-1/O02", "UK-1", _payload(quorum=quorum))])

    assert any(f.kind == "commission_without_quorum" for f in flags) is flagged


def test_a_decision_contrary_to_the_proposal_is_flagged_with_its_evidence() -> None:
    flags = commission_flags(
        [
            (
                11,
                "UK-1/O02",
                "UK-1",
                _payload(deviates=True, session_seq=9, direction="granted_without_grounds"),
            )
        ]
    )

    (flag,) = flags
    assert flag.kind == "commission_contrary_to_proposal"
    assert flag.evidence == (9, 11)
    assert flag.detail["direction"] == "granted_without_grounds"


def test_a_session_without_any_public_representative_is_flagged() -> None:
    flags = commission_flags([(12, "UK-1/O02", "UK-1", _payload(public_present=0))])

    assert [f.kind for f in flags] == ["commission_without_public_representative"]


def test_every_source_of_flags_is_known_to_the_register_commands() -> None:
    from adaldyq.oversight.sources import all_flag_kinds

    kinds = all_flag_kinds()

    assert {"delayed_award", "commission_contrary_to_proposal", "queue_jumped"} <= set(kinds)
