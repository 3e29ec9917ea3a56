from django.urls import path

from adaldyq.web.release import views

app_name = "release"
urlpatterns = [
    path("due/", views.due, name="due"),
]
