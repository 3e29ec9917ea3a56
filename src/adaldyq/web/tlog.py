"""The ledger served as C2SP tlog-tiles (issue 21; `adaldyq.ledger.tiles`, ADR 0022).

    GET /ledger/checkpoint                 the newest signed checkpoint (public, cached a few seconds)
    GET /ledger/tile/<L>/<N>[.p/<W>]       hash tiles (public, immutable)
    GET /ledger/tile/entries/<N>[.p/<W>]   entry bundles: personal data, so only for the roles that read
                                           every file (committee, oversight bodies), each read recorded

Hashes and checkpoints are public so that anyone (witnesses, monitors, mirrors) can follow the log's
growth; the entries are not, unlike a public log (the one point where we depart from the spec's
expectation that a log's entries are fetchable by anyone).
"""

from __future__ import annotations

from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from adaldyq.ledger import sql
from adaldyq.ledger.tiles import TileError, parse_tile_path, tile_bytes
from adaldyq.web.accounts.scope import can_read_log_entries, require

IMMUTABLE = "public, max-age=31536000, immutable"
LOG_READ = "log_read"  # an entry bundle was read (subject "ledger")


def _public(response: HttpResponse, cache: str) -> HttpResponse:
    response["Cache-Control"] = cache
    response.adaldyq_cacheable = True  # type: ignore[attr-defined]  # security.NoStoreMiddleware
    return response


def _signed(full: str, missing: str) -> bytes:
    """The tile or entry bundle `full` of the tree the latest checkpoint signs; a 404 saying
    `missing` when that tree does not hold it."""
    with connection.cursor() as cursor:
        size = sql.read_signed_size(cursor)
        if size == 0:
            raise Http404("no signed checkpoint yet")
        try:
            return tile_bytes(cursor, full, size)
        except TileError:
            raise Http404(missing) from None


@require_GET
def checkpoint(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        note = sql.read_latest_checkpoint(cursor)
    if note is None:
        raise Http404("no signed checkpoint yet")
    response = HttpResponse(note.encode(), content_type="text/plain; charset=utf-8")
    return _public(response, "public, max-age=5")


@require_GET
def tile(request: HttpRequest, path: str) -> HttpResponse:
    full = f"tile/{path}"
    try:
        level, index, width = parse_tile_path(full)
    except TileError:
        raise Http404("not a tile") from None
    if level is None:
        return _entries(request, full, index, width)
    data = _signed(full, "no such tile in the signed tree")
    return _public(HttpResponse(data, content_type="application/octet-stream"), IMMUTABLE)


def _entries(request: HttpRequest, full: str, index: int, width: int) -> HttpResponse:
    require(request.user.is_authenticated and can_read_log_entries(request.user))
    data = _signed(full, "no such entry bundle in the signed tree")
    from adaldyq.web.records import ledger_port, projection
    from adaldyq.web.records.ledger_port import Draft
    from adaldyq.web.records.services import actor_of

    # the read of up to 256 entries of many files, recorded before they are sent (ADR 0022)
    read = {"bundle": full, "from": index * 256, "to": index * 256 + width}
    ledger_port.commit(
        [Draft(actor_of(request.user), "ledger", LOG_READ, read)], projection.project
    )
    return HttpResponse(data, content_type="application/octet-stream")  # personal data: no-store
