from django.apps import AppConfig


class FacilityInfoConfig(AppConfig):
    name = "opencers.elements.facility_info"
    label = "facility_info"
    verbose_name = "Facility Information"

    def ready(self) -> None:
        from opencers.elements.facility_info import element

        element.register_element()
