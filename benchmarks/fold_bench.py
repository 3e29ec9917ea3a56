"""The personal file's fold (`adaldyq.files.PersonalFile.fold`) on synthetic ledger rows, side by side
with another fold of the same rows (ADR 0014).

    .venv/bin/python benchmarks/fold_bench.py                     # 1,000 files of 61 entries
    .venv/bin/python benchmarks/fold_bench.py --baseline old_fold:build_file --files 1000

Each file is an admission and 60 facts as the ledger writes them (canonical entry bodies, two
corrections and a withdrawal among them); a round parses every body with orjson and folds each file,
as oversight's reader does. `--baseline module:function` folds the same rows with another function of
(person, rows) (e.g. oversight's fold before ADR 0014, kept outside the tree); the folds take turns
round by round, so that a change of load on a shared machine falls on both. Prints the best and the
median of the rounds, in seconds.
"""

from __future__ import annotations

import argparse
import importlib
import random
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import orjson

import adaldyq.files.personal
from adaldyq.files import PersonalFile
from adaldyq.ledger.entry import Actor, Draft, make_entry

Fold = Callable[[str, list[tuple[int, str, dict[str, Any]]]], Any]


def synthetic(
    files: int, facts: int, seed: int = 14
) -> list[tuple[str, list[tuple[int, str, bytes]]]]:
    """Each person's rows: (seq, type, canonical body), in seq order."""
    rnd = random.Random(seed)
    actor = Actor("officer-1", "role:records_officer@UK-1")
    out = []
    seq = 0
    for n in range(files):
        person = f"PF-{n:06d}"
        start = date(2020, 1, 1) + timedelta(rnd.randrange(1000))
        rows: list[tuple[int, str, bytes]] = []

        def add(
            kind: str,
            payload: dict[str, Any],
            *,
            _p: str = person,
            _r: list[tuple[int, str, bytes]] = rows,
            **kw: Any,
        ) -> int:
            nonlocal seq
            seq += 1
            draft = Draft(actor, _p, kind, payload, **kw)
            _r.append((seq, kind, make_entry(seq, "2026-01-01T00:00:00.000000Z", draft).body))
            return seq

        add("person_admitted", {"on": start.isoformat(), "number": f"A-{n}", "sex": "male",
                                "born": "1990-05-01", "institution": "UK-1", "condition": "regular",
                                "sentence": {"start": start.isoformat(), "years": 8}})  # fmt: skip
        day = start
        seqs = []
        for i in range(facts - 3):
            day += timedelta(rnd.randrange(1, 20))
            on = day.isoformat()
            k = i % 6
            if k == 0:
                seqs.append(add("incentive", {"on": on, "kind": "gratitude"}))
            elif k == 1:
                seqs.append(add("penalty", {"on": on, "kind": "reprimand", "malicious": False}))
            elif k == 2:
                seqs.append(add("work_hours", {"on": on, "hours": 120, "month": on[:7]}))
            elif k == 3:
                seqs.append(add("work_assessed", {"on": on, "diligent": True}))
            elif k == 4:
                seqs.append(add("degree_awarded", {"on": on, "degree": 1}))
            else:
                seqs.append(add("condition_changed", {"on": on, "to": "light"}))
        add("incentive", {"kind": "bonus"}, corrects=seqs[0], reason="the kind")
        add("penalty", {"on": start.isoformat(), "kind": "reprimand", "malicious": False},
            corrects=seqs[1], reason="the day")  # fmt: skip
        add("fact_voided", {}, corrects=seqs[2], reason="recorded twice")
        out.append((person, rows))
    return out


def one_round(fold: Fold, data: list[tuple[str, list[tuple[int, str, bytes]]]]) -> float:
    loads = orjson.loads
    t = time.perf_counter()
    for person, rows in data:
        fold(person, [(s, k, loads(b)) for s, k, b in rows])
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--facts", type=int, default=60)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--baseline", help="module:function folding (person, rows) the same way")
    args = ap.parse_args()
    data = synthetic(args.files, args.facts)
    folds: dict[str, Fold] = {"files.fold": PersonalFile.fold}
    if args.baseline:
        mod, _, fn = args.baseline.partition(":")
        folds["baseline"] = getattr(importlib.import_module(mod), fn)
    compiled = adaldyq.files.personal.__file__.endswith(".so")
    times: dict[str, list[float]] = {name: [] for name in folds}
    for _ in range(args.rounds):
        for name, fold in folds.items():
            times[name].append(one_round(fold, data))
    entries = sum(len(rows) for _, rows in data)
    print(f"{args.files} files, {entries} entries; adaldyq.files compiled: {compiled}")
    for name, ts in times.items():
        print(f"{name:12} best {min(ts):.3f} s  median {statistics.median(ts):.3f} s")


if __name__ == "__main__":
    main()
