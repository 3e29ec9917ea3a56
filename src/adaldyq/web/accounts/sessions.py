"""Database sessions, read with one plain query instead of an ORM query built for every request.

`SESSION_ENGINE` (ADR 0012). Every signed-in request reads its session row; Django's database store
builds, compiles and runs an ORM query for it, a quarter of a millisecond of a worker's CPU each time.
This store reads the same row under the same conditions (its key, and an expiry date still in the
future) with a prepared SQL text. Everything else is Django's database store: the row is written,
pushed forward, cycled at sign-in and deleted at sign-out as before, so a session still ends after
its idle time and a signed-out session cannot be used again.
"""

from __future__ import annotations

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import connections, router
from django.utils import timezone


class SessionStore(DatabaseSessionStore):
    """`django.contrib.sessions.backends.db.SessionStore` with a lighter read of the row."""

    def _get_session_from_db(self) -> AbstractBaseSession | None:
        key = self.session_key  # None for a key that fails Django's validation (too short, say)
        if key is None:
            return None  # as Django's store: no such live session, a new one follows
        model = self.model
        connection = connections[router.db_for_read(model)]
        ops = connection.ops
        table = ops.quote_name(model._meta.db_table)
        # Only %s placeholders are interpolated; the key and the time travel as parameters.
        sql = (
            f"SELECT {ops.quote_name('session_data')} FROM {table} "  # noqa: S608
            f"WHERE {ops.quote_name('session_key')} = %s "
            f"AND {ops.quote_name('expire_date')} > %s"
        )
        now = ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(sql, [key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None  # as Django's store: no such live session, a new one follows
            return None
        return model(session_key=key, session_data=row[0])
