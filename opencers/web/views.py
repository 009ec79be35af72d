"""Public pages, sign-up and sign-in, the account, messages, access-request decisions, operations."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language as django_set_language

from opencers.accounts import mfa as mfa_services
from opencers.accounts import services as account_services
from opencers.accounts.models import User
from opencers.accounts.sessions import (
    MFA_PENDING_AT,
    MFA_PENDING_USER,
    reauth_is_recent,
    reauth_record,
    session_start,
)
from opencers.accounts.tokens import TokenInvalid
from opencers.core.errors import DomainError
from opencers.core.forms import apply_domain_error
from opencers.core.net import client_ip
from opencers.core.permissions import permission_required
from opencers.notifications.models import EmailMessage
from opencers.notifications.selectors import emails_for_user, notifications_for_user
from opencers.notifications.services import notifications_mark_read
from opencers.organizations import services as org_services
from opencers.organizations.models import AccessRequestStatus, PermissionGroup
from opencers.organizations.selectors import access_request_get_to_decide
from opencers.web import forms

MFA_PENDING_SECONDS = 300


def _safe_next(request: HttpRequest, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def reauth_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Ask for the password again before changing e-mail, password or two-step sign-in."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not reauth_is_recent(request):
            return redirect(reverse("web:reauth") + "?" + urlencode({"next": request.get_full_path()}))
        return view(request, *args, **kwargs)

    return wrapper


# --- Public and operations ----------------------------------------------------------------------------


@permission_required("public")
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html")


@permission_required("public")
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Database and job-queue status: 200 when the database answers, 503 when it does not."""
    status: dict[str, Any] = {"database": "ok", "queue": "ok"}
    code = 200
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.execute(
                "SELECT count(*) FILTER (WHERE status = 'todo'), count(*) FILTER (WHERE status = 'doing'), "
                "(SELECT count(*) FROM procrastinate_workers WHERE last_heartbeat > now() - interval '1 minute') "
                "FROM procrastinate_jobs"
            )
            todo, doing, workers = cursor.fetchone()
            status["queue_detail"] = {"waiting": todo, "running": doing, "live_workers": workers}
    except Exception as exc:  # any database failure means "not healthy"
        status = {"database": "unavailable", "queue": "unknown", "error": type(exc).__name__}
        code = 503
    return JsonResponse(status, status=code)


@permission_required("public")
def set_language(request: HttpRequest) -> HttpResponse:
    return django_set_language(request)


# --- Sign-up, activation, sign-in ----------------------------------------------------------------------


