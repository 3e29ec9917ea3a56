"""Out of prison by the law (issue 19): who is due for parole or substitution, and the law's answer.

    from adaldyq.release import due_in_window, Window
    window = Window.of_month(date(2026, 12, 1), months=3)
    for due in due_in_window(files, types=types, window=window, law=law):
        due.kind, due.on, due.answer, due.missing

Pure: personal files (`adaldyq.files.PersonalFile`) and the law pack in, values out. The web and
the CLI read the files and hand them over (ADR 0002, ADR 0035).
"""

from adaldyq.release.due import ANSWERS, KINDS, Due, Window, answers_for, due_for, due_in_window

__all__ = ["ANSWERS", "KINDS", "Due", "Window", "answers_for", "due_for", "due_in_window"]
