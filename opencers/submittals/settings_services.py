"""Regulator settings that shape submittals: the annual HMBP due date and locally required documents."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from opencers.core.audit import audit_log
from opencers.core.errors import DomainError
from opencers.submittals.models import LocalRequirement


@transaction.atomic
def regulator_due_date_set(*, regulator: Any, actor: Any, hmbp_due_month: int, hmbp_due_day: int) -> Any:
    try:
        date(2025, hmbp_due_month, hmbp_due_day)  # a non-leap year: 29 February would not exist every year
    except ValueError as exc:
        raise DomainError(
            _("That day does not exist in that month every year. Choose another day."), field="hmbp_due_day"
        ) from exc
    before = (regulator.hmbp_due_month, regulator.hmbp_due_day)
    regulator.hmbp_due_month, regulator.hmbp_due_day = hmbp_due_month, hmbp_due_day
    regulator.save(update_fields=["hmbp_due_month", "hmbp_due_day", "updated_at"])
    audit_log(
        regulator,
        "regulator.due_date_set",
        actor=actor,
        data={"from": list(before), "to": [hmbp_due_month, hmbp_due_day]},
    )
    return regulator


@transaction.atomic
def local_requirement_add(
    *, regulator: Any, actor: Any, element: int, title: str, description: str = "", required: bool = True
) -> LocalRequirement:
    if not title.strip():
        raise DomainError(_("Give the document a title."), field="title")
    requirement = LocalRequirement.objects.create(
        regulator=regulator,
        element=element,
        title=title.strip(),
        description=description.strip(),
        required=required,
    )
    audit_log(
        requirement,
        "regulator.local_requirement_added",
        actor=actor,
        data={"element": element, "title": requirement.title},
    )
    return requirement


@transaction.atomic
def local_requirement_retire(*, requirement: LocalRequirement, actor: Any) -> None:
    requirement.active = False
    requirement.save(update_fields=["active", "updated_at"])
    audit_log(
        requirement, "regulator.local_requirement_retired", actor=actor, data={"title": requirement.title}
    )
