"""Small-cell suppression of a table of counts with its margins (ADR 0028).

    hidden = suppress(cells)        # cells: rows of counts; margins are computed and published
    hidden[i][j]                    # True: the cell (or margin: row R, column C) is not published

Primary: every count of people from 1 to `THRESHOLD - 1` is hidden (a 0 is published: it tells of
nobody). Secondary: a hidden cell must not be recoverable from the published ones by subtraction.
The table with its margins is a system of linear equations, one a line (each row and column, the
totals row and the totals column included). A hidden cell is recoverable exactly when it is a
*bridge* of the graph whose nodes are the lines and whose edges are the hidden cells (an edge on no
cycle: the sum over one side of the cut gives it). So:

1. in every line, 0 or at least 2 cells are hidden (one hidden cell alone is its line's total minus
   the rest): the line's smallest other non-zero count is hidden with it (a 0 only if nothing else);
2. every hidden cell that is still a bridge gets a cycle: the smallest count joining a row on one side
   of the cut to a column on the other is hidden too;

until neither adds a cell. Deterministic: ties go to the first cell in row order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

__all__ = ["THRESHOLD", "known_totals", "suppress", "with_margins"]

#: Counts of people under this are not published (issue 18).
THRESHOLD: Final = 10


def with_margins(cells: Sequence[Sequence[Any]]) -> list[list[Any]]:
    """The table with a totals column at the right and a totals row at the bottom."""
    cols = len(cells[0]) if cells else 0
    out = [[*row, sum(row)] for row in cells]
    totals = [sum(row[j] for row in out) for j in range(cols + 1)]
    return [*out, totals]


def _primary(value: int) -> bool:
    return 0 < value < THRESHOLD


def suppress(
    cells: Sequence[Sequence[float]],
    *,
    primary: Sequence[Sequence[bool]] | None = None,
    known: Sequence[Sequence[bool]] | None = None,
) -> list[list[bool]]:
    """Which cells of the table with margins (`with_margins(cells)`: R+1 rows of C+1) are hidden.

    `primary` (with margins) replaces the threshold: a measure beside the counts (hours, visits)
    starts from the cells its counts hide. `known` (with margins) marks cells everyone knows without
    their being published (a measure that is 0 by definition in a column): they are never hidden and
    never counted as a protection, so the rules give the hidden cells partners elsewhere.
    """
    full = with_margins(cells)
    rows, cols = len(full), len(full[0])
    hidden = [list(r) for r in primary] if primary is not None else [
        [_primary(v) for v in row] for row in full
    ]  # fmt: skip
    fixed = known_totals(known) if known is not None else [[False] * cols for _ in full]
    for i in range(rows):
        for j in range(cols):
            hidden[i][j] = hidden[i][j] and not fixed[i][j]
    while _lines(full, hidden, fixed) or _bridges(full, hidden, fixed, rows, cols):
        pass
    return hidden


def known_totals(known: Sequence[Sequence[bool]]) -> list[list[bool]]:
    """`known` (with margins) and the totals of cells all known, which are known too."""
    fixed = [list(r) for r in known]
    rows, cols = len(fixed), len(fixed[0])
    for i in range(rows - 1):
        fixed[i][cols - 1] |= all(fixed[i][: cols - 1])
    for j in range(cols - 1):
        fixed[rows - 1][j] |= all(fixed[i][j] for i in range(rows - 1))
    fixed[rows - 1][cols - 1] |= all(fixed[rows - 1][: cols - 1]) or all(
        fixed[i][cols - 1] for i in range(rows - 1)
    )
    return fixed


def _pick(
    full: list[list[Any]],
    hidden: list[list[bool]],
    fixed: list[list[bool]],
    candidates: list[tuple[int, int]],
) -> bool:
    """Hide the smallest non-zero value among `candidates` (a 0 only when no other); False if none."""
    free = [(i, j) for i, j in candidates if not hidden[i][j] and not fixed[i][j]]
    if not free:
        return False
    nonzero = [c for c in free if full[c[0]][c[1]] > 0]
    i, j = min(nonzero or free, key=lambda c: (full[c[0]][c[1]], c))
    hidden[i][j] = True
    return True


def _lines(full: list[list[Any]], hidden: list[list[bool]], fixed: list[list[bool]]) -> bool:
    """Rule 1 over every row and column; True if it hid a cell."""
    rows, cols = len(full), len(full[0])
    changed = False
    for i in range(rows):
        if sum(hidden[i]) == 1:
            changed |= _pick(full, hidden, fixed, [(i, j) for j in range(cols)])
    for j in range(cols):
        if sum(hidden[i][j] for i in range(rows)) == 1:
            changed |= _pick(full, hidden, fixed, [(i, j) for i in range(rows)])
    return changed


def _bridges(
    full: list[list[Any]], hidden: list[list[bool]], fixed: list[list[bool]], rows: int, cols: int
) -> bool:
    """Rule 2 for the first bridge found; True if it hid a cell."""
    edges = [(i, j) for i in range(rows) for j in range(cols) if hidden[i][j]]
    for i, j in edges:
        side = _reach(hidden, rows, cols, start=("r", i), without=(i, j))
        if ("c", j) in side:
            continue  # on a cycle
        other = _reach(hidden, rows, cols, start=("c", j), without=(i, j))
        # Join a row on one side of the cut to a column on the other.
        candidates = [
            (a, b)
            for a in range(rows)
            for b in range(cols)
            if (("r", a) in side and ("c", b) in other) or (("r", a) in other and ("c", b) in side)
        ]
        if _pick(full, hidden, fixed, candidates):
            return True
    return False


def _reach(
    hidden: list[list[bool]],
    rows: int,
    cols: int,
    *,
    start: tuple[str, int],
    without: tuple[int, int],
) -> set[tuple[str, int]]:
    """The line nodes reachable from `start` through hidden cells other than `without`."""
    seen = {start}
    todo = [start]
    while todo:
        kind, k = todo.pop()
        if kind == "r":
            nxt = [("c", b) for b in range(cols) if hidden[k][b] and (k, b) != without]
        else:
            nxt = [("r", a) for a in range(rows) if hidden[a][k] and (a, k) != without]
        for node in nxt:
            if node not in seen:
                seen.add(node)
                todo.append(node)
    return seen
