"""Business portal: the Hazardous Materials Inventory of a facility's draft (manual entry).

The material list, the material form (in steps: identity, hazards, amounts, storage, components), the
chemical library search that fills the form, copy and delete, and the Hazardous Materials Inventory
Statement. The draft is shown to the business's own people only: anyone else gets 404.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opencers.core.elements import ELEMENT_SLUGS, Element
from opencers.core.errors import DomainError
from opencers.core.forms import Form
from opencers.core.permissions import permission_required
from opencers.elements.fields import (
    CODE,
    DECIMAL,
    INTEGER,
    YES_NO,
    YESNO,
    FieldProblem,
    FieldSpec,
    is_empty,
    parse_value,
    plain,
)
from opencers.elements.inventory import selectors
from opencers.elements.inventory.fields import (
    AMOUNTS,
    CHEMICAL_FIELDS,
    COMPONENTS,
    CONTAINER_FIELDS,
    FHC_FIELDS,
    FIELDS_BY_XML,
    FIRE_CODE_CLASSES,
    FIRE_CODE_FIELDS,
    GROUP_LABELS,
    HAZARDS,
    HM_TYPES,
    IDENTITY,
    PHYSICAL_STATES,
    STORAGE,
    UNITS,
)
from opencers.elements.inventory.models import InventoryItem
from opencers.elements.inventory.services import (
    RowProblems,
    inventory_item_copy,
    inventory_item_delete,
    inventory_item_save,
)
from opencers.library import selectors as library
from opencers.organizations.selectors import user_can
from opencers.submittals import services as submittal_services
from opencers.submittals.guidance import REQUIRED, WARNING, Guidance, sort_guidance
from opencers.submittals.selectors import last_accepted_or_submitted

INVENTORY = Element.HAZARDOUS_MATERIALS_INVENTORY
SLUG = ELEMENT_SLUGS[INVENTORY]
SEARCH_LIMIT = 20
SEARCH_MIN_LENGTH = 2
WASTE, MIXTURE = "c", "b"

# --- The material form ----------------------------------------------------------------------------------

FIRE_CLASSES = "FireCodeClasses"
FEDERAL_HAZARDS = "FederalHazards"
CONTAINERS = "Containers"
LIBRARY = "library_chemical"

# Form fields standing for several XML fields (checkbox groups) and the XML fields each covers.
GROUPED_FIELDS: dict[str, tuple[str, ...]] = {
    FIRE_CLASSES: FIRE_CODE_FIELDS,
    FEDERAL_HAZARDS: FHC_FIELDS,
    CONTAINERS: CONTAINER_FIELDS,
}
FORM_FIELD_OF_XML = {xml: name for name, xmls in GROUPED_FIELDS.items() for xml in xmls}
OLDER_FHC = FHC_FIELDS[:5]  # the older EPCRA categories (fire, reactive, pressure release, acute, chronic)
NOT_IN_FORM = {"CCLID"}  # set by the service from the library link

# The steps of the form and the fields of each, in the order a person answers them (the field tables
# are in schema order). Every field of CHEMICAL_FIELDS appears once (a test checks it).
LAYOUT: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        IDENTITY,
        (
            "CommonName",
            "ChemicalName",
            "CASNumber",
            "HMType",
            "StateWasteCode",
            "PhysicalState",
            "EHS",
            "TradeSecret",
            "ChemicalDescriptionComment",
            "USEPASRSNumber",
        ),
    ),
    (HAZARDS, (FIRE_CLASSES, FEDERAL_HAZARDS, "RadioActive", "Curies", "DOTHazardClassificationID")),
    (
        AMOUNTS,
        (
            "Units",
            "MaximumDailyAmount",
            "AverageDailyAmount",
            "LargestContainer",
            "DaysOnSite",
            "AnnualWasteAmount",
        ),
    ),
    (
        STORAGE,
        (
            "ChemicalLocation",
            "MapNumber",
            "GridNumber",
            "CLConfidential",
            CONTAINERS,
            "OtherStorageContainer",
            "StoragePressure",
            "StorageTemperature",
        ),
    ),
    (
        COMPONENTS,
        (
            *(f"HC{n}{part}" for n in range(1, 6) for part in ("Name", "CAS", "PercentByWeight", "EHS")),
            "AdditionalMixtureComponents",
        ),
    ),
)
# Shown only for some types of material (revealed by the browser script; all shown without it).
SHOW_FOR_TYPE = {"StateWasteCode": (WASTE,), "AnnualWasteAmount": (WASTE,)}
RADIOS = {"HMType", "PhysicalState", "Units", "StoragePressure", "StorageTemperature"}
MAX_FIRE_CLASSES = len(FIRE_CODE_FIELDS)
UNIT_WORDS, STATE_WORDS, TYPE_WORDS = dict(UNITS), dict(PHYSICAL_STATES), dict(HM_TYPES)

LABELS = {
    FIRE_CLASSES: gettext_lazy("Fire code hazard classes"),
    FEDERAL_HAZARDS: gettext_lazy("Federal hazard categories"),
    CONTAINERS: gettext_lazy("Storage containers"),
}
HELP = {
    FIRE_CLASSES: gettext_lazy(
        "Tick every class that applies, up to 8 (the Safety Data Sheet, sections 2 and 9, and the fire code "
        "tell you which). The first class you ticked stays the primary one."
    ),
    FEDERAL_HAZARDS: gettext_lazy(
        "Tick the hazards in section 2 of the Safety Data Sheet. The older categories at the end are only "
        "needed if your Safety Data Sheet still uses them."
    ),
    CONTAINERS: gettext_lazy("Tick every kind of container the material is kept in at this location."),
}


class _Unchecked:
    """Leaves every check to the save service, so that all problems are found and reported at once."""

    def validate(self, value: Any) -> None:
        return None


class UncheckedCharField(_Unchecked, forms.CharField):
    pass


class UncheckedChoiceField(_Unchecked, forms.ChoiceField):
    pass


def _form_field(spec: FieldSpec) -> forms.Field:
    common: dict[str, Any] = {"label": spec.label, "required": spec.required, "help_text": spec.help}
    if spec.kind == YESNO:
        return UncheckedChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)
    if spec.kind == CODE:
        if spec.xml in RADIOS:
            return UncheckedChoiceField(choices=list(spec.codes), widget=forms.RadioSelect, **common)
        return UncheckedChoiceField(choices=[("", gettext_lazy("Choose…")), *spec.codes], **common)
    if spec.kind in (DECIMAL, INTEGER):
        attrs = {"inputmode": "decimal", "autocomplete": "off", "class": "usa-input--md"}
        return UncheckedCharField(widget=forms.TextInput(attrs=attrs), **common)
    attrs = {"autocomplete": "off"}
    if spec.max_length and spec.max_length <= 30:
        attrs["class"] = "usa-input--md" if spec.max_length > 15 else "usa-input--sm"
    widget = (
        forms.Textarea(attrs={"rows": 3}) if (spec.max_length or 0) > 500 else forms.TextInput(attrs=attrs)
    )
    return UncheckedCharField(widget=widget, **common)


def _group_choices(name: str) -> list[tuple[str, Any]]:
    if name == FIRE_CLASSES:
        return list(FIRE_CODE_CLASSES)
    if name == FEDERAL_HAZARDS:
        newer = [xml for xml in FHC_FIELDS if xml not in OLDER_FHC]
        return [(xml, FIELDS_BY_XML[xml].label) for xml in (*newer, *OLDER_FHC)]
    return [(xml, FIELDS_BY_XML[xml].label) for xml in CONTAINER_FIELDS]


def _build_form_class() -> type[Form]:
    attrs: dict[str, Any] = {}
    for spec in CHEMICAL_FIELDS:
        if spec.xml in NOT_IN_FORM or spec.xml in FORM_FIELD_OF_XML:
            continue
        attrs[spec.xml] = _form_field(spec)
    for name in GROUPED_FIELDS:
        attrs[name] = forms.MultipleChoiceField(
            label=LABELS[name],
            help_text=HELP[name],
            required=False,
            choices=_group_choices(name),
            widget=forms.CheckboxSelectMultiple,
        )
    attrs[LIBRARY] = forms.CharField(required=False, widget=forms.HiddenInput)
    return type("InventoryItemForm", (Form,), attrs)


InventoryItemForm = _build_form_class()


def _text(value: Any) -> str:
    if value is None:
        return ""
    return str(plain(value))


def xml_values(item: InventoryItem | None) -> dict[str, str]:
    """A row's stored values as text keyed by XML name (empty for a new row)."""
    if item is None:
        return {}
    return {
        spec.xml: _text(getattr(item, spec.name))
        for spec in CHEMICAL_FIELDS
        if not is_empty(getattr(item, spec.name))
    }


