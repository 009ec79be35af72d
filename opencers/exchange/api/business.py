"""The business side of the JSON API: facilities, drafts, inventory rows, documents, submission.

A token acts as its identity (the person of a personal token, or the service account of an organization
client), so everything is read through the portal's selectors with ``user=api.user``: a facility of
another business answers 404. Reads need ``business:read``, writes ``business:write`` and submission
``business:submit``; the identity's permission group must allow the action too (403 otherwise).
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response

from opencers.core.elements import ELEMENT_SLUGS, ELEMENTS_BY_SLUG, Element
from opencers.core.errors import DomainError, NotPermitted
from opencers.documents.models import DocumentFile
from opencers.documents.services import (
    Upload,
    document_file_remove,
    document_files_upload,
    document_set_option,
)
from opencers.elements.facility_info.fields import BUSINESS_ACTIVITIES_FIELDS, OWNER_OPERATOR_FIELDS
from opencers.elements.facility_info.models import BusinessActivities, OwnerOperator
from opencers.elements.facility_info.services import business_activities_save, owner_operator_save
from opencers.elements.fields import content_of
from opencers.elements.inventory.bulk import inventory_rows_write
from opencers.elements.inventory.fields import CHEMICAL_FIELDS, FIELDS_BY_XML
from opencers.elements.inventory.models import InventoryItem
from opencers.elements.inventory.selectors import inventory_facility_for_member, inventory_rows
from opencers.elements.inventory.services import inventory_item_delete, inventory_item_save
from opencers.elements.inventory.validation import inventory_guidance
from opencers.exchange.api import present
from opencers.exchange.api import serializers as s
from opencers.exchange.api.base import (
    ApiView,
    UploadMixin,
    check_if_match,
    draft_etag,
    json_object,
    lock_draft,
)
from opencers.exchange.api.errors import ApiError
from opencers.organizations.selectors import facilities_for_user, user_can
from opencers.submittals import services
from opencers.submittals.models import Origin, SubmittalElement
from opencers.submittals.registry import element_type
from opencers.submittals.selectors import (
    draft_of,
    element_get_for_user,
    last_accepted_or_submitted,
    versions_of,
)

READ = {"GET": "business:read"}
WRITE = {
    "GET": "business:read",
    "POST": "business:write",
    "PUT": "business:write",
    "PATCH": "business:write",
    "DELETE": "business:write",
}
PAGE_SIZE = 100
ROWS_PAGE_SIZE = 1000

BusinessActivitiesOut = s.fields_serializer("BusinessActivities", BUSINESS_ACTIVITIES_FIELDS, output=True)
BusinessActivitiesIn = s.fields_serializer(
    "BusinessActivitiesInput", BUSINESS_ACTIVITIES_FIELDS, output=False
)
OwnerOperatorOut = s.fields_serializer("OwnerOperator", OWNER_OPERATOR_FIELDS, output=True)
OwnerOperatorIn = s.fields_serializer("OwnerOperatorInput", OWNER_OPERATOR_FIELDS, output=False)
InventoryRowFields = s.fields_serializer("InventoryRowFields", CHEMICAL_FIELDS, output=True)
InventoryRowIn = s.fields_serializer("InventoryRowInput", CHEMICAL_FIELDS, output=False)


class InventoryRowSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    row = serializers.IntegerField(help_text="1-based position, as guidance messages count rows.")
    fields = InventoryRowFields()  # type: ignore[assignment]
    guidance = s.GuidanceSerializer(many=True)


class InventoryRowsInSerializer(serializers.Serializer):
    rows = InventoryRowIn(many=True)


def _errors(*codes: int) -> dict[int, Any]:
    texts = {
        400: "The request is malformed.",
        401: "No token, or an unknown, expired or revoked one (WWW-Authenticate is sent).",
        403: "The token lacks the scope, or its identity's permission group does not allow this.",
        404: "Not found, or not yours.",
        409: "Not possible in the current state (e.g. the version was already submitted).",
        412: "If-Match does not name the draft's current ETag: nothing was changed.",
        413: "The request body is too large.",
        422: "Refused by the rules (each problem names its field and row), or an Idempotency-Key reused with another body.",
        428: "If-Match is missing.",
        429: "Too many requests from this client: see Retry-After.",
    }
    return {code: OpenApiResponse(s.ErrorSerializer, description=texts[code]) for code in codes}


READ_ERRORS = (401, 403, 404, 429)
WRITE_ERRORS = (400, 401, 403, 404, 409, 412, 413, 422, 428, 429)

CERS_ID = OpenApiParameter("cers_id", int, OpenApiParameter.PATH, description="The facility's CERS ID.")
SLUG = OpenApiParameter(
    "slug",
    str,
    OpenApiParameter.PATH,
    enum=list(ELEMENT_SLUGS.values()),
    description="The element, e.g. facility-information, inventory, emergency-response-plans (elements "
    "OpenCERS does not take yet answer 404).",
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=True,
    description="The draft's ETag from your last read or write (or * to overwrite whatever is there).",
)
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="A unique key (e.g. a UUID) per intended change: a retry with the same key returns the first response.",
)
PAGE = OpenApiParameter(
    "page", int, OpenApiParameter.QUERY, required=False, description="Page number (from 1)."
)


INCLUDE_GUIDANCE = OpenApiParameter(
    "include_guidance",
    bool,
    OpenApiParameter.QUERY,
    required=False,
    description="true: answer with the guidance of the whole inventory after the write (slower for "
    "thousands of rows; the same as GET …/draft/guidance/).",
)


def _flag(request: Any, name: str) -> bool:
    raw = request.query_params.get(name, "false").strip().lower()
    if raw not in ("true", "false", "1", "0"):
        raise ApiError(
            _("%(name)s is true or false.") % {"name": name},
            status_code=400,
            code="invalid_request",
            field=name,
        )
    return raw in ("true", "1")


def _page_number(request: Any) -> int:
    raw = request.query_params.get("page", "1")
    if not raw.isdigit() or int(raw) < 1:
        raise ApiError(
            _("page is a whole number from 1."), status_code=400, code="invalid_request", field="page"
        )
    return int(raw)


def paginated(name: str, item: Any) -> Any:
    return inline_serializer(
        name,
        {
            "count": serializers.IntegerField(),
            "page": serializers.IntegerField(),
            "pages": serializers.IntegerField(),
            "results": item(many=True),
        },
    )


# --- Access --------------------------------------------------------------------------------------------


def member_facility(view: ApiView, cers_id: int, permission: str = "facility:view") -> Any:
    """The facility, for an identity that is a member of its organization (404 otherwise); 403 when its
    permission group does not grant ``permission``."""
    facility = inventory_facility_for_member(user=view.api.user, cers_id=cers_id, permission="facility:view")
    if permission != "facility:view" and not user_can(
        user=view.api.user, permission=permission, facility=facility
    ):
        raise NotPermitted(
            _("Your permission group in this organization does not allow this (it needs %(permission)s).")
            % {"permission": permission}
        )
    return facility


def element_of(slug: str) -> Element:
    element = ELEMENTS_BY_SLUG.get(slug)
    if element is None or element_type(element) is None:
        raise Http404
    return element


def current_draft(facility: Any, element: int) -> SubmittalElement:
    draft = draft_of(facility, element)
    if draft is None:
        raise ApiError(
            _("This element has no draft. Start one with POST …/draft/."),
            status_code=404,
            code="no_draft",
        )
    return draft


def draft_response(draft: Any, *, code: int = 200) -> Response:
    draft = SubmittalElement.objects.select_related("facility", "based_on").get(pk=draft.pk)
    etag = draft_etag(draft)
    return Response(present.draft_dict(draft, etag=etag), status=code, headers={"ETag": etag})


class WriteDraftView(ApiView):
    # Views of one element's draft: reads by members; writes need the editor permission, lock the
    # draft and check If-Match.

    required_scopes = WRITE
    element_code: int | None = None

    def locked_draft(self, cers_id: int, slug: str | None = None) -> SubmittalElement:
        facility = member_facility(self, cers_id, "facility:edit")
        element = self.element_code or element_of(slug or "")
        draft = lock_draft(current_draft(facility, element))
        check_if_match(self.request, draft)
        return draft

    def read_draft(self, cers_id: int, slug: str | None = None) -> SubmittalElement:
        facility = member_facility(self, cers_id)
        return current_draft(facility, self.element_code or element_of(slug or ""))


# --- Facilities and elements -------------------------------------------------------------------------


class FacilityList(ApiView):
    required_scopes = READ

    @extend_schema(
        tags=["business"],
        summary="List your facilities",
        parameters=[PAGE],
        responses={200: paginated("FacilityPage", s.FacilitySerializer), **_errors(400, 401, 403, 429)},
    )
    def get(self, request: Any) -> Response:
        user = self.api.user
        facilities = (
            facilities_for_user(user=user)
            .filter(organization__memberships__user=user)
            .select_related("organization", "cupa")
            .order_by("organization__name", "name", "cers_id")
            .distinct()
        )
        page = Paginator(facilities, PAGE_SIZE).get_page(_page_number(request))
        return Response(
            present.page_of(
                [present.facility_dict(f) for f in page.object_list],
                page.paginator.count,
                page.number,
                PAGE_SIZE,
            )
        )


class FacilityDetail(ApiView):
    required_scopes = READ

    @extend_schema(
        tags=["business"],
        summary="A facility: its elements, statuses, due dates and drafts",
        parameters=[CERS_ID],
        responses={200: s.FacilityDetailSerializer, **_errors(*READ_ERRORS)},
    )
    def get(self, request: Any, cers_id: int) -> Response:
        return Response(present.facility_detail(member_facility(self, cers_id), with_drafts=True))


class ElementDetail(ApiView):
    required_scopes = READ

    @extend_schema(
        tags=["business"],
        summary="An element: its draft and submitted versions with the regulator's statuses and comments",
        parameters=[CERS_ID, SLUG],
        responses={200: s.ElementHistorySerializer, **_errors(*READ_ERRORS)},
    )
    def get(self, request: Any, cers_id: int, slug: str) -> Response:
        facility = member_facility(self, cers_id)
        element = element_of(slug)
        due = facility.routes.filter(element=element).values_list("next_due_date", flat=True).first()
        return Response(
            {
                **present.element_names(element),
                "next_due": due.isoformat() if due else None,
                "draft": present.draft_summary(draft_of(facility, element)),
                "versions": [present.version_summary(v) for v in versions_of(facility, element)],
            }
        )


class VersionDetail(ApiView):
    required_scopes = READ

    @extend_schema(
        tags=["business"],
        summary="One submitted version: content, status, regulator comments, guidance at submission",
        parameters=[CERS_ID],
        responses={200: s.VersionSerializer, **_errors(*READ_ERRORS)},
    )
    def get(self, request: Any, cers_id: int, version_id: Any) -> Response:
        member_facility(self, cers_id)
        version = element_get_for_user(user=self.api.user, cers_id=cers_id, public_id=version_id)
        if version.is_draft:
            raise Http404
        return Response(present.version_dict(version))


# --- Drafts --------------------------------------------------------------------------------------------


class DraftView(WriteDraftView):
    @extend_schema(
        tags=["business: drafts"],
        summary="Read the draft (content, guidance, documents) and its ETag",
        parameters=[CERS_ID, SLUG],
        responses={200: s.DraftSerializer, **_errors(*READ_ERRORS)},
    )
    def get(self, request: Any, cers_id: int, slug: str) -> Response:
        return draft_response(self.read_draft(cers_id, slug))

    @extend_schema(
        tags=["business: drafts"],
        summary="Start a draft: empty, or a copy of a submitted version",
        parameters=[CERS_ID, SLUG, IDEMPOTENCY_KEY],
        request=s.DraftStartSerializer,
        responses={
            201: OpenApiResponse(s.DraftSerializer, description="A new draft."),
            200: OpenApiResponse(s.DraftSerializer, description="The draft that already existed."),
            **_errors(400, 401, 403, 404, 409, 422, 429),
        },
    )
    def post(self, request: Any, cers_id: int, slug: str) -> Response:
        facility = member_facility(self, cers_id, "facility:edit")
        element = element_of(slug)
        start = s.DraftStartSerializer(data=json_object(request))
        start.is_valid(raise_exception=True)
        source_ref = (start.validated_data.get("start_from") or "").strip()
        if not source_ref:
            existing = draft_of(facility, element)
            draft = services.draft_get_or_create(facility=facility, element=element, actor=self.api.user)
            return draft_response(draft, code=200 if existing else 201)
        if source_ref == "latest":
            source = last_accepted_or_submitted(facility, element)
        elif source_ref.isdigit():
            source = versions_of(facility, element).filter(version=int(source_ref)).first()
        else:
            raise DomainError(_("start_from is 'latest' or a version number."), field="start_from")
        if source is None:
            raise DomainError(_("There is no such submitted version to start from."), field="start_from")
        draft = services.draft_start_from(
            facility=facility,
            element=element,
            source=source,
            actor=self.api.user,
            replace=start.validated_data["replace"],
        )
        return draft_response(draft, code=201)

    @extend_schema(
        tags=["business: drafts"],
        summary="Mark the draft not applicable (with a reason), or applicable again",
        parameters=[CERS_ID, SLUG, IF_MATCH, IDEMPOTENCY_KEY],
        request=s.DraftChangeSerializer,
        responses={200: s.DraftSerializer, **_errors(*WRITE_ERRORS)},
    )
    def patch(self, request: Any, cers_id: int, slug: str) -> Response:
        draft = self.locked_draft(cers_id, slug)
        change = s.DraftChangeSerializer(data=json_object(request))
        change.is_valid(raise_exception=True)
        services.draft_mark_not_applicable(
            draft=draft,
            actor=self.api.user,
            not_applicable=change.validated_data["not_applicable"],
            reason=change.validated_data.get("reason", ""),
        )
        return draft_response(draft)

    @extend_schema(
        tags=["business: drafts"],
        summary="Discard the draft",
        parameters=[CERS_ID, SLUG, IF_MATCH],
        request=None,
        responses={204: None, **_errors(401, 403, 404, 409, 412, 428, 429)},
    )
    def delete(self, request: Any, cers_id: int, slug: str) -> Response:
        draft = self.locked_draft(cers_id, slug)
        services.draft_discard(draft=draft, actor=self.api.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DraftGuidance(WriteDraftView):
    required_scopes = READ

    @extend_schema(
        tags=["business: drafts"],
        summary="Guidance messages of the draft ('required' ones block submission)",
        parameters=[CERS_ID, SLUG],
        responses={200: s.GuidanceSerializer(many=True), **_errors(*READ_ERRORS)},
    )
    def get(self, request: Any, cers_id: int, slug: str) -> Response:
        draft = self.read_draft(cers_id, slug)
        return Response(
            present.guidance_list(services.guidance_of(draft)), headers={"ETag": draft_etag(draft)}
        )


# --- Facility Information parts ------------------------------------------------------------------------


class _PartView(WriteDraftView):
    element_code = Element.FACILITY_INFORMATION
    model: Any = None
    specs: Any = ()
    save: Any = None

    def _values(self, draft: Any) -> dict[str, Any]:
        row = self.model.objects.filter(element=draft).first()
        return content_of(row, self.specs) if row is not None else {}

    def _get(self, cers_id: int) -> Response:
        draft = self.read_draft(cers_id)
        return Response(self._values(draft), headers={"ETag": draft_etag(draft)})

    def _patch(self, request: Any, cers_id: int) -> Response:
        draft = self.locked_draft(cers_id)
        data = json_object(request)
        known = {spec.xml for spec in self.specs}
        unknown = [name for name in data if name not in known]
        if unknown:
            raise ApiError(
                _("Unknown field(s): %(names)s. Use the XML names listed in the schema.")
                % {"names": ", ".join(unknown)},
                status_code=422,
                code="unknown_fields",
                errors=[
                    {
                        "code": "unknown_field",
                        "message": _("Not a field of this part."),
                        "field": n,
                        "row": None,
                    }
                    for n in unknown
                ],
            )
        type(self).save(draft=draft, actor=self.api.user, data=data)
        return Response(self._values(draft), headers={"ETag": draft_etag(draft)})


class BusinessActivitiesView(_PartView):
    model = BusinessActivities
    specs = BUSINESS_ACTIVITIES_FIELDS
    save = business_activities_save

    @extend_schema(
        tags=["business: facility information"],
        summary="Business Activities of the Facility Information draft",
        parameters=[CERS_ID],
        responses={200: BusinessActivitiesOut, **_errors(*READ_ERRORS)},
    )
    def get(self, request: Any, cers_id: int) -> Response:
        return self._get(cers_id)

    @extend_schema(
        tags=["business: facility information"],
        summary="Change Business Activities (fields left out keep their value; null or '' empties one)",
        parameters=[CERS_ID, IF_MATCH, IDEMPOTENCY_KEY],
        request=BusinessActivitiesIn,
        responses={200: BusinessActivitiesOut, **_errors(*WRITE_ERRORS)},
    )
    def patch(self, request: Any, cers_id: int) -> Response:
        return self._patch(request, cers_id)


class OwnerOperatorView(_PartView):
    model = OwnerOperator
    specs = OWNER_OPERATOR_FIELDS
    save = owner_operator_save

    @extend_schema(
        tags=["business: facility information"],
        summary="Owner/Operator Identification of the Facility Information draft",
        parameters=[CERS_ID],
        responses={200: OwnerOperatorOut, **_errors(*READ_ERRORS)},
    )
    def get(self, request: Any, cers_id: int) -> Response:
        return self._get(cers_id)

    @extend_schema(
        tags=["business: facility information"],
        summary="Change Owner/Operator Identification (fields left out keep their value)",
        parameters=[CERS_ID, IF_MATCH, IDEMPOTENCY_KEY],
        request=OwnerOperatorIn,
        responses={200: OwnerOperatorOut, **_errors(*WRITE_ERRORS)},
    )
    def patch(self, request: Any, cers_id: int) -> Response:
        return self._patch(request, cers_id)


# --- Inventory rows --------------------------------------------------------------------------------------


def _row_dict(row: Any) -> dict[str, Any]:
    return {
        "id": str(row.item.public_id),
        "row": row.number,
        "fields": content_of(row.item, CHEMICAL_FIELDS),
        "guidance": present.guidance_list(row.guidance),
    }


def _rows_payload(request: Any) -> list[Any]:
    data = json_object(request)
    rows = data.get("rows")
    if not isinstance(rows, list):
        raise ApiError(
            _('Send the rows as a list: {"rows": [{"CommonName": …}, …]}.'),
            status_code=400,
            code="invalid_request",
            field="rows",
        )
    return rows


class InventoryRows(WriteDraftView):
    element_code = Element.HAZARDOUS_MATERIALS_INVENTORY

    @extend_schema(
        tags=["business: inventory"],
        summary="The rows of the draft inventory, with each row's guidance",
        parameters=[CERS_ID, PAGE],
        responses={200: paginated("InventoryRowPage", InventoryRowSerializer), **_errors(400, *READ_ERRORS)},
    )
    def get(self, request: Any, cers_id: int) -> Response:
        draft = self.read_draft(cers_id)
        number = _page_number(request)
        rows = inventory_rows(draft)
        chosen = rows[(number - 1) * ROWS_PAGE_SIZE : number * ROWS_PAGE_SIZE]
        return Response(
            present.page_of([_row_dict(r) for r in chosen], len(rows), number, ROWS_PAGE_SIZE),
            headers={"ETag": draft_etag(draft)},
        )

    def _save_rows(self, request: Any, cers_id: int, *, replace: bool) -> Response:
        rows = _rows_payload(request)
        with_guidance = _flag(request, "include_guidance")
        draft = self.locked_draft(cers_id)
        written = inventory_rows_write(draft=draft, actor=self.api.user, rows=rows, replace=replace)
        answer: dict[str, Any] = {
            "rows_written": written,
            "row_count": InventoryItem.objects.filter(element=draft).count(),
            "etag": draft_etag(draft),
            "guidance": None,
        }
        if with_guidance:
            items = list(InventoryItem.objects.filter(element=draft).order_by("position", "id"))
            answer["guidance"] = present.guidance_list(inventory_guidance(items))
        return Response(
            answer,
            status=status.HTTP_200_OK if replace else status.HTTP_201_CREATED,
            headers={"ETag": answer["etag"]},
        )

    @extend_schema(
        tags=["business: inventory"],
        summary="Add rows at the end of the draft inventory (one or many; all or nothing)",
        parameters=[CERS_ID, IF_MATCH, IDEMPOTENCY_KEY, INCLUDE_GUIDANCE],
        request=InventoryRowsInSerializer,
        responses={201: s.RowsWrittenSerializer, **_errors(*WRITE_ERRORS)},
    )
    def post(self, request: Any, cers_id: int) -> Response:
        return self._save_rows(request, cers_id, replace=False)

    @extend_schema(
        tags=["business: inventory"],
        summary="Replace every row of the draft inventory (all or nothing)",
        parameters=[CERS_ID, IF_MATCH, IDEMPOTENCY_KEY, INCLUDE_GUIDANCE],
        request=InventoryRowsInSerializer,
        responses={200: s.RowsWrittenSerializer, **_errors(*WRITE_ERRORS)},
    )
    def put(self, request: Any, cers_id: int) -> Response:
        return self._save_rows(request, cers_id, replace=True)


class InventoryRow(WriteDraftView):
    element_code = Element.HAZARDOUS_MATERIALS_INVENTORY

    def _row(self, draft: Any, row_id: Any) -> Any:
        rows = inventory_rows(draft)
        row = next((r for r in rows if str(r.item.public_id) == str(row_id)), None)
        if row is None:
            raise Http404
        return row

    @extend_schema(
        tags=["business: inventory"],
        summary="One row of the draft inventory",
        parameters=[CERS_ID],
        responses={200: InventoryRowSerializer, **_errors(*READ_ERRORS)},
    )
    def get(self, request: Any, cers_id: int, row_id: Any) -> Response:
        draft = self.read_draft(cers_id)
        return Response(_row_dict(self._row(draft, row_id)), headers={"ETag": draft_etag(draft)})

    @extend_schema(
        tags=["business: inventory"],
        summary="Change one row (fields left out keep their value)",
        parameters=[CERS_ID, IF_MATCH, IDEMPOTENCY_KEY],
        request=InventoryRowIn,
        responses={200: InventoryRowSerializer, **_errors(*WRITE_ERRORS)},
    )
    def patch(self, request: Any, cers_id: int, row_id: Any) -> Response:
        draft = self.locked_draft(cers_id)
        data = json_object(request)
        unknown = [name for name in data if name not in FIELDS_BY_XML]
        if unknown:
            raise ApiError(
                _("Unknown field(s): %(names)s.") % {"names": ", ".join(map(str, unknown))},
                status_code=422,
                code="unknown_fields",
                errors=[
                    {
                        "code": "unknown_field",
                        "message": _("Not a field of an inventory row."),
                        "field": str(n),
                        "row": None,
                    }
                    for n in unknown
                ],
            )
        item = InventoryItem.objects.filter(element=draft, public_id=row_id).first()
        if item is None:
            raise Http404
        inventory_item_save(draft=draft, actor=self.api.user, data=data, item=item)
        return Response(_row_dict(self._row(draft, row_id)), headers={"ETag": draft_etag(draft)})

    @extend_schema(
        tags=["business: inventory"],
        summary="Delete one row",
        parameters=[CERS_ID, IF_MATCH],
        request=None,
        responses={204: None, **_errors(401, 403, 404, 409, 412, 428, 429)},
    )
    def delete(self, request: Any, cers_id: int, row_id: Any) -> Response:
        draft = self.locked_draft(cers_id)
        item = InventoryItem.objects.filter(element=draft, public_id=row_id).first()
        if item is None:
            raise Http404
        inventory_item_delete(item=item, actor=self.api.user)
        return Response(status=status.HTTP_204_NO_CONTENT, headers={"ETag": draft_etag(draft)})


# --- Documents -----------------------------------------------------------------------------------------------


def _document(draft: Any, slot: str) -> dict[str, Any]:
    for document in present.documents_list(draft):
        if document["slot"] == slot:
            return document
    raise Http404


class DraftDocuments(WriteDraftView):
    required_scopes = READ

    @extend_schema(
        tags=["business: documents"],
        summary="The draft's document slots and how each is provided",
        parameters=[CERS_ID, SLUG],
        responses={200: s.DocumentSerializer(many=True), **_errors(*READ_ERRORS)},
    )
    def get(self, request: Any, cers_id: int, slug: str) -> Response:
        draft = self.read_draft(cers_id, slug)
        return Response(present.documents_list(draft), headers={"ETag": draft_etag(draft)})


class DraftDocument(WriteDraftView):
    @extend_schema(
        tags=["business: documents"],
        summary="One document slot",
        parameters=[CERS_ID, SLUG],
        responses={200: s.DocumentSerializer, **_errors(*READ_ERRORS)},
    )
    def get(self, request: Any, cers_id: int, slug: str, slot: str) -> Response:
        draft = self.read_draft(cers_id, slug)
        return Response(_document(draft, slot), headers={"ETag": draft_etag(draft)})

    @extend_schema(
        tags=["business: documents"],
        summary="Choose how the document is provided (any option but upload removes uploaded files)",
        parameters=[CERS_ID, SLUG, IF_MATCH, IDEMPOTENCY_KEY],
        request=s.DocumentOptionSerializer,
        responses={200: s.DocumentSerializer, **_errors(*WRITE_ERRORS)},
    )
    def put(self, request: Any, cers_id: int, slug: str, slot: str) -> Response:
        draft = self.locked_draft(cers_id, slug)
        _document(draft, slot)
        choice = s.DocumentOptionSerializer(data=json_object(request))
        choice.is_valid(raise_exception=True)
        data = choice.validated_data
        document_set_option(
            element=draft,
            slot=slot,
            option=data["option"],
            actor=self.api.user,
            other_element=data.get("other_element"),
            date_provided=data.get("date_provided"),
            public_url=data.get("public_url", ""),
            comment=data.get("comment", ""),
            description=data.get("description", ""),
        )
        return Response(_document(draft, slot), headers={"ETag": draft_etag(draft)})


class DraftDocumentFiles(UploadMixin, WriteDraftView):
    @extend_schema(
        tags=["business: documents"],
        summary="Upload one or more files (multipart/form-data, field 'file'); all or nothing",
        parameters=[CERS_ID, SLUG, IF_MATCH, IDEMPOTENCY_KEY],
        request={"multipart/form-data": s.FileUploadSerializer},
        responses={201: s.DocumentSerializer, **_errors(*WRITE_ERRORS)},
    )
    def post(self, request: Any, cers_id: int, slug: str, slot: str) -> Response:
        draft = self.locked_draft(cers_id, slug)
        _document(draft, slot)
        files = request.FILES.getlist("file")
        document_files_upload(
            element=draft,
            slot=slot,
            actor=self.api.user,
            uploads=[Upload(f.name, f, f.size) for f in files],
        )
        return Response(_document(draft, slot), status=201, headers={"ETag": draft_etag(draft)})


class DraftDocumentFile(WriteDraftView):
    @extend_schema(
        tags=["business: documents"],
        summary="Remove one uploaded file",
        parameters=[CERS_ID, SLUG, IF_MATCH],
        request=None,
        responses={204: None, **_errors(401, 403, 404, 409, 412, 428, 429)},
    )
    def delete(self, request: Any, cers_id: int, slug: str, slot: str, file_id: Any) -> Response:
        draft = self.locked_draft(cers_id, slug)
        stored = (
            DocumentFile.objects.filter(document__element=draft, document__slot=slot, public_id=file_id)
            .select_related("document", "document__element")
            .first()
        )
        if stored is None:
            raise Http404
        document_file_remove(stored=stored, actor=self.api.user)
        return Response(status=status.HTTP_204_NO_CONTENT, headers={"ETag": draft_etag(draft)})


# --- Submission ------------------------------------------------------------------------------------------------


class Submittals(ApiView):
    required_scopes = {"POST": "business:submit"}

    @extend_schema(
        tags=["business"],
        summary="Certify and submit drafts to the regulator (an Approver's or Lead User's token)",
        parameters=[CERS_ID, IDEMPOTENCY_KEY],
        request=s.SubmitSerializer,
        responses={201: s.SubmittalSerializer, **_errors(400, 401, 403, 404, 409, 422, 429)},
    )
    def post(self, request: Any, cers_id: int) -> Response:
        facility = member_facility(self, cers_id, "facility:submit")
        form = s.SubmitSerializer(data=json_object(request))
        form.is_valid(raise_exception=True)
        data = form.validated_data
        codes = [_element_code(ref) for ref in data["elements"]]
        comments = {_element_code(ref): text for ref, text in (data.get("comments") or {}).items()}
        client = self.api.client
        submittal = services.facility_submit(
            facility=facility,
            actor=self.api.user,
            element_codes=codes,
            signer_name=data["signer_name"],
            signer_title=data["signer_title"],
            comments=comments,
            auth_strength=f"API token ({client.get_kind_display()})"[:40],
            origin=Origin.API,
            origin_detail=f"{client.name} ({client.token_prefix}…)",
        )
        elements = SubmittalElement.objects.filter(facility_submittal=submittal).select_related(
            "regulator", "submitted_by"
        )
        return Response(
            {
                "id": str(submittal.public_id),
                "facility": facility.cers_id,
                "submitted_at": submittal.submitted_at.isoformat(),
                "signer_name": submittal.signer_name,
                "signer_title": submittal.signer_title,
                "origin": submittal.origin,
                "elements": [present.version_summary(e) for e in elements.order_by("element")],
            },
            status=status.HTTP_201_CREATED,
        )


def _element_code(reference: str) -> int:
    reference = str(reference).strip()
    if reference.isdigit() and int(reference) in Element.values:
        return int(reference)
    element = ELEMENTS_BY_SLUG.get(reference)
    if element is None:
        raise DomainError(
            _("“%(ref)s” is not an element: use its slug (e.g. inventory) or number.") % {"ref": reference},
            field="elements",
        )
    return int(element)
