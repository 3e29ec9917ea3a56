from django.urls import path

from adaldyq.web.records import views

app_name = "records"
urlpatterns = [
    path("", views.search, name="search"),
    path("admit/", views.admit, name="admit"),
    path("confirmations/", views.confirmations, name="confirmations"),
    path("<str:person_id>/", views.file, name="file"),
    path("<str:person_id>/record/<str:kind>/", views.record, name="record"),
    path("<str:person_id>/entries/<int:seq>/correct/", views.correct, name="correct"),
    path("<str:person_id>/notes/", views.note, name="note"),
]
