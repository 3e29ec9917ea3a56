"""URLs of the public portal (no sign-in): the figures and the open data."""

from __future__ import annotations

from django.urls import path

from adaldyq.web.portal import views

app_name = "portal"

urlpatterns = [
    path("figures/", views.index, name="index"),
    path("figures/<slug:table_id>/", views.table, name="table"),
    path("open-data/catalog.json", views.catalog, name="catalog"),
    path("open-data/figures.json", views.figures_latest, name="figures"),
    path("open-data/<int:size>/figures.json", views.figures_at, name="figures-at"),
    path("open-data/<int:size>/<slug:table_id>.csv", views.table_csv, name="csv"),
    path("open-data/<int:size>/<slug:table_id>.schema.json", views.table_schema, name="schema"),
]
