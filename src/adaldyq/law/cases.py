"""The legal scenario format of shared/cases/README.md: read a case, compare a result with `expect`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from adaldyq.core.errors import CaseError
from adaldyq.core.person import GRAVITIES, SEXES, Person, Sentence
from adaldyq.law.case_events import CaseEvents
from adaldyq.law.engine import Result
from adaldyq.law.pack import INSTITUTION_TYPES
from adaldyq.law.state import DATES_SEEN

EXPECT_KEYS: Final = ("degree", "qualifies_for_degree", "condition", "may_move_to", "release_on")


@dataclass(slots=True, init=False)
class Case:
    """A person, their facts, the date to evaluate on, and what the law says then (treat as immutable)."""

    id: str
    as_of: date
    person: Person
    #: The facts as the file lists them (a view of its list); the engine orders the days when they
    #: are not in order.
    events: CaseEvents
    expect: Mapping[str, Any]
    about: str

    def __init__(
        self,
        id: str,
        as_of: date,
        person: Person,
        events: CaseEvents,
        expect: Mapping[str, Any],
        about: str = "",
    ) -> None:
        self.id = id
        self.as_of = as_of
        self.person = person
        self.events = events
        self.expect = expect
        self.about = about


#: The largest case the commands read, in bytes of JSON (a file, or one line of `--jsonl`). A case
#: of 30 years of daily facts is under a megabyte; a larger one is refused before it is parsed (JSON
#: takes many times its size in memory once read). Not a legal figure: a guard of the case format.
MAX_CASE_BYTES: Final = 2 * 1024 * 1024
#: A term no sentence reaches (a guard of the case format against typing errors such as
#: "years": 1000000, not a legal figure: the longest lawful term is the Criminal Code's).
_MAX_TERM_YEARS: Final = 100
_TERM_LIMITS: Final = {
    "years": _MAX_TERM_YEARS,
    "months": 12 * _MAX_TERM_YEARS,
    "days": 366 * _MAX_TERM_YEARS,
}


def iso_day(raw: Any) -> date | None:
    """`raw` as a date when it is one, or a string of the form YYYY-MM-DD naming a real day; else None.

    Stricter than `date.fromisoformat`, which also takes 20250301 and 2023-W02-2.
    """
    if isinstance(raw, date):
        return raw
    if not isinstance(raw, str):
        return None
    seen = DATES_SEEN.get(raw)  # a day any fact or case has given before (only such days are kept)
    if seen is not None:
        return seen
    if len(raw) != 10 or raw[4] != "-" or raw[7] != "-":
        return None
    if not (raw[:4].isdigit() and raw[5:7].isdigit() and raw[8:].isdigit()):
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def _date(obj: dict[str, Any], key: str, case: str, where: str) -> date:
    raw = obj.get(key)
    if raw is None:
        raise CaseError("missing", case=case, field=f"{where}{key}")
    d = iso_day(raw)
    if d is None:
        raise CaseError(f"not an ISO date YYYY-MM-DD: {raw!r}", case=case, field=f"{where}{key}")
    return d


def _count(obj: dict[str, Any], key: str, case: str) -> int:
    v = obj.get(key, 0)
    if not isinstance(v, int) or isinstance(v, bool) or v < 0:
        raise CaseError(
            f"must be a whole number of 0 or more, not {v!r}",
            case=case,
            field=f"person.sentence.{key}",
        )
    limit = _TERM_LIMITS[key]
    if v > limit:
        raise CaseError(
            f"{v} is more than any term ({limit} {key} at most in the case format)",
            case=case,
            field=f"person.sentence.{key}",
        )
    return v


def _flag(p: dict[str, Any], key: str, cid: str) -> bool | None:
    """An optional fact of the sentence: true, false, or absent (the file does not say)."""
    v = p.get(key)
    if v is None or v is True or v is False:
        return v
    raise CaseError(f"must be true or false, not {v!r}", case=cid, field=f"person.{key}")


def _sentence(s: dict[str, Any], start: date, cid: str) -> Sentence:
    life = s.get("life", False)
    if life is not True and life is not False:
        raise CaseError(
            f"must be true or false, not {life!r}", case=cid, field="person.sentence.life"
        )
    if life:
        given = [k for k in ("years", "months", "days") if k in s]
        if given:
            raise CaseError(
                f"a life sentence has no {given[0]!r}: give either 'life': true or a term",
                case=cid,
                field=f"person.sentence.{given[0]}",
            )
        return Sentence(start=start, life=True)
    years, months, days = _count(s, "years", cid), _count(s, "months", cid), _count(s, "days", cid)
    try:
        sentence = Sentence(start, years, months, days)
    except (OverflowError, ValueError):
        raise CaseError(
            "the term runs past the last date the calendar holds", case=cid, field="person.sentence"
        ) from None
    release = sentence.release_on
    if release is None or release < start:
        raise CaseError(
            "the term is empty: the release date would be before the start",
            case=cid,
            field="person.sentence",
        )
    return sentence


def _as_dict(obj: object) -> dict[str, Any] | None:
    """The object as a dict (a parser's own, or a copy of another mapping); None when it is not a mapping.

    Read through its concrete type, the compiled parser looks fields up directly instead of through
    a generic method call.
    """
    if type(obj) is dict:
        return obj
    if isinstance(obj, Mapping):
        return dict(obj)
    return None


def parse_case(given: Any, *, default_id: str = "case") -> Case:
    """Validate a case-format mapping; CaseError names the case and the field that is wrong."""
    obj = _as_dict(given)
    if obj is None:
        raise CaseError("a case must be a JSON object", case=default_id)
    cid = str(obj.get("id") or default_id)
    as_of = _date(obj, "as_of", cid, "")
    p = _as_dict(obj.get("person"))
    if p is None:
        raise CaseError("missing or not an object", case=cid, field="person")
    sex = p.get("sex")
    if sex not in SEXES:
        raise CaseError(f"must be one of {list(SEXES)}, not {sex!r}", case=cid, field="person.sex")
    gravity = p.get("gravity")
    if gravity is not None and gravity not in GRAVITIES:
        raise CaseError(
            f"must be one of {list(GRAVITIES)}, not {gravity!r}", case=cid, field="person.gravity"
        )
    s = _as_dict(p.get("sentence"))
    if s is None:
        raise CaseError("missing or not an object", case=cid, field="person.sentence")
    start = _date(s, "start", cid, "person.sentence.")
    sentence = _sentence(s, start, cid)
    institution = p.get("institution")
    if institution not in INSTITUTION_TYPES:
        types = list(INSTITUTION_TYPES)
        what = (
            f"missing (one of {types})"
            if institution is None
            else f"must be one of {types}, not {institution!r}"
        )
        raise CaseError(
            what,
            case=cid,
            field="person.institution",
        )
    events = obj.get("events", [])
    if not isinstance(events, list):
        raise CaseError("must be a list of objects", case=cid, field="events")
    expect = obj.get("expect") or {}
    if not isinstance(expect, Mapping):
        raise CaseError("must be an object", case=cid, field="expect")
    born = _date(p, "born", cid, "person.")
    if born > as_of:
        raise CaseError(
            f"the person is born ({born}) after the date of evaluation, as_of ({as_of})",
            case=cid,
            field="person.born",
        )
    if start < born:
        raise CaseError(
            f"dates out of order: the sentence starts ({start}) before birth ({born})",
            case=cid,
            field="person.sentence.start",
        )
    if as_of < start:
        raise CaseError(
            f"the date of evaluation ({as_of}) is before the sentence starts ({start})",
            case=cid,
            field="as_of",
        )
    corruption = _flag(p, "corruption", cid)
    compensated = _flag(p, "damage_compensated", cid)
    agreement = _flag(p, "procedural_agreement", cid)
    person = Person(sex, born, institution, sentence, gravity, corruption, compensated, agreement)
    return Case(cid, as_of, person, CaseEvents(events), expect, str(obj.get("about", "")))


def differences(result: Result, expect: Mapping[str, Any]) -> list[tuple[str, Any, Any]]:
    """(key, expected, got) for every key of `expect` the result does not match."""
    got = result.to_dict()
    return [(k, v, got.get(k)) for k, v in expect.items() if got.get(k) != v]
