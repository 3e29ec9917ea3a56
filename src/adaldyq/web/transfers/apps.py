from django.apps import AppConfig


class TransfersConfig(AppConfig):
    name = "adaldyq.web.transfers"
    label = "transfers"
    verbose_name = "Placement and transfers"