def library_values(fill: dict[str, Any]) -> dict[str, str]:
    """The library's values for a substance as form text keyed by XML name (unusable ones left out)."""
    values: dict[str, str] = {}
    for xml, raw in fill.items():
        spec = FIELDS_BY_XML.get(xml)
        if spec is None or xml in NOT_IN_FORM:
            continue
        try:
            parsed = parse_value(spec, raw)
        except FieldProblem:
            continue
        if not is_empty(parsed):
            values[xml] = _text(parsed)
    return values


def form_initial(values: dict[str, str]) -> dict[str, Any]:
    initial: dict[str, Any] = {xml: value for xml, value in values.items() if xml not in FORM_FIELD_OF_XML}
    initial[FIRE_CLASSES] = [values[xml] for xml in FIRE_CODE_FIELDS if values.get(xml)]
    initial[FEDERAL_HAZARDS] = [xml for xml in FHC_FIELDS if values.get(xml) == "Y"]
    initial[CONTAINERS] = [xml for xml in CONTAINER_FIELDS if values.get(xml) == "Y"]
    return initial


def fire_classes_in_order(chosen: list[str], current: list[str]) -> list[str]:
    """The chosen classes: stored ones keep their order (the primary stays first), new ones follow."""
    kept = [code for code in current if code in chosen]
    return kept + [code for code in chosen if code not in kept]


