"""Writes of Facility Information drafts: Business Activities and Owner/Operator Identification.

The portal form, the API and imports call the same two save services. Input is keyed by the state's XML
element names (``BusinessName``, ``PEC24HrPhone``…); every value is parsed with the field table's
``parse_value`` and checked with the shared format checks (phone, ZIP, e-mail, EPA ID, NAICS). All
problems are collected and reported together, each naming its field, and nothing is saved when there is
one. Missing required fields do not block a save (a draft may be incomplete): the guidance rules of
``validation.py`` report them, and they block submission.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from opencers.core.audit import audit_log
from opencers.core.elements import Element
from opencers.core.errors import DomainError, InvalidTransition
from opencers.core.validators import normalize_phone
from opencers.elements.facility_info.fields import (
    BUSINESS_ACTIVITIES_FIELDS,
    CERTIFICATION,
    OWNER_OPERATOR_FIELDS,
)
from opencers.elements.facility_info.models import BusinessActivities, OwnerOperator
from opencers.elements.fields import FieldProblem, FieldSpec, check_format, content_of, parse_value
from opencers.organizations.models import Facility
from opencers.submittals.models import SubmittalElement
from opencers.submittals.selectors import latest_submitted
from opencers.submittals.services import draft_touch


class FieldProblems(DomainError):
    """Input refused field by field: ``problems`` maps each XML name to what is wrong and how to fix it.

    Nothing was saved. Interfaces show each message next to its field (forms) or list them (API).
    """

    def __init__(self, problems: Mapping[str, str]) -> None:
        count = len(problems)
        super().__init__(
            ngettext(
                "%(count)d field needs correcting; nothing was saved.",
                "%(count)d fields need correcting; nothing was saved.",
                count,
            )
            % {"count": count},
            code="field_problems",
        )
        self.problems = dict(problems)


# --- Parsing -------------------------------------------------------------------------------------------


def _normalize_raw(spec: FieldSpec, raw: Any) -> Any:
    """Tidy a raw value before parsing: phone numbers in one style, EPA IDs in capitals."""
    if not isinstance(raw, str):
        return raw
    if spec.check == "phone":
        return normalize_phone(raw)
    if spec.check == "epa_id":
        return raw.strip().upper()
    return raw


def _parse(data: Mapping[str, Any], specs: Sequence[FieldSpec]) -> tuple[dict[str, Any], dict[str, str]]:
    """Stored values keyed by model attribute, and problems keyed by XML name (absent keys are left out)."""
    values: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for spec in specs:
        if spec.xml not in data:
            continue
        try:
            value = parse_value(spec, _normalize_raw(spec, data[spec.xml]))
        except FieldProblem as problem:
            problems[spec.xml] = problem.message
            continue
        message = check_format(spec, value)
        if message:
            problems[spec.xml] = message
            continue
        values[spec.name] = value
    return values, problems


# --- Saving --------------------------------------------------------------------------------------------


def _save_part(
    *,
    draft: SubmittalElement,
    actor: Any,
    data: Mapping[str, Any],
    specs: Sequence[FieldSpec],
    model: type[models.Model],
    action: str,
) -> Any:
    locked = SubmittalElement.objects.select_for_update().get(pk=draft.pk)
    if locked.element != Element.FACILITY_INFORMATION:
        raise DomainError(_("This is not a Facility Information draft."))
    if not locked.is_draft:
        raise InvalidTransition(
            _("Only a draft can be changed. Start a new draft of Facility Information to make changes.")
        )
    values, problems = _parse(data, specs)
    if problems:
        raise FieldProblems(problems)
    existing = model.objects.filter(element=locked).first()  # type: ignore[attr-defined]
    before = content_of(existing, specs) if existing is not None else {}
    row, created = model.objects.update_or_create(element=locked, defaults=values)  # type: ignore[attr-defined]
    after = content_of(row, specs)
    changed = sorted(xml for xml in set(before) | set(after) if before.get(xml) != after.get(xml))
    draft_touch(locked)
    audit_log(locked, action, actor=actor, data={"created": created, "changed": changed})
    return row


@transaction.atomic
def business_activities_save(
    *, draft: SubmittalElement, actor: Any, data: Mapping[str, Any]
) -> BusinessActivities:
    """Create or update the draft's Business Activities from raw input keyed by XML name.

    Raises ``FieldProblems`` (every problem at once, nothing saved) or ``InvalidTransition`` (not a draft).
    """
    row: BusinessActivities = _save_part(
        draft=draft,
        actor=actor,
        data=data,
        specs=BUSINESS_ACTIVITIES_FIELDS,
        model=BusinessActivities,
        action="facility_info.business_activities_saved",
    )
    return row


@transaction.atomic
def owner_operator_save(*, draft: SubmittalElement, actor: Any, data: Mapping[str, Any]) -> OwnerOperator:
    """Create or update the draft's Owner/Operator Identification from raw input keyed by XML name.

    Phone numbers are stored in one style, e.g. (916) 555-0100. Raises ``FieldProblems`` or
    ``InvalidTransition`` like ``business_activities_save``.
    """
    row: OwnerOperator = _save_part(
        draft=draft,
        actor=actor,
        data=data,
        specs=OWNER_OPERATOR_FIELDS,
        model=OwnerOperator,
        action="facility_info.owner_operator_saved",
    )
    return row


# --- Pre-filling a new draft ------------------------------------------------------------------------------


def _previous_row(facility: Facility, getter: Callable[[SubmittalElement], Any]) -> Any:
    previous = latest_submitted(facility, Element.FACILITY_INFORMATION)
    return getter(previous) if previous is not None else None


def business_activities_prefill(facility: Facility) -> dict[str, Any]:
    """Initial Business Activities for a draft that has none (keyed by XML name).

    The answers of the last submitted version, if any, with the site taken from the facility record:
    its name, washed address, county number and EPA ID.
    """
    previous = _previous_row(facility, lambda e: BusinessActivities.objects.filter(element=e).first())
    initial: dict[str, Any] = content_of(previous, BUSINESS_ACTIVITIES_FIELDS) if previous is not None else {}
    initial.update(
        {
            "BusinessName": facility.name,
            "SiteAddress": facility.street,
            "City": facility.city,
            "ZipCode": facility.zip_code,
        }
    )
    if facility.county_id is not None:
        initial["CountyID"] = facility.county.number  # type: ignore[union-attr]
    if facility.epa_id:
        initial["EPAID"] = facility.epa_id
    return initial


def owner_operator_prefill(draft: SubmittalElement) -> dict[str, Any]:
    """Initial Owner/Operator Identification for a draft that has none (keyed by XML name).

    The dates, phones, addresses and contacts of the last submitted version; the certification (preparer,
    signer, date signed) is left for the person who certifies this version. Empty when the draft already
    has its Owner/Operator Identification or the facility never submitted one.
    """
    if OwnerOperator.objects.filter(element=draft).exists():
        return {}
    previous = _previous_row(draft.facility, lambda e: OwnerOperator.objects.filter(element=e).first())
    if previous is None:
        return {}
    certification = {spec.xml for spec in OWNER_OPERATOR_FIELDS if spec.group == CERTIFICATION}
    return {
        xml: value
        for xml, value in content_of(previous, OWNER_OPERATOR_FIELDS).items()
        if xml not in certification
    }
