"""`adaldyq placement ...` as a person runs it, and the rules file every figure comes from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from adaldyq.cli.__main__ import app
from adaldyq.placement import PlacementRules, PlacementRulesError, default_rules

runner = CliRunner()


def test_every_rule_names_its_article_source_and_a_law_md_confidence() -> None:
    rules = default_rules()

    for rule in rules.rules.values():
        assert rule.article, rule.key
        for v in rule.values:
            assert v.source, rule.key
            assert v.confidence in {"L", "L-old", "S", "P"}, rule.key


def test_a_broken_rules_file_is_refused_with_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "rules.yaml"
    bad.write_text("id: x\nversion: '1'\nqueue:\n  weight:\n    values: []\n")

    with pytest.raises(PlacementRulesError, match=r"queue\.weight"):
        PlacementRules.load(bad)
    with pytest.raises(PlacementRulesError, match="missing"):
        PlacementRules.load(tmp_path / "none.yaml")


def test_propose_prints_the_proposal_as_json_with_every_alternative() -> None:
    result = runner.invoke(
        app,
        ["placement", "propose", "--home", "mangystau", "--type", "medium", "--format", "json"],
    )

    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["institution"]
    assert len(out["alternatives"]) == 9  # the small register: 10 institutions


def test_propose_explains_in_a_table_for_people() -> None:
    result = runner.invoke(app, ["placement", "propose", "--home", "astana", "--type", "maximum"])

    assert result.exit_code == 0, result.output
    assert "Proposed:" in result.output
    assert "wrong type" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["propose", "--home", "atlantis", "--type", "medium"], "unknown region 'atlantis'"),
        (["propose", "--home", "astana", "--type", "strict"], "--type: expected one of"),
        (["propose", "--home", "astana", "--type", "mixed"], "mixed-security units"),
        (["simulate", "--add-capacity", "astana:medium", "--scale", "small"], "REGION:TYPE:N"),
        (["simulate", "--merge", "medium,mixed", "--scale", "small"], "merge"),
        (["simulate", "--open", "astana:medium:x", "--scale", "small"], "not a whole number"),
    ],
)
def test_bad_arguments_give_one_line_and_exit_2(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["placement", *args])

    assert result.exit_code == 2
    assert message in result.output
    assert len(result.output.strip().splitlines()) <= 2


def test_simulate_prints_before_and_after_as_json() -> None:
    result = runner.invoke(
        app,
        [
            "placement", "simulate", "--merge", "medium,maximum", "--scale", "600",
            "--open", "mangystau:maximum:100", "--format", "json",
        ],
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["scenario_text"] == "merge medium+maximum; open mangystau:maximum:100"
    assert {x["institution"] for x in out["load"]} >= {"NEW-1"}
    assert out["people"] == 600
    assert out["before"]["count"] + out["held"] == 600


def test_simulate_draws_a_histogram_for_people() -> None:
    result = runner.invoke(
        app, ["placement", "simulate", "--merge", "medium,maximum", "--scale", "600", "--load"]
    )

    assert result.exit_code == 0, result.output
    assert "█" in result.output
    assert "Could move closer than now" in result.output
    assert "Load per institution" in result.output


def test_change_of_type_lists_art_96_eligibility_as_jsonl() -> None:
    result = runner.invoke(
        app, ["placement", "change-of-type", "--scale", "300", "--all", "--format", "jsonl"]
    )

    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert rows
    assert all(r["article"] == "Code art. 96" for r in rows)


def test_rules_lists_every_rule_with_its_source() -> None:
    result = runner.invoke(app, ["placement", "rules", "--format", "json"])

    assert result.exit_code == 0, result.output
    keys = {r["key"] for r in json.loads(result.output)}
    assert "change_of_type.to_minimum.fraction.grave" in keys


def test_placement_reads_arts_88_and_96_from_the_law_pack(tmp_path) -> None:
    """Issue 17: one source for the law. A corrected law pack changes what placement applies, and a
    rules file may not hold the law again."""
    import shutil
    from datetime import date
    from importlib import resources

    from adaldyq.law import LawPack

    pack = tmp_path / "kz"
    shutil.copytree(Path(str(resources.files("adaldyq.law") / "packs" / "kz")), pack)
    text = (pack / "institutions.yaml").read_text()
    (pack / "institutions.yaml").write_text(text.replace("value: 1/3", "value: 2/5", 1))
    shipped = PlacementRules.load()
    corrected = PlacementRules.load(law=LawPack.load(pack))

    key = "change_of_type.to_minimum.fraction.grave"
    assert shipped.value(key, date(2024, 1, 1)) == "1/3"
    assert corrected.value(key, date(2024, 1, 1)) == "2/5"
    assert shipped.ref(key, date(2024, 1, 1)).article == "PEC art. 96"
    assert shipped.hash != corrected.hash
    assert "grounds.safety" in shipped.rules
    doubled = tmp_path / "rules.yaml"
    doubled.write_text('id: x\nversion: "1"\nchange_of_type:\n  min_degree: {}\n')
    with pytest.raises(PlacementRulesError, match="lives in the law pack"):
        PlacementRules.load(doubled)
