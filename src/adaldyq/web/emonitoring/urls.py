from django.urls import path

from adaldyq.web.emonitoring import views

app_name = "emonitoring"
urlpatterns = [
    path("", views.violations, name="violations"),
    path("people/<str:person_id>/", views.person, name="person"),
    path("people/<str:person_id>/zones/", views.zone, name="zone"),
    path("people/<str:person_id>/feeds/", views.feed, name="feed"),
    path("people/<str:person_id>/feeds/<str:feed_id>/revoke/", views.revoke, name="revoke"),
]
