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

        try:
            call_command("migrate", verbosity=0, interactive=False)
        except Exception:
            refuse_part_squashed()  # the one failure this code can explain, in one line
            raise
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


def refuse_part_squashed() -> None:
    """Refuse, in one line, a database migrated only part of the way through the migrations that an
    app's squashed migration replaces (ADR 0049): this code no longer has the steps in between, and
    Django fails with a page of errors about apps "not installed". Asked only after a migration
    failed: reading the migration history again would cost every command (ADR 0049)."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.recorder import MigrationRecorder

    from adaldyq.core.errors import InputError

    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return
    applied = set(recorder.applied_migrations())
    on_disk = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    for (app, name), migration in sorted(on_disk.items()):
        replaced = [tuple(r) for r in getattr(migration, "replaces", ())]
        done = [r for r in replaced if r in applied]
        if done and len(done) < len(replaced) and (app, name) not in applied:
            missing = ", ".join(n for a, n in replaced if (a, n) not in applied)
            raise InputError(
                f"this database was migrated by an earlier adaldyq only part of the way through the "
                f"{app} app's migrations ({missing} not applied), which {name} now replaces: finish "
                f"them with that earlier version (`adaldyq web migrate`), then run this one (ADR 0049)"
            )
