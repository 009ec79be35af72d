"""Regulator portal: the review queue, one submitted element, actions (single and bulk), settings."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from opencers.core.elements import Element
from opencers.core.errors import DomainError
from opencers.core.forms import Form, apply_domain_error
from opencers.core.permissions import permission_required
from opencers.regulators.selectors import regulator_get_for_user, regulators_for_user
from opencers.submittals import services
from opencers.submittals.content import compare, element_content
from opencers.submittals.display import change_rows, content_sections
from opencers.submittals.models import SUBMITTED_STATUSES, LocalRequirement, Status, SubmittalElement
from opencers.submittals.registry import supported_elements
from opencers.submittals.selectors import regulator_element_get, review_queue

ACTION_CHOICES = [
    (Status.UNDER_REVIEW, gettext_lazy("Under review")),
    (Status.ACCEPTED, gettext_lazy("Accepted")),
    (
        Status.NOT_ACCEPTED,
        gettext_lazy("Not accepted (the business must correct and resubmit within 30 days)"),
    ),
    (Status.NOT_APPLICABLE, gettext_lazy("Not applicable")),
]


class QueueFilterForm(Form):
    element = forms.TypedChoiceField(
        label=gettext_lazy("Element"), coerce=int, empty_value=None, required=False
    )
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    submitted_from = forms.DateField(
        label=gettext_lazy("Submitted on or after"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    submitted_to = forms.DateField(
        label=gettext_lazy("Submitted on or before"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["element"].choices = [
            ("", gettext_lazy("All elements")),
            *[(int(e), e.label) for e in Element],
        ]
        self.fields["status"].choices = [
            ("", gettext_lazy("All statuses")),
            *[(s, Status(s).label) for s in SUBMITTED_STATUSES],
        ]


class ActionForm(Form):
    status = forms.ChoiceField(label=gettext_lazy("Action"), choices=ACTION_CHOICES, widget=forms.RadioSelect)
    comments = forms.CharField(
        label=gettext_lazy("Comments for the business"),
        max_length=1500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Required for Not accepted: say what must be corrected. For Accepted, say how it was reviewed (desk check, inspection…)."
        ),
    )


def _can_review(request: HttpRequest, regulator: object) -> bool:
    return (
        regulators_for_user(user=request.user, permission="regulator:review").filter(pk=regulator.pk).exists()
    )  # type: ignore[attr-defined]


@permission_required("regulator:view")
@require_http_methods(["GET", "POST"])
def queue(request: HttpRequest, code: int) -> HttpResponse:
    regulator = regulator_get_for_user(user=request.user, code=code)
    if request.method == "POST":
        if not _can_review(request, regulator):
            raise Http404
        ids = request.POST.getlist("selected")
        elements = SubmittalElement.objects.filter(
            regulator=regulator, public_id__in=ids, status__in=(Status.SUBMITTED, Status.UNDER_REVIEW)
        )
        if not ids:
            messages.error(request, _("Tick the elements to accept first."))
        else:
            try:
                accepted = services.elements_bulk_accept(
                    element_ids=[e.pk for e in elements],
                    reviewer=request.user,
                    comments=request.POST.get("comments", ""),
                )
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("%(n)d elements accepted.") % {"n": len(accepted)})
        return redirect(request.get_full_path())
    form = QueueFilterForm(request.GET or None)
    filters: dict[str, object] = {}
    if form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    queryset = review_queue(user=request.user, regulator=regulator, **filters)  # type: ignore[arg-type]
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "regulator/queue.html",
        {
            "regulator": regulator,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_review": _can_review(request, regulator),
        },
    )


@permission_required("regulator:view")
def element(request: HttpRequest, code: int, public_id: str) -> HttpResponse:
    regulator = regulator_get_for_user(user=request.user, code=code)
    version = regulator_element_get(user=request.user, regulator=regulator, public_id=public_id)
    content = element_content(version)
    previous = services.previous_version(version)
    changes = compare(element_content(previous) if previous else None, content, element=version.element)
    return render(
        request,
        "regulator/element.html",
        {
            "regulator": regulator,
            "facility": version.facility,
            "version": version,
            "element": Element(version.element),
            "sections": content_sections(version.element, content),
            "documents": version.documents.prefetch_related("files"),
            "guidance": services.guidance_of(version),
            "previous": previous,
            "changes": change_rows(changes),
            "digest_ok": services.element_digest_matches(version),
            "form": ActionForm(
                initial={
                    "status": version.status
                    if version.status in dict(ACTION_CHOICES)
                    else Status.UNDER_REVIEW,
                    "comments": version.action_comments,
                }
            ),
            "can_review": _can_review(request, regulator),
            "history": SubmittalElement.objects.filter(
                facility=version.facility, element=version.element, status__in=SUBMITTED_STATUSES
            ).order_by("-version"),
        },
    )


@permission_required("regulator:review")
@require_POST
def element_action(request: HttpRequest, code: int, public_id: str) -> HttpResponse:
    regulator = regulator_get_for_user(user=request.user, code=code, permission="regulator:review")
    version = regulator_element_get(user=request.user, regulator=regulator, public_id=public_id)
    form = ActionForm(request.POST)
    if form.is_valid():
        try:
            services.element_review(
                element_id=version.pk,
                reviewer=request.user,
                status=form.cleaned_data["status"],
                comments=form.cleaned_data["comments"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Saved. The business has been notified."))
            return redirect("regulator:element", code=code, public_id=public_id)
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("regulator:element", code=code, public_id=public_id)


class LocalRequirementForm(Form):
    element = forms.TypedChoiceField(label=gettext_lazy("Element"), coerce=int)
    title = forms.CharField(label=gettext_lazy("Document title"), max_length=150)
    description = forms.CharField(
        label=gettext_lazy("What it must contain"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    required = forms.BooleanField(label=gettext_lazy("Required for submission"), required=False, initial=True)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["element"].choices = [(int(e), e.label) for e in supported_elements()]


class DueDateForm(Form):
    hmbp_due_month = forms.TypedChoiceField(
        label=gettext_lazy("Month"),
        coerce=int,
        choices=[(m, date(2000, m, 1).strftime("%B")) for m in range(1, 13)],
    )
    hmbp_due_day = forms.IntegerField(label=gettext_lazy("Day"), min_value=1, max_value=31)


@permission_required("regulator:admin")
@require_http_methods(["GET", "POST"])
def settings_view(request: HttpRequest, code: int) -> HttpResponse:
    """The agency's annual HMBP due date and its locally required documents."""
    from opencers.submittals import settings_services

    regulator = regulator_get_for_user(user=request.user, code=code, permission="regulator:admin")
    due_form = DueDateForm(
        request.POST if request.POST.get("form") == "due" else None,
        initial={"hmbp_due_month": regulator.hmbp_due_month, "hmbp_due_day": regulator.hmbp_due_day},
    )
    local_form = LocalRequirementForm(request.POST if request.POST.get("form") == "local" else None)
    if request.method == "POST":
        try:
            if request.POST.get("form") == "due" and due_form.is_valid():
                settings_services.regulator_due_date_set(
                    regulator=regulator, actor=request.user, **due_form.cleaned_data
                )
                messages.success(request, _("The due date is saved."))
                return redirect("regulator:settings", code=code)
            if request.POST.get("form") == "local" and local_form.is_valid():
                settings_services.local_requirement_add(
                    regulator=regulator, actor=request.user, **local_form.cleaned_data
                )
                messages.success(request, _("The document is added to the element."))
                return redirect("regulator:settings", code=code)
            if request.POST.get("form") == "retire":
                requirement = LocalRequirement.objects.filter(
                    regulator=regulator, public_id=request.POST.get("requirement")
                ).first()
                if requirement is None:
                    raise Http404
                settings_services.local_requirement_retire(requirement=requirement, actor=request.user)
                messages.success(request, _("The document is no longer required."))
                return redirect("regulator:settings", code=code)
        except DomainError as error:
            apply_domain_error(due_form if request.POST.get("form") == "due" else local_form, error)
    return render(
        request,
        "regulator/settings.html",
        {
            "regulator": regulator,
            "due_form": due_form,
            "local_form": local_form,
            "requirements": regulator.local_requirements.filter(active=True),
        },
    )


urlpatterns = [
    path("<int:code>/queue/", queue, name="queue"),
    path("<int:code>/submittals/<uuid:public_id>/", element, name="element"),
    path("<int:code>/submittals/<uuid:public_id>/action/", element_action, name="element_action"),
    path("<int:code>/settings/", settings_view, name="settings"),
]
