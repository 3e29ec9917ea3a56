from django.urls import path

from adaldyq.web.programme import views

app_name = "programme"
urlpatterns = [
    path("", views.register, name="register"),
    path("plan/", views.plan, name="plan"),
    path("stations/<path:code>/", views.stations, name="stations"),
    path("figures/", views.figures, name="figures"),
    path("figures.csv", views.export, name="export"),
    path("officials/", views.officials, name="officials"),
    path("officials/import/", views.officials_import, name="officials_import"),
    path("visits/<str:visit_id>/", views.visit, name="visit"),
    path("visits/<str:visit_id>/decide/", views.decide, name="decide"),
    path("visits/<str:visit_id>/attend/", views.attend, name="attend"),
    path("visits/<str:visit_id>/answer/", views.answer, name="answer"),
    path("monitoring/", views.monitoring, name="monitoring"),
    path("monitoring/record/", views.monitoring_record, name="monitoring_record"),
    path("monitoring/<str:visit_id>/", views.monitoring_visit, name="monitoring_visit"),
    path("monitoring/<str:visit_id>/assign/", views.monitoring_assign, name="monitoring_assign"),
    path("monitoring/<str:visit_id>/answer/", views.monitoring_answer, name="monitoring_answer"),
    path(
        "monitoring/<str:visit_id>/documents/<str:digest>/",
        views.monitoring_document,
        name="monitoring_document",
    ),
]
