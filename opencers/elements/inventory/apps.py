from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "opencers.elements.inventory"
    label = "inventory"
    verbose_name = "Hazardous Materials Inventory"

    def ready(self) -> None:
        from opencers.elements.inventory import element

        element.register_element()
