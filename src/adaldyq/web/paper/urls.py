from django.urls import path, re_path

from adaldyq.web.paper import views

app_name = "paper"
urlpatterns = [
    path("", views.index, name="index"),
    re_path(r"^template\.(?P<fmt>csv|xlsx)$", views.template, name="template"),
    path("pages/<int:page_id>/", views.page, name="page"),
    path("scans/<str:digest>", views.scan, name="scan"),
    path("findings/", views.findings, name="findings"),
    path("progress/<str:token>", views.progress, name="progress"),
]
