from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "opencers.library"
    label = "library"
    verbose_name = "Chemical library"
