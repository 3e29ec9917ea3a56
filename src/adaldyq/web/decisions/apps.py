from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "adaldyq.web.decisions"
    label = "decisions"
    default_auto_field = "django.db.models.BigAutoField"
