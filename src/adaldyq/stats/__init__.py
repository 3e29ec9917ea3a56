"""The public figures: computed from the ledger, small cells suppressed, recomputable (ADR 0028).

    from adaldyq.stats import publish, differences, database_entries, bundle_entries
    note, bodies = database_entries(cursor)
    doc = publish(bodies, note=note, sites=register, law=law)   # what the portal serves
    differences(doc, recomputed)                                # cells that differ

Pure Python: no Django, no terminal (ADR 0002). The web stores and serves publications; the command
line (`adaldyq stats publish|recompute`) computes them.
"""

from adaldyq.stats.figures import FTE_HOURS_A_MONTH, Table, compute
from adaldyq.stats.publication import (
    FORMAT,
    TOTAL,
    Difference,
    as_of,
    canonical,
    differences,
    publish,
    register_of,
    sites_of,
)
from adaldyq.stats.sources import Prefix, bundle_entries, database_entries
from adaldyq.stats.suppression import THRESHOLD, suppress, with_margins

__all__ = [
    "FORMAT",
    "FTE_HOURS_A_MONTH",
    "THRESHOLD",
    "TOTAL",
    "Difference",
    "Prefix",
    "Table",
    "as_of",
    "bundle_entries",
    "canonical",
    "compute",
    "database_entries",
    "differences",
    "publish",
    "register_of",
    "sites_of",
    "suppress",
    "with_margins",
]
