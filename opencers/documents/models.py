"""Document slots of submittal elements and their files.

Every slot (site map, emergency response plan, a regulator's locally required document, …) is satisfied
in one of six ways. For an upload the files are stored under a key the server generates; the name the
user gave is kept only for display and for the download's file name.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from opencers.core.elements import Element
from opencers.core.models import BaseModel


class DocumentOption(models.TextChoices):
    UPLOAD = "upload", _("Upload a file")
    OTHER_ELEMENT = "other_element", _("Provided in another submittal element")
    PROVIDED_TO_REGULATOR = "provided_to_regulator", _("Provided to the regulator")
    PUBLIC_URL = "public_url", _("Available at a public internet address")
    STORED_AT_FACILITY = "stored_at_facility", _("Stored at the facility")
    EXEMPT = "exempt", _("Exempt")


class Document(BaseModel):
    """How one document slot of one element version is satisfied."""

    element = models.ForeignKey(
        "submittals.SubmittalElement", on_delete=models.CASCADE, related_name="documents"
    )
    slot = models.CharField(max_length=60)
    title = models.CharField(max_length=150, help_text=_("The slot's name when it was filled."))
    option = models.CharField(max_length=30, choices=DocumentOption.choices)
    other_element = models.PositiveSmallIntegerField(choices=Element.choices, null=True, blank=True)
    date_provided = models.DateField(null=True, blank=True)
    public_url = models.URLField(max_length=1000, blank=True)
    comment = models.CharField(max_length=500, blank=True)
    description = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["slot"]
        constraints = [models.UniqueConstraint(fields=["element", "slot"], name="one_document_per_slot")]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_option_display()})"


class DocumentFile(BaseModel):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="files")
    original_name = models.CharField(max_length=255)
    storage_key = models.CharField(max_length=200, unique=False)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, help_text=_("The type found in the content: pdf, docx, png, …"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.original_name
