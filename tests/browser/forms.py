"""Filling a form in the browser as a person does: each field in turn, then its button."""

from __future__ import annotations

from typing import Any


def fill_in(page: Any, fields: dict[str, str], *, submit: str | None = None) -> None:
    """Fill `fields` (selector -> value) in their order: a <select> has that option chosen, any other
    field is typed into; then click `submit` when given."""
    for selector, value in fields.items():
        if page.locator(selector).first.evaluate("field => field.tagName") == "SELECT":
            page.select_option(selector, value)
        else:
            page.fill(selector, value)
    if submit is not None:
        page.click(submit)


#: The public visit page's first step (the visitor's document and the prisoner's file number).
IDENTIFY = "#identity button[type=submit]"
