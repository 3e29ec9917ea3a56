from django.urls import path

from adaldyq.web.programme import views

app_name = "programme"
urlpatterns = [
    path("", views.register, name="register"),
    path("plan/", views.plan, name="plan"),
    path("figures/", views.figures, name="figures"),
    path("figures.csv", views.export, name="export"),
    path("officials/", views.officials, name="officials"),
    path("officials/import/", views.officials_import, name="officials_import"),
    path("visits/<str:visit_id>/", views.visit, name="visit"),
    path("visits/<str:visit_id>/decide/", views.decide, name="decide"),
    path("visits/<str:visit_id>/attend/", views.attend, name="attend"),
    path("visits/<str:visit_id>/answer/", views.answer, name="answer"),
]
