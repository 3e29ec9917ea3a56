from django.apps import AppConfig


class ThrottleConfig(AppConfig):
    name = "adaldyq.web.throttle"
    label = "throttle"
    default_auto_field = "django.db.models.BigAutoField"
