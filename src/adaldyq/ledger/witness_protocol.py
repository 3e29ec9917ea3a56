"""The C2SP tlog-witness protocol (`../shared/specs/c2sp-tlog-witness.md`): a witness served over HTTP
apart from the log, and the log's client for it (issue 16).

The witness (`adaldyq ledger witness-serve`) runs as its own process with its own folder, ideally on
another machine, and answers `POST <prefix>/add-checkpoint`: an old-size line, the consistency proof lines,
an empty line, then the signed checkpoint. It keeps, per log origin, only the size and root of the latest
checkpoint it cosigned, and answers as the spec says: 404 unknown origin, 403 no valid signature by a
trusted key, 400 malformed or old size above the checkpoint's, 409 (`text/x.tlog.size`) when the old size is
not the size it cosigned last, 422 when the proof does not verify, 200 with its cosignature line
(tlog-cosignature/v1) otherwise.

Folder:

    witness.key / witness.pub   the witness's own Ed25519 key
    logs/<name>.pub             the log keys it trusts (one verifier key a line; origin = key name)
    state/<sha256(origin)>.json the size and root it cosigned last for that origin
"""

from __future__ import annotations

import base64
import hashlib
import os
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import orjson

from adaldyq.ledger.checkpoint import (
    Checkpoint,
    Verifier,
    cosign,
    split_note,
)
from adaldyq.ledger.errors import LedgerError, ProofError
from adaldyq.ledger.merkle import verify_consistency
from adaldyq.ledger.store import Ledger
from adaldyq.ledger.witness import witness_key

__all__ = [
    "Answer",
    "Cosigning",
    "ProtocolWitness",
    "WitnessRefusedError",
    "add_checkpoint",
    "http_cosigners",
    "serve",
]

EMPTY_ROOT = hashlib.sha256(b"").digest()
MAX_BODY = 64 * 1024


@dataclass(frozen=True, slots=True)
class Answer:
    """An HTTP answer of the witness: status, content type, body."""

    status: int
    content_type: str
    body: bytes


def _text(status: int, message: str) -> Answer:
    return Answer(status, "text/plain; charset=utf-8", (message + "\n").encode())


