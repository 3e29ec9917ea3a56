"""Small cells are hidden, and no hidden cell can be recovered from the published ones."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from adaldyq.stats.suppression import THRESHOLD, known_totals, suppress, with_margins

counts = st.one_of(st.integers(0, 12), st.integers(0, 400))
tables = st.integers(1, 5).flatmap(
    lambda cols: st.lists(st.lists(counts, min_size=cols, max_size=cols), min_size=1, max_size=5)
)


def _equations(rows: int, cols: int) -> list[dict[tuple[int, int], int]]:
    """Each line of the table with margins: the cells minus the total equal 0."""
    eqs = []
    for i in range(rows):
        eqs.append({**{(i, j): 1 for j in range(cols - 1)}, (i, cols - 1): -1})
    for j in range(cols):
        eqs.append({**{(i, j): 1 for i in range(rows - 1)}, (rows - 1, j): -1})
    return eqs


def _determined(full: list[list[int]], hidden: list[list[bool]]) -> list[tuple[int, int]]:
    """The hidden cells whose value the published cells and the lines' equations fix (exact
    elimination over the rationals: a cell is fixed when its unit vector is in the equations' span)."""
    unknowns = [(i, j) for i, row in enumerate(hidden) for j, h in enumerate(row) if h]
    index = {c: k for k, c in enumerate(unknowns)}
    matrix = []
    for eq in _equations(len(full), len(full[0])):
        row = [Fraction(0)] * len(unknowns)
        for cell, coef in eq.items():
            if cell in index:
                row[index[cell]] += coef
        if any(row):
            matrix.append(row)
    # Row-reduce; a unit row e_k in the reduced basis means unknown k is determined.
    pivots: list[int] = []
    r = 0
    for c in range(len(unknowns)):
        p = next((k for k in range(r, len(matrix)) if matrix[k][c] != 0), None)
        if p is None:
            continue
        matrix[r], matrix[p] = matrix[p], matrix[r]
        lead = matrix[r][c]
        matrix[r] = [v / lead for v in matrix[r]]
        for k in range(len(matrix)):
            if k != r and matrix[k][c] != 0:
                f = matrix[k][c]
                matrix[k] = [a - f * b for a, b in zip(matrix[k], matrix[r], strict=True)]
        pivots.append(c)
        r += 1
    return [unknowns[c] for k, c in enumerate(pivots) if sum(1 for v in matrix[k] if v != 0) == 1]


@settings(max_examples=300, deadline=None)
@given(tables)
def test_no_hidden_cell_is_recoverable_from_the_published_ones(cells: list[list[int]]) -> None:
    full = with_margins(cells)
    hidden = suppress(cells)

    for i, row in enumerate(full):
        for j, value in enumerate(row):
            if 0 < value < THRESHOLD:
                assert hidden[i][j], (i, j, value)
    lines = [list(r) for r in hidden] + [list(c) for c in zip(*hidden, strict=True)]
    assert all(sum(line) != 1 for line in lines)  # no row or column with one hidden cell
    assert _determined(full, hidden) == []


def test_a_table_without_small_cells_is_published_whole() -> None:
    assert not any(any(r) for r in suppress([[10, 20], [30, 40]]))


def test_a_small_cell_takes_a_partner_in_its_row_and_column() -> None:
    hidden = suppress([[3, 50, 60], [40, 45, 70], [80, 90, 100]])

    assert hidden[0][0]
    assert sum(hidden[0]) >= 2
    assert sum(row[0] for row in hidden) >= 2
    assert not hidden[3][3]  # the grand total stays published


def test_a_small_cell_in_a_table_of_one_row_hides_a_partner_and_its_column_totals() -> None:
    hidden = suppress([[5, 200]])

    assert hidden[0][0]
    assert hidden[0][1]
    assert hidden[1][0]
    assert hidden[1][1]


@settings(max_examples=200, deadline=None)
@given(tables, st.data())
def test_a_measure_with_cells_known_to_be_zero_still_hides_its_small_groups(
    cells: list[list[int]], data: st.DataObject
) -> None:
    """A measure beside the counts (hours) hides where the counts hide; its cells that are 0 by
    definition are known to everyone, and no hidden value follows from them and the totals."""
    cols = len(cells[0])
    structural = data.draw(st.lists(st.booleans(), min_size=cols, max_size=cols))
    measure = [[0 if structural[j] else v for j, v in enumerate(row)] for row in cells]
    counts_hidden = suppress(cells)
    known = [[j < cols and structural[j] for j in range(cols + 1)] for _ in range(len(cells) + 1)]

    hidden = suppress(measure, primary=counts_hidden, known=known)

    known = known_totals(known)  # a total of zeros known to be zeros is known too

    full = with_margins(measure)
    for i, row in enumerate(counts_hidden):
        for j, h in enumerate(row):
            if h and not known[i][j]:
                assert hidden[i][j]
    assert not any(hidden[i][j] for i in range(len(cells)) for j in range(cols) if known[i][j])
    assert _determined(full, hidden) == []
