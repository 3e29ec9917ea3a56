"""The authentication backend: Django's ModelBackend with a lighter read of the signed-in user.

`AUTHENTICATION_BACKENDS` (ADR 0012). Every signed-in request reads its user by the id in the
session; the ORM builds and compiles that query each time (about a quarter of a millisecond of CPU).
Here it is read with `adaldyq.web.rows.by_pk` (a SQL text made once, `Model.from_db`). The checks are
Django's: an inactive user is refused (`user_can_authenticate`), and `django.contrib.auth.get_user`
still compares the session's password hash, so a changed password ends the user's other sessions.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from adaldyq.web.rows import by_pk


class UserBackend(ModelBackend):
    """ModelBackend whose `get_user` (once per signed-in request) reads the row with `by_pk`."""

    def get_user(self, user_id: Any) -> Any:
        # With the user's institution (NULL for most roles): the ledger's actor names its code.
        user = by_pk(get_user_model(), user_id, ("institution",))
        return user if user is not None and self.user_can_authenticate(user) else None
