"""URL map of the web application."""

from __future__ import annotations

from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language

from adaldyq.web import tlog, views
from adaldyq.web.api import api
from adaldyq.web.decisions import views as decisions_views
from adaldyq.web.records import views as records_views

urlpatterns = [
    path("", views.home, name="home"),
    # browsers ask for /favicon.ico when a response names no icon (a PDF, the API's JSON)
    path("favicon.ico", RedirectView.as_view(url=static("adaldyq/favicon.svg"), permanent=True)),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("adaldyq.web.accounts.urls")),
    path("institutions/", include("adaldyq.web.institutions.urls")),
    path("people/", include("adaldyq.web.records.urls")),
    path("ledger/", records_views.ledger, name="ledger"),
    path("ledger/entries/<int:seq>/", records_views.entry, name="ledger-entry"),
    # the ledger as C2SP tlog-tiles (adaldyq.web.tlog): checkpoint and hash tiles public, entries not
    path("ledger/checkpoint", tlog.checkpoint, name="tlog-checkpoint"),
    path("ledger/tile/<path:path>", tlog.tile, name="tlog-tile"),
    path("commission/", include("adaldyq.web.decisions.urls")),
    path("verify/", decisions_views.verify, name="verify-form"),
    path("verify/<str:code>", decisions_views.verify, name="verify"),
    path("visits/", include("adaldyq.web.visits.urls")),
    path("visit/", include("adaldyq.web.visits.public_urls")),
    path("transfers/", include("adaldyq.web.transfers.urls")),
    path("transfer/", include("adaldyq.web.transfers.public_urls")),
    path("programme/", include("adaldyq.web.programme.urls")),
    path("paper/", include("adaldyq.web.paper.urls")),
    path("parole/", include("adaldyq.web.release.urls")),
    path("probation/monitoring/", include("adaldyq.web.emonitoring.urls")),
    path("probation/", include("adaldyq.web.release.probation_urls")),
    path("work/", include("adaldyq.web.work.urls")),
    path("law/", include("adaldyq.web.lawadmin.urls")),
    path("dashboards/", include("adaldyq.web.dashboards.urls")),
    path("overrides/", include("adaldyq.web.overrides.urls")),
    path("", include("adaldyq.web.portal.urls")),
    path("api/", api.urls),
]

# The site's own error pages in the reader's language (adaldyq.web.errors).
handler400 = "adaldyq.web.errors.bad_request"
handler403 = "adaldyq.web.errors.permission_denied"
handler404 = "adaldyq.web.errors.page_not_found"
handler500 = "adaldyq.web.errors.server_error"
