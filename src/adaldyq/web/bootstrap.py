"""Start Django from the command line: choose the data directory, set up, migrate."""

from __future__ import annotations

import os
from pathlib import Path


def django_setup(data_dir: Path | None = None, *, migrate: bool = True) -> Path:
    """Configure Django for DATA_DIR (or ADALDYQ_DATA_DIR / the default); return the directory used."""
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
    return Path(settings.DATA_DIR)
