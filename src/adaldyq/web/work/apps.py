from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "adaldyq.web.work"
    label = "work"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """The personal file records the facts of life in prison through this app's forms, and
        names them in its words."""
        from adaldyq.web.records.forms import FACT_FORMS
        from adaldyq.web.records.templatetags.records_tags import KIND_LABELS
        from adaldyq.web.work.forms import INSIDE_FORMS
        from adaldyq.web.work.labels import KIND_LABELS as INSIDE_LABELS

        FACT_FORMS.update({f.type: f for f in INSIDE_FORMS})
        KIND_LABELS.update(INSIDE_LABELS)
