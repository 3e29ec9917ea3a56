"""Test settings: in-memory SQLite (PostgreSQL when tests/web/conftest.py selects it)."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("ADALDYQ_DATA_DIR", tempfile.mkdtemp(prefix="adaldyq-test-"))
os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-secret")
os.environ.pop("DATABASE_URL", None)

from adaldyq.web.settings.base import *  # noqa: F403

DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher"
]  # speed only; base keeps Argon2 first
DEBUG = False
ALLOWED_HOSTS = ["*"]
