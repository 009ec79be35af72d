"""Due dates (HSC 25508, AB 1429) and the reminders sent before and after them.

* A business subject to federal Tier II or to APSA submits its HMBP every year by its CUPA's date
  (default March 1).
* Other businesses submit the HMBP every three years and certify every year that nothing changed: their
  Facility Information is due every year, the inventory and the plans every third year.
* Reminders go 30 and 7 days before a due date, and an overdue notice the day after; each exactly once
  (a unique row per facility, element, due date and kind).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from opencers.core.elements import HMBP_ELEMENTS, Element
from opencers.notifications.services import emails_send, notification_create
from opencers.organizations.models import FacilityElementRoute, Requirement
from opencers.organizations.selectors import lead_users
from opencers.regulators.selectors import next_annual_due_date
from opencers.submittals.models import SUBMITTED_STATUSES, DueReminder, ReminderKind, SubmittalElement


def _latest(facility: Any, element: int) -> SubmittalElement | None:
    return (
        SubmittalElement.objects.filter(facility=facility, element=element, status__in=SUBMITTED_STATUSES)
        .order_by("-version")
        .first()
    )


def reports_annually(facility: Any) -> bool:
    """Subject to federal Tier II (by its latest inventory) or to APSA (by its latest answers)."""
    from opencers.elements.facility_info.models import BusinessActivities
    from opencers.elements.inventory.models import InventoryItem
    from opencers.elements.inventory.thresholds import federal_tier2_subject

    info = _latest(facility, Element.FACILITY_INFORMATION)
    activities = BusinessActivities.objects.filter(element=info).first() if info else None
    if activities is not None and activities.own_or_operate_apst == "Y":
        return True
    inventory = _latest(facility, Element.HAZARDOUS_MATERIALS_INVENTORY)
    if inventory is None:
        return False
    return federal_tier2_subject(InventoryItem.objects.filter(element=inventory))


def next_due_after_submission(facility: Any, element: int, regulator: Any, submitted_on: date) -> date | None:
    if element not in HMBP_ELEMENTS or regulator is None:
        return None
    first = next_annual_due_date(regulator, submitted_on)
    if element == Element.FACILITY_INFORMATION or reports_annually(facility):
        return first
    return first.replace(year=first.year + 2)


def due_dates_update(*, facility: Any, elements: list[SubmittalElement], submitted_on: date) -> None:
    for element in elements:
        route = (
            FacilityElementRoute.objects.select_for_update()
            .filter(facility=facility, element=element.element)
            .first()
        )
        if route is None:
            continue
        due = next_due_after_submission(facility, element.element, route.regulator, submitted_on)
        if due is not None:
            route.next_due_date = due
            route.save(update_fields=["next_due_date"])


def _kind_for(due: date, today: date) -> str | None:
    days = (due - today).days
    if days == 30:
        return ReminderKind.DUE_30
    if days == 7:
        return ReminderKind.DUE_7
    if days < 0:
        return ReminderKind.OVERDUE
    return None


def due_reminders_send(*, today: date) -> int:
    """Send the reminders due today; safe to run any number of times (each reminder goes once)."""
    sent = 0
    routes = (
        FacilityElementRoute.objects.filter(
            element__in=HMBP_ELEMENTS, next_due_date__isnull=False, facility__archived=False
        )
        .exclude(requirement=Requirement.NOT_APPLICABLE)
        .filter(next_due_date__lte=today + timedelta(days=30))
        .select_related("facility", "facility__organization", "regulator")
    )
    for route in routes:
        kind = _kind_for(route.next_due_date, today)
        if kind is None:
            continue
        try:
            with transaction.atomic():
                DueReminder.objects.create(
                    facility=route.facility, element=route.element, due_date=route.next_due_date, kind=kind
                )
                _notify(route, kind)
        except IntegrityError:
            continue  # already sent
        sent += 1
    return sent


def _notify(route: FacilityElementRoute, kind: str) -> None:
    facility = route.facility
    element_name = str(Element(route.element).label)
    link = settings.SITE_URL + reverse("business:facility", kwargs={"cers_id": facility.cers_id})
    recipients = list(lead_users(organization=facility.organization))
    emails_send(
        recipients=recipients,
        kind="due_reminder" if kind != ReminderKind.OVERDUE else "due_overdue",
        context={
            "facility": facility,
            "element_name": element_name,
            "due": route.next_due_date,
            "regulator": route.regulator,
            "link": link,
            "kind": kind,
        },
    )
    for person in recipients:
        text = (
            _("%(element)s of %(facility)s is overdue (it was due %(due)s).")
            if kind == ReminderKind.OVERDUE
            else _("%(element)s of %(facility)s is due %(due)s.")
        )
        notification_create(
            user=person,
            kind="due_date",
            message=text
            % {"element": element_name, "facility": facility.name, "due": route.next_due_date.isoformat()},
            link=reverse("business:facility", kwargs={"cers_id": facility.cers_id}),
        )
