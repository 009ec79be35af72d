"""The regulator side of the JSON API: the review queue, facility search, submittal data, actions.

An agency client acts as its agency's service account, a personal token as the regulator who made it;
every read goes through the regulator selectors with ``user=api.user``, so another jurisdiction's
regulator code, facility or submittal answers 404. Drafts are never shown. Reads need
``regulator:read``; actions need ``regulator:act`` and a role that reviews (403 otherwise).
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from opencers.core.elements import ELEMENTS_BY_SLUG
from opencers.exchange.api import present
from opencers.exchange.api import serializers as s
from opencers.exchange.api.base import ApiView, json_object
from opencers.exchange.api.business import _errors, paginated
from opencers.organizations.models import Facility
from opencers.organizations.selectors import facilities_for_user
from opencers.regulators.selectors import regulator_get_for_user, regulators_for_user
from opencers.submittals import services
from opencers.submittals.models import SUBMITTED_STATUSES
from opencers.submittals.selectors import regulator_element_get, review_queue

READ = {"GET": "regulator:read"}
PAGE_SIZE = 100
CODE = OpenApiParameter("code", int, OpenApiParameter.PATH, description="The regulator's code, e.g. 3400.")
CERS_ID = OpenApiParameter("cers_id", int, OpenApiParameter.PATH, description="The facility's CERS ID.")
READ_ERRORS = (401, 403, 404, 429)


class QueueFilter(serializers.Serializer):
    element = serializers.CharField(required=False, help_text="An element slug or number.")
    status = serializers.ChoiceField(choices=list(SUBMITTED_STATUSES), required=False)
    submitted_from = serializers.DateField(required=False, help_text="Submitted on or after (YYYY-MM-DD).")
    submitted_to = serializers.DateField(required=False, help_text="Submitted on or before (YYYY-MM-DD).")
    page = serializers.IntegerField(required=False, min_value=1)

    def validate_element(self, value: str) -> int:
        value = value.strip()
        if value.isdigit() and 1 <= int(value) <= 10:
            return int(value)
        element = ELEMENTS_BY_SLUG.get(value)
        if element is None:
            raise serializers.ValidationError("Not an element: use its slug (e.g. inventory) or number.")
        return int(element)


class FacilitySearch(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="Part of the name or street, or a CERS ID.",
    )
    page = serializers.IntegerField(required=False, min_value=1)


def jurisdiction_facilities(user: Any, regulator: Any) -> Any:
    """Facilities the identity may see that are in the regulator's jurisdiction (its CUPA or routed to it)."""
    visible = facilities_for_user(user=user).values("pk")
    owned = Facility.objects.filter(Q(cupa=regulator) | Q(routes__regulator=regulator)).values("pk")
    return (
        Facility.objects.filter(pk__in=visible)
        .filter(pk__in=owned)
        .select_related("organization", "cupa")
        .order_by("name", "cers_id")
    )


def _queue_item(version: Any) -> dict[str, Any]:
    return {
        **present.version_summary(version),
        **present.element_names(version.element),
        "facility": present.facility_dict(version.facility),
    }


class RegulatorList(ApiView):
    required_scopes = READ

    @extend_schema(
        tags=["regulator"],
        summary="The regulators this token's identity belongs to",
        responses={200: s.RegulatorSerializer(many=True), **_errors(401, 403, 429)},
    )
    def get(self, request: Any) -> Response:
        regulators = regulators_for_user(user=self.api.user).order_by("code")
        return Response([{"code": r.code, "name": r.name, "kind": r.kind} for r in regulators])


