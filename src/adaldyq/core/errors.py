"""The errors adaldyq raises on purpose.

AdaldyqError                      every error a user may see; one line from .diagnostics()
├── InputError                    a case, a fact or a command argument is not acceptable
│   └── CaseError                 a case file names a field that is wrong (the field and the case id)
├── LawPackError                  the law pack does not load or does not validate
│   └── FigureMissingError        a figure the law pack holds as unknown ("?") was asked for
└── LedgerError                   the ledger refuses an operation or finds a fault
"""

from __future__ import annotations


class AdaldyqError(Exception):
    """Base of every deliberate error; the CLI prints `.diagnostics()` as one line."""

    def diagnostics(self) -> str:
        """One line a person can act on."""
        return str(self)


class InputError(AdaldyqError):
    """Input (a case, a fact, an argument) that cannot be accepted."""


class CaseError(InputError):
    """A case file with a wrong field; names the case and the field."""

    def __init__(self, message: str, *, case: str | None = None, field: str | None = None) -> None:
        self.case = case
        self.field = field
        where = " ".join(
            p for p in (f"case {case!r}" if case else "", f"field {field!r}" if field else "") if p
        )
        super().__init__(f"{where}: {message}" if where else message)


class LawPackError(AdaldyqError):
    """The law pack failed to load or validate."""


class FigureMissingError(LawPackError):
    """A figure the law pack holds as unknown was asked for."""

    def __init__(self, key: str, on: object) -> None:
        self.key = key
        super().__init__(f"not determinable: figure {key!r} missing from the law pack on {on}")


class LedgerError(AdaldyqError):
    """The ledger refused an operation or found a fault."""
