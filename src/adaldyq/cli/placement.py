"""`adaldyq placement ...`: propose a placement, simulate a policy, list art. 96 eligibility, show the rules.

For now the population is the synthetic demo (`--scale`, `--seed`); the web will feed the
registered population instead.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, Progress, TextColumn
from rich.table import Table

from adaldyq.cli._common import (
    Area,
    console,
    date_option,
    dumps,
    err_console,
    fail,
    printed_for_scripts,
    printed_whole,
)
from adaldyq.cli.options import FormatOption, OutputFormat
from adaldyq.core.regions import regions_by_key
from adaldyq.demo.model import Population
from adaldyq.demo.synth import DEFAULT_AS_OF, DEFAULT_SEED, generate
from adaldyq.law import LawPack
from adaldyq.placement import (
    PlacementRules,
    PlacementRulesError,
    Profile,
    Proposal,
    Scenario,
    Simulation,
    default_rules,
    propose_placement,
    simulate,
)
from adaldyq.placement.demo import (
    demo_current,
    demo_occupancy,
    demo_profiles,
    demo_sites,
    demo_type_changes,
)
from adaldyq.placement.simulate import SENTENCE_TYPES, Distribution

app = Area("Placement close to home, the open transfer queue, art. 96 and the policy simulator.")

ScaleOption = Annotated[
    str, typer.Option("--scale", help="Demo population: small (3,000), national (35,000) or N.")
]
SeedOption = Annotated[int, typer.Option("--seed", help="Demo generator seed.")]
OnOption = Annotated[
    str | None, typer.Option("--on", help="Date (YYYY-MM-DD); default: the demo's as-of date.")
]
#: Facts per person the placement commands ask of the generator: histories do not matter here.
_PLACEMENT_DENSITY = 4


def _scale(text: str) -> str | int:
    if text.isdigit():
        return int(text)
    if text not in ("small", "national"):
        raise fail(f"--scale: expected small, national or a number, not {text!r}")
    return text


def _population(scale: str, seed: int, on: date, *, density: int | None, quiet: bool) -> Population:
    kwargs: dict[str, Any] = {"seed": seed, "as_of": on, "with_extras": False, "abuse_share": 0.0}
    if density is not None:
        kwargs["density"] = density
    if quiet:
        return generate(_scale(scale), **kwargs)
    with Progress(
        TextColumn("demo population"), BarColumn(), TextColumn("{task.completed:,} people"),
        console=err_console, transient=True,
    ) as progress:  # fmt: skip
        task = progress.add_task("generate", total=None)

        def tick(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        return generate(_scale(scale), progress=tick, **kwargs)


def _spec(text: str, parts: int, what: str) -> list[str]:
    items = text.split(":")
    if len(items) != parts or not all(items):
        raise fail(f"{what}: expected {':'.join(['REGION', 'TYPE', 'N'][:parts])}, not {text!r}")
    return items


def _int(text: str, what: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise fail(f"{what}: not a whole number: {text!r}") from None


def _region(key: str, what: str) -> str:
    if key not in regions_by_key():
        raise fail(f"{what}: unknown region {key!r}; one of {', '.join(sorted(regions_by_key()))}")
    return key


@app.command("propose")
def propose_cmd(
    home: Annotated[str, typer.Option("--home", help="Home region key, e.g. turkistan.")],
    type_: Annotated[str, typer.Option("--type", help="Type the sentence requires.")],
    sex: Annotated[str, typer.Option("--sex", help="male or female.")] = "male",
    minor: Annotated[bool, typer.Option("--minor", help="The person is under 18.")] = False,
    medical: Annotated[bool, typer.Option("--medical", help="Needs treatment.")] = False,
    person: Annotated[str, typer.Option("--person", help="Personal-file number.")] = "new",
    scale: ScaleOption = "small",
    seed: SeedOption = DEFAULT_SEED,
    on: OnOption = None,
    fmt: FormatOption = OutputFormat.text,
) -> None:
    """Propose the nearest institution of the right kind with a free place, and explain the rest."""
    when = date_option(on) or DEFAULT_AS_OF
    _region(home, "--home")
    if type_ not in (*SENTENCE_TYPES, "mixed"):
        raise fail(f"--type: expected one of {', '.join(SENTENCE_TYPES)}, not {type_!r}")
    profile = Profile(person, sex, home, type_, minor=minor, medical=medical)
    pop = _population(
        scale, seed, when, density=_PLACEMENT_DENSITY, quiet=fmt is not OutputFormat.text
    )
    proposal = propose_placement(profile, demo_sites(pop), demo_occupancy(pop.people), on=when)
    if printed_whole(fmt, proposal.to_dict()):
        return
    _print_proposal(proposal, pop)


def _print_proposal(p: Proposal, pop: Population) -> None:
    region_of = {i.id: i.region for i in pop.institutions}
    if p.institution is None:
        console.print(f"[bold red]No institution of the right kind exists[/] ({p.outcome}).")
    else:
        over = (
            " [bold red](over its limit: every one of the right kind is full)[/]"
            if p.over_capacity
            else ""
        )
        console.print(
            f"Proposed: [bold]{p.institution}[/] in {region_of[p.institution]}, "
            f"{p.distance_km:,.0f} km from home{over}"
        )
    table = Table(title="Alternatives considered (nearest first)")
    for col in ("institution", "region", "km", "free", "why not"):
        table.add_column(col, justify="right" if col in ("km", "free") else "left")
    for a in p.alternatives:
        why = ", ".join(r.removeprefix("placement.").replace("_", " ") for r in a.reasons)
        if a.farther_by_km is not None:
            why = why.replace("farther", f"farther by {a.farther_by_km:,.0f} km")
        table.add_row(
            a.institution,
            region_of.get(a.institution, "?"),
            f"{a.distance_km:,.0f}",
            str(a.free),
            why,
        )
    console.print(table)
    console.print("Rules: " + "; ".join(f"{r.key} ({r.article}, {r.confidence})" for r in p.refs))


@app.command("simulate")
def simulate_cmd(
    merge: Annotated[
        list[str] | None,
        typer.Option(
            "--merge", help="Types to merge, comma-separated (repeatable): medium,maximum."
        ),
    ] = None,
    add_capacity: Annotated[
        list[str] | None,
        typer.Option("--add-capacity", help="REGION:TYPE:N places added there (repeatable)."),
    ] = None,
    open_: Annotated[
        list[str] | None,
        typer.Option("--open", help="REGION:TYPE:CAPACITY new institution (repeatable)."),
    ] = None,
    scale: ScaleOption = "national",
    seed: SeedOption = DEFAULT_SEED,
    on: OnOption = None,
    loads: Annotated[
        bool, typer.Option("--load", help="Also print the load per institution.")
    ] = False,
    fmt: FormatOption = OutputFormat.text,
) -> None:
    """Re-place everyone under a what-if and compare the distance from home before and after."""
    when = date_option(on) or DEFAULT_AS_OF
    groups = tuple(tuple(t.strip() for t in m.split(",")) for m in merge or ())
    adds = []
    for text in add_capacity or ():
        r, t, n = _spec(text, 3, "--add-capacity")
        adds.append((_region(r, "--add-capacity"), t, _int(n, "--add-capacity")))
    opens = []
    for text in open_ or ():
        r, t, n = _spec(text, 3, "--open")
        opens.append((_region(r, "--open"), t, _int(n, "--open")))
    scenario = Scenario(merge=groups, add_capacity=tuple(adds), open=tuple(opens))
    pop = _population(
        scale, seed, when, density=_PLACEMENT_DENSITY, quiet=fmt is not OutputFormat.text
    )
    sim = simulate(demo_profiles(pop), demo_sites(pop), demo_current(pop), scenario, on=when)
    if printed_for_scripts(fmt, sim.to_dict(), (row.to_dict() for row in sim.load)):
        return
    _print_simulation(sim, loads)


def _bar(n: int, most: int, width: int = 20) -> str:
    return "█" * (round(width * n / most) if most else 0)


def _print_simulation(sim: Simulation, loads: bool) -> None:
    console.print(
        f"[bold]Scenario:[/] {sim.scenario.describe()} · {sim.people:,} people, "
        f"{sim.held:,} on household work in mixed units left in place · {sim.on}"
    )
    cols: tuple[tuple[str, Distribution], ...] = (
        ("where they are", sim.before),
        ("rule today", sim.baseline),
        ("rule, scenario", sim.after),
    )
    table = Table(title="Distance from home, km")
    table.add_column("")
    for name, _ in cols:
        table.add_column(name, justify="right")
    table.add_row("mean", *(f"{d.mean_km:,.0f}" for _, d in cols))
    for p in sim.before.percentiles:
        table.add_row(f"p{p}", *(f"{d.percentiles[p]:,.0f}" for _, d in cols))
    table.add_row("max", *(f"{d.max_km:,.0f}" for _, d in cols))
    table.add_row("outside home region", *(f"{d.outside_home_region:,}" for _, d in cols))
    console.print(table)
    hist = Table(title="People by distance from home")
    hist.add_column("km")
    hist.add_column("where they are", justify="right")
    hist.add_column("rule, scenario", justify="right")
    hist.add_column("")
    most = max(n for d in (sim.before, sim.after) for *_, n in d.buckets)
    for (lo, hi, a), (_, _, b) in zip(sim.before.buckets, sim.after.buckets, strict=True):
        label = f"{lo:,.0f}-{hi:,.0f}" if hi is not None else f"{lo:,.0f}+"
        hist.add_row(
            label, f"{a:,}", f"{b:,}", f"[dim]{_bar(a, most)}[/]\n[green]{_bar(b, most)}[/]"
        )
    console.print(hist)
    console.print(
        f"Could move closer than now: [bold]{sim.closer_than_now:,}[/] "
        f"(farther: {sim.farther_than_now:,}). Closer than under today's rule: "
        f"[bold]{sim.closer_than_baseline:,}[/] (farther: {sim.farther_than_baseline:,})."
    )
    console.print(
        f"An institution of their kind in the home region: {sim.kind_at_home_baseline:,} today, "
        f"{sim.kind_at_home_after:,} under the scenario. Placed over a limit: "
        f"{sim.over_limit_baseline:,} today, {sim.over_limit_after:,} under the scenario."
    )
    if loads:
        table = Table(title="Load per institution")
        for col in ("institution", "region", "type", "capacity", "now", "rule today", "scenario"):
            table.add_column(
                col, justify="left" if col in ("institution", "region", "type") else "right"
            )
        for x in sim.load:
            cap = (
                f"{x.capacity_after:,}"
                if x.capacity_after == x.capacity_before
                else f"{x.capacity_before:,}→{x.capacity_after:,}"
            )
            table.add_row(
                x.institution,
                x.region,
                x.type,
                cap,
                f"{x.before:,}",
                f"{x.baseline:,}",
                f"{x.after:,}",
            )
        console.print(table)


@app.command("change-of-type")
def change_of_type_cmd(
    scale: ScaleOption = "small",
    seed: SeedOption = DEFAULT_SEED,
    on: OnOption = None,
    all_: Annotated[
        bool, typer.Option("--all", help="Also list people not (yet) eligible.")
    ] = False,
    fmt: FormatOption = OutputFormat.text,
) -> None:
    """Who may be moved to another type by court (Code art. 96), and from when."""
    when = date_option(on) or DEFAULT_AS_OF
    pop = _population(scale, seed, when, density=None, quiet=fmt is not OutputFormat.text)
    changes = demo_type_changes(pop, on=when, law=LawPack.load())
    shown = [c for c in changes if all_ or c.eligible_from is not None]
    rows = [c.to_dict() for c in shown]
    if printed_for_scripts(fmt, rows, rows):
        return
    table = Table(title=f"Code art. 96 on {when}: {len(shown):,} of {len(changes):,} people")
    for col in ("person", "from", "to", "eligible", "from date", "unmet"):
        table.add_column(col)
    for c in shown:
        unmet = ", ".join(
            k.code.removeprefix("type_change.") for k in c.conditions if k.met is False
        )
        table.add_row(
            c.person, c.from_type, "/".join(c.to_types),
            {True: "yes", False: "no", None: "?"}[c.eligible],
            c.eligible_from.isoformat() if c.eligible_from else "-", unmet,
        )  # fmt: skip
    console.print(table)


@app.command("rules")
def rules_cmd(
    on: OnOption = None,
    fmt: FormatOption = OutputFormat.text,
) -> None:
    """Print every placement, queue, flag, art. 96 and simulator rule with its source and confidence."""
    when = date_option(on) or DEFAULT_AS_OF
    rules: PlacementRules = default_rules()
    rows = []
    for key in rules.rules:
        try:
            ref = rules.ref(key, when)
        except PlacementRulesError:
            continue
        rows.append({**ref.to_dict(), "description": rules.rules[key].description})
    if fmt is not OutputFormat.text:
        _emit(rows, fmt, lambda r: r)
        return
    table = Table(title=f"Placement rules {rules.version} on {when}")
    for col in ("rule", "value", "article", "conf.", "source"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["key"], str(r["value"]), r["article"], r["confidence"], r["source"])
    console.print(table)


def _emit(rows: list[dict[str, Any]], fmt: OutputFormat, f: Callable[[Any], Any]) -> None:
    if fmt is OutputFormat.json:
        print(dumps([f(r) for r in rows]))
    else:
        for r in rows:
            print(dumps(f(r)))
