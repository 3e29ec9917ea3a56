from django.urls import path

from adaldyq.web.release import probation_views as views

app_name = "probation"
urlpatterns = [
    path("", views.register, name="register"),
    path("report/", views.report, name="report"),
    path("people/<str:person_id>/", views.person, name="person"),
    path("people/<str:person_id>/record/", views.record, name="record"),
]
