"""Every command a user can run is documented in the README (sqlite-utils' habit)."""

from pathlib import Path

import typer.main

from adaldyq.cli.__main__ import app

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    root = typer.main.get_command(app)
    out = []
    for name, sub in root.commands.items():  # type: ignore[attr-defined]
        verbs = getattr(sub, "commands", None)
        out.extend(f"adaldyq {name} {verb}" for verb in verbs) if verbs else out.append(
            f"adaldyq {name}"
        )
    return sorted(out)


def test_every_command_is_in_the_readme() -> None:
    missing = [c for c in _commands() if f"`{c}`" not in README and f"`{c} " not in README]

    assert missing == [], f"document these in README.md: {missing}"


def test_the_readme_names_the_two_commands() -> None:
    assert "scripts/demo" in README
    assert "scripts/test" in README
