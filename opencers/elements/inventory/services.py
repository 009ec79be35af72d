"""Writes of the Hazardous Materials Inventory: one row (one material at one storage location) at a time.

Every function takes the draft row lock first, refuses elements that are no longer drafts (a submitted
version is immutable; the database trigger would refuse too), records the change in the audit log and
marks the draft as changed.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from opencers.core.audit import audit_log
from opencers.core.elements import Element
from opencers.core.errors import DomainError, InvalidTransition
from opencers.core.validators import normalize_cas
from opencers.elements.fields import FieldProblem, check_format, copy_values, is_empty, parse_value
from opencers.elements.inventory.fields import CHEMICAL_FIELDS, FIELDS_BY_XML
from opencers.elements.inventory.models import InventoryItem
from opencers.elements.validation import required_message
from opencers.library.models import Chemical
from opencers.submittals.models import SubmittalElement
from opencers.submittals.services import draft_touch


class RowProblems(DomainError):
    """Input refused with nothing saved. ``problems`` maps each XML field name to what is wrong with it."""

    def __init__(self, problems: dict[str, str]) -> None:
        count = len(problems)
        super().__init__(
            ngettext(
                "%(count)d field needs correcting. Nothing was saved.",
                "%(count)d fields need correcting. Nothing was saved.",
                count,
            )
            % {"count": count},
            code="field_problems",
        )
        self.problems = dict(problems)


def _lock_draft(draft: SubmittalElement) -> SubmittalElement:
    locked = SubmittalElement.objects.select_for_update().select_related("facility").get(pk=draft.pk)
    if locked.element != Element.HAZARDOUS_MATERIALS_INVENTORY:
        raise DomainError(_("This is not a Hazardous Materials Inventory."))
    if not locked.is_draft:
        raise InvalidTransition(
            _("This version was submitted and can no longer change. Start a new draft to make changes.")
        )
    return locked


def _lock_item(item: InventoryItem) -> tuple[SubmittalElement, Any]:
    """The locked draft and the locked row (typed Any: its columns come from the field table)."""
    draft = _lock_draft(item.element)
    locked = InventoryItem.objects.select_for_update().filter(pk=item.pk, element=draft).first()
    if locked is None:
        raise DomainError(_("This material is no longer in the draft inventory."))
    return draft, locked


def _log(
    draft: SubmittalElement, item: InventoryItem, action: str, *, actor: Any, data: dict[str, Any]
) -> None:
    """Audit a change of a row, scoped to its facility and organization (rows have no scope of their own)."""
    audit_log(
        item,
        action,
        actor=actor,
        data=data,
        facility_id=draft.facility_id,
        organization_id=draft.facility.organization_id,
    )


# --- The library link ---------------------------------------------------------------------------------


def _words(text: str) -> str:
    return " ".join((text or "").split()).casefold()


def library_link_matches(item: Any, chemical: Chemical) -> bool:
    """A row matches its library entry while its CAS number is the entry's and one of its names (common
    or chemical name) is the entry's name or one of its synonyms."""
    if normalize_cas(item.cas_number or "") != (chemical.cas or ""):
        return False
    names = {_words(chemical.name), *(_words(s) for s in chemical.synonyms or [])}
    return any(_words(name) in names for name in (item.common_name, item.chemical_name) if name)


def _apply_library_link(item: Any, chemical: Chemical | None) -> bool:
    """Link ``item`` to ``chemical`` (or keep its link) only while they match; the row's library ID follows
    the link. True if a link was dropped."""
    if chemical is not None:
        item.library_chemical = chemical
    linked = item.library_chemical
    if linked is None:
        return False
    if library_link_matches(item, linked):
        item.cclid = linked.ccl_id
        return False
    item.library_chemical = None
    if item.cclid == linked.ccl_id:
        item.cclid = None
    return True


@transaction.atomic
def library_link_check(*, item: InventoryItem, actor: Any) -> InventoryItem:
    """Drop the row's link to its library entry (and the library ID) if name or CAS no longer match it."""
    draft, item = _lock_item(item)
    if item.library_chemical_id is None:
        return item
    previous = item.library_chemical
    if _apply_library_link(item, None):
        item.save(update_fields=["library_chemical", "cclid", "updated_at"])
        _log(
            draft,
            item,
            "inventory.library_unlinked",
            actor=actor,
            data={"ccl_id": previous.ccl_id if previous else None},
        )
        draft_touch(draft)
    return item


