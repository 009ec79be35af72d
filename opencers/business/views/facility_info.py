"""Business portal: the Facility Information element (Business Activities, Owner/Operator Identification).

* ``business:facility_info``: the draft's two parts with their completion state, the elements the
  answers make required and the guidance messages. Members of the business only (drafts are never shown to
  regulators). Starting the draft is a POST (an Editor or above); a GET never writes.
* ``business:facility_info_activities`` and ``business:facility_info_owner``: the two forms (Editor and
  above). Fields come from the element's field tables; the save services parse and check every value and
  report all problems at once, each next to its field.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from opencers.core.elements import ELEMENT_SLUGS, Element
from opencers.core.errors import DomainError
from opencers.core.forms import Form, apply_domain_error
from opencers.core.permissions import permission_required
from opencers.elements.facility_info import services as facility_info_services
from opencers.elements.facility_info.element import applicable_elements
from opencers.elements.facility_info.fields import (
    ACTIVITY_QUESTIONS,
    BUSINESS_ACTIVITIES_FIELDS,
    GROUP_LABELS,
    OWNER_OPERATOR_FIELDS,
    SITE,
)
from opencers.elements.facility_info.models import BusinessActivities, OwnerOperator
from opencers.elements.fields import YES_NO, YESNO, FieldSpec, content_of, form_field
from opencers.organizations.models import Facility
from opencers.organizations.selectors import facility_get_for_user, membership_of, user_can
from opencers.submittals import services as submittal_services
from opencers.submittals.guidance import REQUIRED, WARNING, Guidance, counts
from opencers.submittals.models import SubmittalElement
from opencers.submittals.selectors import draft_of, last_accepted_or_submitted

FI = Element.FACILITY_INFORMATION
ACTIVITIES, OWNER = "activities", "owner"

# The Business Activities questions, grouped for people (XML names, in the order of the field table).
QUESTION_GROUPS: tuple[tuple[Any, tuple[str, ...]], ...] = (
    (gettext_lazy("Hazardous materials"), ("HMOnSite", "CalARPRegulatedSubstances")),
    (gettext_lazy("Storage tanks"), ("OwnOrOperateUST", "OwnOrOperateAPST")),
    (
        gettext_lazy("Hazardous waste"),
        (
            "HWGenerator",
            "Recycle",
            "OnsiteHWTreatment",
            "FinancialAssurance",
            "RWConsolidationSite",
            "HWTankClosure",
            "RCRALargeQuantityGenerator",
            "HHWCollection",
        ),
    ),
    (gettext_lazy("Comments"), ("Comments",)),
)
REQUIRED_BY_YES = {xml: elements for xml, _updd, _question, _help, elements in ACTIVITY_QUESTIONS}


# --- Forms ---------------------------------------------------------------------------------------------


class DraftForm(Form):
    """A form over a field table. Fields needed for submission carry the required mark, but a draft may be
    saved incomplete: the guidance lists what is missing. Values are parsed by the save service."""

    use_required_attribute = False

    def full_clean(self) -> None:
        marked = [name for name, form_field_ in self.fields.items() if form_field_.required]
        for name in marked:
            self.fields[name].required = False
        try:
            super().full_clean()
        finally:
            for name in marked:
                self.fields[name].required = True


def _widget_hints(spec: FieldSpec, form_field_: forms.Field) -> None:
    """Phone-friendly keyboards and browser autofill off for other people's contact details."""
    widget = form_field_.widget
    if spec.check == "phone":
        widget.input_type = "tel"
        widget.attrs["autocomplete"] = "off"
    elif spec.check == "email":  # a single line, even for the 254 characters an address may have
        form_field_.widget = forms.EmailInput(attrs={"autocomplete": "off"})
    elif spec.check in ("zip", "naics") or spec.kind == "integer":
        widget.attrs["inputmode"] = "numeric"


def _form_class(specs: Sequence[FieldSpec], *, name: str) -> type[DraftForm]:
    """A form class with one field per spec, named by XML name.

    Built per request, so that the help texts are in the active language."""
    fields: dict[str, forms.Field] = {}
    for spec in specs:
        form_field_ = form_field(spec)
        form_field_.required = spec.required
        if spec.kind == YESNO:
            form_field_.choices = list(YES_NO)
            elements = REQUIRED_BY_YES.get(spec.xml, ())
            if elements:
                adds = _("If Yes, you also report: %(elements)s.") % {
                    "elements": "; ".join(str(element.label) for element in elements)
                }
                form_field_.help_text = f"{spec.help} {adds}" if spec.help else adds
        _widget_hints(spec, form_field_)
        fields[spec.xml] = form_field_
    return type(name, (DraftForm,), fields)


def _initial(row: Any, specs: Sequence[FieldSpec]) -> dict[str, Any]:
    """Form values of a stored row (dates as YYYY-MM-DD, whatever the language)."""
    return content_of(row, specs)


