"""Signed checkpoints: C2SP tlog-checkpoint bodies in C2SP signed notes, signed with Ed25519.

A checkpoint body is three lines and optional extension lines, each ending in a newline:

    <origin>
    <tree size, decimal>
    <root hash, base64>
    time <ISO 8601 UTC>            (our one extension line)

The signed note is the body, a blank line, then one line per signature:
`— <key name> <base64(4-byte key hash || signature)>`. The key hash is the first four bytes of
SHA-256(name || "\\n" || 0x01 || public key) for Ed25519. Keys are written in the signed-note
text forms `<name>+<hash hex>+<base64(0x01 || public key)>` (verifier) and
`PRIVATE+KEY+<name>+<hash hex>+<base64(0x01 || seed)>` (signer). A witness adds a C2SP
tlog-cosignature (`cosignature/v1`, algorithm byte 0x04) line to the same note.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from adaldyq.ledger.errors import MalformedCheckpointError, SignatureError

__all__ = [
    "Checkpoint",
    "Cosignature",
    "Signer",
    "Verifier",
    "cosign",
    "open_note",
    "sign_note",
    "verify_cosignature",
]

ED25519 = 0x01
COSIGNATURE_V1 = 0x04
_DASH = "\u2014"


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A tree head: origin, size, root hash and extension lines."""

    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    def body(self) -> str:
        """The checkpoint text that is signed."""
        lines = [
            self.origin,
            str(self.size),
            base64.b64encode(self.root).decode(),
            *self.extensions,
        ]
        return "".join(line + "\n" for line in lines)

    @property
    def time(self) -> str | None:
        """The signing time, from the `time` extension line."""
        for line in self.extensions:
            if line.startswith("time "):
                return line[5:]
        return None

    @classmethod
    def parse(cls, body: str) -> Checkpoint:
        """Read a checkpoint body (the part of a note above the blank line)."""
        if not body.endswith("\n"):
            raise MalformedCheckpointError("checkpoint body must end with a newline")
        lines = body[:-1].split("\n")
        if len(lines) < 3 or any(not line for line in lines):
            raise MalformedCheckpointError("checkpoint needs origin, size and root hash lines")
        origin, size_text, root_text, *extensions = lines
        if not size_text.isdigit() or (size_text != "0" and size_text.startswith("0")):
            raise MalformedCheckpointError(f"checkpoint size {size_text!r} is not a decimal number")
        try:
            root = base64.b64decode(root_text, validate=True)
        except binascii.Error:
            raise MalformedCheckpointError("checkpoint root hash is not base64") from None
        if len(root) != 32 or base64.b64encode(root).decode() != root_text:
            raise MalformedCheckpointError(
                "checkpoint root hash is not 32 bytes of canonical base64"
            )
        return cls(origin, int(size_text), root, tuple(extensions))


def _key_hash(name: str, alg: int, public: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + bytes([alg]) + public).digest()[:4]


def _check_name(name: str) -> None:
    if not name or any(c.isspace() for c in name) or "+" in name:
        raise MalformedCheckpointError(
            f"key name {name!r} must be non-empty, without spaces or '+'"
        )


@dataclass(frozen=True, slots=True)
class Verifier:
    """A named Ed25519 public key that checks signatures on notes."""

    name: str
    public: bytes

    @property
    def key_hash(self) -> bytes:
        """The 4-byte signed-note key id."""
        return _key_hash(self.name, ED25519, self.public)

    @property
    def cosigner_hash(self) -> bytes:
        """The 4-byte key id of this key's cosignatures (algorithm 0x04)."""
        return _key_hash(self.name, COSIGNATURE_V1, self.public)

    def encode(self) -> str:
        """`<name>+<hash hex>+<base64(0x01 || key)>`."""
        raw = base64.b64encode(bytes([ED25519]) + self.public).decode()
        return f"{self.name}+{self.key_hash.hex()}+{raw}"

    @classmethod
    def decode(cls, text: str) -> Verifier:
        """Read a verifier key string."""
        parts = text.strip().split("+", 2)  # base64 key data may hold "+"
        if len(parts) != 3:
            raise MalformedCheckpointError("verifier key must be name+hash+key")
        name, hash_hex, raw = parts
        try:
            key = base64.b64decode(raw, validate=True)
        except binascii.Error:
            raise MalformedCheckpointError("verifier key is not base64") from None
        if len(key) != 33 or key[0] != ED25519:
            raise MalformedCheckpointError("verifier key is not an Ed25519 key")
        verifier = cls(name, key[1:])
        if verifier.key_hash.hex() != hash_hex:
            raise MalformedCheckpointError(f"verifier key {name} has a wrong key hash")
        return verifier

    def verify(self, message: bytes, signature: bytes) -> bool:
        """True when `signature` is this key's Ed25519 signature of `message`."""
        try:
            Ed25519PublicKey.from_public_bytes(self.public).verify(signature, message)
        except InvalidSignature:
            return False
        return True


