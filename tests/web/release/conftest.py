"""Release and probation tests: Almaty's records officer, in the small register, on today."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from tests.web.transfers.conftest import small_register


@pytest.fixture
def alm(make_user: Any, base_law: None) -> dict[str, Any]:
    """The small register (`insts`), a records officer of M-ALM (`officer`) and `today`."""
    insts = small_register()
    officer = make_user("officer-alm", "records_officer", institution=insts["M-ALM"])
    return {"insts": insts, "officer": officer, "today": timezone.localdate()}
