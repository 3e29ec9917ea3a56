"""The REST API (django-ninja): the reads and writes of the pages, under the same scope checks."""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.security import django_auth

api = NinjaAPI(title="adaldyq", version="1", auth=django_auth, urls_namespace="api")