class ProtocolWitness:
    """A witness's folder and the add-checkpoint rules."""

    def __init__(self, directory: Path, *, name: str = "witness.adaldyq") -> None:
        self.directory = directory
        self.signer = witness_key(
            directory, name
        )  # the same folder layout as adaldyq.ledger.witness
        os.chmod(directory, 0o700)
        self._lock = threading.Lock()

    @property
    def verifier(self) -> Verifier:
        """The witness's public key (checks its cosignatures)."""
        return self.signer.verifier

    def trust(self, key: Verifier) -> None:
        """Trust `key` for the log whose origin is the key's name."""
        logs = self.directory / "logs"
        logs.mkdir(exist_ok=True)
        path = logs / (hashlib.sha256(key.name.encode()).hexdigest()[:16] + ".pub")
        known = path.read_text().splitlines() if path.exists() else []
        if key.encode() not in known:
            path.write_text("".join(f"{line}\n" for line in [*known, key.encode()]))

    def _trusted(self, origin: str) -> list[Verifier]:
        path = self.directory / "logs" / (hashlib.sha256(origin.encode()).hexdigest()[:16] + ".pub")
        if not path.exists():
            return []
        return [Verifier.decode(line) for line in path.read_text().splitlines() if line.strip()]

    def _state_path(self, origin: str) -> Path:
        return self.directory / "state" / (hashlib.sha256(origin.encode()).hexdigest() + ".json")

    def latest(self, origin: str) -> tuple[int, bytes]:
        """The size and root of the latest checkpoint cosigned for `origin` ((0, empty root): none)."""
        path = self._state_path(origin)
        if not path.exists():
            return 0, EMPTY_ROOT
        state = orjson.loads(path.read_bytes())
        return int(state["size"]), base64.b64decode(state["root"])

    def add_checkpoint(self, body: bytes, *, now: datetime | None = None) -> Answer:
        """The add-checkpoint call: check the request and cosign, or refuse with the spec's status."""
        try:
            text = body.decode()
            head, sep, note = text.partition("\n\n")
            if not sep:
                raise ValueError("no empty line before the checkpoint")
            lines = (head + "\n").splitlines()
            if not lines or not lines[0].startswith("old "):
                raise ValueError("the first line is not 'old SIZE'")
            old_text = lines[0][4:]
            if not old_text.isdigit() or (old_text != "0" and old_text.startswith("0")):
                raise ValueError("the old size is not a decimal without leading zeroes")
            old_size = int(old_text)
            proof = [base64.b64decode(line, validate=True) for line in lines[1:]]
            if len(proof) > 63 or any(len(h) != 32 for h in proof):
                raise ValueError("more than 63 proof lines, or a line that is not a hash")
            body_text, signatures = split_note(note)
            checkpoint = Checkpoint.parse(body_text)
        except (ValueError, UnicodeDecodeError, LedgerError) as exc:
            return _text(400, f"malformed request: {exc}")
        trusted = self._trusted(checkpoint.origin)
        if not trusted:
            return _text(404, f"unknown log origin {checkpoint.origin!r}")
        valid = False
        for signature in signatures:
            for key in trusted:
                if signature.name == key.name and signature.key_hash == key.key_hash:
                    if not key.verify(body_text.encode(), signature.data):
                        return _text(403, "a signature by a trusted key does not verify")
                    valid = True
        if not valid:
            return _text(403, "no signature by a trusted key of this log")
        if old_size > checkpoint.size:
            return _text(400, "the old size is above the checkpoint's size")
        if checkpoint.size == 0 and checkpoint.root != EMPTY_ROOT:
            return _text(422, "a checkpoint of size 0 must have the empty tree's root")
        with self._lock:
            seen_size, seen_root = self.latest(checkpoint.origin)
            if old_size != seen_size:
                return Answer(409, "text/x.tlog.size", f"{seen_size}\n".encode())
            try:
                if old_size == 0:
                    if proof:
                        raise ProofError("a proof from size 0 must be empty")
                elif old_size == checkpoint.size:
                    if checkpoint.root != seen_root:
                        raise ProofError("the same size with another root")
                else:
                    verify_consistency(old_size, checkpoint.size, seen_root, checkpoint.root, proof)
            except ProofError as exc:
                return _text(422, f"not consistent with the checkpoint cosigned last: {exc}")
            stamp = int((now or datetime.now(UTC)).timestamp())
            cosigned = cosign(note, self.signer, stamp)
            state = {"size": checkpoint.size, "root": base64.b64encode(checkpoint.root).decode()}
            path = self._state_path(checkpoint.origin)
            path.parent.mkdir(exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_bytes(orjson.dumps(state))
            tmp.replace(path)
        line = cosigned[len(note) :]
        return Answer(200, "text/plain; charset=utf-8", line.encode())


def serve(witness: ProtocolWitness, host: str, port: int, prefix: str = "") -> ThreadingHTTPServer:
    """An HTTP server answering POST <prefix>/add-checkpoint (call serve_forever on it)."""
    path = prefix.rstrip("/") + "/add-checkpoint"

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            if self.path != path:
                self._send(_text(404, "not found"))
                return
            length = int(self.headers.get("Content-Length") or 0)
            if not 0 < length <= MAX_BODY:
                self._send(_text(400, "a request body of 1 byte to 64 KiB is expected"))
                return
            self._send(witness.add_checkpoint(self.rfile.read(length)))

        def _send(self, answer: Answer) -> None:
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return ThreadingHTTPServer((host, port), Handler)


class WitnessRefusedError(LedgerError):
    """A witness refused a checkpoint (its status and message)."""

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        super().__init__(f"witness refused ({status}): {message}")


def add_checkpoint(
    url: str, old_size: int, proof: list[bytes], note: str, *, timeout: float = 10
) -> str:
    """Submit a checkpoint to a witness's add-checkpoint URL; return its cosignature line(s).

    A 409 raises WitnessRefusedError whose message is the size the witness cosigned last."""
    body = f"old {old_size}\n" + "".join(base64.b64encode(h).decode() + "\n" for h in proof)
    request = urllib.request.Request(  # noqa: S310 - an operator-configured http(s) witness URL
        url, data=(body + "\n" + note).encode(), method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
            return str(answer.read().decode())
    except urllib.error.HTTPError as exc:
        raise WitnessRefusedError(exc.code, exc.read().decode().strip()) from None


class Cosigning:
    """The log's side: submit the newest checkpoint to each witness URL and keep the cosignatures.

    Folder (`DATA_DIR/cosigned` by default): `<size>.note`, the checkpoint with every cosignature line a
    witness returned for it, and `witnesses.json`, the size each witness URL cosigned last (a 409 answer
    corrects it: the witness says its size)."""

    def __init__(self, directory: Path, urls: list[str]) -> None:
        self.directory = directory
        self.urls = urls
        directory.mkdir(parents=True, exist_ok=True)

    def _sizes(self) -> dict[str, int]:
        path = self.directory / "witnesses.json"
        return dict(orjson.loads(path.read_bytes())) if path.exists() else {}

    def _save(self, sizes: dict[str, int]) -> None:
        tmp = self.directory / "witnesses.json.tmp"
        tmp.write_bytes(orjson.dumps(sizes, option=orjson.OPT_INDENT_2))
        tmp.replace(self.directory / "witnesses.json")

    def round(self, ledger: Ledger) -> list[str]:
        """Have every witness that has not yet cosigned the newest checkpoint cosign it; return one
        line per witness that answered or refused (for the signer's output)."""
        from adaldyq.ledger import sql

        with ledger.reading() as cursor:
            note = sql.read_latest_checkpoint(cursor)
        if note is None or not self.urls:
            return []
        size = Checkpoint.parse(split_note(note)[0]).size
        sizes = self._sizes()
        said = []
        for url in self.urls:
            old = sizes.get(url, 0)
            if old == size:
                continue
            for _ in range(2):  # once more after a 409 names the witness's own size
                try:
                    with ledger.reading() as cursor:
                        proof = sql.read_consistency_proof(cursor, old, size) if old else []
                    line = add_checkpoint(url, old, proof, note)
                except WitnessRefusedError as exc:
                    text = str(exc).rsplit(": ", 1)[-1]
                    if exc.status == 409 and text.isdigit() and int(text) != old:
                        old = int(text)
                        continue
                    said.append(f"{url}: {exc}")
                    break
                except (OSError, LedgerError) as exc:
                    said.append(f"{url}: unreachable ({exc})")
                    break
                target = self.directory / f"{size}.note"
                current = target.read_text() if target.exists() else note
                target.write_text(current + line)
                sizes[url] = size
                said.append(f"{url}: cosigned the tree of {size} entries")
                break
        self._save(sizes)
        return said


def http_cosigners(directory: Path, keys: list[Verifier], size: int) -> list[str]:
    """The witnesses (of `keys`) whose cosignature on a checkpoint of at least `size` entries, kept by
    `Cosigning` in `directory`, verifies."""
    from adaldyq.ledger.checkpoint import verify_cosignature

    if not directory.is_dir():
        return []
    notes = sorted(
        (int(p.stem), p)
        for p in directory.glob("*.note")
        if p.stem.isdigit() and int(p.stem) >= size
    )
    names = []
    for key in keys:
        for _, path in notes:
            try:
                verify_cosignature(path.read_text(), key)
            except LedgerError:
                continue
            names.append(key.name)
            break
    return names
