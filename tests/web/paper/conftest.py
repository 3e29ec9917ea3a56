"""Paper import tests: the small register, two records officers and a head of its first institution."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.fixtures import register

#: A scanned page (synthetic bytes; any file type is kept by its hash).
SCAN_1 = b"\xff\xd8\xff synthetic scan of page 1"
SCAN_2 = b"\xff\xd8\xff synthetic scan of page 2"

HEAD = ("number,paper_file,page,scan,kind,on,detail,degree,malicious,surname,given_name,sex,born,"
        "sentence_start,sentence_years,condition")  # fmt: skip
ADMISSION = "KA-0100,A-1/2020,1,p1.jpg,admission,2023-02-01,,,,Омаров,Ерлан,male,1985-04-02,2023-01-10,8,regular"
PAGE_2 = (
    "KA-0100,A-1/2020,2,p2.jpg,incentive,2023-05-12,gratitude,,,,,,,,,\n"
    "KA-0100,A-1/2020,2,p2.jpg,penalty,2023-07-01,smoking,,no,,,,,,,\n"
)


def table(*lines: str) -> bytes:
    return "\n".join((HEAD, *lines)).encode()


@pytest.fixture
def world(make_user: Any) -> dict[str, Any]:
    insts = register()
    k1 = insts["k1"]
    return {
        "insts": insts,
        "a": make_user("officer-a", "records_officer", institution=k1),
        "b": make_user("officer-b", "records_officer", institution=k1),
        "head": make_user("head", "head", institution=k1),
        "prosecutor": make_user("prosecutor", "prosecutor"),
    }
