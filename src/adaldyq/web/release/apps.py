from django.apps import AppConfig


class ReleaseConfig(AppConfig):
    name = "adaldyq.web.release"
    label = "release"
    default_auto_field = "django.db.models.BigAutoField"
