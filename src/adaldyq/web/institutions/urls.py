from django.urls import path

from adaldyq.web.institutions import views

app_name = "institutions"
urlpatterns = [path("", views.institution_list, name="list")]
