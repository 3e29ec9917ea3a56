"""Law engine benchmark (issue 2): a synthetic national population evaluated for one date.

Prints facts/s and people/s for
  1. the engine with explanations (parse_case + evaluate, every finding built),
  2. a naive loop that computes only the five outputs of the case format (no explanations, no pack),
  3. the command line: `adaldyq law evaluate --jsonl` on the whole population, reading and writing
     (one process per core, as a user runs it),
  4. the naive loop with the command line's reading and writing: the same JSON-lines file read and
     parsed with the same library (orjson), the five outputs written a line each (one process),
  5. reading and parsing that file alone (no evaluation, nothing written): the floor under any
     command that takes JSON in, on one core.
Each figure is the median of --repeat runs. Usage:
    .venv/bin/python benchmarks/law_bench.py [--people 40000] [--density 100] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import orjson

from adaldyq.core.dates import add_months, term_end
from adaldyq.demo.synth import BENCHMARK_DENSITY, generate, person_as_case
from adaldyq.law import LawPack, evaluate, parse_case

# --- the naive loop: the five outputs only, table figures as literals (LAW.md §2-3) ---------------
_FROM_REGULAR = {"minimum": 3, "medium": 6, "maximum": 9, "extreme": 12}
_LIGHT_PREF = {"medium": (3, 12), "maximum": (3, 9), "extreme": (6, 6)}
_STRICT_BACK = {"minimum": (6, 6), "medium": (6, 6), "maximum": (9, 9), "extreme": (12, 12)}


def naive(case: dict[str, Any]) -> dict[str, Any]:
    """degree, qualifies_for_degree, condition, may_move_to, release_on, the plain way."""
    fromiso = date.fromisoformat
    on = fromiso(case["as_of"])
    p = case["person"]
    s = p["sentence"]
    start = fromiso(s["start"])
    release = (
        None
        if s.get("life")
        else term_end(
            start, years=s.get("years", 0), months=s.get("months", 0), days=s.get("days", 0)
        )
    )
    degree, awarded, cond, since = 0, {}, "regular", start
    incentives: list[date] = []
    penalties: list[date] = []
    member, diligent = False, False
    for e in case["events"]:
        d = fromiso(e["on"])
        if d > on:
            break
        t = e["type"]
        if t == "incentive":
            incentives.append(d)
        elif t == "penalty":
            penalties.append(d)
        elif t == "degree_awarded":
            degree = e["degree"]
            awarded[degree] = d
        elif t == "recognised":
            degree = {"offender": -1, "systematic_offender": -2, "malicious_offender": -3}[e["as"]]
        elif t == "degree_revoked":
            degree = 0
        elif t == "joined_organisation":
            member = True
        elif t == "left_organisation":
            member = False
        elif t == "work_assessed":
            diligent = e["diligent"]
        elif t == "arrived":
            cond, since = e.get("condition", "regular"), d
        elif t == "condition_changed":
            cond, since = e["to"], d

    def clean(anchor: date, months: int) -> bool:
        return not any(x > anchor for x in penalties) and on >= add_months(anchor, months)

    if degree < 0:
        qualifies = degree
    elif degree >= 2 and member and clean(awarded[2], 12):
        qualifies = 3
    elif degree >= 1 and member and clean(awarded[1], 6):
        qualifies = 2
    elif incentives and clean(incentives[-1], 3):  # art. 95: from the latest incentive
        qualifies = 1
    else:
        qualifies = 0
    itype = p["institution"]
    moves = []
    regular_months = _FROM_REGULAR.get(itype)
    light_on = add_months(since, regular_months) if regular_months else None
    if cond == "regular" and light_on and on >= light_on and degree >= 1 and diligent:
        moves.append("light")
    if cond == "regular" and itype == "complete" and on >= add_months(start, 12) and degree >= 1:
        moves.append("light")
    if cond == "light" and itype in _LIGHT_PREF and release is not None:
        m, before = _LIGHT_PREF[itype]
        if on >= add_months(since, m) and degree >= 3 and on >= add_months(release, -before):
            moves.append("preferential")
    if cond != "strict" and degree == -3 and itype != "mixed":
        moves.append("strict")
    if cond == "strict" and itype in _STRICT_BACK:
        m, clean_months = _STRICT_BACK[itype]
        window = add_months(on, -clean_months)
        if on >= add_months(since, m) and not any(x > window for x in penalties):
            moves.append("regular")
    if cond == "strict" and itype == "complete" and on >= add_months(since, 12) and degree >= 1:
        moves.append("regular")
    return {
        "degree": degree,
        "qualifies_for_degree": qualifies,
        "condition": cond,
        "may_move_to": sorted(moves),
        "release_on": release,
    }


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--people", type=int, default=40_000)
    ap.add_argument(
        "--density",
        type=int,
        default=BENCHMARK_DENSITY,
        help="generator density (the default gives about 100 case-format facts a person)",
    )
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    t0 = time.perf_counter()
    population = generate(args.people, density=args.density, with_extras=False)
    as_of = population.as_of
    cases = [person_as_case(p, as_of) for p in population.people]
    facts = sum(len(c["events"]) for c in cases)
    types = sorted({c["person"]["institution"] for c in cases})
    print(
        f"population: {len(cases):,} people, {facts:,} facts ({facts / len(cases):.0f} a person), "
        f"types {', '.join(types)}, as of {as_of}; built in {time.perf_counter() - t0:.1f} s"
    )
    law = LawPack.load()
    # The population is built and stays alive: move it out of the cyclic collector's sight, as the CLI
    # does for a batch, so that neither loop pays for scanning it again and again.
    gc.collect()
    gc.freeze()

    def engine_run() -> float:
        start = time.perf_counter()
        for obj in cases:
            c = parse_case(obj)
            evaluate(c.person, c.events, on=c.as_of, law=law, case_id=c.id)
        return time.perf_counter() - start

    def naive_run() -> float:
        start = time.perf_counter()
        for obj in cases:
            naive(obj)
        return time.perf_counter() - start

    # the two must agree on the five outputs before their speeds mean anything
    mismatches = 0
    for obj in cases[:2000]:
        c = parse_case(obj)
        got = evaluate(c.person, c.events, on=c.as_of, law=law).to_dict()
        want = naive(obj)
        want["release_on"] = want["release_on"].isoformat() if want["release_on"] else None
        mismatches += any(got[k] != v for k, v in want.items())
    print(
        f"agreement check: {mismatches} of 2,000 people differ between the engine and the naive loop"
    )

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "cases.jsonl"
        src.write_bytes(b"".join(orjson.dumps(c) + b"\n" for c in cases))
        out = Path(tmp) / "results.jsonl"
        exe = str(Path(sys.executable).with_name("adaldyq"))

        naive_out = Path(tmp) / "naive.jsonl"

        def naive_io_run() -> float:
            start = time.perf_counter()
            loads, dumps = orjson.loads, orjson.dumps
            with src.open("rb") as fh, naive_out.open("wb") as out:
                out.writelines(dumps(naive(loads(line))) + b"\n" for line in fh)
            return time.perf_counter() - start

        def read_only_run() -> float:
            start = time.perf_counter()
            loads = orjson.loads
            with src.open("rb") as fh:
                for line in fh:
                    loads(line)
            return time.perf_counter() - start

        def cli_run() -> float:
            start = time.perf_counter()
            subprocess.run(
                [exe, "law", "evaluate", "--jsonl", str(src), "--output", str(out)], check=True
            )
            return time.perf_counter() - start

        # The three take turns, so that a change in the machine's load (it is shared) falls on all of
        # them alike; each ratio is also taken within a round, and its median printed.
        names = (
            "engine, with explanations",
            "naive loop, five outputs",
            "CLI evaluate --jsonl (read+write)",
            "naive loop, read+write (1 process)",
            "reading the JSON alone (1 process)",
        )
        runs = (engine_run, naive_run, cli_run, naive_io_run, read_only_run)
        times: list[list[float]] = [[] for _ in runs]
        for _ in range(args.repeat):
            for k, fn in enumerate(runs):
                times[k].append(fn())
        size, src_size = out.stat().st_size, src.stat().st_size
    naive_t = statistics.median(times[1])
    print(
        f"\n{'run':<36}{'median s':>10}{'facts/s':>14}{'people/s':>12}{'vs naive':>10}"
        f"{'per round':>11}"
    )
    for name, ts in zip(names, times, strict=True):
        med = statistics.median(ts)
        paired = statistics.median(n / t for n, t in zip(times[1], ts, strict=True))
        print(
            f"{name:<36}{med:>10.2f}{facts / med:>14,.0f}{len(cases) / med:>12,.0f}"
            f"{naive_t / med:>9.2f}x{paired:>10.2f}x"
        )
    cli_t, io_t = statistics.median(times[2]), statistics.median(times[3])
    print(
        f"(input {src_size / 1e6:,.0f} MB; results written by the CLI: {size / 1e6:,.0f} MB; ratio > 1.00x "
        "means faster than the naive loop; 'per round': the median of the ratios within each round)\n"
        f"CLI against the naive loop with the same reading and writing: {io_t / cli_t:.2f}x"
    )


if __name__ == "__main__":
    main()
