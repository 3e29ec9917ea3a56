"""The explanation records' helpers."""

from hypothesis import given
from hypothesis import strategies as st

from adaldyq.law.explain import CONFIDENCES, weaker, weakest

codes = st.sampled_from([*CONFIDENCES, "X"])  # "X": a code the ranking does not know (weakest)


@given(codes, codes)
def test_weaker_of_two_is_weakest_of_the_two(a: str, b: str) -> None:
    assert weaker(a, b) == weakest(a, b)


def test_weakest_ranks_the_codes_of_law_md() -> None:
    assert weakest("L", "S", "P") == "P"
    assert weakest("L", "L-old") == "L-old"
    assert weakest("D", "?") == "?"
    assert weakest() == "L"
