from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "adaldyq.web.programme"
    label = "programme"
    default_auto_field = "django.db.models.BigAutoField"
