"""Submittal action notification (RFSAN): a regulator's system sets the status of submitted elements.

The same service as the regulator portal's review form does the work (``submittals.services.element_review``):
the same rules (Not accepted needs comments; only the element's own regulator acts), the same e-mails and
notifications to the business, the same audit log. What the document adds is the action's date and the
agent's name and e-mail, which the portal takes from the signed-in person.

A document acting on several elements is all or nothing: one refused element refuses them all, with a
message for each problem, and nothing changes.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from opencers.core.elements import Element
from opencers.core.errors import DomainError
from opencers.core.validators import check_email
from opencers.edt.codes import STATUS_BY_CODE
from opencers.edt.incoming import (
    ADVISORY,
    CODE_FIELD,
    CODE_NOT_FOUND,
    CODE_NOTE,
    CODE_REFUSED,
    REQUIRED,
    EdtMessage,
    EdtRejected,
    Problems,
    optional_text,
    parse_datetime,
    parse_document,
    parse_int,
    parse_uuid,
    required_text,
    text,
)
from opencers.submittals.models import SubmittalElement
from opencers.submittals.selectors import regulator_element_get
from opencers.submittals.services import element_review

SCHEMA = "RegulatorFacilitySubmittalActionNotification"
ROOT = "RegulatorFacilitySubmittalActionNotifications"
MAX_ELEMENTS = 500
# The regulator's system and ours may disagree on the time by a few minutes.
CLOCK_TOLERANCE = timedelta(minutes=10)


@dataclass
class ActionItem:
    position: int
    code: int | None
    raw_key: str
    key: UUID | None
    cers_id: int | None
    regulator_code: int | None
    status: str | None
    action_at: datetime | None
    agent_name: str
    agent_email: str
    comments: str
    next_due_date: str | None

    @property
    def where(self) -> str:
        return _("SubmittalElement %(n)d") % {"n": self.position}


@dataclass
class ActionRequest:
    regulator_transaction_key: str
    items: list[ActionItem] = field(default_factory=list)


@dataclass
class ActionOutcome:
    messages: list[EdtMessage]
    elements: list[SubmittalElement]


def parse_action_notification(data: bytes) -> ActionRequest:
    """Read the document; every problem of every element is reported at once (``EdtRejected``, 400)."""
    root = parse_document(data, schema=SCHEMA, root=ROOT)
    request = ActionRequest(regulator_transaction_key=(text(root, "RegulatorTransactionKey") or "")[:36])
    problems = Problems()
    container = root.find("SubmittalElements")
    nodes = container.findall("SubmittalElement") if container is not None else []
    if not nodes:
        problems.add(_("The document names no SubmittalElement to act on."))
    if len(nodes) > MAX_ELEMENTS:
        problems.add(
            _("The document acts on %(count)d elements; send at most %(max)d per document.")
            % {"count": len(nodes), "max": MAX_ELEMENTS}
        )
        problems.raise_if_blocking()
    for position, node in enumerate(nodes, start=1):
        request.items.append(_parse_item(node, position, problems))
    problems.raise_if_blocking()
    return request


def _parse_item(node: ET.Element, position: int, problems: Problems) -> ActionItem:
    where = _("SubmittalElement %(n)d") % {"n": position}
    code = parse_int(node.get("code"))
    if code is None or code not in Element.values:
        problems.add(
            _("%(where)s: the code attribute must be an element code from 1 to 10, not “%(value)s”.")
            % {"where": where, "value": node.get("code", "")}
        )
    raw_key = required_text(node, "CERSUniqueKey", problems, where=where)
    key = parse_uuid(raw_key)
    if raw_key and key is None:
        problems.add(
            _("%(where)s: CERSUniqueKey “%(value)s” is not a GUID (the key the query gave for the element).")
            % {"where": where, "value": raw_key}
        )
    cers_id = parse_int(required_text(node, "CERSID", problems, where=where))
    if text(node, "CERSID") and cers_id is None:
        problems.add(_("%(where)s: CERSID must be a number.") % {"where": where})
    raw_regulator = required_text(node, "RegulatorCode", problems, where=where)
    regulator_code = parse_int(raw_regulator)
    if raw_regulator and regulator_code is None:
        problems.add(_("%(where)s: RegulatorCode must be a number.") % {"where": where})
    raw_status = required_text(node, "SubmittalAction", problems, where=where)
    status = STATUS_BY_CODE.get(raw_status) if raw_status != "2" else None
    if raw_status and status is None:
        problems.add(
            _(
                "%(where)s: SubmittalAction “%(value)s” is not an action: 3 Under review, 4 Accepted, "
                "5 Not accepted or 6 Not applicable."
            )
            % {"where": where, "value": raw_status}
        )
    raw_when = required_text(node, "SubmittalActionOn", problems, where=where)
    action_at = parse_datetime(raw_when)
    if raw_when and action_at is None:
        problems.add(
            _("%(where)s: SubmittalActionOn “%(value)s” is not a date and time, e.g. 2026-03-01T09:30:00Z.")
            % {"where": where, "value": raw_when}
        )
    elif action_at is not None and action_at > timezone.now() + CLOCK_TOLERANCE:
        problems.add(
            _("%(where)s: SubmittalActionOn %(value)s is in the future.")
            % {"where": where, "value": raw_when}
        )
    agent_name = required_text(node, "SubmittalActionAgentName", problems, where=where, max_length=80)
    agent_email = required_text(node, "SubmittalActionAgentEmail", problems, where=where, max_length=240)
    if agent_email and check_email(agent_email):
        problems.add(
            _("%(where)s: SubmittalActionAgentEmail “%(value)s” is not an e-mail address.")
            % {"where": where, "value": agent_email}
        )
    comments = optional_text(node, "SubmittalActionComments", problems, where=where, max_length=1500)
    return ActionItem(
        position=position,
        code=code,
        raw_key=raw_key,
        key=key,
        cers_id=cers_id,
        regulator_code=regulator_code,
        status=status,
        action_at=action_at,
        agent_name=agent_name,
        agent_email=agent_email,
        comments=comments,
        next_due_date=text(node, "NextDueDate"),
    )


@transaction.atomic
def actions_apply(*, request: ActionRequest, client: Any, actor: Any) -> ActionOutcome:
    """Apply every action of the document as the client's agency, or none (``EdtRejected``).

    An element the agency may not reach (another agency's, a draft, a key that does not exist) answers
    404 like a URL that does not exist; a rule refusing the action answers 422.
    """
    regulator = client.regulator
    messages: list[EdtMessage] = []
    problems: list[EdtMessage] = []
    not_found = False
    elements: list[SubmittalElement] = []
    for item in request.items:
        try:
            element = regulator_element_get(user=actor, regulator=regulator, public_id=item.key)
        except Http404:
            not_found = True
            problems.append(
                EdtMessage(
                    REQUIRED,
                    _(
                        "%(where)s: no submitted element with CERSUniqueKey %(key)s is in the jurisdiction of "
                        "%(regulator)s."
                    )
                    % {"where": item.where, "key": item.raw_key, "regulator": regulator.name},
                    CODE_NOT_FOUND,
                )
            )
            continue
        mismatch = _mismatch(item, element, regulator)
        if mismatch:
            problems.append(
                EdtMessage(REQUIRED, mismatch, CODE_FIELD, cers_unique_key=str(element.public_id))
            )
            continue
        assert item.status is not None  # checked by the parser
        if (
            item.action_at is not None
            and element.submitted_at
            and item.action_at < element.submitted_at - CLOCK_TOLERANCE
        ):
            problems.append(
                EdtMessage(
                    REQUIRED,
                    _("%(where)s: SubmittalActionOn is before the element was submitted (%(submitted)s).")
                    % {
                        "where": item.where,
                        "submitted": timezone.localtime(element.submitted_at).isoformat(),
                    },
                    CODE_FIELD,
                    cers_unique_key=str(element.public_id),
                )
            )
            continue
        try:
            with transaction.atomic():
                reviewed = element_review(
                    element_id=element.pk,
                    reviewer=actor,
                    status=item.status,
                    comments=item.comments,
                    agent_name=item.agent_name,
                    agent_email=item.agent_email,
                    action_at=item.action_at,
                )
        except DomainError as error:
            problems.append(
                EdtMessage(
                    REQUIRED,
                    f"{item.where}: {error.message}",
                    CODE_REFUSED,
                    cers_unique_key=str(element.public_id),
                )
            )
            continue
        elements.append(reviewed)
        messages.append(
            EdtMessage(
                ADVISORY,
                _("%(element)s of facility %(cers_id)s: %(status)s.")
                % {
                    "element": Element(reviewed.element).label,
                    "cers_id": reviewed.facility.cers_id,
                    "status": reviewed.get_status_display(),
                },
                CODE_NOTE,
                cers_unique_key=str(reviewed.public_id),
            )
        )
        if item.next_due_date:
            messages.append(
                EdtMessage(
                    ADVISORY,
                    _(
                        "%(where)s: NextDueDate is not set through this service; the regulator portal sets "
                        "due dates."
                    )
                    % {"where": item.where},
                    CODE_NOTE,
                    cers_unique_key=str(reviewed.public_id),
                )
            )
    if problems:
        raise EdtRejected(problems, http_status=404 if not_found else 422)
    return ActionOutcome(messages=messages, elements=elements)


def _mismatch(item: ActionItem, element: SubmittalElement, regulator: Any) -> str | None:
    if item.cers_id != element.facility.cers_id:
        return _("%(where)s: CERSID %(given)s is not the facility of this element (%(actual)s).") % {
            "where": item.where,
            "given": item.cers_id,
            "actual": element.facility.cers_id,
        }
    if item.code != element.element:
        return _("%(where)s: code %(given)s is not this element's code (%(actual)s, %(label)s).") % {
            "where": item.where,
            "given": item.code,
            "actual": element.element,
            "label": Element(element.element).label,
        }
    if item.regulator_code != regulator.code:
        return _("%(where)s: RegulatorCode %(given)s is not your agency's code (%(code)s).") % {
            "where": item.where,
            "given": item.regulator_code,
            "code": regulator.code,
        }
    return None
