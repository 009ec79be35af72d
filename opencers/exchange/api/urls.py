"""URLs of the JSON API, mounted at /api/v1/ (namespace ``exchange:api``)."""

from __future__ import annotations

from django.urls import path, re_path

from opencers.exchange.api import business, regulator
from opencers.exchange.api.docs import docs, schema_view
from opencers.exchange.api.errors import not_found

app_name = "api"

FACILITY = "facilities/<int:cers_id>/"
ELEMENT = FACILITY + "elements/<slug:slug>/"
FI_DRAFT = FACILITY + "elements/facility-information/draft/"
INVENTORY_DRAFT = FACILITY + "elements/inventory/draft/"
REGULATOR = "regulators/<int:code>/"

urlpatterns = [
    path("schema/", schema_view(), name="schema"),
    path("docs/", docs, name="docs"),
    # Business
    path("facilities/", business.FacilityList.as_view(), name="facilities"),
    path(FACILITY, business.FacilityDetail.as_view(), name="facility"),
    path(FACILITY + "submittals/", business.Submittals.as_view(), name="submittals"),
    path(FACILITY + "versions/<uuid:version_id>/", business.VersionDetail.as_view(), name="version"),
    path(
        FI_DRAFT + "business-activities/",
        business.BusinessActivitiesView.as_view(),
        name="business_activities",
    ),
    path(FI_DRAFT + "owner-operator/", business.OwnerOperatorView.as_view(), name="owner_operator"),
    path(INVENTORY_DRAFT + "rows/", business.InventoryRows.as_view(), name="inventory_rows"),
    path(INVENTORY_DRAFT + "rows/<uuid:row_id>/", business.InventoryRow.as_view(), name="inventory_row"),
    path(ELEMENT, business.ElementDetail.as_view(), name="element"),
    path(ELEMENT + "draft/", business.DraftView.as_view(), name="draft"),
    path(ELEMENT + "draft/guidance/", business.DraftGuidance.as_view(), name="draft_guidance"),
    path(ELEMENT + "draft/documents/", business.DraftDocuments.as_view(), name="draft_documents"),
    path(ELEMENT + "draft/documents/<str:slot>/", business.DraftDocument.as_view(), name="draft_document"),
    path(
        ELEMENT + "draft/documents/<str:slot>/files/",
        business.DraftDocumentFiles.as_view(),
        name="draft_document_files",
    ),
    path(
        ELEMENT + "draft/documents/<str:slot>/files/<uuid:file_id>/",
        business.DraftDocumentFile.as_view(),
        name="draft_document_file",
    ),
    # Regulator
    path("regulators/", regulator.RegulatorList.as_view(), name="regulators"),
    path(REGULATOR + "queue/", regulator.Queue.as_view(), name="queue"),
    path(REGULATOR + "facilities/", regulator.Facilities.as_view(), name="regulator_facilities"),
    path(
        REGULATOR + "facilities/<int:cers_id>/", regulator.FacilityDetail.as_view(), name="regulator_facility"
    ),
    path(
        REGULATOR + "submittals/<uuid:element_id>/", regulator.Submittal.as_view(), name="regulator_submittal"
    ),
    path(
        REGULATOR + "submittals/<uuid:element_id>/action/",
        regulator.SubmittalAction.as_view(),
        name="regulator_action",
    ),
    # Anything else under /api/v1/: a JSON 404.
    re_path(r"^", not_found, name="not_found"),
]
