"""The business portal: dashboard, organizations, people, facilities (add, search, request access)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from opencers.business import forms
from opencers.core.elements import ELEMENT_SLUGS
from opencers.core.errors import DomainError
from opencers.core.forms import apply_domain_error
from opencers.core.models import AuditEvent
from opencers.core.permissions import permission_required
from opencers.organizations import services
from opencers.organizations.addresses import WashedAddress
from opencers.organizations.models import AccessRequest, Facility, Invitation, Membership, PermissionGroup
from opencers.organizations.roles import GROUP_HELP
from opencers.organizations.selectors import (
    access_requests_to_decide,
    facilities_for_user,
    facility_duplicates,
    facility_get_for_user,
    facility_search,
    membership_of,
    organization_get_for_user,
    organizations_for_user,
    user_can,
)
from opencers.submittals.selectors import facility_elements

WIZARD_KEY = "add_facility"


@permission_required("authenticated")
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    facilities = (
        facilities_for_user(user=user)
        .select_related("organization", "cupa")
        .order_by("organization__name", "name")
    )
    memberships = (
        Membership.objects.filter(user=user)
        .select_related("organization")
        .annotate(facility_count=Count("organization__facilities"))
    )
    return render(
        request,
        "business/dashboard.html",
        {
            "facilities": facilities,
            "memberships": memberships,
            "to_decide": access_requests_to_decide(user=user),
            "my_requests": AccessRequest.objects.filter(user=user, status="pending").select_related(
                "facility"
            ),
        },
    )


# --- Organizations and people -------------------------------------------------------------------------


@permission_required("organization:view")
def organization(request: HttpRequest, code: int) -> HttpResponse:
    org = organization_get_for_user(user=request.user, code=code)
    return render(
        request,
        "business/organization.html",
        {
            "organization": org,
            "facilities": org.facilities.select_related("cupa").order_by("name"),
            "membership": membership_of(user=request.user, organization=org),
            "can_manage": user_can(user=request.user, permission="organization:manage", organization=org),
        },
    )


@permission_required("organization:manage")
@require_http_methods(["GET", "POST"])
def organization_edit(request: HttpRequest, code: int) -> HttpResponse:
    org = organization_get_for_user(user=request.user, code=code, permission="organization:manage")
    form = forms.OrganizationForm(
        request.POST or None, initial={"name": org.name, "headquarters": org.headquarters}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.organization_update(organization=org, actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The organization is saved."))
            return redirect("business:organization", code=org.code)
    return render(request, "business/organization_edit.html", {"organization": org, "form": form})


@permission_required("organization:manage")
@require_http_methods(["GET", "POST"])
def people(request: HttpRequest, code: int) -> HttpResponse:
    org = organization_get_for_user(user=request.user, code=code, permission="organization:manage")
    invite_form = forms.InviteForm(request.POST or None)
    if request.method == "POST" and invite_form.is_valid():
        try:
            services.invitation_create(
                organization=org,
                actor=request.user,  # type: ignore[arg-type]
                email=invite_form.cleaned_data["email"],
                group=invite_form.cleaned_data["group"],
            )
        except DomainError as error:
            apply_domain_error(invite_form, error)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invite_form.cleaned_data["email"]}
            )
            return redirect("business:people", code=org.code)
    return render(
        request,
        "business/people.html",
        {
            "organization": org,
            "memberships": org.memberships.filter(user__is_service_account=False)
            .select_related("user")
            .order_by("user__full_name"),
            "invitations": org.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True),
            "requests": access_requests_to_decide(user=request.user).filter(facility__organization=org),
            "invite_form": invite_form,
            "groups": PermissionGroup.choices,
            "group_help": [(PermissionGroup(key).label, text) for key, text in GROUP_HELP.items()],
        },
    )


def _membership_in(org_code: int, public_id: str, user: Any) -> Membership:
    org = organization_get_for_user(user=user, code=org_code, permission="organization:manage")
    membership = Membership.objects.filter(organization=org, public_id=public_id).first()
    if membership is None:
        raise Http404
    return membership


@permission_required("organization:manage")
@require_POST
def person_group(request: HttpRequest, code: int, public_id: str) -> HttpResponse:
    membership = _membership_in(code, public_id, request.user)
    form = forms.GroupForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the permission groups."))
    else:
        try:
            services.membership_change_group(
                membership_id=membership.pk, actor=request.user, group=form.cleaned_data["group"]
            )  # type: ignore[arg-type]
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("%(name)s is now %(group)s.")
                % {
                    "name": membership.user.full_name,
                    "group": PermissionGroup(form.cleaned_data["group"]).label,
                },
            )
    return redirect("business:people", code=code)


@permission_required("organization:manage")
@require_POST
def person_remove(request: HttpRequest, code: int, public_id: str) -> HttpResponse:
    membership = _membership_in(code, public_id, request.user)
    try:
        services.membership_remove(membership_id=membership.pk, actor=request.user)  # type: ignore[arg-type]
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("%(name)s was removed from the organization.") % {"name": membership.user.full_name}
        )
    return redirect("business:people", code=code)


@permission_required("organization:manage")
@require_POST
def invitation_revoke(request: HttpRequest, code: int, public_id: str) -> HttpResponse:
    org = organization_get_for_user(user=request.user, code=code, permission="organization:manage")
    invitation = Invitation.objects.filter(organization=org, public_id=public_id).first()
    if invitation is None:
        raise Http404
    services.invitation_revoke(invitation_id=invitation.pk, actor=request.user)  # type: ignore[arg-type]
    messages.success(request, _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email})
    return redirect("business:people", code=code)


@permission_required("organization:manage")
def organization_audit(request: HttpRequest, code: int) -> HttpResponse:
    org = organization_get_for_user(user=request.user, code=code, permission="organization:manage")
    page = Paginator(AuditEvent.objects.filter(organization_id=org.pk), 50).get_page(request.GET.get("page"))
    return render(request, "business/audit.html", {"organization": org, "page": page})


# --- Facilities --------------------------------------------------------------------------------------


@permission_required("authenticated")
@require_http_methods(["GET", "POST"])
def facility_add(request: HttpRequest) -> HttpResponse:
    """Wizard step 1: the address first (washed), and the name."""
    form = forms.FacilityAddressForm(
        request.POST or None, initial=request.session.get(WIZARD_KEY, {}).get("entered")
    )
    if request.method == "POST" and form.is_valid():
        try:
            washed = services.facility_address_wash(
                street=form.cleaned_data["street"],
                city=form.cleaned_data["city"],
                zip_code=form.cleaned_data["zip_code"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            request.session[WIZARD_KEY] = {
                "entered": form.cleaned_data,
                "washed": {
                    "entered": washed.entered,
                    "street": washed.street,
                    "city": washed.city,
                    "zip_code": washed.zip_code,
                    "county_name": washed.county_name,
                    "latitude": str(washed.latitude) if washed.latitude is not None else None,
                    "longitude": str(washed.longitude) if washed.longitude is not None else None,
                },
            }
            return redirect("business:facility_add_confirm")
    return render(request, "business/facility_add.html", {"form": form})


def _washed_from_session(data: dict[str, Any]) -> WashedAddress:
    from decimal import Decimal

    return WashedAddress(
        entered=data.get("entered", ""),
        street=data["street"],
        city=data["city"],
        zip_code=data["zip_code"],
        county_name=data["county_name"],
        latitude=Decimal(data["latitude"]) if data.get("latitude") else None,
        longitude=Decimal(data["longitude"]) if data.get("longitude") else None,
    )


@permission_required("authenticated")
@require_http_methods(["GET", "POST"])
def facility_add_confirm(request: HttpRequest) -> HttpResponse:
    """Wizard step 2: existing facilities at that address or with a similar name; confirm none matches."""
    state = request.session.get(WIZARD_KEY)
    if not state or "washed" not in state:
        return redirect("business:facility_add")
    washed = _washed_from_session(state["washed"])
    name = state["entered"]["name"]
    duplicates = facility_duplicates(address_key=washed.key, name=name, zip_code=washed.zip_code)
    mine = set(facilities_for_user(user=request.user).values_list("pk", flat=True))
    organizations = list(organizations_for_user(user=request.user, permission="facility:edit"))
    form = forms.FacilityConfirmForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        choice = form.cleaned_data["organization"]
        organization = (
            None if choice == "new" else next(org for org in organizations if str(org.code) == choice)
        )
        try:
            facility = services.facility_create(
                actor=request.user,  # type: ignore[arg-type]
                name=name,
                address=washed,
                organization=organization,
                new_organization_name=form.cleaned_data["new_organization_name"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            request.session.pop(WIZARD_KEY, None)
            messages.success(
                request,
                _("%(name)s is added with CERS ID %(cers_id)s.")
                % {"name": facility.name, "cers_id": facility.cers_id},
            )
            return redirect("business:facility", cers_id=facility.cers_id)
    return render(
        request,
        "business/facility_add_confirm.html",
        {"form": form, "washed": washed, "name": name, "duplicates": duplicates, "mine": mine},
    )


@permission_required("authenticated")
def facility_search_view(request: HttpRequest) -> HttpResponse:
    form = forms.FacilitySearchForm(request.GET or None)
    results: list[Facility] | None = None
    if form.is_valid() and any(form.cleaned_data.values()):
        results = list(facility_search(**form.cleaned_data))
    mine = set(facilities_for_user(user=request.user).values_list("pk", flat=True))
    return render(request, "business/facility_search.html", {"form": form, "results": results, "mine": mine})


@permission_required("facility:view")
def facility(request: HttpRequest, cers_id: int) -> HttpResponse:
    fac = facility_get_for_user(user=request.user, cers_id=cers_id)
    return render(
        request,
        "business/facility.html",
        {
            "facility": fac,
            "elements": facility_elements(fac),
            "slugs": ELEMENT_SLUGS,
            "routes": fac.routes.select_related("regulator"),
            "can_edit": user_can(user=request.user, permission="facility:edit", facility=fac),
            "can_submit": user_can(user=request.user, permission="facility:submit", facility=fac),
        },
    )


@permission_required("authenticated")
@require_http_methods(["GET", "POST"])
def facility_request_access(request: HttpRequest, cers_id: int) -> HttpResponse:
    """Any signed-in person may ask for access to a facility found by search (public facts only)."""
    fac = Facility.objects.filter(cers_id=cers_id, archived=False).select_related("organization").first()
    if fac is None:
        raise Http404
    if facilities_for_user(user=request.user).filter(pk=fac.pk).exists():
        return redirect("business:facility", cers_id=cers_id)
    user = request.user
    form = forms.AccessRequestForm(
        request.POST or None,
        initial={"title": getattr(user, "title", ""), "phone": getattr(user, "phone", "")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.access_request_create(user=user, facility=fac, **form.cleaned_data)  # type: ignore[arg-type]
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Your request is sent. You will get an e-mail when it is decided."))
            return redirect("business:dashboard")
    return render(request, "business/facility_request_access.html", {"facility": fac, "form": form})


@permission_required("authenticated")
@require_POST
def access_request_cancel(request: HttpRequest, public_id: str) -> HttpResponse:
    access = AccessRequest.objects.filter(public_id=public_id, user=request.user).first()
    if access is None:
        raise Http404
    try:
        services.access_request_cancel(request_id=access.pk, actor=request.user)  # type: ignore[arg-type]
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your request is cancelled."))
    return redirect(reverse("business:dashboard"))
