"""The paper import's speed goal (issue 23): 5,000 people with 100 facts each in at most 2 minutes.

    .venv/bin/python benchmarks/paper_import_bench.py                    # 5,000 x 100, 3 runs
    .venv/bin/python benchmarks/paper_import_bench.py --people 500 --repeat 1
    .venv/bin/python benchmarks/paper_import_bench.py --postgres         # a throwaway PostgreSQL a run

Each run writes a filled template (CSV, an admission and --facts facts a person, ten facts a page)
and a folder of scanned pages, then runs `adaldyq records import-paper` end to end into a fresh data
folder, migrated before the clock starts (SQLite; with --postgres a throwaway PostgreSQL server for
each run, durable as web_bench's; or DATABASE_URL's PostgreSQL, which must be empty, for one run):
every row checked, each file read
by the law engine, the entries appended with the ledger's batch append and projected in bulk, in one
transaction. Prints each run (wall time, and the command's own CPU time: on a loaded machine the
wall time is mostly waiting) and the median, with the goal. Synthetic people only.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ADALDYQ = str(ROOT / ".venv" / "bin" / "adaldyq")
GOAL = 120.0
#: The kinds a synthetic history cycles through (each readable by the engine in any order).
CYCLE = ("incentive", "work_hours", "penalty", "study_hours", "work_assessed")


def write_batch(folder: Path, people: int, facts: int) -> Path:
    """A filled template and its scans in `folder`; returns the template's path."""
    scans = folder / "scans"
    scans.mkdir()
    pages = max(1, facts // 10) + 1
    for p in range(1, pages + 1):
        (scans / f"page-{p:03}.jpg").write_bytes(b"\xff\xd8\xff synthetic scan %d" % p)
    path = folder / "batch.csv"
    head = ["number", "paper_file", "page", "scan", "kind", "on", "detail", "diligent", "hours",
            "month", "surname", "given_name", "sex", "born", "sentence_start", "sentence_years"]  # fmt: skip
    with path.open("w", newline="", encoding="utf-8") as out:
        w = csv.writer(out)
        w.writerow(head)
        for i in range(people):
            number, paper = f"BN-{i:06}", f"A-{i}/2019"
            w.writerow([number, paper, 1, "page-001.jpg", "admission", "2019-03-01", "", "", "", "",
                        "Синтетов", "Ерлан", "male", "1985-01-01", "2019-02-01", "15"])  # fmt: skip
            day = date(2019, 3, 10)
            for k in range(facts):
                kind = CYCLE[k % len(CYCLE)]
                page = 2 + k // 10
                row = [number, paper, page, f"page-{page:03}.jpg", kind, day.isoformat(),
                       "", "", "", "", "", "", "", "", "", ""]  # fmt: skip
                if kind in ("incentive", "penalty"):
                    row[6] = "synthetic"
                elif kind == "work_assessed":
                    row[7] = "yes"
                else:
                    row[8], row[9] = "96", day.strftime("%Y-%m")
                w.writerow(row)
                day += timedelta(days=20)
    return path


def database(postgres: bool) -> contextlib.AbstractContextManager[str | None]:
    """A fresh throwaway PostgreSQL's URL (--postgres), or whatever DATABASE_URL says (None: SQLite)."""
    if not postgres:
        return contextlib.nullcontext(os.environ.get("DATABASE_URL"))
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from web_bench import bench_postgres

    return bench_postgres()


def run(people: int, facts: int, postgres: bool) -> float:
    with tempfile.TemporaryDirectory(prefix="paper-bench-") as tmp, database(postgres) as url:
        folder = Path(tmp)
        table = write_batch(folder, people, facts)
        data = folder / "data"
        env = {**os.environ, "ADALDYQ_DATA_DIR": str(data)}
        if url:
            env["DATABASE_URL"] = url
        subprocess.run(
            [ADALDYQ, "web", "migrate"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # a deployment's folder
        cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(
            [ADALDYQ, "records", "import-paper", str(table), "--scans", str(folder / "scans"),
             "--actor", "bench-officer"],
            env=env, check=False, capture_output=True, text=True,
        )  # fmt: skip
        took = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        used = after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime
        if done.returncode != 0:
            sys.exit(f"the import failed: {done.stderr.strip()[:2000]}")
        print(f"  {done.stdout.strip()}  ({took:.1f} s; the command's CPU {used:.1f} s)")
        return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--facts", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--postgres", action="store_true", help="a throwaway PostgreSQL for each run"
    )
    args = parser.parse_args()
    if args.repeat > 1 and os.environ.get("DATABASE_URL") and not args.postgres:
        sys.exit(
            "DATABASE_URL's database must be empty for each run: use --repeat 1, or --postgres"
        )
    where = "PostgreSQL" if args.postgres or os.environ.get("DATABASE_URL") else "SQLite"
    print(f"paper import: {args.people:,} people x {args.facts} facts, {args.repeat} runs, {where}")
    times = [run(args.people, args.facts, args.postgres) for _ in range(args.repeat)]
    median = statistics.median(times)
    verdict = "within" if median <= GOAL else "OVER"
    print(
        f"median {median:.1f} s ({verdict} the goal of {GOAL:.0f} s); load average now "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )


if __name__ == "__main__":
    main()
