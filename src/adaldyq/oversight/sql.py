"""The flags as SQL over the register's tables (DuckDB), thresholds as named parameters.

Every query returns the same columns: kind, person, institution, officer, on, evidence (a list
of ledger sequence numbers), rule, confidence, detail (a JSON object). Tables (see
`adaldyq.oversight.review.ROW_COLUMNS` and `register.Register.load`): decisions, waits,
penalties, unsupported, people, placements, extra (visits and visitors as recorded, corrections
applied), visits (each visit with the placement it fell in) and entitlement (the law pack's
figures for each type, condition and day a visit fell on).
"""

# ruff: noqa: S608 - the queries are our constants; values travel as $parameters

from __future__ import annotations

__all__ = ["FLAG_QUERIES", "RATE_QUERIES"]

_DECISION_WITHOUT_GROUNDS = """
SELECT 'decision_without_grounds', person, institution, officer, day, [seq], rule, confidence,
       json_object('decision', kind, 'target', target)
FROM decisions WHERE determinable AND NOT supported
"""

_DELAYED_AWARD = """
SELECT 'delayed_award', person, institution, officer, day, list_concat([seq], basis), rule,
       confidence,
       json_object('decision', kind, 'target', target, 'qualified_on', qualified_on,
                   'delay_days', datediff('day', qualified_on, day))
FROM decisions
WHERE supported AND qualified_on IS NOT NULL
  AND datediff('day', qualified_on, day) > $delay_days
"""

# A qualification observed at several dates is one episode: (person, step, qualified on). An
# episode the step itself ended is a decision (see delayed_award); any other one is measured from
# the qualification to the last date it was seen standing (a penalty, another decision, or today).
_GROUNDS_IGNORED = """
WITH episodes AS (
    SELECT person, any_value(institution) AS institution, kind, target, qualified_on,
           bool_or(ended = 'decided') AS decided,
           max(coalesce(until, $as_of)) AS seen_until,
           list_distinct(flatten(list(basis))) AS basis,
           list(seq) FILTER (WHERE ended = 'penalty') AS ended_by,
           any_value(rule) AS rule, any_value(confidence) AS confidence,
           bool_or(ended = 'open') AS still_open
    FROM waits GROUP BY person, kind, target, qualified_on
)
SELECT 'grounds_ignored', person, institution, '', qualified_on,
       list_concat(basis, coalesce(ended_by, [])), rule, confidence,
       json_object('step', kind, 'target', target, 'qualified_on', qualified_on,
                   'seen_until', seen_until, 'still_open', still_open,
                   'waiting_days', datediff('day', qualified_on, seen_until))
FROM episodes
WHERE NOT decided AND qualified_on <= seen_until
  AND datediff('day', qualified_on, seen_until) > $grounds_days
"""

_PENALTY_BEFORE_QUALIFYING = """
SELECT 'penalty_before_qualifying', person, institution, officer, day, [seq], rule, confidence,
       json_object('would_qualify_on', would_qualify_on, 'for', target,
                   'days_before', datediff('day', day, would_qualify_on))
FROM penalties
WHERE would_qualify_on IS NOT NULL
  AND datediff('day', day, would_qualify_on) BETWEEN 1 AND $window_days
"""

_UNSUPPORTED_DEGREE_HELD = """
SELECT 'unsupported_degree_held', person, institution, officer, since,
       list_filter([seq, ended_seq], lambda x: x IS NOT NULL), rule, confidence,
       json_object('degree', degree, 'since', since, 'until', until,
                   'days', datediff('day', since, coalesce(until, $as_of)))
FROM unsupported
WHERE datediff('day', since, coalesce(until, $as_of)) > $unsupported_days
"""

# Visits against the yearly entitlement of the type and condition held on the visit's day: the
# n-th visit of a kind in a calendar year is above the entitlement when n exceeds it.
_VISIT_COUNTS = """
WITH counted AS (
    SELECT v.*, e.allowed, e.determinable, e.confidence, e.article,
           row_number() OVER (PARTITION BY v.person, year(v.day), v.kind
                              ORDER BY v.day, v.seq) AS n
    FROM visits v JOIN entitlement e
      ON e.itype = v.itype AND e.condition = v.condition AND e.day = v.day AND e.kind = v.kind
)
"""

