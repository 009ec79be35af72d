"""Rows of a Hazardous Materials Inventory: one material at one storage location."""

from __future__ import annotations

from django.db import models

from opencers.core.models import BaseModel
from opencers.elements.fields import model_fields
from opencers.elements.inventory.fields import CHEMICAL_FIELDS


class InventoryItem(BaseModel):
    element = models.ForeignKey(
        "submittals.SubmittalElement", on_delete=models.CASCADE, related_name="inventory_items"
    )
    position = models.PositiveIntegerField(help_text="Order of the rows, as entered or imported.")
    library_chemical = models.ForeignKey(
        "library.Chemical",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The library entry this row was filled from; kept only while name and CAS still match it.",
    )

    locals().update(model_fields(CHEMICAL_FIELDS))

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["element", "position"])]

    def __str__(self) -> str:
        return f"{self.common_name} @ {self.chemical_location}"
