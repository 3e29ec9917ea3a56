from django.apps import AppConfig


class InstitutionsConfig(AppConfig):
    name = "adaldyq.web.institutions"
    label = "institutions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from adaldyq.web.caches import forget_on_change
        from adaldyq.web.institutions.selectors import names_forget
        from adaldyq.web.rows import counts_forget

        # a count's SQL may name the institutions of a region
        forget_on_change("institutions.Institution", names_forget, counts_forget)
