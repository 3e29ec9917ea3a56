"""The public booking pages for relatives (no account: document number and a one-time code)."""

from django.urls import path

from adaldyq.web.visits import public_views

app_name = "visit"
urlpatterns = [
    path("", public_views.start, name="start"),
    path("book/", public_views.book, name="book"),
    path("manage/", public_views.manage, name="manage"),
]
