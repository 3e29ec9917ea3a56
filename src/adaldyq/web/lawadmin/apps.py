from django.apps import AppConfig


class LawAdminConfig(AppConfig):
    name = "adaldyq.web.lawadmin"
    label = "lawadmin"
    default_auto_field = "django.db.models.BigAutoField"
