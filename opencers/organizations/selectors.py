"""Reads of organizations and facilities, always scoped to the acting user (DESIGN rule 2).

"Does not exist" and "not yours" both raise ``Http404``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.search import TrigramSimilarity
from django.db.models import Q, QuerySet
from django.http import Http404

from opencers.core.permissions import user_has_global
from opencers.organizations.models import (
    AccessRequest,
    AccessRequestStatus,
    DecidedBy,
    Facility,
    Membership,
    Organization,
    PermissionGroup,
)
from opencers.organizations.roles import groups_granting
from opencers.regulators.roles import roles_granting

NAME_SIMILARITY = 0.45


def organizations_for_user(*, user: Any, permission: str = "organization:view") -> QuerySet[Organization]:
    if not user.is_authenticated:
        return Organization.objects.none()
    if permission == "organization:view" and user_has_global(user, "state:view"):
        return Organization.objects.all()
    return Organization.objects.filter(
        memberships__user=user, memberships__group__in=groups_granting(permission)
    ).distinct()


def organization_get_for_user(*, user: Any, code: int, permission: str = "organization:view") -> Organization:
    organization = organizations_for_user(user=user, permission=permission).filter(code=code).first()
    if organization is None:
        raise Http404
    return organization


def _regulator_scope(user: Any, permission: str) -> Q:
    """Facilities owned (for any element) by a regulator where the user's role grants ``permission``."""
    roles = roles_granting(permission)
    if not roles:
        return Q(pk__in=[])
    return Q(routes__regulator__memberships__user=user, routes__regulator__memberships__role__in=roles) | Q(
        cupa__memberships__user=user, cupa__memberships__role__in=roles
    )


def facilities_for_user(*, user: Any, permission: str = "facility:view") -> QuerySet[Facility]:
    if not user.is_authenticated:
        return Facility.objects.none()
    if permission == "facility:view" and user_has_global(user, "state:view"):
        return Facility.objects.all()
    business = Q(
        organization__memberships__user=user, organization__memberships__group__in=groups_granting(permission)
    )
    matching = Facility.objects.filter(business | _regulator_scope(user, permission)).values("pk")
    return Facility.objects.filter(pk__in=matching)


def facility_get_for_user(*, user: Any, cers_id: int, permission: str = "facility:view") -> Facility:
    facility = (
        facilities_for_user(user=user, permission=permission)
        .select_related("organization", "county", "cupa")
        .filter(cers_id=cers_id)
        .first()
    )
    if facility is None:
        raise Http404
    return facility


def user_can(
    *, user: Any, permission: str, facility: Facility | None = None, organization: Organization | None = None
) -> bool:
    """Whether the user holds ``permission`` on the object (used to show or hide buttons)."""
    if facility is not None:
        return facilities_for_user(user=user, permission=permission).filter(pk=facility.pk).exists()
    if organization is not None:
        return organizations_for_user(user=user, permission=permission).filter(pk=organization.pk).exists()
    return False


def membership_of(*, user: Any, organization: Organization) -> Membership | None:
    return Membership.objects.filter(user=user, organization=organization).first()


def lead_users(*, organization: Organization) -> QuerySet[Any]:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(
        memberships__organization=organization,
        memberships__group=PermissionGroup.LEAD,
        is_active=True,
        is_service_account=False,
    )


def facility_search(
    *, cers_id: str = "", street: str = "", name: str = "", limit: int = 25
) -> QuerySet[Facility]:
    """Public facts only (name, address, CERS ID) for finding a site to request access to."""
    queryset = Facility.objects.filter(archived=False).select_related("organization")
    if cers_id:
        if not cers_id.strip().isdigit():
            return queryset.none()
        return queryset.filter(cers_id=int(cers_id.strip()))
    if street:
        normalized = " ".join(street.upper().split())
        queryset = queryset.filter(street__icontains=normalized)
    if name:
        queryset = (
            queryset.annotate(similarity=TrigramSimilarity("name", name))
            .filter(Q(name__icontains=name) | Q(similarity__gte=0.3))
            .order_by("-similarity", "name")
        )
    if not street and not name:
        return queryset.none()
    return queryset[:limit]


def facility_duplicates(*, address_key: str, name: str, zip_code: str) -> list[Facility]:
    """Existing facilities at the same washed address, or with a similar name in the same ZIP code."""
    same_address = Q(address_key=address_key)
    similar_name = Q(zip_code__startswith=zip_code[:5], similarity__gte=NAME_SIMILARITY)
    return list(
        Facility.objects.filter(archived=False)
        .annotate(similarity=TrigramSimilarity("name", name or ""))
        .filter(same_address | similar_name)
        .select_related("organization")
        .order_by("-similarity")[:20]
    )


def access_requests_to_decide(*, user: Any) -> QuerySet[AccessRequest]:
    """Pending requests the user may decide: as Lead User, as regulator staff, or as state help desk."""
    lead_orgs = Membership.objects.filter(user=user, group=PermissionGroup.LEAD).values("organization_id")
    scope = Q(routed_to=DecidedBy.LEAD, facility__organization_id__in=lead_orgs)
    admin_roles = roles_granting("regulator:admin")
    scope |= Q(
        routed_to=DecidedBy.REGULATOR,
        facility__cupa__memberships__user=user,
        facility__cupa__memberships__role__in=admin_roles,
    )
    if user_has_global(user, "state:admin"):
        scope |= Q(routed_to=DecidedBy.STATE)
    matching = AccessRequest.objects.filter(scope, status=AccessRequestStatus.PENDING).values("pk")
    return AccessRequest.objects.filter(pk__in=matching).select_related(
        "facility", "user", "facility__organization"
    )


def access_request_get_to_decide(*, user: Any, public_id: Any) -> AccessRequest:
    request = access_requests_to_decide(user=user).filter(public_id=public_id).first()
    if request is None:
        raise Http404
    return request