def form_data(form: forms.Form, item: InventoryItem | None) -> tuple[dict[str, Any], dict[str, str]]:
    """The form's input as raw values keyed by XML name for the save service, and problems of the groups."""
    cleaned = form.cleaned_data
    data: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for spec in CHEMICAL_FIELDS:
        if spec.xml in NOT_IN_FORM or spec.xml in FORM_FIELD_OF_XML:
            continue
        data[spec.xml] = cleaned.get(spec.xml, "")
    stored = xml_values(item)
    current = [stored[xml] for xml in FIRE_CODE_FIELDS if stored.get(xml)]
    classes = fire_classes_in_order(list(cleaned.get(FIRE_CLASSES) or []), current)
    if len(classes) > MAX_FIRE_CLASSES:
        problems[FIRE_CLASSES] = _(
            "You ticked %(count)d classes; at most %(max)d can be reported. "
            "Keep the %(max)d that matter most."
        ) % {
            "count": len(classes),
            "max": MAX_FIRE_CLASSES,
        }
    for index, xml in enumerate(FIRE_CODE_FIELDS):
        data[xml] = classes[index] if index < len(classes) else ""
    for name in (FEDERAL_HAZARDS, CONTAINERS):
        chosen = set(cleaned.get(name) or [])
        for xml in GROUPED_FIELDS[name]:
            data[xml] = "Y" if xml in chosen else "N"
    return data, problems


def apply_problems(form: forms.Form, problems: dict[str, str]) -> None:
    """Put each problem (keyed by XML name) on the form field where the person fixes it."""
    shown: set[tuple[str | None, str]] = set()
    for xml, message in problems.items():
        name: str | None = FORM_FIELD_OF_XML.get(xml, xml)
        if name not in form.fields:
            name = None
            label = FIELDS_BY_XML[xml].label if xml in FIELDS_BY_XML else xml
            message = f"{label}: {message}"
        if (name, message) in shown:
            continue
        shown.add((name, message))
        form.add_error(name, message)
        if name:
            form.fields[name].widget.attrs["aria-invalid"] = "true"


@dataclass
class FieldBlock:
    bound: forms.BoundField
    guidance: list[Guidance] = field(default_factory=list)
    show_for_type: str = ""


@dataclass
class Step:
    key: str
    number: int
    label: str
    blocks: list[FieldBlock]
    components: list[tuple[int, list[FieldBlock]]] = field(default_factory=list)
    more_open: bool = False  # components 2 to 5 are folded away unless one of them is filled or has a message


def _needs_showing(block: FieldBlock) -> bool:
    return bool(block.guidance or block.bound.errors or not is_empty(block.bound.value()))


