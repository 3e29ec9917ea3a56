from django.apps import AppConfig


class PaperConfig(AppConfig):
    name = "adaldyq.web.paper"
    label = "paper"
    default_auto_field = "django.db.models.BigAutoField"
