"""Start Django from the command line: choose the data directory, set up, migrate."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def django_setup(
    data_dir: Path | None = None, *, migrate: bool = True, make_private: bool = True
) -> Path:
    """Configure Django for DATA_DIR (or ADALDYQ_DATA_DIR / the default); return the directory used.

    `make_private=False` leaves the modes of the folder and its files as they are (`web check`)."""
    if data_dir is not None:
        data_dir.mkdir(parents=True, exist_ok=True)
        os.environ["ADALDYQ_DATA_DIR"] = str(data_dir.resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "adaldyq.web.settings.base")
    folder = data_dir or (
        Path(os.environ["ADALDYQ_DATA_DIR"]) if os.environ.get("ADALDYQ_DATA_DIR") else None
    )
    if folder is not None and (folder / "demo.json").exists():
        # A demo data folder: the law pack's illustrative visit figures (D, not law, shown as such).
        os.environ.setdefault("ADALDYQ_LAW_OVERLAY", "demo")
    import django
    from django.conf import settings

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
    directory = Path(settings.DATA_DIR)
    if make_private:
        private(directory)
    return directory


def private(directory: Path) -> None:
    """Only the owner may read the data folder, its SQLite database and key files (issue 16): the
    database holds personal data, the folder the signing keys."""
    with contextlib.suppress(OSError):
        directory.chmod(0o700)
    for pattern in ("*.sqlite3", "*.sqlite3-wal", "*.sqlite3-shm", "*.key", "*.json", "*.jsonl"):
        for path in directory.glob(pattern):
            with contextlib.suppress(OSError):
                path.chmod(0o600)
