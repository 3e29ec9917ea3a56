from django.urls import path

from adaldyq.web.work import views

app_name = "work"
urlpatterns = [
    path("list/", views.list_entry, name="list"),
    path("places/", views.place_add, name="places"),
    path("import/", views.timesheet_import, name="import"),
    path("report/", views.report, name="report"),
]
