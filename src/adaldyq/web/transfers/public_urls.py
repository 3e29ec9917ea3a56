"""The public transfer-request pages for relatives (request number and a one-time code)."""

from django.urls import path

from adaldyq.web.transfers import public_views

app_name = "transfer"
urlpatterns = [
    path("", public_views.start, name="start"),
    path("status/", public_views.status, name="status"),
]
