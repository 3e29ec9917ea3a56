"""Builds the law engine's hot modules with mypyc when a C compiler is at hand (ADR 0013), and the
ledger's batch hashing (`adaldyq.ledger._hashes`, C on OpenSSL's libcrypto; ADR 0004, fourth amendment).

The modules stay plain Python source: `ADALDYQ_PURE_PYTHON=1 pip install .` (or a machine without a
compiler) installs them interpreted, with the same behaviour and about half the speed. The hashing
extension is optional too: without OpenSSL's headers (Debian: libssl-dev) it is left out and
`adaldyq.ledger.hashing` hashes through hashlib, with the same results.
"""

from __future__ import annotations

import os
import shutil
import sys
import sysconfig
from pathlib import Path

from setuptools import Extension, setup

#: The engine's path from a person's facts to a result: parsing, the fold, the rules, the records.
COMPILED = [
    "src/adaldyq/core/dates.py",
    "src/adaldyq/core/facts.py",
    "src/adaldyq/core/person.py",
    "src/adaldyq/law/cases.py",
    "src/adaldyq/law/engine.py",
    "src/adaldyq/law/explain.py",
    "src/adaldyq/law/pack.py",
    "src/adaldyq/law/plan.py",
    "src/adaldyq/law/state.py",
    "src/adaldyq/law/rules/conditions.py",
    "src/adaldyq/law/rules/degrees.py",
    "src/adaldyq/law/rules/parole.py",
    "src/adaldyq/law/rules/visits.py",
    # the personal file and its fold, which oversight's reader calls for every file (ADR 0014)
    "src/adaldyq/files/facts.py",
    "src/adaldyq/files/personal.py",
    # oversight's reading of personal files and its review of them with the engine (issue 5)
    "src/adaldyq/oversight/files.py",
    "src/adaldyq/oversight/review.py",
]


#: RFC 9162 leaf and node hashes of whole batches, through OpenSSL with Python's lock released.
#: `optional`: should it fail to build (no <openssl/sha.h>, no libcrypto), the install goes on
#: without it and the ledger hashes through hashlib.
HASHES = Extension(
    "adaldyq.ledger._hashes",
    ["src/adaldyq/ledger/_hashes.c"],
    libraries=["crypto"],
    extra_compile_args=["-O2"],
    optional=True,
)


def _ext_modules() -> list[object]:
    if os.environ.get("ADALDYQ_PURE_PYTHON") == "1":
        return []
    compiler = os.environ.get("CC", "cc").split()[0]
    headers = Path(sysconfig.get_paths()["include"]) / "Python.h"
    if shutil.which(compiler) is None or not headers.exists():
        print(
            f"adaldyq: no C compiler ({compiler}) or no Python headers ({headers}): "
            "the engine is installed interpreted and the ledger hashes through hashlib",
            file=sys.stderr,
        )
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        print("adaldyq: mypyc not found; the engine is installed interpreted", file=sys.stderr)
        return [HASHES]
    # The compiled modules are checked strictly; modules they import are read for their types only,
    # and third-party packages the build environment lacks (psycopg, duckdb, ...) count as untyped.
    # pyproject.toml's [tool.mypy] is not read: it loads django-stubs' plugin for the web, which the
    # isolated build environment does not have; these are its options for the pure packages.
    flags = [
        "--config-file=",
        "--strict",
        "--warn-unreachable",
        "--enable-error-code=ignore-without-code",
        "--enable-error-code=redundant-expr",
        "--enable-error-code=truthy-bool",
        "--follow-imports=silent",
        "--ignore-missing-imports",
    ]
    return [*mypycify([*flags, *COMPILED], opt_level="3"), HASHES]


setup(ext_modules=_ext_modules())
