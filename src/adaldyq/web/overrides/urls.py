from django.urls import path

from adaldyq.web.overrides import views

app_name = "overrides"
urlpatterns = [
    path("", views.overrides, name="list"),
    path("<int:seq>/", views.override, name="override"),
]
