"""`adaldyq stats publish|recompute`: the public figures, computed at a signed checkpoint and
recomputed by anyone from an exported bundle (issue 18, ADR 0028)."""

from __future__ import annotations

import time
import urllib.request
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer

from adaldyq.cli._common import Area, console, dumps, fail, printed_whole, web_setup
from adaldyq.cli.options import DataDirOption, FormatOption, OutputFormat

app = Area("The public figures: publish them at a signed checkpoint, recompute them from a bundle.")

#: The overlays a recomputation can load by the id a publication names (the shipped ones).
_OVERLAYS = {"kz-demo": "demo"}


@app.command()
def publish(
    data: DataDirOption = None,
    size: Annotated[
        int | None,
        typer.Option("--size", help="The signed checkpoint's tree size (default: the newest)."),
    ] = None,
    fmt: FormatOption = OutputFormat.text,
) -> None:
    """Compute the public figures at the newest signed checkpoint and keep them for the portal
    (once a checkpoint: a checkpoint already published keeps its figures)."""
    web_setup(data)
    from adaldyq.web.portal.services import publication_publish

    started = time.perf_counter()
    pub, new = publication_publish(size=size)
    seconds = round(time.perf_counter() - started, 2)
    if fmt is not OutputFormat.text:
        typer.echo(dumps({"size": pub.size, "root": pub.root, "as_of": pub.as_of.isoformat(),
                          "new": new, "seconds": seconds}))  # fmt: skip
        return
    what = "published" if new else "already published"
    console.print(
        f"{what}: figures at checkpoint {pub.size:,} (root {pub.root}), as of {pub.as_of}"
        + (f", in {seconds} s" if new else ""),
        highlight=False,
    )


def _published(source: str | None, data: Path | None, bundle_size: int) -> dict[str, Any]:
    """The publication to compare with: a file, a URL, or the data folder's newest publication
    at or below the bundle's size."""
    if source is not None and source.startswith(("http://", "https://")):
        with urllib.request.urlopen(source, timeout=60) as response:  # noqa: S310 - http(s) only
            return dict(orjson.loads(response.read()))
    if source is not None:
        try:
            return dict(orjson.loads(Path(source).read_bytes()))
        except FileNotFoundError:
            raise fail(f"{source}: no such file") from None
        except orjson.JSONDecodeError:
            raise fail(f"{source}: not a publication (not JSON)") from None
    web_setup(data, migrate=False)
    from adaldyq.web.portal.selectors import publication_at_most

    pub = publication_at_most(bundle_size)
    if pub is None:
        raise fail(
            f"no publication at or below checkpoint {bundle_size} in the data folder: give one "
            "with --published FILE|URL (the portal's /open-data/figures.json)"
        )
    return dict(orjson.loads(pub.body))


@app.command()
def recompute(
    bundle: Annotated[
        Path,
        typer.Option("--bundle", help="A tlog-tiles folder (adaldyq ledger export DIR)."),
    ],
    published: Annotated[
        str | None,
        typer.Option(
            "--published",
            help="The publication to check: a file or the portal's URL (/open-data/figures.json); "
            "default: the data folder's newest at or below the bundle's checkpoint.",
        ),
    ] = None,
    data: DataDirOption = None,
    fmt: FormatOption = OutputFormat.text,
) -> None:
    """Recompute every published figure from an exported ledger bundle and say which differ.

    The bundle is verified first (every entry against its tile, the tiles against the signed
    root); the figures are computed from the entries up to the publication's checkpoint, whose
    root must be the root of those entries. Exit 1 when a figure differs."""
    from adaldyq.law.pack import LawPack
    from adaldyq.ledger.checkpoint import Checkpoint, split_note
    from adaldyq.stats import Prefix, bundle_entries, differences, publish, sites_of

    started = time.perf_counter()
    note, source = bundle_entries(bundle)
    bundle_size = Checkpoint.parse(split_note(note)[0]).size
    doc = _published(published, data, bundle_size)
    if doc.get("format") != "adaldyq-stats/1":
        raise fail("not a publication of adaldyq's figures (format adaldyq-stats/1)")
    cp = doc["checkpoint"]
    size = int(cp["size"])
    if size > bundle_size:
        raise fail(
            f"the publication is at checkpoint {size}, the bundle holds {bundle_size} entries"
        )
    overlay = doc.get("law", {}).get("overlay")
    if overlay is not None and overlay not in _OVERLAYS:
        raise fail(f"the publication's law pack has the overlay {overlay!r}, not a shipped one")
    law = LawPack.load(overlay=_OVERLAYS[overlay]) if overlay else LawPack.load()
    prefix = Prefix(source, size)
    again = publish(
        prefix, note=cp["note"], sites=sites_of(doc["register"]["institutions"]), law=law
    )
    root = prefix.root()
    if root != cp["root"]:
        raise fail(
            f"the bundle's first {size} entries have root {root}, the publication names {cp['root']}"
        )
    found = differences(doc, again)
    if doc.get("law", {}).get("hash") != again["law"]["hash"]:
        found.append(("", "", "", "law", doc.get("law", {}).get("hash"), again["law"]["hash"]))
    seconds = round(time.perf_counter() - started, 2)
    cells = sum(len(t["rows"]) * len(t["cols"]) * (1 + len(t["measures"]))
                for t in again["tables"].values())  # fmt: skip
    summary = {
        "ok": not found,
        "checkpoint": {"size": size, "root": root},
        "bundle_size": bundle_size,
        "tables": len(again["tables"]),
        "cells": cells,
        "seconds": seconds,
        "differences": [
            {
                "table": t,
                "row": r,
                "col": c,
                "measure": m,
                "published": a,
                "recomputed": b,
            }
            for t, r, c, m, a, b in found
        ],
    }
    if not printed_whole(fmt, summary):
        console.print(
            f"checkpoint {size:,} (root {root}) is the first {size:,} of the bundle's "
            f"{bundle_size:,} entries; {len(again['tables'])} tables, {cells:,} figures "
            f"recomputed in {seconds} s",
            highlight=False,
        )
        for t, r, c, m, a, b in found:
            console.print(f"[red]differs[/] {t} {r} {c} {m}: published {a}, recomputed {b}",
                          highlight=False)  # fmt: skip
        if not found:
            console.print("[green]every published figure is as recomputed[/]")
    if found:
        raise typer.Exit(1)
