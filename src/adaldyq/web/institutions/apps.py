from django.apps import AppConfig


class InstitutionsConfig(AppConfig):
    name = "adaldyq.web.institutions"
    label = "institutions"
    default_auto_field = "django.db.models.BigAutoField"