_VISITS_ABOVE_ENTITLEMENT = (
    _VISIT_COUNTS
    + """
SELECT 'visits_above_entitlement', person, institution, officer, day, [seq], article, confidence,
       json_object('kind', kind, 'year', year(day), 'number', n, 'entitlement', allowed,
                   'condition', condition, 'type', itype)
FROM counted WHERE determinable AND allowed > 0 AND n > allowed
"""
)

_VISIT_NOT_ALLOWED = (
    _VISIT_COUNTS
    + """
SELECT 'visit_not_allowed_in_condition', person, institution, officer, day, [seq], article,
       confidence, json_object('kind', kind, 'condition', condition, 'type', itype)
FROM counted WHERE determinable AND allowed = 0
"""
)

# Registrations of visitors: approved ones count from the day of the approval.
_REGISTRATIONS = """
WITH reg AS (
    SELECT person, visitor, seq, day, approved, relationship FROM extra
    WHERE type IN ('visitor_registered', 'visitor_approved') AND visitor IS NOT NULL
),
own AS (
    SELECT v.seq AS visit, v.person, v.visitor, v.day,
           list(r.seq) AS reg_seqs,
           bool_or(r.approved AND r.day <= v.day) AS approved_before,
           bool_or(r.approved AND r.day > v.day) AS approved_after,
           count(r.seq) AS registrations
    FROM visits v LEFT JOIN reg r ON r.person = v.person AND r.visitor = v.visitor
    GROUP BY v.seq, v.person, v.visitor, v.day
)
"""


def _registration_flag(kind: str, where: str) -> str:
    """A flag on a visit by what its visitor's registrations (`own`) say: `where` picks the visits."""
    return (
        _REGISTRATIONS
        + f"""
SELECT '{kind}', v.person, v.institution, v.officer, v.day,
       list_concat([v.seq], o.reg_seqs), 'PEC art. 106 (LAW.md §4: who may visit)', 'S',
       json_object('visitor', v.visitor)
FROM visits v JOIN own o ON o.visit = v.seq
WHERE {where}
"""
    )


_VISIT_UNAPPROVED = _registration_flag(
    "visit_unapproved_visitor",
    "o.registrations > 0 AND NOT coalesce(o.approved_before, false)\n"
    "  AND NOT coalesce(o.approved_after, false)",
)
_VISIT_BEFORE_APPROVAL = _registration_flag(
    "visit_before_approval",
    "NOT coalesce(o.approved_before, false) AND coalesce(o.approved_after, false)",
)

_VISIT_UNDER_OTHER = (
    _REGISTRATIONS
    + """
SELECT 'visit_under_other_prisoner', v.person, v.institution, v.officer, v.day,
       list_concat([v.seq], list(r.seq)), 'PEC art. 106 (LAW.md §4: who may visit)', 'S',
       json_object('visitor', v.visitor, 'registered_to', list_sort(list_distinct(list(r.person))))
FROM visits v JOIN own o ON o.visit = v.seq
JOIN reg r ON r.visitor = v.visitor AND r.person <> v.person
WHERE o.registrations = 0
GROUP BY v.seq, v.person, v.institution, v.officer, v.day, v.visitor
"""
)


def _flag_without_registration(kind: str, registration: str) -> str:
    """A flag on a visit that no registration of a visitor (`reg r`) matching `registration` covers."""
    return (
        _REGISTRATIONS
        + f"""
SELECT '{kind}', v.person, v.institution, v.officer, v.day, [v.seq],
       'PEC art. 106 (LAW.md §4: who may visit)', 'S', json_object('visitor', v.visitor)
FROM visits v
WHERE NOT EXISTS (SELECT 1 FROM reg r WHERE {registration})
"""
    )


_VISIT_UNREGISTERED = _flag_without_registration(
    "visit_unregistered_visitor", "r.visitor = v.visitor"
)
_VISIT_NO_RELATIVES = _flag_without_registration(
    "visit_no_registered_relatives", "r.person = v.person AND r.approved AND r.day <= v.day"
)

