"""Business portal: elements of a facility (drafts, history, versions, changes) and the submit page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from opencers.core.elements import ELEMENT_SLUGS, ELEMENTS_BY_SLUG, Element
from opencers.core.errors import DomainError
from opencers.core.forms import Form, apply_domain_error
from opencers.core.permissions import permission_required
from opencers.organizations.selectors import facility_get_for_user, membership_of, user_can
from opencers.submittals import services
from opencers.submittals.content import compare, element_content
from opencers.submittals.display import change_rows, content_sections
from opencers.submittals.guidance import counts, has_required
from opencers.submittals.models import SubmittalElement
from opencers.submittals.registry import element_type
from opencers.submittals.rules import document_slots
from opencers.submittals.selectors import (
    draft_of,
    element_get_for_user,
    facility_elements,
    last_accepted_or_submitted,
    versions_of,
)


def _element(slug: str) -> Element:
    element = ELEMENTS_BY_SLUG.get(slug)
    if element is None or element_type(element) is None:
        raise Http404
    return element


def _is_member(request: HttpRequest, facility: Any) -> bool:
    return membership_of(user=request.user, organization=facility.organization) is not None


@permission_required("facility:view")
def element_overview(request: HttpRequest, cers_id: int, slug: str) -> HttpResponse:
    facility = facility_get_for_user(user=request.user, cers_id=cers_id)
    element = _element(slug)
    member = _is_member(request, facility)
    draft = draft_of(facility, element) if member else None
    guidance = services.guidance_of(draft) if draft else []
    etype = element_type(element)
    return render(
        request,
        "business/element_overview.html",
        {
            "facility": facility,
            "element": element,
            "slug": slug,
            "draft": draft,
            "guidance": guidance,
            "guidance_counts": counts(guidance),
            "blocked": has_required(guidance),
            "versions": versions_of(facility, element),
            "source": last_accepted_or_submitted(facility, element),
            "can_edit": member and user_can(user=request.user, permission="facility:edit", facility=facility),
            "can_submit": member
            and user_can(user=request.user, permission="facility:submit", facility=facility),
            "edit_url": reverse(etype.edit_url_name, kwargs={"cers_id": cers_id})
            if etype and etype.edit_url_name
            else "",
            "slots": document_slots(draft) if draft else [],
        },
    )


@permission_required("facility:edit")
@require_POST
def element_start_draft(request: HttpRequest, cers_id: int, slug: str) -> HttpResponse:
    """Start a draft: empty, or a copy of a submitted version (the last accepted one by default)."""
    facility = facility_get_for_user(user=request.user, cers_id=cers_id, permission="facility:edit")
    element = _element(slug)
    source_id = request.POST.get("source", "")
    try:
        if source_id:
            source = SubmittalElement.objects.filter(
                facility=facility, element=element, public_id=source_id
            ).first()
            if source is None:
                raise Http404
            services.draft_start_from(
                facility=facility,
                element=element,
                source=source,
                actor=request.user,
                replace=request.POST.get("replace") == "1",
            )
            messages.success(
                request, _("A new draft was started from version %(version)s.") % {"version": source.version}
            )
        else:
            services.draft_get_or_create(facility=facility, element=element, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("business:element", cers_id=cers_id, slug=slug)


@permission_required("facility:edit")
@require_POST
def element_discard(request: HttpRequest, cers_id: int, slug: str) -> HttpResponse:
    facility = facility_get_for_user(user=request.user, cers_id=cers_id, permission="facility:edit")
    draft = draft_of(facility, _element(slug))
    if draft is None:
        raise Http404
    services.draft_discard(draft=draft, actor=request.user)
    messages.success(request, _("The draft was discarded."))
    return redirect("business:element", cers_id=cers_id, slug=slug)


class NotApplicableForm(Form):
    not_applicable = forms.BooleanField(
        label=gettext_lazy("This element does not apply to the facility"), required=False
    )
    reason = forms.CharField(
        label=gettext_lazy("Why it does not apply"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@permission_required("facility:edit")
@require_http_methods(["GET", "POST"])
def element_not_applicable(request: HttpRequest, cers_id: int, slug: str) -> HttpResponse:
    facility = facility_get_for_user(user=request.user, cers_id=cers_id, permission="facility:edit")
    element = _element(slug)
    draft = (
        services.draft_get_or_create(facility=facility, element=element, actor=request.user)
        if request.method == "POST"
        else draft_of(facility, element)
    )
    form = NotApplicableForm(
        request.POST or None,
        initial={
            "not_applicable": draft.not_applicable if draft else False,
            "reason": draft.not_applicable_reason if draft else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.draft_mark_not_applicable(
                draft=draft,
                actor=request.user,
                not_applicable=form.cleaned_data["not_applicable"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("business:element", cers_id=cers_id, slug=slug)
    return render(
        request,
        "business/element_not_applicable.html",
        {"facility": facility, "element": element, "slug": slug, "form": form},
    )


@permission_required("facility:view")
def element_version(request: HttpRequest, cers_id: int, public_id: str) -> HttpResponse:
    """One version of an element, read-only: data, documents, guidance, regulator action, changes."""
    version = element_get_for_user(user=request.user, cers_id=cers_id, public_id=public_id)
    content = element_content(version)
    previous = services.previous_version(version)
    changes = compare(element_content(previous) if previous else None, content, element=version.element)
    return render(
        request,
        "business/element_version.html",
        {
            "facility": version.facility,
            "version": version,
            "element": Element(version.element),
            "slug": ELEMENT_SLUGS[Element(version.element)],
            "sections": content_sections(version.element, content),
            "documents": version.documents.prefetch_related("files"),
            "guidance": services.guidance_of(version),
            "previous": previous,
            "changes": change_rows(changes),
            "digest_ok": services.element_digest_matches(version) if not version.is_draft else None,
        },
    )


class SubmitForm(Form):
    signer_name = forms.CharField(label=gettext_lazy("Your name (the signer)"), max_length=80)
    signer_title = forms.CharField(label=gettext_lazy("Your title"), max_length=50)
    certify = forms.BooleanField(label=gettext_lazy("I certify the statement above"))


@permission_required("facility:submit")
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, cers_id: int) -> HttpResponse:
    """The submit page: each element ready or needing review; tick, comment, certify, submit."""
    facility = facility_get_for_user(user=request.user, cers_id=cers_id, permission="facility:submit")
    summaries = facility_elements(facility)
    for summary in summaries:
        if summary.draft is not None:
            summary.guidance = services.guidance_of(summary.draft)
    user = request.user
    form = SubmitForm(
        request.POST or None, initial={"signer_name": user.full_name, "signer_title": user.title}
    )  # type: ignore[union-attr]
    chosen = [int(code) for code in request.POST.getlist("elements") if code.isdigit()]
    if request.method == "POST" and form.is_valid():
        comments = {code: request.POST.get(f"comment_{code}", "") for code in chosen}
        try:
            submittal = services.facility_submit(
                facility=facility,
                actor=user,
                element_codes=chosen,
                signer_name=form.cleaned_data["signer_name"],
                signer_title=form.cleaned_data["signer_title"],
                comments=comments,
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Submitted to your regulator on %(when)s. You will get an e-mail when they act on it.")
                % {"when": submittal.submitted_at.strftime("%Y-%m-%d %H:%M")},
            )
            return redirect("business:facility", cers_id=cers_id)
    return render(
        request,
        "business/submit.html",
        {
            "facility": facility,
            "summaries": summaries,
            "form": form,
            "chosen": chosen,
            "certification_text": services.CERTIFICATION_TEXT,
            "slugs": ELEMENT_SLUGS,
        },
    )


urlpatterns = [
    path("facilities/<int:cers_id>/submit/", submit, name="submit"),
    path("facilities/<int:cers_id>/elements/<slug:slug>/", element_overview, name="element"),
    path("facilities/<int:cers_id>/elements/<slug:slug>/start/", element_start_draft, name="element_start"),
    path("facilities/<int:cers_id>/elements/<slug:slug>/discard/", element_discard, name="element_discard"),
    path(
        "facilities/<int:cers_id>/elements/<slug:slug>/not-applicable/",
        element_not_applicable,
        name="element_not_applicable",
    ),
    path("facilities/<int:cers_id>/versions/<uuid:public_id>/", element_version, name="element_version"),
]
