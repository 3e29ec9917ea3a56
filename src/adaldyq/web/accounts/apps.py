from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "adaldyq.web.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from adaldyq.web import deploy_checks  # noqa: F401 - registers the deployment checks
        from adaldyq.web.accounts.selectors import names_forget
        from adaldyq.web.caches import forget_on_change

        forget_on_change("accounts.User", names_forget)
