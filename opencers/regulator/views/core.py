"""The regulator portal: jurisdiction dashboard, facilities, staff, activity log; state overview."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from opencers.core.errors import DomainError
from opencers.core.forms import apply_domain_error
from opencers.core.models import AuditEvent
from opencers.core.permissions import permission_required, user_has_global
from opencers.organizations.models import Facility
from opencers.organizations.selectors import access_requests_to_decide, facility_get_for_user
from opencers.regulator import forms
from opencers.regulators import services
from opencers.regulators.models import Regulator, RegulatorMembership, RegulatorRole
from opencers.regulators.selectors import (
    regulator_get_for_user,
    regulator_memberships_of,
    regulators_for_user,
)
from opencers.submittals.selectors import facility_elements


def _jurisdiction_facilities(regulator: Regulator):  # type: ignore[no-untyped-def]
    ids = Facility.objects.filter(Q(cupa=regulator) | Q(routes__regulator=regulator)).values("pk")
    return Facility.objects.filter(pk__in=ids).select_related("organization")


@permission_required("regulator:view")
def dashboard(request: HttpRequest) -> HttpResponse:
    memberships = list(regulator_memberships_of(user=request.user))
    if not memberships and not user_has_global(request.user, "state:view"):
        raise Http404
    if len(memberships) == 1 and not request.user.state_role:  # type: ignore[union-attr]
        return redirect("regulator:home", code=memberships[0].regulator.code)
    return render(
        request,
        "regulator/dashboard.html",
        {
            "memberships": memberships,
            "is_state": user_has_global(request.user, "state:view"),
            "to_decide": access_requests_to_decide(user=request.user),
        },
    )


@permission_required("regulator:view")
def home(request: HttpRequest, code: int) -> HttpResponse:
    regulator = regulator_get_for_user(user=request.user, code=code)
    facilities = _jurisdiction_facilities(regulator)
    return render(
        request,
        "regulator/home.html",
        {
            "regulator": regulator,
            "facility_count": facilities.count(),
            "recent": facilities.order_by("-created_at")[:10],
            "to_decide": access_requests_to_decide(user=request.user).filter(facility__cupa=regulator),
            "is_admin": regulators_for_user(user=request.user, permission="regulator:admin")
            .filter(pk=regulator.pk)
            .exists(),
        },
    )


@permission_required("regulator:view")
def facilities(request: HttpRequest, code: int) -> HttpResponse:
    regulator = regulator_get_for_user(user=request.user, code=code)
    form = forms.FacilityFilterForm(request.GET or None)
    queryset = _jurisdiction_facilities(regulator).order_by("name")
    if form.is_valid() and form.cleaned_data["q"]:
        q = form.cleaned_data["q"].strip()
        condition = Q(name__icontains=q) | Q(street__icontains=q.upper())
        if q.isdigit():
            condition |= Q(cers_id=int(q))
        queryset = queryset.filter(condition)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "regulator/facilities.html",
        {
            "regulator": regulator,
            "form": form,
            "page": page,
            "query": request.GET.urlencode().replace("page=", "_="),
        },
    )


@permission_required("regulator:view")
def facility(request: HttpRequest, code: int, cers_id: int) -> HttpResponse:
    regulator = regulator_get_for_user(user=request.user, code=code)
    fac = facility_get_for_user(user=request.user, cers_id=cers_id)
    if not _jurisdiction_facilities(regulator).filter(pk=fac.pk).exists():
        raise Http404
    latest = {
        summary.element: summary.latest for summary in facility_elements(fac)
    }  # submitted versions only
    rows = [(route, latest.get(route.element)) for route in fac.routes.select_related("regulator")]
    is_admin = (
        regulators_for_user(user=request.user, permission="regulator:admin").filter(pk=regulator.pk).exists()
    )
    return render(
        request,
        "regulator/facility.html",
        {"regulator": regulator, "facility": fac, "rows": rows, "is_admin": is_admin},
    )


@permission_required("regulator:admin")
@require_http_methods(["GET", "POST"])
def staff(request: HttpRequest, code: int) -> HttpResponse:
    regulator = regulator_get_for_user(user=request.user, code=code, permission="regulator:admin")
    form = forms.StaffAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_add(regulator=regulator, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request, _("%(email)s is added to the staff.") % {"email": form.cleaned_data["email"]}
            )
            return redirect("regulator:staff", code=code)
    return render(
        request,
        "regulator/staff.html",
        {
            "regulator": regulator,
            "form": form,
            "memberships": regulator.memberships.filter(user__is_service_account=False)
            .select_related("user")
            .order_by("user__full_name"),
            "roles": RegulatorRole.choices,
        },
    )


def _staff_membership(request: HttpRequest, code: int, public_id: str) -> RegulatorMembership:
    regulator = regulator_get_for_user(user=request.user, code=code, permission="regulator:admin")
    membership = RegulatorMembership.objects.filter(regulator=regulator, public_id=public_id).first()
    if membership is None:
        raise Http404
    return membership


@permission_required("regulator:admin")
@require_POST
def staff_role(request: HttpRequest, code: int, public_id: str) -> HttpResponse:
    membership = _staff_membership(request, code, public_id)
    form = forms.RoleForm(request.POST)
    if form.is_valid():
        try:
            services.staff_change_role(
                membership_id=membership.pk, actor=request.user, role=form.cleaned_data["role"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The role is changed."))
    return redirect("regulator:staff", code=code)


@permission_required("regulator:admin")
@require_POST
def staff_remove(request: HttpRequest, code: int, public_id: str) -> HttpResponse:
    membership = _staff_membership(request, code, public_id)
    try:
        services.staff_remove(membership_id=membership.pk, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("%(name)s is removed from the staff.") % {"name": membership.user.full_name}
        )
    return redirect("regulator:staff", code=code)


@permission_required("regulator:view")
def audit(request: HttpRequest, code: int) -> HttpResponse:
    regulator = regulator_get_for_user(user=request.user, code=code)
    facility_ids = _jurisdiction_facilities(regulator).values("pk")
    events = AuditEvent.objects.filter(
        Q(facility_id__in=facility_ids) | Q(regulator_id=regulator.pk), business_only=False
    )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "regulator/audit.html", {"regulator": regulator, "page": page})


@permission_required("state:view")
def state_regulators(request: HttpRequest) -> HttpResponse:
    regulators = Regulator.objects.select_related("county").order_by("code")
    return render(request, "regulator/state_regulators.html", {"regulators": regulators})
