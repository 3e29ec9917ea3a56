from django.apps import AppConfig


class IdempotencyConfig(AppConfig):
    name = "adaldyq.web.idempotency"
    label = "idempotency"
    default_auto_field = "django.db.models.BigAutoField"
