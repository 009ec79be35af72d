from django.apps import AppConfig


class SpreadsheetsConfig(AppConfig):
    name = "opencers.spreadsheets"
    label = "spreadsheets"
    verbose_name = "Inventory spreadsheets"
