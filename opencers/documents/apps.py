from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "opencers.documents"
    label = "documents"
    verbose_name = "Documents"
