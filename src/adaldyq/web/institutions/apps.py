from django.apps import AppConfig


class InstitutionsConfig(AppConfig):
    name = "adaldyq.web.institutions"
    label = "institutions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from adaldyq.web.institutions.selectors import names_forget
        from adaldyq.web.rows import counts_forget

        def forget(**_: object) -> None:
            names_forget()
            counts_forget()  # a count's SQL may name the institutions of a region

        post_save.connect(forget, sender="institutions.Institution", weak=False)
        post_delete.connect(forget, sender="institutions.Institution", weak=False)