_VISITOR_SEVERAL_PEOPLE = """
WITH per_visitor AS (
    SELECT visitor, count(DISTINCT person) AS people FROM visits
    WHERE visitor IS NOT NULL GROUP BY visitor HAVING count(DISTINCT person) > 1
)
SELECT 'visitor_visits_several_people', v.person, any_value(v.institution), any_value(v.officer),
       min(v.day), list(v.seq), 'PEC art. 106 (LAW.md §4: who may visit)', 'S',
       json_object('visitor', v.visitor, 'people', any_value(p.people))
FROM visits v JOIN per_visitor p USING (visitor)
GROUP BY v.visitor, v.person
"""

_VISITOR_SEVERAL_INSTITUTIONS = """
WITH reg AS (
    SELECT e.person, e.visitor, e.seq, e.day, pl.institution
    FROM (SELECT * FROM extra WHERE type IN ('visitor_registered', 'visitor_approved')
          AND approved AND visitor IS NOT NULL) e
    ASOF LEFT JOIN placements pl ON e.person = pl.person AND e.day >= pl.day
),
wide AS (
    SELECT visitor FROM reg GROUP BY visitor HAVING count(DISTINCT institution) > 1
)
SELECT 'visitor_registered_in_several_institutions', r.person, r.institution, '', r.day, [r.seq],
       'PEC art. 106 (LAW.md §4: who may visit)', 'S', json_object('visitor', r.visitor)
FROM reg r JOIN wide USING (visitor)
"""

_VISIT_WHILE_ELSEWHERE = """
SELECT 'visit_while_elsewhere', person, institution, officer, day, [seq],
       'PEC arts. 106-109 (LAW.md §4)', 'S',
       json_object('recorded_at', split_part(authority, '@', 2), 'held_in', institution)
FROM visits
WHERE strpos(authority, '@') > 0 AND institution IS NOT NULL
  AND split_part(authority, '@', 2) <> institution
"""

# Late entries and withdrawals that changed an outcome: found in Python with the counterfactual (the
# engine re-run without the late fact, or with the original put back; `review.py`).
_LATE_ENTRY = """
SELECT kind, person, institution, officer, day, evidence, rule, confidence, detail
FROM loopholes WHERE kind = 'late_entry_changed_outcome'
"""
_WITHDRAWAL = """
SELECT kind, person, institution, officer, day, evidence, rule, confidence, detail
FROM loopholes WHERE kind = 'withdrawal_changed_outcome'
"""

# Each withdrawal and correction of a fact: a lead; the officer's (or institution's) share of them
# among the entries written is the pattern (measures `withdrawals`, `corrections`).
_FACT_WITHDRAWN = """
SELECT 'fact_withdrawn', person, institution, officer, day, [original, seq],
       'PEC arts. 95, 103 (LAW.md §2-3)', 'P',
       json_object('fact', fact, 'fact_on', fact_on, 'corrected_on', day, 'reason', reason)
FROM corrections WHERE action = 'withdrawal'
"""
_FACT_CORRECTED = """
SELECT 'fact_corrected', person, institution, officer, day, [original, seq],
       'PEC arts. 95, 103 (LAW.md §2-3)', 'P',
       json_object('fact', fact, 'fact_on', fact_on, 'corrected_on', day, 'reason', reason)
FROM corrections WHERE action = 'correction'
"""

FLAG_QUERIES: dict[str, str] = {
    "fact_withdrawn": _FACT_WITHDRAWN,
    "fact_corrected": _FACT_CORRECTED,
    "late_entry_changed_outcome": _LATE_ENTRY,
    "withdrawal_changed_outcome": _WITHDRAWAL,
    "decision_without_grounds": _DECISION_WITHOUT_GROUNDS,
    "delayed_award": _DELAYED_AWARD,
    "grounds_ignored": _GROUNDS_IGNORED,
    "penalty_before_qualifying": _PENALTY_BEFORE_QUALIFYING,
    "unsupported_degree_held": _UNSUPPORTED_DEGREE_HELD,
    "visits_above_entitlement": _VISITS_ABOVE_ENTITLEMENT,
    "visit_not_allowed_in_condition": _VISIT_NOT_ALLOWED,
    "visit_unapproved_visitor": _VISIT_UNAPPROVED,
    "visit_before_approval": _VISIT_BEFORE_APPROVAL,
    "visit_under_other_prisoner": _VISIT_UNDER_OTHER,
    "visit_unregistered_visitor": _VISIT_UNREGISTERED,
    "visit_no_registered_relatives": _VISIT_NO_RELATIVES,
    "visitor_visits_several_people": _VISITOR_SEVERAL_PEOPLE,
    "visitor_registered_in_several_institutions": _VISITOR_SEVERAL_INSTITUTIONS,
    "visit_while_elsewhere": _VISIT_WHILE_ELSEWHERE,
}

