"""Placement benchmark (issue 7): national placement of 35,000 people and one policy simulation.

Prints the median of --repeat runs for
  1. `place_all`: everyone placed by the rule (sorted lists per home region, greedy fill),
  2. `propose_placement` for everyone in turn, each with its full explanation (every alternative),
  3. `simulate` with the report's proposal: merge medium and maximum security (seed 003 section 4),
then the simulation's figures. The demo population is generated once, outside the timings.
Usage:
    .venv/bin/python benchmarks/placement_bench.py [--people 35000] [--seed 2024] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from adaldyq.demo.synth import DEFAULT_SEED, generate
from adaldyq.placement import Scenario, place_all, propose_placement, simulate
from adaldyq.placement.demo import demo_current, demo_profiles, demo_sites


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Median seconds over `repeat` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=35_000)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    start = time.perf_counter()
    pop = generate(args.people, seed=args.seed, density=4, with_extras=False, abuse_share=0.0)
    print(f"demo population: {len(pop.people):,} people, {len(pop.institutions)} institutions "
          f"(generated in {time.perf_counter() - start:.1f} s, not timed below)")  # fmt: skip
    sites = demo_sites(pop)
    profiles = demo_profiles(pop)
    current = demo_current(pop)
    placed_people = [p for p in profiles if p.type != "mixed"]

    t_all, placed = timed(lambda: place_all(placed_people, sites), args.repeat)
    print(f"place_all ({len(placed_people):,} people):            median {t_all:6.2f} s")

    def explained() -> int:
        occupancy: Counter[str] = Counter()
        for p in sorted(placed_people, key=lambda p: (p.sentenced_on, p.id)):
            proposal = propose_placement(p, sites, occupancy, on=pop.as_of)
            occupancy[proposal.institution or ""] += 1
        return len(occupancy)

    t_explained, _ = timed(explained, 1)
    print(f"propose_placement one by one, explained:  median {t_explained:6.2f} s (1 run)")

    merge = Scenario(merge=(("medium", "maximum"),))
    t_sim, sim = timed(lambda: simulate(profiles, sites, current, merge, on=pop.as_of), args.repeat)
    print(f"simulate (merge medium+maximum):          median {t_sim:6.2f} s")
    print(
        f"  over limit under the rule: today {len(placed.over_limit)}, scenario {sim.over_limit_after}"
    )

    print(f"\nThe report's proposal on the national demo: {sim.scenario.describe()}")
    print(f"{sim.people:,} people; {sim.held:,} on household work in mixed units left in place")
    header = f"{'':24}{'where they are':>16}{'rule today':>14}{'rule, merged':>14}"
    print(header)
    cols = (sim.before, sim.baseline, sim.after)
    print(
        f"{'mean km':24}"
        + "".join(f"{d.mean_km:>{w},.0f}" for d, w in zip(cols, (16, 14, 14), strict=True))
    )
    for p in sim.before.percentiles:
        print(
            f"{f'p{p} km':24}"
            + "".join(
                f"{d.percentiles[p]:>{w},.0f}" for d, w in zip(cols, (16, 14, 14), strict=True)
            )
        )
    print(
        f"{'outside home region':24}"
        + "".join(f"{d.outside_home_region:>{w},}" for d, w in zip(cols, (16, 14, 14), strict=True))
    )
    for i, (lo, hi, _) in enumerate(sim.before.buckets):
        label = f"{lo:,.0f}-{hi:,.0f} km" if hi is not None else f"{lo:,.0f}+ km"
        print(
            f"{label:24}"
            + "".join(f"{d.buckets[i][2]:>{w},}" for d, w in zip(cols, (16, 14, 14), strict=True))
        )
    print(f"could move closer than now: {sim.closer_than_now:,} (farther {sim.farther_than_now:,})")
    print(
        f"closer than under today's rule: {sim.closer_than_baseline:,} (farther {sim.farther_than_baseline:,})"
    )
    print(f"with an institution of their kind in the home region: {sim.kind_at_home_baseline:,} today, "
          f"{sim.kind_at_home_after:,} merged")  # fmt: skip


if __name__ == "__main__":
    main()
