from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "opencers.elements.plans"
    label = "plans"
    verbose_name = "Emergency Response and Training Plans"

    def ready(self) -> None:
        from opencers.elements.plans import element

        element.register_element()
