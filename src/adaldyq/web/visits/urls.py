from django.urls import path

from adaldyq.web.visits import views

app_name = "visits"
urlpatterns = [
    path("", views.board, name="board"),
    path("rooms/", views.room, name="room"),
    path("closures/", views.closure, name="closure"),
    path("people/<str:person_id>/", views.person, name="person"),
    path("people/<str:person_id>/visitors/", views.visitor_register, name="visitor_register"),
    path(
        "people/<str:person_id>/visitors/<int:seq>/decide/",
        views.visitor_decide,
        name="visitor_decide",
    ),
    path("people/<str:person_id>/book/", views.book, name="book"),
    path("people/<str:person_id>/whereabouts/", views.whereabouts, name="whereabouts"),
    path("bookings/<str:booking_id>/<str:action>/", views.booking_action, name="booking_action"),
]