class Queue(ApiView):
    required_scopes = READ

    @extend_schema(
        tags=["regulator"],
        summary="The review queue: submitted elements owned by the regulator, newest first",
        parameters=[CODE, QueueFilter],
        responses={200: paginated("QueuePage", s.QueueItemSerializer), **_errors(400, *READ_ERRORS)},
    )
    def get(self, request: Any, code: int) -> Response:
        regulator = regulator_get_for_user(user=self.api.user, code=code)
        filters = QueueFilter(data=request.query_params)
        filters.is_valid(raise_exception=True)
        options = {k: v for k, v in filters.validated_data.items() if k != "page"}
        queryset = review_queue(user=self.api.user, regulator=regulator, **options).select_related(
            "regulator", "facility__cupa"
        )
        page = Paginator(queryset, PAGE_SIZE).get_page(filters.validated_data.get("page", 1))
        return Response(
            present.page_of(
                [_queue_item(v) for v in page.object_list], page.paginator.count, page.number, PAGE_SIZE
            )
        )


class Facilities(ApiView):
    required_scopes = READ

    @extend_schema(
        tags=["regulator"],
        summary="Search the facilities of the jurisdiction by name, street or CERS ID",
        parameters=[CODE, FacilitySearch],
        responses={
            200: paginated("RegulatorFacilityPage", s.FacilitySerializer),
            **_errors(400, *READ_ERRORS),
        },
    )
    def get(self, request: Any, code: int) -> Response:
        regulator = regulator_get_for_user(user=self.api.user, code=code)
        search = FacilitySearch(data=request.query_params)
        search.is_valid(raise_exception=True)
        queryset = jurisdiction_facilities(self.api.user, regulator)
        q = (search.validated_data.get("q") or "").strip()
        if q:
            condition = Q(name__icontains=q) | Q(street__icontains=q.upper())
            if q.isdigit():
                condition |= Q(cers_id=int(q))
            queryset = queryset.filter(condition)
        page = Paginator(queryset, PAGE_SIZE).get_page(search.validated_data.get("page", 1))
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
        tags=["regulator"],
        summary="A facility of the jurisdiction: each element's latest submitted version and due date",
        parameters=[CODE, CERS_ID],
        responses={200: s.FacilityDetailSerializer, **_errors(*READ_ERRORS)},
    )
    def get(self, request: Any, code: int, cers_id: int) -> Response:
        regulator = regulator_get_for_user(user=self.api.user, code=code)
        facility = jurisdiction_facilities(self.api.user, regulator).filter(cers_id=cers_id).first()
        if facility is None:
            raise Http404
        return Response(present.facility_detail(facility, with_drafts=False))


class Submittal(ApiView):
    required_scopes = READ

    @extend_schema(
        tags=["regulator"],
        summary="One submitted element: content, documents, guidance at submission, status",
        parameters=[CODE],
        responses={200: s.VersionSerializer, **_errors(*READ_ERRORS)},
    )
    def get(self, request: Any, code: int, element_id: Any) -> Response:
        regulator = regulator_get_for_user(user=self.api.user, code=code)
        version = regulator_element_get(user=self.api.user, regulator=regulator, public_id=element_id)
        return Response(present.version_dict(version))


class SubmittalAction(ApiView):
    required_scopes = {"POST": "regulator:act"}

    @extend_schema(
        tags=["regulator"],
        summary="Set the regulator's status and comments (as in the portal; the business is notified)",
        parameters=[
            CODE,
            OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False),
        ],
        request=s.ReviewActionSerializer,
        responses={200: s.VersionSerializer, **_errors(400, 401, 403, 404, 409, 422, 429)},
    )
    def post(self, request: Any, code: int, element_id: Any) -> Response:
        regulator = regulator_get_for_user(user=self.api.user, code=code)
        version = regulator_element_get(user=self.api.user, regulator=regulator, public_id=element_id)
        action = s.ReviewActionSerializer(data=json_object(request))
        action.is_valid(raise_exception=True)
        services.element_review(
            element_id=version.pk,
            reviewer=self.api.user,
            status=action.validated_data["status"],
            comments=action.validated_data.get("comments", ""),
            agent_name=self.api.client.name if self.api.user.is_service_account else "",
        )
        version = regulator_element_get(user=self.api.user, regulator=regulator, public_id=element_id)
        return Response(present.version_dict(version))
