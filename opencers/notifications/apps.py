from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "opencers.notifications"
    label = "notifications"
    verbose_name = "Notifications"
