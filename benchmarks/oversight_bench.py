"""Oversight benchmark (issues 5 and 6): the whole register, and visit anomaly detection.

Builds (once, cached in --data-dir) a ledger of the generated population in the demo loader's
shape, then prints the median of --repeat runs of
  1. the whole register: one SQL pass over the ledger, the engine at the dates that matter,
     DuckDB tables and every flag query;
  2. visit anomaly detection alone: the visit flags over the tables already loaded.
Usage:
    .venv/bin/python benchmarks/oversight_bench.py --data-dir /tmp/ovb [--people 35000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from adaldyq.demo.synth import generate  # noqa: E402
from adaldyq.law import LawPack  # noqa: E402
from adaldyq.ledger import Ledger  # noqa: E402
from adaldyq.oversight import build_register  # noqa: E402
from adaldyq.oversight.register import FLAG_KINDS  # noqa: E402
from tests.oversight.population import load_people, register_of  # noqa: E402

VISIT_KINDS = [k for k in FLAG_KINDS if k.startswith("visit")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--people", type=int, default=35_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--workers", type=int, default=None, help="worker processes (1: serial; default: per core)"
    )
    args = parser.parse_args()
    args.data_dir.mkdir(parents=True, exist_ok=True)
    # One ledger per population size: a folder used before for another size (or a build that was
    # stopped) must not add a second population to the first one's entries.
    path = args.data_dir / f"ledger-{args.people}.sqlite3"
    url = f"sqlite:///{path}"
    population = generate(args.people)
    marker = args.data_dir / f"built-{args.people}"
    if not marker.exists():
        for stale in (path, path.with_name(f"{path.name}-wal"), path.with_name(f"{path.name}-shm")):
            stale.unlink(missing_ok=True)  # a build that did not finish
        started = time.perf_counter()
        with Ledger.open(url) as ledger:
            entries = load_people(
                ledger,
                population.people,
                args.data_dir / f"planted-{args.people}.jsonl",
                as_of=population.as_of,
            )
        marker.write_text(str(entries))
        print(f"built {entries:,} entries in {time.perf_counter() - started:.1f} s")
    entries = int(marker.read_text())
    law = LawPack.load(overlay="demo")
    types = register_of(population)
    # What `adaldyq oversight review` holds when it forks its workers: not the generated population
    # (tens of thousands of people and their histories, copied page by page into each worker).
    del population
    gc.collect()
    whole, visits, stages = [], [], []
    for _ in range(args.repeat):
        started = time.perf_counter()
        timings: dict[str, float] = {}
        with Ledger.open(url, create=False) as ledger, ledger.reading() as cursor:
            reg = build_register(
                cursor, law=law, register=types, url=url, workers=args.workers, timings=timings
            )
        queried = time.perf_counter()
        flags = reg.flags()
        whole.append(time.perf_counter() - started)
        timings["flags"] = time.perf_counter() - queried
        stages.append(timings)
        started = time.perf_counter()
        n_visit = sum(len(reg.flags(kind=k)) for k in VISIT_KINDS)
        visits.append(time.perf_counter() - started)
        counts = reg.counts()
        reg.close()
    print(f"people {args.people:,}, entries {entries:,}, visit entries {counts['visits']:,}")
    print(f"whole register: median {statistics.median(whole):.2f} s ({len(flags):,} flags)")
    for name in stages[0]:
        print(f"  {name}: median {statistics.median(t[name] for t in stages):.2f} s")
    print(f"visit anomaly queries: median {statistics.median(visits):.2f} s ({n_visit:,} flags)")


if __name__ == "__main__":
    main()
