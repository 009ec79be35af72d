"""Business portal: the federal Tier II exchange of the Hazardous Materials Inventory.

* Tier II file (a facility; linked from the inventory's "Federal Tier II view"): choose the reporting year and the inventory version (the latest of the
  year, another version, or the draft), preview what the file will hold, and download it as the
  National Tier II data standard XML or as a .t2s package with the site map files. Members of the
  business (Viewer and up) only: the file may hold the draft and confidential locations.
* The same for an organization: all its facilities in one dataset.
* Import a Tier II file (XML or .t2s) into the facility's draft inventory (Editor and up).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from opencers.core.errors import DomainError
from opencers.core.forms import Form, apply_domain_error
from opencers.core.permissions import permission_required
from opencers.documents.names import content_disposition
from opencers.organizations.selectors import user_can
from opencers.tier2 import selectors
from opencers.tier2.export import DRAFT, LATEST, Export, ExportOptions, ExportRefused, inventory_choices
from opencers.tier2.importing import ImportRefused
from opencers.tier2.services import APPEND, REPLACE, tier2_import

YEARS_BACK = 6
RESULT_KEY = "tier2_import_result"
XML, T2S = "xml", "t2s"
YES_NO_CHOICES = (
    ("", gettext_lazy("Not answered")),
    ("yes", gettext_lazy("Yes")),
    ("no", gettext_lazy("No")),
)


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class ExportForm(Form):
    year = forms.TypedChoiceField(
        label=gettext_lazy("Reporting year"),
        coerce=int,
        help_text=gettext_lazy(
            "The calendar year the inventory covers (Tier II is due by March 1 of the next year)."
        ),
    )
    source = forms.ChoiceField(
        label=gettext_lazy("Which inventory"),
        widget=forms.RadioSelect,
        initial=LATEST,
    )
    include_below_threshold = forms.BooleanField(
        label=gettext_lazy("Also report chemicals below the federal thresholds"),
        required=False,
        help_text=gettext_lazy(
            "Federal thresholds: 10,000 pounds, or for an extremely hazardous substance 500 pounds or its "
            "threshold planning quantity, whichever is lower. Chemicals below them are marked as such."
        ),
    )
    include_waste = forms.BooleanField(
        label=gettext_lazy("Include hazardous wastes"),
        required=False,
        help_text=gettext_lazy("Wastes are outside federal Tier II reporting; include them only if asked."),
    )
    manned = forms.ChoiceField(
        label=gettext_lazy("Is the facility manned?"),
        choices=YES_NO_CHOICES[1:],
        widget=forms.RadioSelect,
        help_text=gettext_lazy("Tier II asks it; CERS does not keep it."),
    )
    max_occupants = forms.IntegerField(
        label=gettext_lazy("Largest number of people on site at one time"),
        required=False,
        min_value=0,
        max_value=1_000_000,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "usa-input--sm"}),
    )
    fire_district = forms.CharField(label=gettext_lazy("Fire district"), required=False, max_length=100)
    chemical_accident_prevention = forms.ChoiceField(
        label=gettext_lazy(
            "Subject to chemical accident prevention (Clean Air Act 112(r), risk management plan)?"
        ),
        choices=(
            ("", gettext_lazy("As answered in Business Activities (California Accidental Release Program)")),
            ("yes", gettext_lazy("Yes")),
            ("no", gettext_lazy("No")),
        ),
        required=False,
        widget=forms.RadioSelect,
    )
    coordinator_is_primary_contact = forms.BooleanField(
        label=gettext_lazy("The primary emergency contact is the facility emergency coordinator (EPCRA 303)"),
        required=False,
    )

    def __init__(self, *args: Any, source_choices: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        this_year = date.today().year
        self.fields["year"].choices = [  # type: ignore[attr-defined]
            (year, str(year)) for year in range(this_year, this_year - YEARS_BACK, -1)
        ]
        self.fields["year"].initial = this_year - 1
        self.fields["source"].choices = source_choices  # type: ignore[attr-defined]

    def options(self) -> ExportOptions:
        data = self.cleaned_data
        return ExportOptions(
            year=data["year"],
            source=data["source"],
            include_waste=data["include_waste"],
            include_below_threshold=data["include_below_threshold"],
            manned=_yes_no(data["manned"]),
            max_occupants=data["max_occupants"],
            fire_district=data["fire_district"].strip(),
            chemical_accident_prevention=_yes_no(data["chemical_accident_prevention"]),
            coordinator_is_primary_contact=data["coordinator_is_primary_contact"],
        )


def _facility_sources(facility: Any) -> list[tuple[str, Any]]:
    choices = [(LATEST, _("The latest version submitted in the reporting year (an accepted one first)"))]
    for element in inventory_choices(facility):
        if element.is_draft:
            choices.append((DRAFT, _("The draft (not submitted)")))
        else:
            choices.append(
                (
                    str(element.version),
                    _("Version %(n)s, submitted %(date)s (%(status)s)")
                    % {
                        "n": element.version,
                        "date": element.submitted_at.date().isoformat() if element.submitted_at else "—",
                        "status": element.get_status_display(),
                    },
                )
            )
    return choices


ORGANIZATION_SOURCES = [
    (
        LATEST,
        gettext_lazy(
            "Each facility's latest version submitted in the reporting year (an accepted one first)"
        ),
    ),
    (DRAFT, gettext_lazy("Each facility's draft (not submitted)")),
]


def _download(export: Export, kind: str, stem: str) -> HttpResponse:
    if kind == T2S:
        content, name, content_type = selectors.tier2_package(export), f"{stem}.t2s", "application/zip"
    else:
        content, name, content_type = export.xml(), f"{stem}.xml", "application/xml"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(name)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _export_page(
    request: HttpRequest,
    *,
    form: ExportForm,
    make: Any,
    stem: Any,
    context: dict[str, Any],
) -> HttpResponse:
    export: Export | None = None
    if form.is_bound and form.is_valid():
        options = form.options()
        try:
            export = make(options)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            kind = request.GET.get("download", "")
            if kind in (XML, T2S) and not export.problems:
                try:
                    return _download(export, kind, stem(options))
                except ExportRefused:  # pragma: no cover (problems were checked just above)
                    pass
                except DomainError as error:
                    messages.error(request, error.message)
    return render(request, "business/tier2/export.html", {**context, "form": form, "export": export})


@permission_required("facility:view")
@require_GET
def tier2_export(request: HttpRequest, cers_id: int) -> HttpResponse:
    facility = selectors.tier2_facility_for_member(user=request.user, cers_id=cers_id)
    form = ExportForm(request.GET or None, source_choices=_facility_sources(facility))
    return _export_page(
        request,
        form=form,
        make=lambda options: selectors.tier2_facility_export(
            user=request.user, cers_id=cers_id, options=options
        ),
        stem=lambda options: f"tier2-{facility.cers_id}-{options.year}",
        context={
            "facility": facility,
            "can_edit": user_can(user=request.user, permission="facility:edit", facility=facility),
        },
    )


@permission_required("organization:view")
@require_GET
def organization_tier2(request: HttpRequest, code: int) -> HttpResponse:
    organization = selectors.tier2_organization_for_member(user=request.user, code=code)
    form = ExportForm(request.GET or None, source_choices=list(ORGANIZATION_SOURCES))
    return _export_page(
        request,
        form=form,
        make=lambda options: selectors.tier2_organization_export(
            user=request.user, code=code, options=options
        ),
        stem=lambda options: f"tier2-organization-{organization.code}-{options.year}",
        context={"organization": organization},
    )


# --- Import ----------------------------------------------------------------------------------------------


class ImportForm(Form):
    file = forms.FileField(
        label=gettext_lazy("Tier II file"),
        help_text=gettext_lazy(
            "The .t2s file from Tier2 Submit, or its epcra_tier2_data.xml (National Tier II data standard)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".t2s,.xml,.zip"}),
    )
    mode = forms.ChoiceField(
        label=gettext_lazy("What happens to the materials already in the draft"),
        choices=(
            (REPLACE, gettext_lazy("Replace them with the file's chemicals")),
            (APPEND, gettext_lazy("Keep them and add the file's chemicals after them")),
        ),
        widget=forms.RadioSelect,
        initial=REPLACE,
    )
    facility_in_file = forms.CharField(
        label=gettext_lazy("Facility in the file"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Only if the file holds several facilities: the name of the one to import."),
    )
    attach_files = forms.BooleanField(
        label=gettext_lazy("Add the files attached in the .t2s (site plans) to the inventory's site map"),
        required=False,
        initial=True,
    )


@permission_required("facility:edit")
@require_http_methods(["GET", "POST"])
def tier2_import_view(request: HttpRequest, cers_id: int) -> HttpResponse:
    facility = selectors.tier2_facility_for_member(
        user=request.user, cers_id=cers_id, permission="facility:edit"
    )
    problems: list[str] = []
    result = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > settings.DOCUMENT_MAX_BYTES:
                form.add_error(
                    "file",
                    _("The file is larger than %(limit)d MB. A Tier II file is much smaller: check the file.")
                    % {"limit": settings.DOCUMENT_MAX_BYTES // (1024 * 1024)},
                )
            else:
                try:
                    imported = tier2_import(
                        facility=facility,
                        actor=request.user,
                        name=upload.name,
                        data=upload.read(),
                        mode=form.cleaned_data["mode"],
                        facility_in_file=form.cleaned_data["facility_in_file"],
                        attach_files=form.cleaned_data["attach_files"],
                    )
                except ImportRefused as error:
                    problems = error.problems
                    form.add_error(None, error.message)
                except DomainError as error:
                    apply_domain_error(form, error)
                else:
                    request.session[RESULT_KEY] = {
                        "cers_id": facility.cers_id,
                        "facility_in_file": imported.facility_in_file,
                        "chemicals": imported.chemicals,
                        "rows": imported.rows,
                        "replaced": imported.replaced,
                        "attached": imported.attached,
                        "notes": imported.notes,
                    }
                    messages.success(
                        request,
                        _(
                            "%(chemicals)d chemicals were imported as %(rows)d materials of the draft inventory."
                        )
                        % {"chemicals": imported.chemicals, "rows": imported.rows},
                    )
                    return redirect(reverse("business:tier2_import", kwargs={"cers_id": cers_id}) + "?done=1")
    else:
        form = ImportForm()
        stored = request.session.get(RESULT_KEY)
        if request.GET.get("done") and stored and stored.get("cers_id") == facility.cers_id:
            result = request.session.pop(RESULT_KEY)
    return render(
        request,
        "business/tier2/import.html",
        {"facility": facility, "form": form, "problems": problems, "result": result},
    )


urlpatterns: list[URLPattern] = [
    path("facilities/<int:cers_id>/inventory/tier2/export/", tier2_export, name="tier2_export"),
    path("facilities/<int:cers_id>/inventory/tier2/import/", tier2_import_view, name="tier2_import"),
    path("organizations/<int:code>/tier2/", organization_tier2, name="organization_tier2"),
]
