"""Staff and self-service pages of placement and transfers."""

from django.urls import path

from adaldyq.web.transfers import views

app_name = "transfers"
urlpatterns = [
    path("", views.index, name="index"),
    path("awaiting/", views.awaiting, name="awaiting"),
    path("place/<str:person_id>/", views.propose, name="propose"),
    path("placements/<int:seq>/", views.placement, name="placement"),
    path("requests/<str:number>/", views.request_detail, name="request"),
    path("people/<str:person_id>/", views.person, name="person"),
    path("capacity/", views.capacity, name="capacity"),
    path("art96/", views.art96, name="art96"),
    path("simulator/", views.simulator, name="simulator"),
    path("flags/", views.flags, name="flags"),
]