def _put_problems(form: DraftForm, error: DomainError) -> None:
    if isinstance(error, facility_info_services.FieldProblems):
        for xml, message in error.problems.items():
            form.add_error(xml if xml in form.fields else None, message)
            if xml in form.fields:
                form.fields[xml].widget.attrs["aria-invalid"] = "true"
    else:
        apply_domain_error(form, error)


@dataclass
class Fieldset:
    legend: Any
    fields: list[Any] = field(default_factory=list)


def _fieldsets(form: DraftForm, groups: Sequence[tuple[Any, Sequence[str]]]) -> list[Fieldset]:
    return [Fieldset(legend, [form[xml] for xml in names]) for legend, names in groups]


# --- Reads ---------------------------------------------------------------------------------------------


def _member_facility(request: HttpRequest, cers_id: int) -> Facility:
    """The facility, for members of its business only: regulators and the state see submitted versions."""
    facility = facility_get_for_user(user=request.user, cers_id=cers_id)
    if membership_of(user=request.user, organization=facility.organization) is None:
        raise Http404
    return facility


def _editable_draft(request: HttpRequest, cers_id: int) -> tuple[Facility, SubmittalElement | None]:
    facility = facility_get_for_user(user=request.user, cers_id=cers_id, permission="facility:edit")
    return facility, draft_of(facility, FI)


BUSINESS_ACTIVITIES_XML = {spec.xml for spec in BUSINESS_ACTIVITIES_FIELDS} | {"BusinessActivities"}
OWNER_OPERATOR_XML = {spec.xml for spec in OWNER_OPERATOR_FIELDS} | {"OwnerOperatorInformation"}


@dataclass
class Part:
    key: str
    title: str
    url_name: str
    started: bool
    guidance: list[Guidance]

    @property
    def state(self) -> str:
        if not self.started:
            return "not_started"
        if any(g.level == REQUIRED for g in self.guidance):
            return "needs_attention"
        return "complete"

    @property
    def counts(self) -> dict[str, int]:
        return counts(self.guidance)


@dataclass
class GuidanceRow:
    message: Guidance
    part: str  # ACTIVITIES, OWNER or "" (documents, local requirements)
    link: str  # the field on its form, for people who may edit


def _part_of(xml: str) -> str:
    if xml in BUSINESS_ACTIVITIES_XML:
        return ACTIVITIES
    if xml in OWNER_OPERATOR_XML:
        return OWNER
    return ""


# --- Views ---------------------------------------------------------------------------------------------


@permission_required("facility:view")
@require_http_methods(["GET", "POST"])
def facility_info(request: HttpRequest, cers_id: int) -> HttpResponse:
    """The Facility Information draft of a facility. POST (Editor and above) starts the draft."""
    if request.method == "POST":
        return _start(request, cers_id)
    facility = _member_facility(request, cers_id)
    draft = draft_of(facility, FI)
    can_edit = user_can(user=request.user, permission="facility:edit", facility=facility)
    parts: list[Part] = []
    rows: list[GuidanceRow] = []
    guidance: list[Guidance] = []
    if draft is not None:
        guidance = submittal_services.guidance_of(draft)
        urls = {
            ACTIVITIES: reverse("business:facility_info_activities", kwargs={"cers_id": cers_id}),
            OWNER: reverse("business:facility_info_owner", kwargs={"cers_id": cers_id}),
        }
        for message in guidance:
            part = _part_of(message.field)
            link = ""
            if can_edit and part:
                link = urls[part] + (f"#id_{message.field}" if message.label else "")
            rows.append(GuidanceRow(message, part, link))
        parts = [
            Part(
                ACTIVITIES,
                _("Business Activities"),
                "business:facility_info_activities",
                BusinessActivities.objects.filter(element=draft).exists(),
                [row.message for row in rows if row.part == ACTIVITIES],
            ),
            Part(
                OWNER,
                _("Owner/Operator Identification"),
                "business:facility_info_owner",
                OwnerOperator.objects.filter(element=draft).exists(),
                [row.message for row in rows if row.part == OWNER],
            ),
        ]
    required = sorted(applicable_elements(facility))
    return render(
        request,
        "business/facility_info/overview.html",
        {
            "facility": facility,
            "draft": draft,
            "parts": parts,
            "guidance_rows": rows,
            "guidance_counts": counts(guidance),
            "blocked": any(g.level == REQUIRED for g in guidance),
            "has_warnings": any(g.level == WARNING for g in guidance),
            "required_elements": [(Element(code), ELEMENT_SLUGS[Element(code)]) for code in required],
            "source": last_accepted_or_submitted(facility, FI),
            "can_edit": can_edit,
            "can_submit": user_can(user=request.user, permission="facility:submit", facility=facility),
            "slug": ELEMENT_SLUGS[FI],
        },
    )


