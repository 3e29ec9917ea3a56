"""`adaldyq web serve --workers 2` serves pages from a real multi-process server (ADR 0012)."""

from __future__ import annotations

import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.served import environment, free_port, serving


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
        return response.status, response.read()


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(c) for c in path.read_text().split()] if path.exists() else []


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _nice(pid: int) -> int:
    """The process's niceness (field 19 of /proc/PID/stat)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat[stat.rindex(")") + 2 :].split()[16])


@pytest.mark.slow
@pytest.mark.parametrize(
    ("options", "processes", "says"),
    [
        (["--workers", "2"], 2, "with 2 worker processes (Ctrl-C"),
        (["--workers", "1", "--threads", "3"], 1, "with 1 worker processes, 3 threads each"),
    ],
)
def test_serve_serves_the_login_page_and_static_files(
    tmp_path: Path, options: list[str], processes: int, says: str
) -> None:
    port = free_port()
    command = [sys.executable, "-m", "adaldyq.cli", "web", "serve", *options]
    command += ["--port", str(port), "--data-dir", str(tmp_path)]
    log = tmp_path / "serve.log"
    with serving(command, port, env=environment(None), log=log, timeout=60) as server:
        base = f"http://127.0.0.1:{port}"
        status, body = _get(f"{base}/accounts/login/")
        assert status == 200
        assert b'name="csrfmiddlewaretoken"' in body
        assert b'name="password"' in body
        status, css = _get(f"{base}/static/adaldyq/site.css")  # whitenoise, DEBUG off
        assert status == 200
        assert css
        # gunicorn lets it through; the site answers with its own page
        long = urllib.request.Request(  # noqa: S310 - loopback
            f"{base}/verify/{'A' * 10_000}", headers={"Accept-Language": "ru"}
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(long, timeout=5)  # noqa: S310 - loopback
        assert refused.value.code == 414
        assert "Адрес слишком длинный" in refused.value.read().decode()
        # the gunicorn master's worker processes, the signer and the register's keeper
        children = _children(server.pid)
        signers = [c for c in children if b"ledger\x00sign\x00--every\x0060" in _cmdline(c)]
        keepers = [c for c in children if b"oversight\x00keep\x00--every\x001" in _cmdline(c)]
        assert (len(children) - len(signers) - len(keepers), len(signers), len(keepers)) == (
            processes, 1, 1,
        )  # fmt: skip
        # the keeper yields the cores to the pages (KEEPER_NICENESS), once it has started
        deadline, nicer = time.monotonic() + 30, min(19, _nice(server.pid) + 10)
        while _nice(keepers[0]) != nicer and time.monotonic() < deadline:
            time.sleep(0.1)
        assert (_nice(keepers[0]), _nice(signers[0])) == (nicer, _nice(server.pid))
        assert (tmp_path / "adaldyq.sqlite3").exists()
    out = log.read_text()
    assert says in out
    assert server.returncode == 0, out
    assert not Path(f"/proc/{signers[0]}").exists()  # the signer stops with the server
    assert not Path(f"/proc/{keepers[0]}").exists()  # and the keeper


def test_serve_defaults_to_two_sync_workers_per_core(monkeypatch: pytest.MonkeyPatch) -> None:
    from adaldyq.cli import web

    monkeypatch.setattr(web.os, "sched_getaffinity", lambda _pid: {0, 1}, raising=False)
    assert web.default_workers() == 4
    monkeypatch.setattr(web.os, "sched_getaffinity", lambda _pid: {3}, raising=False)
    assert web.default_workers() == 2


def test_the_site_has_an_icon(client) -> None:
    page = client.get("/accounts/login/").content.decode()
    icon = client.get("/favicon.ico")

    assert 'rel="icon"' in page
    assert icon.status_code == 301
    svg = client.get(icon["Location"])
    assert svg.status_code == 200
    assert b"<svg" in b"".join(svg.streaming_content if svg.streaming else [svg.content])
