"""WSGI entry point: `gunicorn adaldyq.web.wsgi:application` or the demo's own server."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "adaldyq.web.settings.base")
application = get_wsgi_application()
