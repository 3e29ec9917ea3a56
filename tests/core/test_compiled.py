"""A checkout's compiled engine older than its sources is named (adaldyq.core.compiled)."""

from __future__ import annotations

import os
from pathlib import Path

from adaldyq.core.compiled import stale_extensions


def test_an_extension_older_than_its_source_is_named_and_a_fresh_one_is_not(tmp_path: Path) -> None:
    package = tmp_path / "adaldyq"
    (package / "law").mkdir(parents=True)
    so = package / "law" / "engine.cpython-311-x86_64-linux-gnu.so"
    source = package / "law" / "engine.py"
    so.write_bytes(b"\x7fELF")
    source.write_text("x = 1\n")
    os.utime(so, (1_000, 1_000))
    os.utime(source, (2_000, 2_000))
    assert stale_extensions(package) == ["adaldyq/law/engine.py"]
    os.utime(so, (3_000, 3_000))
    assert stale_extensions(package) == []