@dataclass(frozen=True, slots=True)
class Signer:
    """A named Ed25519 private key."""

    name: str
    seed: bytes

    @classmethod
    def generate(cls, name: str) -> Signer:
        """A fresh key."""
        _check_name(name)
        from cryptography.hazmat.primitives.serialization import NoEncryption, PrivateFormat

        seed = Ed25519PrivateKey.generate().private_bytes(
            Encoding.Raw, PrivateFormat.Raw, NoEncryption()
        )
        return cls(name, seed)

    @property
    def verifier(self) -> Verifier:
        """The matching public key."""
        public = self._key().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return Verifier(self.name, public)

    def _key(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(self.seed)

    def sign(self, message: bytes) -> bytes:
        """Ed25519 signature of `message`."""
        return self._key().sign(message)

    def encode(self) -> str:
        """`PRIVATE+KEY+<name>+<hash hex>+<base64(0x01 || seed)>`."""
        raw = base64.b64encode(bytes([ED25519]) + self.seed).decode()
        return f"PRIVATE+KEY+{self.name}+{self.verifier.key_hash.hex()}+{raw}"

    @classmethod
    def decode(cls, text: str) -> Signer:
        """Read a private key string."""
        parts = text.strip().split("+", 4)
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
            raise MalformedCheckpointError("private key must be PRIVATE+KEY+name+hash+key")
        try:
            key = base64.b64decode(parts[4], validate=True)
        except binascii.Error:
            raise MalformedCheckpointError("private key is not base64") from None
        if len(key) != 33 or key[0] != ED25519:
            raise MalformedCheckpointError("private key is not an Ed25519 key")
        signer = cls(parts[2], key[1:])
        if signer.verifier.key_hash.hex() != parts[3]:
            raise MalformedCheckpointError("private key has a wrong key hash")
        return signer


@dataclass(frozen=True, slots=True)
class Signature:
    """One signature line of a note."""

    name: str
    key_hash: bytes
    data: bytes

    def line(self) -> str:
        """`— <name> <base64(key hash || data)>`."""
        return f"{_DASH} {self.name} {base64.b64encode(self.key_hash + self.data).decode()}\n"


@dataclass(frozen=True, slots=True)
class Cosignature:
    """A witness's statement that it saw the checkpoint at `timestamp` (Unix seconds)."""

    name: str
    timestamp: int


def sign_note(checkpoint: Checkpoint, signer: Signer) -> str:
    """The signed note of a checkpoint."""
    body = checkpoint.body()
    signature = Signature(signer.name, signer.verifier.key_hash, signer.sign(body.encode()))
    return body + "\n" + signature.line()


def split_note(note: str) -> tuple[str, list[Signature]]:
    """The body and the signature lines of a signed note."""
    body, sep, sigs = note.partition("\n\n")
    if not sep or not sigs.endswith("\n"):
        raise MalformedCheckpointError("signed note needs a body, a blank line and signatures")
    body += "\n"
    signatures = []
    for line in sigs[:-1].split("\n"):
        parts = line.split(" ")
        if len(parts) != 3 or parts[0] != _DASH:
            raise MalformedCheckpointError(f"signature line {line!r} is malformed")
        try:
            raw = base64.b64decode(parts[2], validate=True)
        except binascii.Error:
            raise MalformedCheckpointError("signature is not base64") from None
        if len(raw) < 5:
            raise MalformedCheckpointError("signature is too short")
        if base64.b64encode(raw).decode() != parts[2]:
            raise MalformedCheckpointError("signature is not in canonical base64")
        signatures.append(Signature(parts[1], raw[:4], raw[4:]))
    return body, signatures


def open_note(note: str, verifiers: list[Verifier]) -> tuple[Checkpoint, Verifier]:
    """Parse a signed checkpoint and return it with the key that signed it; raise if none did."""
    body, signatures = split_note(note)
    checkpoint = Checkpoint.parse(body)
    for signature in signatures:
        for verifier in verifiers:
            if signature.name == verifier.name and signature.key_hash == verifier.key_hash:
                if verifier.verify(body.encode(), signature.data):
                    return checkpoint, verifier
                raise SignatureError(
                    f"checkpoint of size {checkpoint.size}: signature by {verifier.name} "
                    f"({verifier.key_hash.hex()}) does not verify"
                )
    known = ", ".join(f"{v.name}+{v.key_hash.hex()}" for v in verifiers) or "none"
    raise SignatureError(
        f"checkpoint of size {checkpoint.size} is not signed by a key in effect ({known})"
    )


def _cosigned_message(body: str, timestamp: int) -> bytes:
    return f"cosignature/v1\ntime {timestamp}\n{body}".encode()


def cosign(note: str, witness: Signer, timestamp: int) -> str:
    """Add a C2SP tlog-cosignature/v1 line by `witness` to a signed note."""
    body, _ = split_note(note)
    signature = witness.sign(_cosigned_message(body, timestamp))
    line = Signature(
        witness.name, witness.verifier.cosigner_hash, struct.pack(">Q", timestamp) + signature
    ).line()
    return note + line


def verify_cosignature(note: str, witness: Verifier) -> Cosignature:
    """Check the witness's cosignature on a note and return it."""
    body, signatures = split_note(note)
    for signature in signatures:
        if signature.name == witness.name and signature.key_hash == witness.cosigner_hash:
            if len(signature.data) != 8 + 64:
                raise MalformedCheckpointError("cosignature has a wrong length")
            (timestamp,) = struct.unpack(">Q", signature.data[:8])
            if witness.verify(_cosigned_message(body, timestamp), signature.data[8:]):
                return Cosignature(witness.name, timestamp)
            raise SignatureError(f"cosignature by {witness.name} does not verify")
    raise SignatureError(f"no cosignature by {witness.name}")
