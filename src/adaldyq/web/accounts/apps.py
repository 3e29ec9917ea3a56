from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "adaldyq.web.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from adaldyq.web import deploy_checks  # noqa: F401 - registers the deployment checks
        from adaldyq.web.accounts.selectors import names_forget

        def forget(**_: object) -> None:
            names_forget()

        post_save.connect(forget, sender="accounts.User", weak=False)
        post_delete.connect(forget, sender="accounts.User", weak=False)
