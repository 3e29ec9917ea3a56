from django.urls import path

from adaldyq.web.release import views

app_name = "release"
urlpatterns = [
    path("due/", views.due, name="due"),
    path("people/<str:person_id>/", views.person, name="person"),
    path("people/<str:person_id>/submit/", views.submit, name="submit"),
    path("people/<str:person_id>/decide/", views.decide, name="decide"),
    path("people/<str:person_id>/release/", views.release, name="release"),
    path("people/<str:person_id>/submissions/<int:seq>.pdf", views.submission, name="submission"),
]
