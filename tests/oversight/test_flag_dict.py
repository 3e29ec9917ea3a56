"""A flag's JSON-ready form (`Flag.to_dict`): the fields in their order, `detail` a copy."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from adaldyq.oversight.register import Flag


def _asdict_form(flag: Flag) -> dict[str, object]:
    out = asdict(flag)
    out["on"] = flag.on.isoformat() if flag.on else None
    out["evidence"] = list(flag.evidence)
    out["class"] = out.pop("flag_class")
    return out


def test_to_dict_is_the_dataclass_form_with_its_keys_in_order_and_a_copied_detail() -> None:
    detail = {"direction": "up", "rates": [0.1, {"n": 3}], "pair": ("UK-1", 2), "on": "x"}
    flag = Flag("degree_early", "P-1", "UK-1", "u1", date(2026, 3, 1), (4, 9), "art. 95", "L",
                detail)  # fmt: skip
    out = flag.to_dict()

    assert out == _asdict_form(flag)
    assert list(out) == list(_asdict_form(flag))
    out["detail"]["rates"][1]["n"] = 99  # the caller's copy, not the flag's
    assert flag.detail["rates"][1] == {"n": 3}
    assert Flag.from_dict(flag.to_dict()) == flag
    assert Flag("x", "P", "", "", None, (), "", "?").to_dict()["on"] is None
