"""Time the web application on the national demo (issue 4): opening personal files, and a mixed load.

    .venv/bin/python benchmarks/web_bench.py --data-dir /tmp/national-demo            # SQLite
    DATABASE_URL=postgresql://... .venv/bin/python benchmarks/web_bench.py --data-dir DIR   # PostgreSQL
    .venv/bin/python benchmarks/web_bench.py --postgres     # a throwaway PostgreSQL (fsync on), demo built into it

The data folder must hold a national demo (`adaldyq demo --scale national --build-only --data-dir DIR`);
the benchmark builds one there when it finds none. It starts `adaldyq web serve` (its defaults, or
--workers N / --threads T) as a separate process on a free loopback port, signs in with the logins of
DIR/demo-logins.json, then

(a) opens --files random personal files one after another as the committee (each opening is a ledger
    entry `file_opened`) and prints the median and 95th percentile in ms (target p95 <= 150 ms);
(b) runs a mixed read/write load from --clients separate client processes: file openings, searches,
    the institutions page and incentives recorded through the page's form (with CSRF) by the records
    officer; bounded by --requests and --seconds; prints requests/s, latency percentiles and the CPU
    time per request of the web server's processes, of the PostgreSQL server's (when it runs on this
    machine) and of the client processes (user + system time over the load / requests: steadier than
    requests/s when other work shares the cores), and how many cores they kept busy together.

--mix changes the load's weights (`--mix write=100`: writers only, to see them queue on SQLite's write
lock rather than fail). Each part runs --repeat times; the figures printed at the end are medians over the runs. Nothing leaves
the loopback interface. The writes are real ledger entries: run it on a demo folder you can spare.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hmac
import http.client
import json
import multiprocessing as mp
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from datetime import date
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.served import environment, free_port, serving  # noqa: E402 - the repository's root, above

MIX = {"open": 0.5, "search": 0.2, "institutions": 0.15, "write": 0.15}
SEARCH_WORDS = ["ан", "ов", "ер", "бек", "ина", "ула", "аз", "ев", "нур", "иев"]


# --- a small HTTP client: one connection per request (gunicorn's sync workers close them) ---


class Client:
    """Cookies and CSRF for one signed-in user, over http.client on 127.0.0.1."""

    def __init__(self, port: int, cookies: dict[str, str] | None = None) -> None:
        self.port = port
        self.cookies: dict[str, str] = dict(cookies or {})

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, bytes, dict[str, str]]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Accept-Language": "kk"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            for value in response.headers.get_all("Set-Cookie") or []:
                jar = SimpleCookie()
                jar.load(value)
                for key, morsel in jar.items():
                    self.cookies[key] = morsel.value
            return response.status, data, dict(response.headers)
        finally:
            conn.close()

    def get(self, path: str) -> tuple[int, bytes]:
        status, data, _ = self.request("GET", path)
        return status, data

    def _form(self, path: str) -> str:
        status, page = self.get(path)
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not match:
            raise RuntimeError(f"no form at {path} (HTTP {status})")
        return match.group(1).decode()

    def login(self, login: dict[str, str]) -> None:
        """Sign in with a demo login: the password, then the code of its authenticator when it
        has one (ADR 0039; the demo prints each secret into demo-logins.json)."""
        username = login["username"]
        form = {
            "csrfmiddlewaretoken": self._form("/accounts/login/"),
            "username": username,
            "password": login["password"],
            "next": "/",
        }
        status, _, _ = self.request("POST", "/accounts/login/", form)
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"sign-in as {username} failed (HTTP {status})")
        secret = login.get("totp_secret")
        if secret:
            form = {
                "csrfmiddlewaretoken": self._form("/accounts/code/"),
                "code": totp(secret),
                "next": "/",
            }
            status, _, _ = self.request("POST", "/accounts/code/", form)
            if status != 302:
                raise RuntimeError(f"the code of {username} was refused (HTTP {status})")


def totp(secret: str) -> str:
    """The current six-digit code of a base32 secret (RFC 6238: SHA-1, 30-second steps)."""
    clean = "".join(secret.split()).upper()
    key = base64.b32decode(clean + "=" * (-len(clean) % 8))
    digest = hmac.new(key, int(time.time() // 30).to_bytes(8, "big"), "sha1").digest()
    at = digest[-1] & 15
    return f"{(int.from_bytes(digest[at : at + 4], 'big') & 0x7FFFFFFF) % 1_000_000:06d}"


# --- the server ---


@contextlib.contextmanager
def server(
    data_dir: Path,
    database_url: str | None,
    workers: int | None,
    threads: int | None = None,
    keep_every: float | None = None,
) -> Iterator[tuple[int, int]]:
    """`adaldyq web serve` as a separate process; yields (port, pid) once the login page answers.
    `keep_every`: its `--keep-every` (0: no register keeper beside it), else its default."""
    port = free_port()
    command = [sys.executable, "-m", "adaldyq.cli", "web", "serve", "--port", str(port)]
    command += ["--data-dir", str(data_dir)]
    if workers:
        command += ["--workers", str(workers)]
    if threads:
        command += ["--threads", str(threads)]
    if keep_every is not None:
        command += ["--keep-every", str(keep_every)]
    with tempfile.NamedTemporaryFile(prefix="web-bench-server-", suffix=".log", delete=False) as f:
        log = Path(f.name)
    with serving(command, port, env=environment(database_url), log=log, cwd=ROOT) as proc:
        print(f"server: pid {proc.pid}, http://127.0.0.1:{port}/ (log {log})", flush=True)
        yield port, proc.pid


#: The processes `web serve` starts beside its workers (the ledger's signer, the register's keeper):
#: their CPU is counted apart, as work that does not follow the requests.
BESIDE = ("adaldyq.cli ledger sign", "adaldyq.cli oversight keep")


def server_cpu_seconds(pid: int, *, beside: bool = False) -> float:
    """CPU time (user + system) of the server process and its workers so far (Linux /proc; else 0);
    with `beside`, of the processes it started beside them (`BESIDE`) instead.

    The server's CPU per request of the load is steadier than requests/s when other processes share
    the cores: it says what a request costs the server, whatever else runs (the database server's own
    processes, PostgreSQL's, are not counted).
    """
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total, todo = 0.0, [(pid, False)]
    while todo:
        current, inside = todo.pop()
        try:
            if not inside:
                command = (
                    Path(f"/proc/{current}/cmdline").read_bytes().replace(b"\0", b" ").decode()
                )
                inside = any(name in command for name in BESIDE)
            if inside == beside:
                fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [(int(c), inside) for c in (task / "children").read_text().split()]
        except (OSError, IndexError, ValueError):
            continue
    return total


def settle(pid: int, *, quiet: float = 0.05, every: float = 0.5, limit: float = 600.0) -> float:
    """Wait until the processes beside the server (`BESIDE`) use less than `quiet` s of CPU in
    `every` s (at most `limit` s); the seconds waited.

    The register's keeper builds the register once when the server starts (ADR 0036): seconds of
    both cores that belong to the start, not to the requests. Timed from the start, the first
    openings and the load shared the cores with that build. Their CPU during the load is still
    counted and printed apart ("beside it").
    """
    started = time.monotonic()
    before = server_cpu_seconds(pid, beside=True)
    while time.monotonic() - started < limit:
        time.sleep(every)
        now = server_cpu_seconds(pid, beside=True)
        if now - before < quiet:
            break
        before = now
    return time.monotonic() - started


# What a deployment would set too: durable commits (fsync and synchronous_commit stay at their
# default, on: every file opening is a ledger entry that must survive a power cut), room for the
# hot part of the national demo in shared buffers, and checkpoints spaced for bulk loads.
BENCH_POSTGRES_SETTINGS = {
    "shared_buffers": "512MB",
    "max_wal_size": "4GB",
    "max_connections": "200",
    "listen_addresses": "127.0.0.1",
}


@contextlib.contextmanager
def bench_postgres() -> Iterator[str]:
    """A throwaway PostgreSQL server with BENCH_POSTGRES_SETTINGS; yields its URL, then removes it.

    Not the tests' server (tests/pgserver.py), which turns fsync off for speed: a benchmark of
    durable writes must pay for their durability.
    """
    import shutil

    from tests.pgserver import PGBIN, _as_postgres

    tmp = tempfile.mkdtemp(prefix="adaldyq-bench-pg-")
    if os.geteuid() == 0:
        shutil.chown(tmp, "postgres", "postgres")
    port, data = free_port(), f"{tmp}/data"
    outside = tempfile.gettempdir()  # a folder the postgres user may enter
    quiet: dict[str, Any] = {"check": True, "cwd": outside, "capture_output": True}
    initdb = [f"{PGBIN}/initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8"]
    subprocess.run(_as_postgres([*initdb, "--locale=C.UTF-8"]), **quiet)
    options = " ".join(f"-c {k}={v}" for k, v in BENCH_POSTGRES_SETTINGS.items())
    start = [f"{PGBIN}/pg_ctl", "-D", data, "-l", f"{tmp}/log", "-w", "start"]
    subprocess.run(_as_postgres([*start, "-o", f"-p {port} -k {tmp} {options}"]), **quiet)
    try:
        createdb = [f"{PGBIN}/createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres"]
        subprocess.run(_as_postgres([*createdb, "app"]), **quiet)
        yield f"postgresql://postgres@127.0.0.1:{port}/app"
    finally:
        stop = [f"{PGBIN}/pg_ctl", "-D", data, "-m", "fast", "stop"]
        subprocess.run(_as_postgres(stop), cwd=outside, capture_output=True, check=False)
        shutil.rmtree(tmp, ignore_errors=True)


def database_server_pid(database_url: str | None) -> int | None:
    """The PostgreSQL postmaster's pid when the server runs on this machine and its folder is readable.

    Its processes (the backends serving the web workers, the WAL writer, the checkpointer) share the
    cores with the web server: their CPU time is part of what a request costs.
    """
    if not database_url:
        return None
    try:
        import psycopg

        with psycopg.connect(database_url, autocommit=True) as conn:
            folder = conn.execute("SHOW data_directory").fetchone()[0]  # type: ignore[index]
        return int((Path(folder) / "postmaster.pid").read_text().split()[0])
    except Exception:  # a remote or unreadable server: its CPU is not counted
        return None


def ensure_demo(data_dir: Path, database_url: str | None) -> None:
    if (data_dir / "demo.json").exists() and (data_dir / "demo-logins.json").exists():
        return
    print(f"building the national demo in {data_dir} (about 5 minutes)", flush=True)
    command = [sys.executable, "-m", "adaldyq.cli", "demo", "--scale", "national", "--build-only"]
    subprocess.run(
        [*command, "--data-dir", str(data_dir)],
        env=environment(database_url),
        check=True,
        cwd=ROOT,
    )


# --- what the clients do ---


def person_ids(client: Client, want: int, seed: int) -> list[str]:
    """Ids of people the client may open, from the API (pages of 500 at spread offsets)."""
    status, data = client.get("/api/people?limit=500&offset=0")
    if status != 200:
        raise RuntimeError(f"GET /api/people: HTTP {status}")
    ids = [p["id"] for p in json.loads(data)]
    rng = random.Random(seed)
    if len(ids) == 500:
        for offset in rng.sample(range(500, 35_000, 500), 8):
            status, data = client.get(f"/api/people?limit=500&offset={offset}")
            if status == 200:
                ids += [p["id"] for p in json.loads(data)]
    rng.shuffle(ids)
    return ids[: max(want, 1)] if want else ids


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def open_files(port: int, cookies: dict[str, str], ids: list[str]) -> list[float]:
    """Open each file in turn; returns the times in ms."""
    client = Client(port, cookies)
    times = []
    for pid in ids:
        started = time.perf_counter()
        status, _ = client.get(f"/people/{pid}/")
        times.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise RuntimeError(f"GET /people/{pid}/: HTTP {status}")
    return times


def load_worker(args: tuple[Any, ...]) -> tuple[list[tuple[str, int, float]], int, float]:
    """One client process: requests until its share is done or the deadline passes.

    Returns the samples, the errors and the process's own CPU seconds for them.
    """
    port, reader, writer, readable, writable, n, deadline, seed, mix = args
    cpu_started = time.process_time()
    rng = random.Random(seed)
    read_client, write_client = Client(port, reader), Client(port, writer)
    kinds, weights = zip(*mix.items(), strict=True)
    today = date.today().isoformat()  # noqa: DTZ011
    out: list[tuple[str, int, float]] = []
    errors = 0
    for _ in range(n):
        if time.time() > deadline:
            break
        kind = rng.choices(kinds, weights)[0]
        started = time.perf_counter()
        try:
            if kind == "open":
                status, _ = read_client.get(f"/people/{rng.choice(readable)}/")
            elif kind == "search":
                q = urlencode({"q": rng.choice(SEARCH_WORDS)})
                status, _ = read_client.get(f"/people/?{q}")
            elif kind == "institutions":
                status, _ = read_client.get("/institutions/")
            else:
                pid = rng.choice(writable)
                form = {
                    "incentive-on": today,
                    "incentive-kind": rng.choice(["gratitude", "extra_parcel", "award"]),
                }
                status, _, headers = write_client.request(
                    "POST", f"/people/{pid}/record/incentive/", form
                )
                if status == 302 and "/accounts/login" in headers.get("Location", ""):
                    status = 401  # signed out: not a write
        except OSError:
            status = 0
        ms = (time.perf_counter() - started) * 1000
        ok = status == 200 or (kind == "write" and status == 302)
        errors += not ok
        out.append((kind, status, ms))
    return out, errors, time.process_time() - cpu_started


def mixed_load(
    port: int,
    reader: dict[str, str],
    writer: dict[str, str],
    readable: list[str],
    writable: list[str],
    *,
    clients: int,
    requests: int,
    seconds: float,
    seed: int,
) -> dict[str, Any]:
    per = -(-requests // clients)
    ctx = mp.get_context("spawn")
    with ctx.Pool(clients) as pool:
        deadline = time.time() + seconds + 5  # workers start inside the window
        jobs = [
            (port, reader, writer, readable, writable, per, deadline, seed * 1000 + i, dict(MIX))
            for i in range(clients)
        ]
        pool.map(_noop, range(clients))  # spawn the processes before the clock starts
        started = time.perf_counter()
        results = pool.map(load_worker, jobs)
        elapsed = time.perf_counter() - started
    samples = [s for r, _, _ in results for s in r]
    errors = sum(e for _, e, _ in results)
    times = [ms for _, _, ms in samples]
    by_kind: dict[str, list[float]] = {}
    for kind, _, ms in samples:
        by_kind.setdefault(kind, []).append(ms)
    return {
        "requests": len(samples),
        "errors": errors,
        "statuses": dict(Counter(str(s) for _, s, _ in samples)),
        "seconds": elapsed,
        "client_cpu": sum(c for _, _, c in results),
        "rps": len(samples) / elapsed if elapsed else 0.0,
        "p50": percentile(times, 0.5),
        "p95": percentile(times, 0.95),
        "by_kind": {
            k: (len(v), percentile(v, 0.5), percentile(v, 0.95)) for k, v in by_kind.items()
        },
    }


def _noop(_: int) -> None:
    return None


# --- main ---


def run(args: argparse.Namespace, data_dir: Path, database_url: str | None) -> None:
    ensure_demo(data_dir, database_url)
    logins = json.loads((data_dir / "demo-logins.json").read_text())
    backend = "PostgreSQL" if database_url else "SQLite"
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    db_pid = database_server_pid(database_url)
    with server(data_dir, database_url, args.workers, args.threads, args.keep_every) as (port, pid):
        committee, officer = Client(port), Client(port)
        committee.login(logins["committee"])
        officer.login(logins["records_officer"])
        readable = person_ids(committee, 0, args.seed)
        writable = person_ids(officer, 0, args.seed)
        print(
            f"{backend}: {len(readable)} files to open, {len(writable)} writable by the officer",
            flush=True,
        )
        open_files(port, committee.cookies, readable[:10])  # warm the workers
        open_files(port, officer.cookies, writable[:10])
        waited = settle(pid)
        print(f"the processes beside the server settled after {waited:.1f} s", flush=True)
        rng = random.Random(args.seed)
        opens: list[dict[str, float]] = []
        officer_opens: list[dict[str, float]] = []
        loads: list[dict[str, Any]] = []
        for run_no in range(1, args.repeat + 1):
            for who, cookies, pool, rows in (
                ("committee", committee.cookies, readable, opens),
                ("records officer", officer.cookies, writable, officer_opens),
            ):
                times = open_files(port, cookies, rng.sample(pool, min(args.files, len(pool))))
                rows.append(
                    {
                        "p50": statistics.median(times),
                        "p95": percentile(times, 0.95),
                        "max": max(times),
                    }
                )
                print(
                    f"run {run_no}: {who} opens {len(times)} files one after another: "
                    f"median {rows[-1]['p50']:.1f} ms, p95 {rows[-1]['p95']:.1f} ms, "
                    f"max {rows[-1]['max']:.1f} ms",
                    flush=True,
                )
            if args.requests:
                cpu_before = server_cpu_seconds(pid)
                beside_before = server_cpu_seconds(pid, beside=True)
                db_before = server_cpu_seconds(db_pid) if db_pid else 0.0
                result = mixed_load(
                    port,
                    committee.cookies,
                    officer.cookies,
                    readable,
                    writable,
                    clients=args.clients,
                    requests=args.requests,
                    seconds=args.seconds,
                    seed=args.seed + run_no,
                )
                cpu = server_cpu_seconds(pid) - cpu_before
                beside_cpu = server_cpu_seconds(pid, beside=True) - beside_before
                db_cpu = server_cpu_seconds(db_pid) - db_before if db_pid else 0.0
                n = result["requests"] or 1
                result["cpu_ms"] = cpu * 1000 / n
                result["beside_cpu_ms"] = beside_cpu * 1000 / n
                result["db_cpu_ms"] = db_cpu * 1000 / n
                result["client_cpu_ms"] = result["client_cpu"] * 1000 / n
                result["busy"] = (cpu + beside_cpu + db_cpu + result["client_cpu"]) / result[
                    "seconds"
                ]
                loads.append(result)
                kinds = ", ".join(
                    f"{k} {n} p50 {a:.0f} p95 {b:.0f} ms"
                    for k, (n, a, b) in sorted(result["by_kind"].items())
                )
                print(
                    f"run {run_no}: mixed load, {args.clients} clients: {result['requests']} requests "
                    f"in {result['seconds']:.1f} s = {result['rps']:.0f} req/s, p50 {result['p50']:.0f} ms, "
                    f"p95 {result['p95']:.0f} ms, CPU per request: server {result['cpu_ms']:.1f} ms"
                    f" (beside it, signer and keeper: {result['beside_cpu_ms']:.1f} ms)"
                    + (f", database {result['db_cpu_ms']:.1f} ms" if db_pid else "")
                    + f", clients {result['client_cpu_ms']:.1f} ms "
                    f"({result['busy']:.2f} cores busy with them), "
                    f"errors {result['errors']} {result['statuses']} "
                    f"({kinds})",
                    flush=True,
                )

    def med(rows: list[dict[str, Any]], key: str) -> float:
        return statistics.median(r[key] for r in rows)

    print(
        f"\n{backend}, {cores} cores, server workers: {args.workers or '`web serve` default'}"
        f"{f' x {args.threads} threads' if args.threads else ''}, "
        f"median of {args.repeat} runs (load average now {os.getloadavg()[0]:.1f}: "
        "other processes share these cores):"
    )
    for who, rows in (("committee (read only)", opens), ("records officer (forms)", officer_opens)):
        print(
            f"  open a personal file as {who}: median {med(rows, 'p50'):.1f} ms, "
            f"p95 {med(rows, 'p95'):.1f} ms (target p95 <= 150 ms)"
        )
    if loads:
        print(
            f"  mixed load ({', '.join(f'{k} {v:.0%}' for k, v in MIX.items())}), {args.clients} "
            f"client processes: {med(loads, 'rps'):.0f} requests/s, p50 {med(loads, 'p50'):.0f} ms, "
            f"p95 {med(loads, 'p95'):.0f} ms, CPU per request: server {med(loads, 'cpu_ms'):.1f} ms"
            f" (beside it: {med(loads, 'beside_cpu_ms'):.1f} ms)"
            + (f", database {med(loads, 'db_cpu_ms'):.1f} ms" if db_pid else "")
            + f", clients {med(loads, 'client_cpu_ms'):.1f} ms, "
            f"errors {sum(r['errors'] for r in loads)} "
            f"(target >= 200 requests/s on 2 cores)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, default=None, help="national demo folder")
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="PostgreSQL: DATABASE_URL if set, else a throwaway server (fsync on) with the demo "
        "built into it",
    )
    parser.add_argument(
        "--workers", type=int, default=None, help="server processes (`web serve`'s default)"
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="threads per server process (`web serve`'s default)",
    )
    parser.add_argument(
        "--keep-every",
        type=float,
        default=None,
        help="the server's --keep-every: seconds between the register keeper's looks (0: no "
        "keeper beside the server, to see its share); `web serve`'s default when not given",
    )
    parser.add_argument("--files", type=int, default=200, help="files opened one after another")
    parser.add_argument("--clients", type=int, default=8, help="client processes of the load")
    parser.add_argument("--requests", type=int, default=3000, help="requests of the load per run")
    parser.add_argument("--seconds", type=float, default=30, help="time limit of the load per run")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument(
        "--mix",
        default=",".join(f"{k}={round(v * 100)}" for k, v in MIX.items()),
        help="weights of the load's requests, e.g. write=100 for writers only",
    )
    args = parser.parse_args()
    try:
        weights = {k: float(v) for k, v in (part.split("=") for part in args.mix.split(","))}
    except ValueError:
        parser.error("--mix: name=weight,... with open, search, institutions, write")
    if not set(weights) <= set(MIX) or sum(weights.values()) <= 0:
        parser.error("--mix: name=weight,... with open, search, institutions, write")
    MIX.clear()
    MIX.update({k: v / sum(weights.values()) for k, v in weights.items()})
    database_url = os.environ.get("DATABASE_URL") or None
    if database_url and not database_url.startswith("postgres"):
        database_url = None if database_url.startswith("sqlite") else database_url
    if args.postgres and not database_url:
        with bench_postgres() as url, tempfile.TemporaryDirectory() as tmp:
            run(args, args.data_dir or Path(tmp), url)
        return
    given = args.data_dir or os.environ.get("ADALDYQ_DATA_DIR")
    if not given:
        parser.error("--data-dir (or ADALDYQ_DATA_DIR) is required: the national demo's folder")
    run(args, Path(given), database_url)


if __name__ == "__main__":
    main()
