from django.urls import path

from adaldyq.web.records import views

app_name = "records"
urlpatterns = [
    path("", views.search, name="search"),
    path("<str:person_id>/", views.file, name="file"),
]
