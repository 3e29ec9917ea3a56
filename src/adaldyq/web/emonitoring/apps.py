from django.apps import AppConfig


class EmonitoringConfig(AppConfig):
    name = "adaldyq.web.emonitoring"
    label = "emonitoring"
    default_auto_field = "django.db.models.BigAutoField"
