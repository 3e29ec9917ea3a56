"""Flags that other modules compute from the same ledger, listed with the register's own.

The register (`build_register`) reviews personal files; commission decisions
(`adaldyq.oversight.commission`), transfers between institutions (`adaldyq.placement.ledger`) and
closures of visits rooms (`adaldyq.oversight.closures`) and the assignments of public councils'
monitoring visits (`adaldyq.oversight.monitoring`) read their own entry types. The command line and the web's deviation register both take them from here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from adaldyq.ledger.sql import Cursor
from adaldyq.oversight.register import FLAG_KINDS, Flag

if TYPE_CHECKING:
    from adaldyq.placement.model import Site


def other_flags(cursor: Cursor, *, sites: Sequence[Site], on: date | None = None) -> list[Flag]:
    """Commission and transfer flags, read from the ledger behind `cursor`; `sites` is the
    institutions register (`adaldyq.web.institutions.register.read_sites`); `on` the day overdue
    assignments are counted to (None: the latest day of any assignment or answer)."""
    from adaldyq.oversight.closures import read_closure_flags
    from adaldyq.oversight.commission import read_commission_flags
    from adaldyq.oversight.emonitoring import read_device_flags
    from adaldyq.oversight.monitoring import read_monitoring_flags
    from adaldyq.oversight.release import read_release_flags
    from adaldyq.placement.ledger import read_transfer_flags  # placement imports oversight: late

    return [
        *read_commission_flags(cursor),
        *read_release_flags(cursor),
        *read_device_flags(cursor),
        *read_transfer_flags(cursor, sites=sites),
        *read_closure_flags(cursor),
        *read_monitoring_flags(cursor, on=on),
    ]


def all_flag_kinds() -> dict[str, str]:
    """Every kind of flag any source gives, with the rule it rests on."""
    from adaldyq.oversight.closures import CLOSURE_FLAG_KINDS
    from adaldyq.oversight.commission import COMMISSION_FLAG_KINDS
    from adaldyq.oversight.emonitoring import DEVICE_FLAG_KINDS
    from adaldyq.oversight.monitoring import MONITORING_FLAG_KINDS
    from adaldyq.oversight.release import RELEASE_FLAG_KINDS
    from adaldyq.placement.ledger import TRANSFER_FLAG_KINDS

    return {
        **FLAG_KINDS,
        **COMMISSION_FLAG_KINDS,
        **TRANSFER_FLAG_KINDS,
        **CLOSURE_FLAG_KINDS,
        **RELEASE_FLAG_KINDS,
        **DEVICE_FLAG_KINDS,
        **MONITORING_FLAG_KINDS,
    }