# Shares per institution and per officer against the national share: each unit's count k of n with the
# national rate p, and the ledger entries of its k (the leads). The exact one-sided binomial test and the
# Benjamini-Hochberg control across all units run in Python (`register.Register.patterns`, ADR 0025).
_MEASURES = """
WITH units AS (
    -- decisions that depart from the law, among the decisions the engine could check
    SELECT 'decisions_without_grounds' AS measure, institution, officer, seq,
           (NOT supported)::INT AS hit FROM decisions WHERE determinable
    UNION ALL
    -- penalties imposed within the window before the person would have qualified
    SELECT 'penalties_before_qualifying', institution, officer, seq,
           (would_qualify_on IS NOT NULL
            AND datediff('day', day, would_qualify_on) BETWEEN 1 AND $window_days)::INT
    FROM penalties
    UNION ALL
    -- awards and transfers decided later than the delay threshold
    SELECT 'late_decisions', institution, officer, seq,
           (datediff('day', qualified_on, day) > $delay_days)::INT
    FROM decisions WHERE supported AND qualified_on IS NOT NULL
    UNION ALL
    SELECT 'long_visits', institution, officer, seq, (kind = 'long')::INT FROM visits
),
-- withdrawals and corrections among the entries written, counted per file (`written`), their
-- entries listed from `corrections`
counted AS (
    SELECT 'withdrawals' AS measure, institution, officer, entries AS n, withdrawals AS k
    FROM written
    UNION ALL
    SELECT 'corrections', institution, officer, entries, corrections FROM written
),
acts AS (
    SELECT CASE action WHEN 'withdrawal' THEN 'withdrawals' ELSE 'corrections' END AS measure,
           institution, officer, seq
    FROM corrections
),
national AS (
    SELECT measure, avg(hit) AS p FROM units GROUP BY measure
    UNION ALL
    SELECT measure, sum(k) / sum(n) FROM counted GROUP BY measure HAVING sum(n) > 0
),
-- an officer's institution: the first by name of theirs (the same whatever order the rows are in:
-- a refreshed register's tables hold the rows in another order than a fresh one's, ADR 0036)
per_unit AS (
    SELECT measure, 'institution' AS level, institution AS unit, institution, '' AS officer,
           count(*) AS n, sum(hit) AS k, list(seq ORDER BY seq) FILTER (WHERE hit = 1) AS hits
    FROM units WHERE institution IS NOT NULL GROUP BY measure, institution
    UNION ALL
    SELECT measure, 'officer', officer, min(institution), officer, count(*), sum(hit),
           list(seq ORDER BY seq) FILTER (WHERE hit = 1)
    FROM units WHERE officer IS NOT NULL AND officer <> '' GROUP BY measure, officer
    UNION ALL
    SELECT c.measure, 'institution', c.institution, c.institution, '', c.n, c.k, a.hits
    FROM (SELECT measure, institution, sum(n) AS n, sum(k) AS k FROM counted
          WHERE institution IS NOT NULL GROUP BY measure, institution) c
    LEFT JOIN (SELECT measure, institution, list(seq ORDER BY seq) AS hits FROM acts
               GROUP BY measure, institution) a USING (measure, institution)
    UNION ALL
    SELECT c.measure, 'officer', c.officer, c.institution, c.officer, c.n, c.k, a.hits
    FROM (SELECT measure, officer, min(institution) AS institution, sum(n) AS n,
                 sum(k) AS k
          FROM counted WHERE officer IS NOT NULL AND officer <> '' GROUP BY measure, officer) c
    LEFT JOIN (SELECT measure, officer, list(seq ORDER BY seq) AS hits FROM acts
               GROUP BY measure, officer) a USING (measure, officer)
)
"""

_RATE_UNITS = (
    _MEASURES
    + """
SELECT u.measure, u.level, u.unit, u.institution, u.officer, u.n, u.k, nat.p, u.hits
FROM per_unit u JOIN national nat USING (measure)
ORDER BY u.measure, u.level, u.unit
"""
)

RATE_QUERIES: dict[str, str] = {"rate_outlier": _RATE_UNITS}
