from django.urls import path, re_path

from adaldyq.web.dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.index, name="index"),
    path("items/", views.items, name="items"),
    path("health/", views.health, name="health"),
    re_path(r"^export\.(?P<fmt>csv|xlsx)$", views.export, name="export"),
    path("report.pdf", views.report, name="report"),
]
