"""Codes in words on pages: the template filters the apps make from their tables of labels."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any


def label_of(table: Mapping[str, Any]) -> Callable[[str], str]:
    """A filter: a code in the words of `table`, or the code itself where the table has none."""

    def label(code: str) -> str:
        return str(table.get(code, code))

    return label


def labels_of(table: Mapping[str, Any]) -> Callable[[Any], str]:
    """A filter: codes in the words of `table` (each as `label_of` says it), joined by commas; ""
    for none."""

    def labels(codes: Any) -> str:
        return ", ".join(str(table.get(c, c)) for c in codes or ())

    return labels
