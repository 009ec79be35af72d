from django.apps import AppConfig


class SubmittalsConfig(AppConfig):
    name = "opencers.submittals"
    label = "submittals"
    verbose_name = "Submittals"
