from django.urls import path

from adaldyq.web.decisions import views

app_name = "decisions"
urlpatterns = [
    path("", views.sessions, name="sessions"),
    path("open/", views.session_open, name="open"),
    path("sessions/<str:session_id>/", views.session, name="session"),
    path("sessions/<str:session_id>/items/", views.item_add, name="item_add"),
    path("items/<int:seq>/decide/", views.decide, name="decide"),
    path("decisions/<int:seq>/", views.decision, name="decision"),
    path("decisions/<int:seq>/confirm/", views.confirm, name="confirm"),
    path("decisions/<int:seq>/document.pdf", views.document, name="document"),
    path("decisions/<int:seq>/case.json", views.case_json, name="case"),
    path("awaiting/", views.awaiting, name="awaiting"),
    path("mine/", views.mine, name="mine"),
    path("register/", views.register, name="register"),
]
