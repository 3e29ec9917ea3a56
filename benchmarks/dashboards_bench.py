"""Time the dashboards and the public figures on the national demo under the web benchmark's load
(issue 18: every dashboard page <= 1 s p95).

    .venv/bin/python benchmarks/dashboards_bench.py --data-dir /tmp/national-demo [--rounds 5]
    DATABASE_URL=postgresql://... .venv/bin/python benchmarks/dashboards_bench.py --data-dir DIR

The data folder must hold a national demo (`adaldyq demo --scale national --build-only --data-dir DIR`;
the benchmark builds one there when it finds none). As a deployment does after each checkpoint, it first
runs `adaldyq oversight figures` (the figures computed once per signed checkpoint) and prints how long
that took. Then it starts `adaldyq web serve`, signs the committee in (password and authenticator code,
from DIR/demo-logins.json) and opens every dashboard page (each measure at each of its levels, the
ledger's health) and the public portal's pages --rounds times, while the web
benchmark's mixed load (file openings, searches, incentives recorded) runs from --clients processes. It
prints each page's median and p95 in ms, the p95 over all pages against the 1,000 ms target, and the
load's own requests/s. The load's writes are real ledger entries: run it on a demo folder you can spare.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from web_bench import (
    ROOT,
    Client,
    ensure_demo,
    mixed_load,
    percentile,
    person_ids,
    server,
    server_env,
)

TARGET_MS = 1000.0
PORTAL = ("/figures/", "/open-data/catalog.json", "/open-data/figures.json")


def dashboard_paths(data_dir: Path) -> list[str]:
    """The dashboards' pages: each measure at each level it has, as the app defines them."""
    from adaldyq.web.bootstrap import django_setup

    django_setup(data_dir, make_private=False)
    from adaldyq.web.dashboards.selectors import MEASURES

    paths = ["/dashboards/", "/dashboards/health/"]
    paths += [
        f"/dashboards/?measure={key}&level={level}"
        for key, measure in MEASURES.items()
        for level in measure.levels
    ]
    return paths


def precompute(data_dir: Path, database_url: str | None) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "adaldyq.cli", "oversight", "figures", "--data-dir", str(data_dir)],
        env=server_env(database_url),
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def timed(client: Client, path: str) -> float:
    started = time.perf_counter()
    status, _ = client.get(path)
    elapsed = (time.perf_counter() - started) * 1000
    if status != 200:
        raise RuntimeError(f"GET {path}: HTTP {status}")
    return elapsed


def run(args: argparse.Namespace) -> None:
    data_dir, database_url = args.data_dir, os.environ.get("DATABASE_URL")
    ensure_demo(data_dir, database_url)
    print(f"adaldyq oversight figures: {precompute(data_dir, database_url):.1f} s", flush=True)
    logins = json.loads((data_dir / "demo-logins.json").read_text())
    with server(data_dir, database_url, args.workers) as (port, _pid):
        committee, officer, public = Client(port), Client(port), Client(port)
        committee.login(logins["committee"])
        officer.login(logins["records_officer"])
        pages = [(committee, p) for p in dashboard_paths(data_dir)] + [(public, p) for p in PORTAL]
        first = {path: timed(who, path) for who, path in pages}  # the first opening of each page
        load: dict[str, Any] = {}
        if args.clients:
            readable = person_ids(committee, 0, 4)
            writable = person_ids(officer, 0, 4)
            thread = threading.Thread(
                target=lambda: load.update(
                    mixed_load(
                        port, committee.cookies, officer.cookies, readable, writable,
                        clients=args.clients, requests=10**9, seconds=args.seconds, seed=4,
                    )
                ),
                daemon=True,
            )  # fmt: skip
            thread.start()
            time.sleep(3)  # the load's processes started
        times: dict[str, list[float]] = {path: [] for _, path in pages}
        for _ in range(args.rounds):
            for who, path in pages:
                times[path].append(timed(who, path))
        if args.clients:
            thread.join()
    print(f"{len(pages)} pages, {args.rounds} rounds:")
    for path, values in times.items():
        print(
            f"  {path}: first {first[path]:.0f} ms, median {statistics.median(values):.0f} ms, "
            f"p95 {percentile(values, 0.95):.0f} ms"
        )
    every = [v for values in times.values() for v in values]
    p95 = percentile(every, 0.95)
    verdict = "met" if p95 <= TARGET_MS else "NOT met"
    print(
        f"all dashboard and portal pages: p95 {p95:.0f} ms; target <= {TARGET_MS:.0f} ms: {verdict}"
    )
    if load:
        print(
            f"under the mixed load: {load['rps']:.1f} requests/s from {args.clients} clients, "
            f"p95 {load['p95']:.0f} ms, {load['errors']} errors"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, required=True, help="a national demo folder")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--clients", type=int, default=4, help="processes of the mixed load (0: none)"
    )
    parser.add_argument("--seconds", type=float, default=120, help="how long the load runs")
    parser.add_argument("--workers", type=int, default=None, help="web server workers")
    run(parser.parse_args())


if __name__ == "__main__":
    main()
