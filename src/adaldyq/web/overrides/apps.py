from django.apps import AppConfig


class OverridesConfig(AppConfig):
    name = "adaldyq.web.overrides"
    label = "overrides"
    default_auto_field = "django.db.models.BigAutoField"
