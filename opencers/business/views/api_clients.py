"""Business portal: API tokens. Personal tokens (act as you) and an organization's API clients (its own
systems, acting with the permission group their scopes need). A token is shown once, when it is made;
only its first characters are kept in view afterwards. See docs/api/authentication.md.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from opencers.accounts.api_clients import (
    BUSINESS_SCOPES,
    MAX_LIFETIME_DAYS,
    REGULATOR_SCOPES,
    api_client_revoke,
    organization_client_create,
    personal_token_create,
)
from opencers.accounts.models import ApiClient, ApiClientKind
from opencers.core.errors import DomainError
from opencers.core.forms import Form, apply_domain_error
from opencers.core.permissions import permission_required, user_has_global
from opencers.organizations.selectors import organization_get_for_user
from opencers.regulators.selectors import regulator_memberships_of

SCOPE_HELP = {
    "business:read": gettext_lazy("business:read: read facilities, drafts, statuses and regulator comments"),
    "business:write": gettext_lazy("business:write: change drafts, inventory rows and documents"),
    "business:submit": gettext_lazy("business:submit: certify and submit (Approver or Lead User)"),
    "regulator:read": gettext_lazy("regulator:read: review queue, facilities and submittals"),
    "regulator:act": gettext_lazy("regulator:act: set the status of submitted elements"),
}


class TokenForm(Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What will use it, e.g. “inventory sync script”."),
    )
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("What it may do (scopes)"), widget=forms.CheckboxSelectMultiple
    )
    expires_in_days = forms.IntegerField(
        label=gettext_lazy("Valid for (days)"),
        min_value=1,
        max_value=MAX_LIFETIME_DAYS,
        initial=90,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, scopes: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["scopes"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(scope, SCOPE_HELP[scope]) for scope in scopes]


def _personal_scopes(user: Any) -> tuple[str, ...]:
    agency = regulator_memberships_of(user=user).exists() or user_has_global(user, "state:view")
    return (*BUSINESS_SCOPES, *REGULATOR_SCOPES) if agency else BUSINESS_SCOPES


def _clients_page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, {"max_days": MAX_LIFETIME_DAYS, **context})


@permission_required("authenticated")
@require_http_methods(["GET", "POST"])
def personal_tokens(request: HttpRequest) -> HttpResponse:
    """The signed-in person's API tokens: make one (shown once), see and revoke the others."""
    scopes = _personal_scopes(request.user)
    form = TokenForm(request.POST or None, scopes=scopes, initial={"expires_in_days": 90})
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            _client, new_token = personal_token_create(
                user=request.user,  # type: ignore[arg-type]
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                expires_in_days=form.cleaned_data["expires_in_days"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            form = TokenForm(scopes=scopes, initial={"expires_in_days": 90})
    return _clients_page(
        request,
        "business/api_clients/personal.html",
        {
            "form": form,
            "new_token": new_token,
            "clients": ApiClient.objects.filter(
                kind=ApiClientKind.PERSONAL,
                identity=request.user,  # type: ignore[misc]
            ),
        },
    )


@permission_required("authenticated")
@require_POST
def personal_token_revoke(request: HttpRequest, public_id: str) -> HttpResponse:
    client = ApiClient.objects.filter(
        kind=ApiClientKind.PERSONAL,
        identity=request.user,  # type: ignore[misc]
        public_id=public_id,
    ).first()
    if client is None:
        raise Http404
    api_client_revoke(client=client, actor=request.user)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": client.name})
    return redirect("business:api_tokens")


@permission_required("organization:manage")
@require_http_methods(["GET", "POST"])
def organization_clients(request: HttpRequest, code: int) -> HttpResponse:
    """An organization's API clients (Lead Users): make one (its token shown once), see and revoke them."""
    organization = organization_get_for_user(user=request.user, code=code, permission="organization:manage")
    form = TokenForm(request.POST or None, scopes=BUSINESS_SCOPES, initial={"expires_in_days": 365})
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            _client, new_token = organization_client_create(
                organization=organization,
                actor=request.user,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                expires_in_days=form.cleaned_data["expires_in_days"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            form = TokenForm(scopes=BUSINESS_SCOPES, initial={"expires_in_days": 365})
    return _clients_page(
        request,
        "business/api_clients/organization.html",
        {
            "organization": organization,
            "form": form,
            "new_token": new_token,
            "clients": ApiClient.objects.filter(organization=organization, kind=ApiClientKind.ORGANIZATION),
        },
    )


@permission_required("organization:manage")
@require_POST
def organization_client_revoke(request: HttpRequest, code: int, public_id: str) -> HttpResponse:
    organization = organization_get_for_user(user=request.user, code=code, permission="organization:manage")
    client = ApiClient.objects.filter(
        organization=organization, kind=ApiClientKind.ORGANIZATION, public_id=public_id
    ).first()
    if client is None:
        raise Http404
    api_client_revoke(client=client, actor=request.user)
    messages.success(request, _("The API client “%(name)s” is revoked.") % {"name": client.name})
    return redirect("business:api_clients", code=code)


urlpatterns = [
    path("api-tokens/", personal_tokens, name="api_tokens"),
    path("api-tokens/<uuid:public_id>/revoke/", personal_token_revoke, name="api_token_revoke"),
    path("organizations/<int:code>/api-clients/", organization_clients, name="api_clients"),
    path(
        "organizations/<int:code>/api-clients/<uuid:public_id>/revoke/",
        organization_client_revoke,
        name="api_client_revoke",
    ),
]