# --- Rows -----------------------------------------------------------------------------------------------


def _parse(data: dict[str, Any], current: InventoryItem) -> tuple[dict[str, Any], dict[str, str]]:
    """Parse every given value; then check required fields and shared formats on the resulting row.

    Returns ``(values, problems)`` with values keyed by model attribute and problems by XML name.
    """
    values: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for xml, raw in data.items():
        spec = FIELDS_BY_XML.get(xml)
        if spec is None:
            continue
        try:
            value = parse_value(spec, raw)
        except FieldProblem as problem:
            problems[xml] = problem.message
            continue
        if spec.check == "cas" and value:
            value = normalize_cas(value)
        values[spec.name] = value
    for spec in CHEMICAL_FIELDS:
        if spec.xml in problems:
            continue
        value = values[spec.name] if spec.name in values else getattr(current, spec.name)
        if is_empty(value):
            if spec.required:
                problems[spec.xml] = required_message(spec)
            continue
        message = check_format(spec, value)
        if message:
            problems[spec.xml] = message
    return values, problems


@transaction.atomic
def inventory_item_save(
    *,
    draft: SubmittalElement,
    actor: Any,
    data: dict[str, Any],
    item: InventoryItem | None = None,
    library_chemical: Chemical | None = None,
) -> InventoryItem:
    """Create a row (at the end of the inventory) or update ``item`` from raw input keyed by XML name.

    Fields not in ``data`` keep their value (an update) or stay empty (a new row). Every value is parsed
    and the row must have its required fields and well-formed values (e.g. a CAS number with the right
    check digit); all problems are collected and raised together as ``RowProblems``, with nothing saved.
    Rules between fields (average ≤ maximum, EHS in pounds...) are guidance: the row is saved and the
    messages are shown with it. ``library_chemical`` links the row to the library entry it was filled
    from; a row keeps that link only while its names and CAS number still match the entry.
    """
    draft = _lock_draft(draft)
    if item is not None:
        if item.element_id != draft.pk:
            raise DomainError(_("This material is not part of this draft."))
        _draft, item = _lock_item(item)
        before = {spec.name: getattr(item, spec.name) for spec in CHEMICAL_FIELDS}
    else:
        item = InventoryItem(element=draft)
        before = {}
    values, problems = _parse(data, item)
    if problems:
        raise RowProblems(problems)
    for name, value in values.items():
        setattr(item, name, value)
    previous_link = item.library_chemical_id
    unlinked = _apply_library_link(item, library_chemical)
    created = item.pk is None
    if created:
        last = InventoryItem.objects.filter(element=draft).aggregate(last=Max("position"))["last"]
        item.position = (last or 0) + 1
    item.save()
    changed = sorted(
        spec.xml
        for spec in CHEMICAL_FIELDS
        if (
            not is_empty(getattr(item, spec.name))
            if created
            else before[spec.name] != getattr(item, spec.name)
        )
    )
    _log(
        draft,
        item,
        "inventory.item_created" if created else "inventory.item_saved",
        actor=actor,
        data={
            "fields": changed,
            "library_ccl_id": item.library_chemical.ccl_id if item.library_chemical is not None else None,
            "library_unlinked": bool(previous_link and unlinked),
        },
    )
    draft_touch(draft)
    return item


@transaction.atomic
def inventory_item_delete(*, item: InventoryItem, actor: Any) -> None:
    draft, locked = _lock_item(item)
    _log(
        draft,
        locked,
        "inventory.item_deleted",
        actor=actor,
        data={
            "common_name": locked.common_name,
            "location": locked.chemical_location,
            "position": locked.position,
        },
    )
    locked.delete()
    draft_touch(draft)


@transaction.atomic
def inventory_item_copy(*, item: InventoryItem, actor: Any) -> InventoryItem:
    """Duplicate a row (e.g. the same material stored at another location), right after the original.

    The copy keeps the library link; the person then changes what differs, usually the location.
    """
    draft, original = _lock_item(item)
    InventoryItem.objects.filter(element=draft, position__gt=original.position).update(
        position=F("position") + 1
    )
    copy = InventoryItem(
        element=draft, position=original.position + 1, library_chemical_id=original.library_chemical_id
    )
    copy_values(original, copy, CHEMICAL_FIELDS)
    copy.save()
    _log(draft, copy, "inventory.item_copied", actor=actor, data={"from": str(original.public_id)})
    draft_touch(draft)
    return copy
