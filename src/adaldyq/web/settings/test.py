"""Test settings: in-memory SQLite (PostgreSQL when tests/web/conftest.py selects it)."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

if "ADALDYQ_DATA_DIR" not in os.environ:  # a folder of this test run's own, removed at its end
    _DATA_DIR = tempfile.mkdtemp(prefix="adaldyq-test-")
    atexit.register(shutil.rmtree, _DATA_DIR, ignore_errors=True)
    os.environ["ADALDYQ_DATA_DIR"] = _DATA_DIR
os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-secret")
os.environ.pop("DATABASE_URL", None)

from adaldyq.web.settings.base import *  # noqa: F403

DATABASES = {"default": {"ENGINE": "adaldyq.web.backends.sqlite3", "NAME": ":memory:"}}
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher"
]  # speed only; base keeps Argon2 first
DEBUG = False
DASHBOARDS_REFRESH_SECONDS = 0.0  # each test its own checkpoints: the newest's figures, at once
ALLOWED_HOSTS = ["*"]