def form_steps(form: forms.Form, guidance: list[Guidance]) -> list[Step]:
    by_field: dict[str, list[Guidance]] = {}
    for message in guidance:
        by_field.setdefault(FORM_FIELD_OF_XML.get(message.field, message.field), []).append(message)
    steps = []
    for number, (key, names) in enumerate(LAYOUT, start=1):
        blocks = [
            FieldBlock(form[name], by_field.get(name, []), " ".join(SHOW_FOR_TYPE.get(name, ())))
            for name in names
        ]
        step = Step(key, number, str(GROUP_LABELS[key]), blocks)
        if key == COMPONENTS:
            step.components = [(n, blocks[(n - 1) * 4 : n * 4]) for n in range(1, 6)]
            step.blocks = blocks[20:]
            step.more_open = any(_needs_showing(block) for block in blocks[4:20])
        steps.append(step)
    return steps


# --- Helpers ---------------------------------------------------------------------------------------------


def _list_url(cers_id: int) -> str:
    return reverse("business:inventory", kwargs={"cers_id": cers_id})


def _draft_or_redirect(request: HttpRequest, facility: Any) -> Any:
    draft = selectors.inventory_draft(facility)
    if draft is None:
        messages.info(request, _("Start a draft of the inventory first."))
    elif draft.not_applicable:
        messages.info(
            request,
            _(
                "The draft inventory is marked not applicable. "
                "Clear that mark on the element page to add materials."
            ),
        )
        return None
    return draft


def _search_context(request: HttpRequest, target_url: str) -> dict[str, Any]:
    query = " ".join(request.GET.get("q", "").split())[:100]
    results = library.chemical_search(query, SEARCH_LIMIT) if len(query) >= SEARCH_MIN_LENGTH else []
    return {
        "query": query,
        "results": results,
        "target_url": target_url,
        "searched": len(query) >= SEARCH_MIN_LENGTH,
    }


# --- The material list -----------------------------------------------------------------------------------


@permission_required("facility:view")
@require_GET
def inventory(request: HttpRequest, cers_id: int) -> HttpResponse:
    facility = selectors.inventory_facility_for_member(user=request.user, cers_id=cers_id)
    draft = selectors.inventory_draft(facility)
    can_edit = user_can(user=request.user, permission="facility:edit", facility=facility)
    return render(
        request,
        "business/inventory/list.html",
        {
            "facility": facility,
            "draft": draft,
            "rows": [_list_line(row) for row in selectors.inventory_rows(draft)] if draft else [],
            "can_edit": can_edit,
            "slug": SLUG,
            "source": last_accepted_or_submitted(facility, INVENTORY) if can_edit and draft is None else None,
            "element_guidance": _labelled(submittal_services.guidance_of(draft)) if draft else [],
        },
    )


def _labelled(messages_: list[Guidance]) -> list[Guidance]:
    """Messages naming their field by its label (the rules name it by its XML name)."""
    return [
        replace(g, label=str(FIELDS_BY_XML[g.field].label)) if not g.label and g.field in FIELDS_BY_XML else g
        for g in messages_
    ]


def _list_line(row: selectors.ItemRow) -> dict[str, Any]:
    item: Any = row.item
    return {
        "row": row,
        "amount": _text(item.maximum_daily_amount),
        "units": str(UNIT_WORDS.get(item.units, item.units)),
        "state": str(STATE_WORDS.get(item.physical_state, item.physical_state)),
        "type": str(TYPE_WORDS.get(item.hm_type, item.hm_type)),
    }


