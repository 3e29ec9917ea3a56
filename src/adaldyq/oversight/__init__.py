"""Oversight: where recorded decisions depart from the law, computed from the ledger and the engine.

    from adaldyq.oversight import Thresholds, build_register, score
    reg = build_register(cursor, law=LawPack.load(overlay="demo"), register=types)  # code -> type
    reg.flags(kind="delayed_award", institution="UK-12")  -> list[Flag]
    reg.delays(); reg.longest_waiting(20); reg.not_determinable()
    score(reg.flags(), read_planted("DIR/planted.jsonl"))  -> precision and recall per kind
    score_classes(reg.flags(), planted)  -> findings (person level) and patterns (officer, institution)
    reg.flags(classes={"finding", "pattern"})  the default view; leads are reached from their pattern

`files` rebuilds personal files from the ledger (one SQL pass, corrections applied); `review`
runs the law engine at the few dates that matter per person; `register` loads those rows and
the visit entries into DuckDB, where `sql` turns them into flags (ADR 0008). Nothing here
imports Django, typer or rich: the CLI (`adaldyq oversight`) and the web app call this API.
"""

from adaldyq.files import PersonalFile
from adaldyq.oversight.files import read_files
from adaldyq.oversight.register import (
    CLASSES,
    FLAG_CLASSES,
    FLAG_KINDS,
    Flag,
    Register,
    Thresholds,
    build_register,
    flag_class,
)
from adaldyq.oversight.score import ClassScore, KindScore, read_planted, score, score_classes

__all__ = [
    "CLASSES",
    "FLAG_CLASSES",
    "FLAG_KINDS",
    "ClassScore",
    "Flag",
    "KindScore",
    "PersonalFile",
    "Register",
    "Thresholds",
    "build_register",
    "flag_class",
    "read_files",
    "read_planted",
    "score",
    "score_classes",
]
