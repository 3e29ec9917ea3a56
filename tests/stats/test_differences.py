"""`differences` names every published cell, measure, note or dimension that differs, and nothing else."""

from __future__ import annotations

import copy

from adaldyq.stats.publication import differences


def _doc() -> dict:
    return {
        "tables": {
            "t": {
                "unit": "people", "row_dim": "sex", "col_dim": "outcome",
                "rows": ["male", "total"], "cols": ["granted", "total"],
                "counts": [[12, 12], [12, 12]],
                "measures": {"fte": [[1.5, 1.5], [1.5, 1.5]]},
                "notes": {"month": "2026-11"},
            }
        }
    }  # fmt: skip


def test_the_same_publication_has_no_difference() -> None:
    assert differences(_doc(), copy.deepcopy(_doc())) == []


def test_a_changed_count_measure_note_or_dimension_is_named() -> None:
    other = copy.deepcopy(_doc())
    table = other["tables"]["t"]
    table["counts"][0][0] = None  # hidden in one, published in the other
    table["measures"]["fte"][1][1] = 2.0
    table["notes"]["month"] = "2026-10"
    table["col_dim"] = "ground"

    found = differences(_doc(), other)

    assert ("t", "male", "granted", "count", 12, None) in found
    assert ("t", "total", "total", "fte", 1.5, 2.0) in found
    assert ("t", "", "", "notes", {"month": "2026-11"}, {"month": "2026-10"}) in found
    assert ("t", "", "", "col_dim", "outcome", "ground") in found
    assert len(found) == 4


def test_a_table_on_one_side_only_is_named() -> None:
    other = copy.deepcopy(_doc())
    other["tables"]["u"] = other["tables"].pop("t")

    assert sorted(differences(_doc(), other)) == [
        ("t", "", "", "table", True, False),
        ("u", "", "", "table", False, True),
    ]