def _start(request: HttpRequest, cers_id: int) -> HttpResponse:
    """Start the draft: new (pre-filled from the facility and the last version), or a copy of a version."""
    facility = facility_get_for_user(user=request.user, cers_id=cers_id, permission="facility:edit")
    source_id = request.POST.get("source", "")
    source = None
    if source_id:
        try:
            source_uuid = uuid.UUID(source_id)
        except ValueError:
            raise Http404 from None
        source = SubmittalElement.objects.filter(facility=facility, element=FI, public_id=source_uuid).first()
        if source is None:
            raise Http404
    try:
        if source is not None:
            submittal_services.draft_start_from(
                facility=facility, element=FI, source=source, actor=request.user
            )
            messages.success(
                request,
                _("A new draft was started from version %(version)s. Check each part and save it.")
                % {"version": source.version},
            )
        elif draft_of(facility, FI) is not None:
            messages.info(request, _("There is already a draft. Continue it below."))
        else:
            submittal_services.draft_get_or_create(facility=facility, element=FI, actor=request.user)
            messages.success(request, _("The draft is started. Fill in both parts below."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("business:facility_info", cers_id=cers_id)


def _no_draft(request: HttpRequest, cers_id: int) -> HttpResponse:
    messages.info(request, _("Start the Facility Information draft first."))
    return redirect("business:facility_info", cers_id=cers_id)


@permission_required("facility:edit")
@require_http_methods(["GET", "POST"])
def facility_info_activities(request: HttpRequest, cers_id: int) -> HttpResponse:
    """Business Activities: the site and the yes/no questions that decide which elements apply."""
    facility, draft = _editable_draft(request, cers_id)
    if draft is None:
        return _no_draft(request, cers_id)
    row = BusinessActivities.objects.filter(element=draft).first()
    initial = (
        _initial(row, BUSINESS_ACTIVITIES_FIELDS)
        if row
        else facility_info_services.business_activities_prefill(facility)
    )
    form_class = _form_class(BUSINESS_ACTIVITIES_FIELDS, name="BusinessActivitiesForm")
    form = form_class(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            facility_info_services.business_activities_save(
                draft=draft, actor=request.user, data=form.cleaned_data
            )
        except DomainError as error:
            _put_problems(form, error)
        else:
            messages.success(request, _("Business Activities saved."))
            return redirect("business:facility_info", cers_id=cers_id)
    site = [spec.xml for spec in BUSINESS_ACTIVITIES_FIELDS if spec.group == SITE]
    groups = ((_("The site"), site), *QUESTION_GROUPS)
    return render(
        request,
        "business/facility_info/activities.html",
        {
            "facility": facility,
            "draft": draft,
            "form": form,
            "fieldsets": _fieldsets(form, groups),
            "prefilled": row is None,
            "required_elements": [
                (Element(code), ELEMENT_SLUGS[Element(code)])
                for code in sorted(applicable_elements(facility))
            ],
        },
    )


@permission_required("facility:edit")
@require_http_methods(["GET", "POST"])
def facility_info_owner(request: HttpRequest, cers_id: int) -> HttpResponse:
    """Owner/Operator Identification: dates, phones, owner, operator, contacts, billing and certification."""
    facility, draft = _editable_draft(request, cers_id)
    if draft is None:
        return _no_draft(request, cers_id)
    row = OwnerOperator.objects.filter(element=draft).first()
    initial = (
        _initial(row, OWNER_OPERATOR_FIELDS) if row else facility_info_services.owner_operator_prefill(draft)
    )
    form_class = _form_class(OWNER_OPERATOR_FIELDS, name="OwnerOperatorForm")
    form = form_class(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            facility_info_services.owner_operator_save(
                draft=draft, actor=request.user, data=form.cleaned_data
            )
        except DomainError as error:
            _put_problems(form, error)
        else:
            messages.success(request, _("Owner/Operator Identification saved."))
            return redirect("business:facility_info", cers_id=cers_id)
    groups = [
        (label, [spec.xml for spec in OWNER_OPERATOR_FIELDS if spec.group == group])
        for group, label in GROUP_LABELS.items()
    ]
    return render(
        request,
        "business/facility_info/owner.html",
        {
            "facility": facility,
            "draft": draft,
            "form": form,
            "fieldsets": _fieldsets(form, groups),
            "prefilled": row is None and bool(initial),
        },
    )


urlpatterns: list[URLPattern] = [
    path("facilities/<int:cers_id>/facility-information/", facility_info, name="facility_info"),
    path(
        "facilities/<int:cers_id>/facility-information/business-activities/",
        facility_info_activities,
        name="facility_info_activities",
    ),
    path(
        "facilities/<int:cers_id>/facility-information/owner-operator/",
        facility_info_owner,
        name="facility_info_owner",
    ),
]
