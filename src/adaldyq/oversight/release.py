"""A court's refusal of parole or substitution because the administration did not submit on time
(issue 19): a finding for oversight, with the decision and the submissions it rests on.

    from adaldyq.oversight.release import RELEASE_FLAG_KINDS, read_release_flags
    flags = read_release_flags(cursor)   # one SQL pass over the court entries

The court's decision is a fact of the personal file (`court_decided`, `adaldyq.files.CourtDecided`)
with the court's reason as a code; `late_submission` says the administration kept the person inside
past the day the law allowed. The entries are read as the fold reads them (corrections and
withdrawals apply), so a decision withdrawn is no finding.
"""

from __future__ import annotations

from collections.abc import Iterable

from adaldyq.files import CourtDecided, CourtSubmitted, PersonalFile
from adaldyq.ledger.sql import Cursor, execute
from adaldyq.oversight.files import authority_institution, read_files
from adaldyq.oversight.register import Flag

__all__ = ["RELEASE_FLAG_KINDS", "read_release_flags", "release_flags"]

RELEASE_FLAG_KINDS: dict[str, str] = {
    "release_refused_late_submission": (
        "CC arts. 72, 73 (LAW.md §6): the court refused because the administration did not "
        "submit on time"
    ),
}


def release_flags(files: Iterable[PersonalFile]) -> list[Flag]:
    """A finding for every standing court decision refused for a late submission."""
    out = []
    for pf in files:
        submitted = [f for f in pf.facts if isinstance(f, CourtSubmitted)]
        for f in pf.facts:
            if not (isinstance(f, CourtDecided) and f.refusal == "late_submission"):
                continue
            before = [s for s in submitted if s.ground == f.ground and s.on <= f.on]
            out.append(
                Flag(
                    kind="release_refused_late_submission",
                    person=pf.person,
                    institution=authority_institution(f.authority),
                    officer=before[-1].officer if before else f.officer,
                    on=f.on,
                    evidence=(*(s.seq for s in before[-1:]), f.seq),
                    rule=RELEASE_FLAG_KINDS["release_refused_late_submission"],
                    confidence="L",
                    detail={
                        "ground": f.ground,
                        "reason": f.reason,
                        "submitted_on": before[-1].on.isoformat() if before else None,
                    },
                )
            )
    return out


def read_release_flags(cursor: Cursor) -> list[Flag]:
    """The files with a court decision, each folded whole (corrections apply), and their findings."""
    execute(
        cursor,
        "SELECT DISTINCT subject FROM ledger_entries WHERE type = %s ORDER BY subject",
        ("court_decided",),
    )
    subjects = [str(row[0]) for row in cursor.fetchall()]
    return release_flags(read_files(cursor, subjects=subjects))
