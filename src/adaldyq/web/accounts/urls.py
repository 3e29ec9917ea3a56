from django.urls import path

from adaldyq.web.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("code/", views.code_view, name="code"),
    path("enrol/", views.enrol_view, name="enrol"),
    path("tokens/", views.tokens_view, name="tokens"),
    path("logout/", views.logout_view, name="logout"),
]
