"""Facility Information: Business Activities and Owner/Operator Identification of one element version."""

from __future__ import annotations

from django.db import models

from opencers.core.models import BaseModel
from opencers.elements.facility_info.fields import BUSINESS_ACTIVITIES_FIELDS, OWNER_OPERATOR_FIELDS
from opencers.elements.fields import model_fields


class BusinessActivities(BaseModel):
    element = models.OneToOneField(
        "submittals.SubmittalElement", on_delete=models.CASCADE, related_name="business_activities"
    )

    locals().update(model_fields(BUSINESS_ACTIVITIES_FIELDS))

    class Meta:
        verbose_name_plural = "business activities"


class OwnerOperator(BaseModel):
    element = models.OneToOneField(
        "submittals.SubmittalElement", on_delete=models.CASCADE, related_name="owner_operator"
    )

    locals().update(model_fields(OWNER_OPERATOR_FIELDS))
