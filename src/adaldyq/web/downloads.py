"""The files a page hands over: exports (CSV, XLSX), PDFs, and documents kept in the data folder.

One place says what type a file of each ending is and how the browser is told its name
(`Content-Disposition`, Django's `content_disposition_header`): an export is saved, a PDF shown.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import overload

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

#: The type of a file handed over, by its name's ending.
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
#: Kept documents (scans, photographs) the browser shows; any other is saved as bytes.
SHOWN_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})


@overload
def download(content: bytes | str, filename: str, *, inline: bool = False) -> HttpResponse: ...
@overload
def download(
    content: Iterator[str], filename: str, *, inline: bool = False
) -> StreamingHttpResponse: ...
def download(
    content: bytes | str | Iterator[str], filename: str, *, inline: bool = False
) -> HttpResponse | StreamingHttpResponse:
    """`content` as the file `filename` (its type from the ending), saved, or shown when `inline`;
    lines of text (an iterator) are streamed."""
    content_type = CONTENT_TYPES[filename.rsplit(".", 1)[-1]]
    response: HttpResponse | StreamingHttpResponse
    if isinstance(content, bytes | str):
        response = HttpResponse(content, content_type=content_type)
    else:
        response = StreamingHttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = str(content_disposition_header(not inline, filename))
    return response


def kept_document(path: Path, content_type: str, filename: str) -> HttpResponse:
    """A document kept in the data folder: shown when the browser shows its type, else saved as
    bytes of no type (so that nothing it holds runs in the page's origin)."""
    shown = content_type in SHOWN_TYPES
    response = HttpResponse(
        path.read_bytes(), content_type=content_type if shown else "application/octet-stream"
    )
    response["Content-Disposition"] = str(content_disposition_header(not shown, filename))
    return response
