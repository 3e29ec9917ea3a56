"""The project's own deployment checks (issue 16), beside Django's `check --deploy`.

Registered as Django system checks with `deploy=True` (tag "adaldyq"), so `django-admin check --deploy`
runs them too; `adaldyq web check` prints Django's deployment warnings and these, one line each, and
exits 1 when there is any. Each check says what is wrong and what to set:

- served over HTTPS (`ADALDYQ_HTTPS=1`), DEBUG off, ALLOWED_HOSTS named (not the default, not "*");
- a secret key of the deployment's own: not a known one (the tests'), not Django's insecure kind, not
  short, and the data folder is not a demo's (`demo.json`);
- the data folder 0700, its database and key files 0600 (readable by the owner only);
- the log's signing key not readable by the web's user (the data folder's owner): in production the
  signer runs as a user of its own with the key in its own folder (ADR 0020);
- trusted proxies that are addresses (compared exactly), none unspecified; and, since `adaldyq web
  serve` listens on 127.0.0.1 behind a reverse proxy, at least one when HTTPS is on (else every client
  shares the proxy's address and HTTPS is not recognised);
- Django's cache shared by every worker (not a process's memory): the public pages' counts live there.
"""

from __future__ import annotations

import ipaddress
import stat
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

TAG = "adaldyq"
#: Secret keys that are public: the test settings' own.
KNOWN_KEYS = frozenset({"test-only-not-secret"})
DEFAULT_HOSTS = ["127.0.0.1", "localhost"]
LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


def _problem(code: str, message: str) -> Error:
    return Error(message, id=f"adaldyq.{code}")


def _group_or_other(path: Path) -> bool:
    return bool(stat.S_IMODE(path.stat().st_mode) & 0o077)


@register(TAG, deploy=True)
def settings_problems(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """HTTPS, DEBUG, hosts, the secret key, the cache, the trusted proxies."""
    found: list[CheckMessage] = []
    if not settings.HTTPS:
        found.append(_problem("E001", "not served over HTTPS: set ADALDYQ_HTTPS=1 (secure cookies, HSTS, redirect)"))  # fmt: skip
    if settings.DEBUG:
        found.append(_problem("E002", "DEBUG is on: unset DJANGO_DEBUG"))
    hosts = list(settings.ALLOWED_HOSTS)
    if not hosts or hosts == DEFAULT_HOSTS or "*" in hosts:
        found.append(_problem("E003", f"ALLOWED_HOSTS is {', '.join(hosts) or 'empty'}: set ADALDYQ_ALLOWED_HOSTS to the site's name"))  # fmt: skip
    key = str(settings.SECRET_KEY)
    if key in KNOWN_KEYS or key.startswith("django-insecure") or len(key) < 50:
        found.append(_problem("E004", "the secret key is a known or short one: unset DJANGO_SECRET_KEY (a key is made in the data folder) or give 50 random characters"))  # fmt: skip
    if (Path(settings.DATA_DIR) / "demo.json").exists():
        found.append(_problem("E005", f"the data folder {settings.DATA_DIR} is a demo's (demo.json): serve a data folder of its own"))  # fmt: skip
    backend = str(settings.CACHES.get("default", {}).get("BACKEND", ""))
    if backend in LOCAL_CACHES:
        found.append(_problem("E006", f"the cache {backend} is not shared by the worker processes: the public pages' limits would count per process"))  # fmt: skip
    found += _proxy_problems()
    return found


def _proxy_problems() -> list[CheckMessage]:
    found: list[CheckMessage] = []
    for proxy in settings.TRUSTED_PROXIES:
        try:
            address = ipaddress.ip_address(proxy)
        except ValueError:
            found.append(_problem("E007", f"trusted proxy {proxy!r} is not an address (one address each, no networks or names)"))  # fmt: skip
            continue
        if address.is_unspecified:
            found.append(_problem("E007", f"trusted proxy {proxy} is the unspecified address"))
    if settings.HTTPS and not settings.TRUSTED_PROXIES:
        found.append(_problem("E008", "no trusted proxy: `adaldyq web serve` listens on 127.0.0.1 behind a reverse proxy, so set ADALDYQ_TRUSTED_PROXIES to its address (e.g. 127.0.0.1), or every client shares its address and HTTPS is not recognised"))  # fmt: skip
    return found


@register(TAG, deploy=True)
def file_problems(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """The data folder 0700; databases, the secret key and key files 0600; the signing key away."""
    found: list[CheckMessage] = []
    folder = Path(settings.DATA_DIR)
    if not folder.is_dir():
        return [_problem("E010", f"the data folder {folder} does not exist")]
    if _group_or_other(folder):
        found.append(_problem("E010", f"the data folder {folder} is open to others (mode {stat.S_IMODE(folder.stat().st_mode):o}): chmod 700"))  # fmt: skip
    private = [
        *folder.glob("*.sqlite3*"),
        folder / "secret_key",
        *folder.glob("keys/*.key"),
        *folder.glob("*.key"),
    ]
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3") and database["NAME"] != ":memory:":
        private.append(Path(database["NAME"]))
    for path in sorted(set(private)):
        if path.is_file() and _group_or_other(path):
            found.append(_problem("E011", f"{path} is readable by others (mode {stat.S_IMODE(path.stat().st_mode):o}): chmod 600"))  # fmt: skip
    key = folder / "keys" / "ledger.key"
    if key.is_file():
        web_user = folder.stat().st_uid
        info = key.stat()
        if (info.st_uid == web_user and info.st_mode & stat.S_IRUSR) or info.st_mode & 0o044:
            found.append(_problem("E012", f"the ledger's signing key {key} is readable by the web's user (the data folder's owner): run the signer as a user of its own with the key in its own folder (ADR 0020)"))  # fmt: skip
    return found