@permission_required("public")
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("web:dashboard")
    form = forms.SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account_services.user_sign_up(
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            request.session["signup_email"] = form.cleaned_data["email"]
            return redirect("web:signup_done")
    return render(request, "web/signup.html", {"form": form})


@permission_required("public")
def signup_done(request: HttpRequest) -> HttpResponse:
    return render(request, "web/signup_done.html", {"email": request.session.get("signup_email", "")})


@permission_required("public")
@require_http_methods(["GET", "POST"])
def activate(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (mail scanners that follow links must not use the token); POST activates."""
    if request.method == "POST":
        try:
            account_services.user_activate(token=token)
        except TokenInvalid as error:
            return render(
                request,
                "web/activate.html",
                {"error": error.message, "expired": error.code == "expired"},
                status=400,
            )
        messages.success(request, _("Your account is active. Sign in to continue."))
        return redirect("web:login")
    return render(request, "web/activate.html", {"token": token})


@permission_required("public")
@require_http_methods(["GET", "POST"])
def activation_resend(request: HttpRequest) -> HttpResponse:
    form = forms.EmailForm(request.POST or None, initial={"email": request.GET.get("email", "")})
    if request.method == "POST" and form.is_valid():
        account_services.activation_resend(email=form.cleaned_data["email"])
        return render(request, "web/activation_resent.html", {"email": form.cleaned_data["email"]})
    return render(request, "web/activation_resend.html", {"form": form})


@permission_required("public")
@require_http_methods(["GET", "POST"])
@never_cache
def login(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(_safe_next(request, reverse("web:dashboard")))
    form = forms.LoginForm(request.POST or None)
    context: dict[str, Any] = {"form": form, "next": _safe_next(request, "")}
    if request.method == "POST" and form.is_valid():
        result = account_services.user_sign_in(
            email=form.cleaned_data["email"], password=form.cleaned_data["password"], ip=client_ip(request)
        )
        if result.user is not None and result.needs_mfa:
            request.session.cycle_key()
            request.session[MFA_PENDING_USER] = result.user.pk
            request.session[MFA_PENDING_AT] = int(time.time())
            return redirect(reverse("web:login_mfa") + "?" + urlencode({"next": context["next"]}))
        if result.user is not None:
            session_start(request, result.user)
            return redirect(_safe_next(request, reverse("web:dashboard")))
        form.add_error(None, result.error)
        context["not_activated"] = result.not_activated
        return render(request, "web/login.html", context, status=429 if result.throttle else 200)
    return render(request, "web/login.html", context)


@permission_required("public")
@require_http_methods(["GET", "POST"])
@never_cache
def login_mfa(request: HttpRequest) -> HttpResponse:
    user_id = request.session.get(MFA_PENDING_USER)
    started = int(request.session.get(MFA_PENDING_AT, 0))
    if not user_id or time.time() - started > MFA_PENDING_SECONDS:
        messages.info(request, _("Please sign in again."))
        return redirect("web:login")
    user = User.objects.get(pk=user_id)
    form = forms.CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = account_services.user_sign_in_second_step(
            user=user, code=form.cleaned_data["code"], ip=client_ip(request)
        )
        if result.user is not None:
            session_start(request, result.user)
            return redirect(_safe_next(request, reverse("web:dashboard")))
        form.add_error("code", result.error)
    return render(request, "web/login_mfa.html", {"form": form, "next": _safe_next(request, "")})


@permission_required("public")
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("You are signed out."))
    return redirect("web:home")


@permission_required("public")
@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    form = forms.EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        account_services.password_reset_request(email=form.cleaned_data["email"])
        return render(request, "web/password_reset_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "web/password_reset.html", {"form": form})


@permission_required("public")
@require_http_methods(["GET", "POST"])
def password_reset_confirm(request: HttpRequest, token: str) -> HttpResponse:
    form = forms.NewPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account_services.password_reset_complete(token=token, new_password=form.cleaned_data["password"])
        except TokenInvalid as error:
            return render(request, "web/password_reset_confirm.html", {"invalid": error.message}, status=400)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Your password is changed. Sign in with the new password."))
            return redirect("web:login")
    try:
        account_services.password_reset_token_check(token=token)
    except TokenInvalid as error:
        return render(request, "web/password_reset_confirm.html", {"invalid": error.message}, status=400)
    return render(request, "web/password_reset_confirm.html", {"form": form})


# --- The account -------------------------------------------------------------------------------------


@permission_required("authenticated")
def dashboard(request: HttpRequest) -> HttpResponse:
    """Regulator and state staff land on their jurisdiction, everyone else on their facilities."""
    if request.user.is_agency_staff:  # type: ignore[union-attr]
        return redirect("regulator:dashboard")
    return redirect("business:dashboard")


@permission_required("authenticated")
@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = forms.ProfileForm(
        request.POST or None, initial={"full_name": user.full_name, "title": user.title, "phone": user.phone}
    )
    if request.method == "POST" and form.is_valid():
        account_services.profile_update(user=user, **form.cleaned_data)
        messages.success(request, _("Your details are saved."))
        return redirect("web:account")
    return render(
        request,
        "web/account.html",
        {
            "form": form,
            "recovery_codes_left": mfa_services.recovery_codes_left(user) if user.mfa_enabled else None,
        },
    )


@permission_required("authenticated")
@require_http_methods(["GET", "POST"])
def reauth(request: HttpRequest) -> HttpResponse:
    form = forms.ConfirmPasswordForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        result = account_services.user_reauthenticate(
            user=request.user,  # type: ignore[arg-type]
            password=form.cleaned_data["password"],
            ip=client_ip(request),
        )
        if result.user is not None:
            reauth_record(request)
            return redirect(_safe_next(request, reverse("web:account")))
        form.add_error("password", result.error)
        status = 429 if result.throttle else 200
    return render(request, "web/reauth.html", {"form": form, "next": _safe_next(request, "")}, status=status)


@permission_required("authenticated")
@require_http_methods(["GET", "POST"])
@reauth_required
def password_change(request: HttpRequest) -> HttpResponse:
    form = forms.PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user: User = request.user  # type: ignore[assignment]
        try:
            account_services.password_change(
                user=user,
                current_password=form.cleaned_data["current_password"],
                new_password=form.cleaned_data["password"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            update_session_auth_hash(request, user)  # this session stays; every other session ends
            messages.success(request, _("Your password is changed. You were signed out everywhere else."))
            return redirect("web:account")
    return render(request, "web/password_change.html", {"form": form})


@permission_required("authenticated")
@require_http_methods(["GET", "POST"])
@reauth_required
def email_change(request: HttpRequest) -> HttpResponse:
    form = forms.EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account_services.email_change_request(user=request.user, new_email=form.cleaned_data["email"])  # type: ignore[arg-type]
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request,
                _("We sent a confirmation link to %(email)s. Your address changes when you open it.")
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("web:account")
    return render(request, "web/email_change.html", {"form": form})


@permission_required("public")
@require_http_methods(["GET", "POST"])
def email_change_confirm(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        try:
            account_services.email_change_confirm(token=token)
        except DomainError as error:
            return render(request, "web/email_change_confirm.html", {"error": error.message}, status=400)
        messages.success(request, _("Your e-mail address is changed."))
        return redirect("web:account" if request.user.is_authenticated else "web:login")
    return render(request, "web/email_change_confirm.html", {"token": token})


@permission_required("authenticated")
@require_http_methods(["GET", "POST"])
def mfa_setup(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if user.mfa_enabled:
        return redirect("web:account")
    if not user.is_agency_staff and not reauth_is_recent(request):
        return redirect(reverse("web:reauth") + "?" + urlencode({"next": request.get_full_path()}))
    form = forms.CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = mfa_services.mfa_enrollment_confirm(user=user, code=form.cleaned_data["code"])
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            return render(request, "web/mfa_recovery_codes.html", {"codes": codes})
    device = mfa_services.mfa_enrollment_pending(user=user)
    return render(
        request,
        "web/mfa_setup.html",
        {
            "form": form,
            "secret": device.secret,
            "qr_svg": mfa_services.provisioning_qr_svg(device),
        },
    )


@permission_required("authenticated")
@require_POST
@reauth_required
def mfa_disable(request: HttpRequest) -> HttpResponse:
    try:
        mfa_services.mfa_disable(user=request.user)  # type: ignore[arg-type]
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Two-step sign-in is off."))
    return redirect("web:account")


@permission_required("authenticated")
@require_POST
@reauth_required
def mfa_recovery_codes(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not user.mfa_enabled:
        raise Http404
    codes = mfa_services.recovery_codes_regenerate(user=user)
    return render(request, "web/mfa_recovery_codes.html", {"codes": codes, "regenerated": True})


@permission_required("authenticated")
def email_history(request: HttpRequest) -> HttpResponse:
    page = Paginator(emails_for_user(user=request.user), 25).get_page(request.GET.get("page"))
    return render(request, "web/email_history.html", {"page": page})


@permission_required("authenticated")
def email_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    message = get_object_or_404(emails_for_user(user=request.user), public_id=public_id)
    return render(
        request, "web/email_detail.html", {"message": message, "back": reverse("web:email_history")}
    )


@permission_required("authenticated")
@require_http_methods(["GET", "POST"])
def notifications(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        notifications_mark_read(user=request.user)
        return redirect("web:notifications")
    page = Paginator(notifications_for_user(user=request.user), 25).get_page(request.GET.get("page"))
    return render(request, "web/notifications.html", {"page": page})


# --- Access requests and invitations ------------------------------------------------------------------


@permission_required("authenticated")
@require_http_methods(["GET", "POST"])
def access_request(request: HttpRequest, public_id: str) -> HttpResponse:
    """A Lead User (or the regulator, or the state help desk) accepts or rejects a request."""
    access = access_request_get_to_decide(user=request.user, public_id=public_id)
    form = forms.AccessDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            org_services.access_request_decide(
                request_id=access.pk,
                actor=request.user,  # type: ignore[arg-type]
                accept=form.cleaned_data["decision"] == "accept",
                group=form.cleaned_data["group"] or PermissionGroup.VIEWER,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Your decision is recorded and %(name)s has been told by e-mail.")
                % {"name": access.user.full_name},
            )
            return redirect("web:dashboard")
    return render(
        request,
        "web/access_request.html",
        {"access": access, "form": form, "pending": access.status == AccessRequestStatus.PENDING},
    )


@permission_required("public")
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invite = org_services.invitation_find(token=token)
    except DomainError as error:
        return render(request, "web/invitation.html", {"error": error.message}, status=400)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(reverse("web:login") + "?" + urlencode({"next": request.get_full_path()}))
        try:
            org_services.invitation_accept(token=token, user=request.user)  # type: ignore[arg-type]
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(request.get_full_path())
        messages.success(request, _("You joined %(org)s.") % {"org": invite.organization.name})
        return redirect("business:organization", code=invite.organization.code)
    return render(request, "web/invitation.html", {"invite": invite, "token": token})


# --- Development outbox ------------------------------------------------------------------------------


@permission_required("dev")
def outbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(EmailMessage.objects.all(), 50).get_page(request.GET.get("page"))
    return render(request, "web/outbox.html", {"page": page})


@permission_required("dev")
def outbox_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    message = get_object_or_404(EmailMessage, public_id=public_id)
    return render(
        request, "web/email_detail.html", {"message": message, "back": reverse("web:outbox"), "dev": True}
    )
