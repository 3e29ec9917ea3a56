"""The impact preview of one law amendment on the national demo (issue 22: <= 30 s).

    .venv/bin/python benchmarks/amendment_bench.py --data-dir /tmp/national-demo [--repeat 3]

The data folder must hold a national demo (`adaldyq demo --scale national --build-only --data-dir DIR`;
the benchmark builds one there when it finds none) on SQLite, or DATABASE_URL names its PostgreSQL. As
the ministry's lawyer would, it proposes an amendment with the command (`adaldyq law amend propose`: a
yearly count of long visits for the regular conditions of medium-security institutions, from the first
day of the demo's year), then times `adaldyq law amend preview SEQ --format json` as a whole command,
end to end, --repeat times, and prints the median and the range with what the preview found (people
evaluated, people whose answer changes, the dates). The proposal is a real ledger entry: run it on a
demo folder you can spare.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ADALDYQ = str(Path(sys.executable).with_name("adaldyq"))
FIGURE = "entitlements.medium.regular.long_visits_per_year"
TARGET_S = 30.0


def run(*args: str, data: Path) -> str:
    done = subprocess.run(
        [ADALDYQ, *args, "--data-dir", str(data)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "ADALDYQ_ACTOR": "bench-lawyer"},
    )
    if done.returncode != 0:
        raise SystemExit(f"adaldyq {' '.join(args)}: {done.stderr.strip() or done.stdout.strip()}")
    return done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data-dir", type=Path, required=True, help="a national demo folder")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--on", default=None, help="the preview's today (default: the calendar's)")
    args = parser.parse_args()
    data: Path = args.data_dir
    if not (data / "adaldyq.sqlite3").exists() and "DATABASE_URL" not in os.environ:
        print(f"building the national demo in {data} ...", flush=True)
        run("demo", "--scale", "national", "--build-only", data=data)

    with tempfile.TemporaryDirectory() as tmp:
        order = Path(tmp) / "order.pdf"
        order.write_bytes(b"%PDF-1.4 benchmark: an order amending the Code (synthetic)")
        year = time.strftime("%Y")
        seq = run(
            "law", "amend", "propose", "--figure", FIGURE, "--value", "5",
            "--from", f"{year}-01-01", "--article", "PEC art. 136",
            "--edition", "benchmark edition", "--document", str(order),
            "--confidence", "L", "--reason", "benchmark of the impact preview",
            data=data,
        ).strip()  # fmt: skip
    print(f"proposed amendment #{seq}: {FIGURE} = 5 from {year}-01-01")

    times: list[float] = []
    found: dict[str, object] = {}
    extra = ["--on", args.on] if args.on else []
    for _ in range(args.repeat):
        start = time.perf_counter()
        out = run("law", "amend", "preview", seq, "--format", "json", *extra, data=data)
        times.append(time.perf_counter() - start)
        found = json.loads(out)
    median = statistics.median(times)
    print(
        f"people evaluated {found['people']:,}; answers changed for {found['people_changed']:,} "
        f"people on {', '.join(map(str, found['dates']))} "  # type: ignore[arg-type]
        f"({found['not_evaluated']} not evaluated)"
    )
    print(
        f"impact preview (the command, end to end): median {median:.1f} s "
        f"(min {min(times):.1f}, max {max(times):.1f}, {len(times)} runs); target <= {TARGET_S:.0f} s: "
        + ("met" if median <= TARGET_S else "NOT met")
    )


if __name__ == "__main__":
    main()
