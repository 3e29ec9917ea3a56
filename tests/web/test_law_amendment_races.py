"""Two decisions on one proposed amendment at once (issue 14): the book is read under the ledger's
write lock, so the second reviewer finds the proposal decided and nothing more is written."""

from __future__ import annotations

from typing import Any

import pytest

from adaldyq.law.amendments import AmendmentError
from adaldyq.web.records.amendments import amendment_book, amendment_decide, amendment_propose
from tests.web.concurrency import POSTGRES_ONLY, at_once

pytestmark = [POSTGRES_ONLY, pytest.mark.django_db(transaction=True),
              pytest.mark.usefixtures("base_law")]  # fmt: skip

PAYLOAD = {
    "figure": "entitlements.medium.regular.short_visits_per_year", "value": 2,
    "valid_from": "2025-06-10", "article": "PEC art. 134", "edition": "as amended on 1 May 2025",
    "confidence": "L", "reason": "the Code states the figure",
}  # fmt: skip


def test_an_approval_and_a_refusal_at_once_decide_once(make_user: Any) -> None:
    seq = amendment_propose(
        user=make_user("lawyer-a", "law_admin"), payload=PAYLOAD, document=b"%PDF the law"
    )
    reviewers = [make_user(f"lawyer-{n}", "law_admin") for n in ("b", "c")]

    def decide(user: Any, approved: bool) -> Any:
        try:
            return amendment_decide(user=user, seq=seq, approved=approved, reason="wrong edition")
        except AmendmentError as exc:
            return exc

    results = at_once(lambda: decide(reviewers[0], True), lambda: decide(reviewers[1], False))

    refused = [r for r in results if isinstance(r, AmendmentError)]
    assert len(refused) == 1, results
    assert "is already" in str(refused[0])
    decided = amendment_book().proposals[seq]
    assert decided.decided_seq in results
    assert decided.status in ("approved", "refused")
