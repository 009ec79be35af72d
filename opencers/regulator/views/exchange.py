"""Regulator portal: the agency's data exchange: its transaction log, its API clients, facilities' channels.

* The transaction log (every call of the agency's clients, refused ones too) is open to every role of
  the agency (``regulator:view``): staff who look into what the county's system did need no admin rights.
* API clients (create, with the token shown once; revoke) and a facility's reporting channel are the
  agency's settings (``regulator:admin``).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from opencers.accounts.api_clients import (
    AGENCY_SCOPES,
    MAX_LIFETIME_DAYS,
    agency_client_create,
    api_client_revoke,
)
from opencers.accounts.models import ApiClient, ApiClientKind
from opencers.core.errors import DomainError
from opencers.core.forms import Form, apply_domain_error
from opencers.core.permissions import permission_required
from opencers.edt.channels import (
    channel_description,
    facility_regulators,
    local_portal_clients,
    reporting_channel_set,
)
from opencers.edt.models import EdtTransaction, TransactionStatus
from opencers.organizations.models import Facility, ReportingChannel
from opencers.organizations.selectors import facility_get_for_user
from opencers.regulators.models import Regulator
from opencers.regulators.selectors import regulator_get_for_user

SCOPE_LABELS = {
    "library": gettext_lazy("Libraries (chemicals, violations, data dictionary) and the authentication test"),
    "query": gettext_lazy("Query facility submittals, facilities, organizations and documents"),
    "cme": gettext_lazy("Inspections, violations and enforcement"),
    "action": gettext_lazy("Set the status of submitted elements (action notification)"),
    "facility_create": gettext_lazy("Create facilities"),
    "submittal_submit": gettext_lazy("Forward submittals made in a local portal (pass-through)"),
    "regulator:read": gettext_lazy("JSON API: read the review queue and submittals"),
    "regulator:act": gettext_lazy("JSON API: act on submitted elements"),
}


# --- The transaction log --------------------------------------------------------------------------------


class LogFilterForm(Form):
    endpoint = forms.ChoiceField(label=gettext_lazy("Service"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    client = forms.ChoiceField(label=gettext_lazy("Client"), required=False)
    key = forms.CharField(
        label=gettext_lazy("Transaction key (ours or yours)"), max_length=40, required=False
    )
    since = forms.DateField(
        label=gettext_lazy("On or after"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=gettext_lazy("On or before"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, regulator: Regulator, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        endpoints = (
            EdtTransaction.objects.filter(regulator=regulator)
            .order_by("endpoint")
            .values_list("endpoint", flat=True)
            .distinct()
        )
        cast(forms.ChoiceField, self.fields["endpoint"]).choices = [
            ("", gettext_lazy("All services")),
            *[(e, e) for e in endpoints],
        ]
        cast(forms.ChoiceField, self.fields["status"]).choices = [
            ("", gettext_lazy("All")),
            *TransactionStatus.choices,
        ]
        cast(forms.ChoiceField, self.fields["client"]).choices = [
            ("", gettext_lazy("All clients")),
            *[(str(c.public_id), c.name) for c in _agency_clients(regulator)],
        ]


def _agency_clients(regulator: Regulator) -> Any:
    return ApiClient.objects.filter(regulator=regulator, kind=ApiClientKind.AGENCY).order_by("-created_at")


@permission_required("regulator:view")
def exchange_log(request: HttpRequest, code: int) -> HttpResponse:
    """Every data exchange call of the agency's clients, newest first, with its messages."""
    regulator = regulator_get_for_user(user=request.user, code=code)
    form = LogFilterForm(request.GET or None, regulator=regulator)
    queryset = EdtTransaction.objects.filter(regulator=regulator).select_related("client")
    if form.is_valid():
        data = form.cleaned_data
        if data["endpoint"]:
            queryset = queryset.filter(endpoint=data["endpoint"])
        if data["status"]:
            queryset = queryset.filter(status=data["status"])
        if data["client"]:
            queryset = queryset.filter(client__public_id=data["client"])
        if data["key"]:
            key = data["key"].strip().strip("{}")
            condition = Q(regulator_transaction_key__iexact=key)
            if len(key) == 36:
                condition |= Q(key__iexact=key)
            queryset = queryset.filter(condition)
        if data["since"]:
            queryset = queryset.filter(started_at__date__gte=data["since"])
        if data["until"]:
            queryset = queryset.filter(started_at__date__lte=data["until"])
    page = Paginator(queryset.order_by("-started_at", "-id"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "regulator/exchange/log.html",
        {"regulator": regulator, "form": form, "page": page, "query": query.urlencode()},
    )


# --- API clients ----------------------------------------------------------------------------------------


class ClientForm(Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("The system that will use the token, e.g. “County inspection system”."),
    )
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("What it may do"),
        choices=[(scope, SCOPE_LABELS.get(scope, scope)) for scope in AGENCY_SCOPES],
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Give only what the system needs."),
    )
    expires_in_days = forms.IntegerField(
        label=gettext_lazy("Valid for (days)"), min_value=1, max_value=MAX_LIFETIME_DAYS, initial=365
    )


