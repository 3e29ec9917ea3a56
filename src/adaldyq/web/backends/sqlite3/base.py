"""Django's SQLite backend, its queries' marks converted once per SQL text (ADR 0050).

Django writes parameters as `%s`; SQLite takes `?`. Django's cursor converts every query with a
regular expression over its whole text on every execution: about 40 instructions a character, and a
page's few queries (the signed-in user's row alone is 1.5 KB of SQL) cost 0.3 M instructions of a
page and 0.7 M of a write. The texts a server runs are few and the same each time, so the converted
text is kept per text (a bound number of them; a long one, a bulk insert's, is converted each time).
The SQL sent to SQLite is the same.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Any

from django.db.backends.sqlite3 import base

_MARK = re.compile(r"(?<!%)%s")  # Django's FORMAT_QMARK_REGEX
_KEPT_LONGEST = 8192


@functools.lru_cache(maxsize=2048)
def _qmark(query: str) -> str:
    return _MARK.sub("?", query).replace("%%", "%")


class SQLiteCursorWrapper(base.SQLiteCursorWrapper):
    def convert_query(self, query: str, *, param_names: Sequence[str] | None = None) -> str:
        if param_names is None and len(query) <= _KEPT_LONGEST:
            return _qmark(query)
        converted: str = super().convert_query(query, param_names=param_names)
        return converted


class DatabaseWrapper(base.DatabaseWrapper):
    def create_cursor(self, name: Any = None) -> SQLiteCursorWrapper:
        return self.connection.cursor(factory=SQLiteCursorWrapper)  # type: ignore[no-any-return]


__all__ = ["DatabaseWrapper"]
