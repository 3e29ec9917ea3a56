"""The compiled engine's freshness (ADR 0013): a source checkout whose mypyc extensions are older than
their sources would run the old code, or fail to import names the sources added since."""

from __future__ import annotations

from pathlib import Path

__all__ = ["stale_extensions"]

_PACKAGE = Path(__file__).resolve().parents[1]


def stale_extensions(package: Path = _PACKAGE) -> list[str]:
    """The sources (relative to the package's parent) newer than their compiled extension; [] when
    none is, or when nothing is compiled."""
    return [
        str(source.relative_to(package.parent))
        for so in package.glob("**/*.cpython-*.so")
        for suffix in (".py", ".c")
        if (source := so.with_name(so.name.split(".")[0] + suffix)).exists()
        and source.stat().st_mtime > so.stat().st_mtime
    ]
