"""The penal law as code: a dated law pack and an engine that explains every answer.

from adaldyq.law import LawPack, evaluate, parse_case
law = LawPack.load()                       # or LawPack.load(overlay="demo")
case = parse_case(obj)                     # the shared/cases format; CaseError names the field
result = evaluate(case.person, case.events, on=case.as_of, law=law, case_id=case.id)
result.to_dict()["qualifies_for_degree"]
"""

from adaldyq.law.cases import Case, differences, parse_case
from adaldyq.law.engine import Gap, Result, Timeline, damage_compensated, evaluate
from adaldyq.law.pack import LawPack

__all__ = [
    "Case",
    "Gap",
    "LawPack",
    "Result",
    "Timeline",
    "damage_compensated",
    "differences",
    "evaluate",
    "parse_case",
]