@permission_required("facility:edit")
@require_POST
def inventory_start(request: HttpRequest, cers_id: int) -> HttpResponse:
    """Start the draft inventory: empty, or a copy of the last accepted (or submitted) version."""
    facility = selectors.inventory_facility_for_member(
        user=request.user, cers_id=cers_id, permission="facility:edit"
    )
    try:
        if (
            request.POST.get("from_last") == "1"
            and (source := last_accepted_or_submitted(facility, INVENTORY)) is not None
        ):
            submittal_services.draft_start_from(
                facility=facility, element=INVENTORY, source=source, actor=request.user
            )
            messages.success(
                request, _("A new draft was started from version %(version)s.") % {"version": source.version}
            )
        else:
            submittal_services.draft_get_or_create(facility=facility, element=INVENTORY, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(_list_url(cers_id))


# --- Adding and editing a material ---------------------------------------------------------------------


def _item_form_page(
    request: HttpRequest, facility: Any, draft: Any, item: InventoryItem | None
) -> HttpResponse:
    target_url = (
        reverse(
            "business:inventory_item_edit", kwargs={"cers_id": facility.cers_id, "public_id": item.public_id}
        )
        if item
        else reverse("business:inventory_item_add", kwargs={"cers_id": facility.cers_id})
    )
    chemical = None
    if request.method == "POST":
        form = InventoryItemForm(request.POST)
        chemical = selectors.library_chemical_by_reference(request.POST.get(LIBRARY, ""))
        if form.is_valid():
            data, problems = form_data(form, item)
            if problems:
                apply_problems(form, problems)
            else:
                try:
                    saved = inventory_item_save(
                        draft=draft, actor=request.user, data=data, item=item, library_chemical=chemical
                    )
                except RowProblems as error:
                    apply_problems(form, error.problems)
                except DomainError as error:
                    form.add_error(None, error.message)
                else:
                    return _after_save(request, facility, draft, saved)
    else:
        values = xml_values(item)
        reference = request.GET.get("chemical", "")
        if reference:
            chemical = selectors.library_chemical_by_reference(reference)
            if chemical is None:
                messages.error(
                    request,
                    _(
                        "That library entry was not found. "
                        "Search again, or fill in the form from the Safety Data Sheet."
                    ),
                )
            else:
                values.update(library_values(library.chemical_fill(chemical)))
        initial = form_initial(values)
        if chemical is not None:
            initial[LIBRARY] = str(chemical.public_id)
        elif item is not None and item.library_chemical_id:
            initial[LIBRARY] = str(item.library_chemical.public_id)  # type: ignore[union-attr]
        form = InventoryItemForm(initial=initial)
    row = selectors.item_row(draft, item) if item else None
    guidance = sort_guidance(row.guidance) if row and not form.errors else []
    return render(
        request,
        "business/inventory/item_form.html",
        {
            "facility": facility,
            "draft": draft,
            "item": item,
            "row": row,
            "form": form,
            "steps": form_steps(form, guidance),
            "guidance": guidance,
            "chemical": chemical,
            "linked": item.library_chemical if item is not None and chemical is None else None,
            "search": _search_context(request, target_url)
            if request.method == "GET"
            else {"target_url": target_url},
            "search_url": reverse("business:chemical_search", kwargs={"cers_id": facility.cers_id}),
            "target_url": target_url,
            "list_url": _list_url(facility.cers_id),
        },
    )


def _after_save(request: HttpRequest, facility: Any, draft: Any, item: Any) -> HttpResponse:
    row = selectors.item_row(draft, item)
    notable = [g for g in (row.guidance if row else []) if g.level in (REQUIRED, WARNING)]
    if notable:
        messages.warning(
            request,
            _(
                "“%(name)s” is saved. "
                "Look at the messages marked below: they must be dealt with before you submit."
            )
            % {"name": item.common_name},
        )
        return redirect("business:inventory_item_edit", cers_id=facility.cers_id, public_id=item.public_id)
    messages.success(request, _("“%(name)s” is saved.") % {"name": item.common_name})
    return redirect(f"{_list_url(facility.cers_id)}#row-{item.public_id}")


@permission_required("facility:edit")
@require_http_methods(["GET", "POST"])
def inventory_item_add(request: HttpRequest, cers_id: int) -> HttpResponse:
    facility = selectors.inventory_facility_for_member(
        user=request.user, cers_id=cers_id, permission="facility:edit"
    )
    draft = _draft_or_redirect(request, facility)
    if draft is None:
        return redirect(_list_url(cers_id))
    return _item_form_page(request, facility, draft, None)


@permission_required("facility:edit")
@require_http_methods(["GET", "POST"])
def inventory_item_edit(request: HttpRequest, cers_id: int, public_id: str) -> HttpResponse:
    item = selectors.inventory_item_get_for_user(user=request.user, cers_id=cers_id, public_id=public_id)
    facility = item.element.facility
    return _item_form_page(request, facility, item.element, item)


@permission_required("facility:edit")
@require_POST
def inventory_item_delete_view(request: HttpRequest, cers_id: int, public_id: str) -> HttpResponse:
    item = selectors.inventory_item_get_for_user(user=request.user, cers_id=cers_id, public_id=public_id)
    try:
        inventory_item_delete(item=item, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("“%(name)s” at %(location)s was deleted.")
            % {"name": item.common_name, "location": item.chemical_location or _("no location")},
        )
    return redirect(_list_url(cers_id))


@permission_required("facility:edit")
@require_POST
def inventory_item_copy_view(request: HttpRequest, cers_id: int, public_id: str) -> HttpResponse:
    item = selectors.inventory_item_get_for_user(user=request.user, cers_id=cers_id, public_id=public_id)
    try:
        copy = inventory_item_copy(item=item, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_list_url(cers_id))
    messages.success(
        request,
        _("A copy of “%(name)s” was added. Change what differs, usually the storage location.")
        % {"name": item.common_name},
    )
    return redirect("business:inventory_item_edit", cers_id=cers_id, public_id=copy.public_id)


# --- The chemical library search (an HTML fragment for htmx) -------------------------------------------


@permission_required("facility:edit")
@require_GET
def chemical_search(request: HttpRequest, cers_id: int) -> HttpResponse:
    facility = selectors.inventory_facility_for_member(
        user=request.user, cers_id=cers_id, permission="facility:edit"
    )
    target = request.GET.get("for", "")
    if target:
        item = (
            selectors.inventory_item_get_for_user(user=request.user, cers_id=cers_id, public_id=target)
            if _is_uuid(target)
            else None
        )
        if item is None:
            raise Http404
        target_url = reverse(
            "business:inventory_item_edit", kwargs={"cers_id": cers_id, "public_id": item.public_id}
        )
    else:
        target_url = reverse("business:inventory_item_add", kwargs={"cers_id": facility.cers_id})
    return render(
        request, "business/inventory/_chemical_results.html", {"search": _search_context(request, target_url)}
    )


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


# --- The Hazardous Materials Inventory Statement --------------------------------------------------------


@permission_required("facility:view")
@require_GET
def inventory_statement(request: HttpRequest, cers_id: int) -> HttpResponse:
    facility = selectors.inventory_facility_for_member(user=request.user, cers_id=cers_id)
    draft = selectors.inventory_draft(facility)
    include = request.GET.get("trade_secrets", "1") != "0"
    statement = selectors.inventory_statement(draft, include_trade_secrets=include) if draft else None
    return render(
        request,
        "business/inventory/statement.html",
        {"facility": facility, "draft": draft, "statement": statement, "include": include},
    )


# --- The federal Tier II view ---------------------------------------------------------------------------


@permission_required("facility:view")
@require_GET
def inventory_tier2(request: HttpRequest, cers_id: int) -> HttpResponse:
    """The draft inventory as federal Tier II chemicals: pounds per chemical over all locations, range
    codes, the federal thresholds and why each chemical is (or is not) reported."""
    from opencers.elements.inventory.tier2 import tier2_summary

    facility = selectors.inventory_facility_for_member(user=request.user, cers_id=cers_id)
    draft = selectors.inventory_draft(facility)
    chemicals = tier2_summary(selectors.inventory_items(draft)) if draft else []
    return render(
        request,
        "business/inventory/tier2.html",
        {
            "facility": facility,
            "draft": draft,
            "chemicals": chemicals,
            "reported": [chemical for chemical in chemicals if chemical.reportable],
            "unknown": [chemical for chemical in chemicals if chemical.reportable is None],
        },
    )


urlpatterns: list[URLPattern] = [
    path("facilities/<int:cers_id>/inventory/", inventory, name="inventory"),
    path("facilities/<int:cers_id>/inventory/start/", inventory_start, name="inventory_start"),
    path("facilities/<int:cers_id>/inventory/add/", inventory_item_add, name="inventory_item_add"),
    path("facilities/<int:cers_id>/inventory/library/", chemical_search, name="chemical_search"),
    path("facilities/<int:cers_id>/inventory/statement/", inventory_statement, name="inventory_statement"),
    path(
        "facilities/<int:cers_id>/inventory/<uuid:public_id>/",
        inventory_item_edit,
        name="inventory_item_edit",
    ),
    path(
        "facilities/<int:cers_id>/inventory/<uuid:public_id>/copy/",
        inventory_item_copy_view,
        name="inventory_item_copy",
    ),
    path(
        "facilities/<int:cers_id>/inventory/<uuid:public_id>/delete/",
        inventory_item_delete_view,
        name="inventory_item_delete",
    ),
    path("facilities/<int:cers_id>/inventory/tier2/", inventory_tier2, name="inventory_tier2"),
]
