from django.urls import path

from adaldyq.web.lawadmin import views

app_name = "lawadmin"
urlpatterns = [
    path("amendments/", views.amendments, name="amendments"),
    path("amendments/<int:seq>/", views.amendment, name="amendment"),
]