@permission_required("regulator:admin")
@require_http_methods(["GET", "POST"])
def api_clients(request: HttpRequest, code: int) -> HttpResponse:
    """The agency's clients; a new client's token is shown on this page once, and never again."""
    regulator = regulator_get_for_user(user=request.user, code=code, permission="regulator:admin")
    form = ClientForm(request.POST or None)
    token = ""
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created, token = agency_client_create(
                regulator=regulator, actor=request.user, **form.cleaned_data
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            form = ClientForm()
    response = render(
        request,
        "regulator/exchange/clients.html",
        {
            "regulator": regulator,
            "form": form,
            "clients": _agency_clients(regulator),
            "token": token,
            "created": created,
            "now": timezone.now(),
            "soon": timezone.now() + timedelta(days=30),
            "scope_labels": SCOPE_LABELS,
        },
    )
    if token:
        response["Cache-Control"] = "no-store"
    return response


@permission_required("regulator:admin")
@require_POST
def api_client_revoke_view(request: HttpRequest, code: int, public_id: str) -> HttpResponse:
    regulator = regulator_get_for_user(user=request.user, code=code, permission="regulator:admin")
    client = _agency_clients(regulator).filter(public_id=public_id).first()
    if client is None:
        raise Http404
    api_client_revoke(client=client, actor=request.user)
    messages.success(request, _("%(name)s can no longer use its token.") % {"name": client.name})
    return redirect("regulator:api_clients", code=code)


# --- A facility's reporting channel ---------------------------------------------------------------------


class ChannelForm(Form):
    channel = forms.ChoiceField(
        label=gettext_lazy("The business reports"),
        choices=[
            (ReportingChannel.BUSINESS_PORTAL, gettext_lazy("In the business portal")),
            (
                ReportingChannel.LOCAL_PORTAL,
                gettext_lazy("Through a local portal that forwards its submittals"),
            ),
        ],
        widget=forms.RadioSelect,
    )
    client = forms.ChoiceField(
        label=gettext_lazy("The local portal's client"),
        required=False,
        help_text=gettext_lazy("Only this client may then forward the facility's submittals."),
    )
    portal_name = forms.CharField(
        label=gettext_lazy("The local portal's name, as the business knows it"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("Shown to the business; the client's name when left empty."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Why (kept in the activity log)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, clients: list[ApiClient], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["client"]).choices = [
            ("", gettext_lazy("None (named only)")),
            *[(str(c.public_id), c.name) for c in clients],
        ]


def _facility(request: HttpRequest, regulator: Regulator, cers_id: int) -> Facility:
    facility = facility_get_for_user(user=request.user, cers_id=cers_id)
    if not facility_regulators(facility).filter(pk=regulator.pk).exists():
        raise Http404
    return facility


@permission_required("regulator:admin")
@require_http_methods(["GET", "POST"])
def facility_channel(request: HttpRequest, code: int, cers_id: int) -> HttpResponse:
    """Switch whether a facility reports here or through a local portal (one channel at a time)."""
    regulator = regulator_get_for_user(user=request.user, code=code, permission="regulator:admin")
    facility = _facility(request, regulator, cers_id)
    clients = local_portal_clients(regulator=regulator)
    form = ChannelForm(
        request.POST or None,
        clients=clients,
        initial={
            "channel": facility.reporting_channel,
            "client": str(facility.reporting_client.public_id) if facility.reporting_client_id else "",  # type: ignore[union-attr]
            "portal_name": facility.reporting_portal_name,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        client = next((c for c in clients if str(c.public_id) == data["client"]), None)
        try:
            reporting_channel_set(
                facility=facility,
                actor=request.user,
                regulator=regulator,
                channel=data["channel"],
                client=client,
                portal_name=data["portal_name"],
                reason=data["reason"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            facility.refresh_from_db()
            messages.success(
                request,
                _("%(facility)s now reports through: %(channel)s.")
                % {"facility": facility.name, "channel": channel_description(facility)},
            )
            return redirect("regulator:facility", code=code, cers_id=cers_id)
    return render(
        request,
        "regulator/exchange/channel.html",
        {
            "regulator": regulator,
            "facility": facility,
            "form": form,
            "current": channel_description(facility),
            "has_clients": bool(clients),
        },
    )


urlpatterns = [
    path("<int:code>/exchange/transactions/", exchange_log, name="exchange_log"),
    path("<int:code>/exchange/clients/", api_clients, name="api_clients"),
    path(
        "<int:code>/exchange/clients/<uuid:public_id>/revoke/",
        api_client_revoke_view,
        name="api_client_revoke",
    ),
    path(
        "<int:code>/facilities/<int:cers_id>/reporting-channel/",
        facility_channel,
        name="facility_channel",
    ),
]
