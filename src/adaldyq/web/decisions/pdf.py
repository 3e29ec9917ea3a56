"""The printed decision: HTML rendered in the reader's language, WeasyPrint with DejaVu fonts, a QR code."""

from __future__ import annotations

from typing import Any

import segno
from django.template.loader import render_to_string
from django.utils import translation


def qr_svg(url: str) -> str:
    """An inline SVG QR code of `url` (error correction M)."""
    return str(segno.make(url, error="m").svg_inline(scale=3))


def decision_pdf(context: dict[str, Any], lang: str) -> bytes:
    """The decision document as PDF bytes, in `lang`."""
    return document_pdf("decisions/document.html", {**context, "code": context["d"].code}, lang)


def document_pdf(template: str, context: dict[str, Any], lang: str) -> bytes:
    """A printed document (a decision, a submission to the court) as PDF bytes, in `lang`: the
    template rendered with the QR code of `context["verify_url"]`."""
    from weasyprint import HTML

    with translation.override(lang):
        html = render_to_string(
            template, {**context, "qr": qr_svg(context["verify_url"]), "lang": lang}
        )
    pdf = HTML(string=html).write_pdf()
    assert pdf is not None  # noqa: S101 - write_pdf without a target returns the bytes
    return bytes(pdf)
