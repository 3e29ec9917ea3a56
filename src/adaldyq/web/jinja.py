"""Jinja2 for the fragments a page repeats many times (ADR 0050): the timeline's rows, the explanation.

Django's template language interprets its node tree for every value (a look-up, a filter, a
`{% translate %}` each a few microseconds); a file page has several hundred of them. Jinja2
compiles a template to Python once per process and escapes every value (`autoescape`, MarkupSafe).
Its `_()` is Django's `gettext`: the same catalogues, the language of the request, and the text
escaped like any other value. The templates live in an app's `jinja2/` folder and are rendered from
the Django templates' tags by `fragment`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.template import engines
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext, trans_real
from jinja2 import Environment, StrictUndefined


def environment(**options: Any) -> Environment:
    """The environment of the `jinja2` engine (settings.TEMPLATES): i18n with Django's gettext."""
    # Every value escaped, whatever the settings say; a name the template does not have is an
    # error, not an empty string.
    options.pop("autoescape", None)
    options["undefined"] = StrictUndefined
    env = Environment(autoescape=True, extensions=["jinja2.ext.i18n"], **options)
    # Not "newstyle": a translation is text, escaped like every value, as `{% translate %}` does.
    env.install_gettext_callables(gettext, ngettext, newstyle=False)  # type: ignore[attr-defined]
    # `_` is Django's gettext itself, not the extension's alias that looks `gettext` up again.
    env.globals["_"] = gettext
    env.filters["localize"] = localize  # numbers and dates as Django's templates show them
    # A state of the explanation in words (a filter: Jinja2 calls filters directly, globals through
    # its context, and an explanation has dozens).
    from adaldyq.web.records.templatetags.records_tags import state_text

    env.filters["state_text"] = state_text
    return env


def fragment(name: str, context: dict[str, Any]) -> SafeString:
    """The Jinja2 template `name` rendered with `context`, as markup a Django template takes as it is.

    The template's `_` and `ngettext` are the request's catalogue itself, looked up once here:
    Django's `gettext` finds the active language again for every call (a context-local read, a
    few microseconds), and a file page's fragments call it a few hundred times. Same catalogue,
    same text (a template's messages are literals: no line ends to normalise, never empty).
    """
    html = engines["jinja2"].get_template(name).render({**context, **_catalogue()})
    return mark_safe(html)  # noqa: S308 - rendered by Jinja2, every value escaped there


def _catalogue() -> dict[str, Callable[..., str]]:
    """`_` and `ngettext` of the active language's catalogue (Django's own when none is active)."""
    lang = get_language() if settings.USE_I18N else None
    if lang is None:
        return {"_": gettext, "ngettext": ngettext}
    catalogue = trans_real.translation(lang)
    return {"_": catalogue.gettext, "ngettext": catalogue.ngettext}
