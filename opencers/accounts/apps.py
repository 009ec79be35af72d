from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "opencers.accounts"
    label = "accounts"
    verbose_name = "Accounts"
