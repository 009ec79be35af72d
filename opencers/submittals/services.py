"""The lifecycle of submittal elements: drafts, submission (certification), regulator review."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from opencers.core.audit import audit_log
from opencers.core.elements import Element
from opencers.core.errors import DomainError, InvalidTransition, NotPermitted
from opencers.documents.services import documents_copy
from opencers.notifications.services import email_send, emails_send, notification_create
from opencers.organizations.models import Facility, ReportingChannel
from opencers.organizations.selectors import facilities_for_user, lead_users
from opencers.regulators.selectors import regulator_staff
from opencers.submittals.content import content_digest, element_content
from opencers.submittals.due import due_dates_update
from opencers.submittals.guidance import Guidance, has_required
from opencers.submittals.models import (
    SUBMITTED_STATUSES,
    FacilitySubmittal,
    GuidanceRecord,
    Origin,
    Status,
    SubmittalElement,
)
from opencers.submittals.registry import element_type
from opencers.submittals.rules import element_guidance

CERTIFICATION_TEXT = (
    "I certify under penalty of law that I have personally examined and am familiar with the information "
    "submitted and believe the submitted information is true, accurate, and complete."
)
RESUBMIT_DAYS = 30


# --- Drafts ------------------------------------------------------------------------------------------


def _lock_draft(facility: Facility, element: int) -> SubmittalElement | None:
    return (
        SubmittalElement.objects.select_for_update()
        .filter(facility=facility, element=element, status=Status.DRAFT)
        .first()
    )


@transaction.atomic
def draft_get_or_create(*, facility: Facility, element: int, actor: Any) -> SubmittalElement:
    """The element's current draft; a new empty one if there is none."""
    draft = _lock_draft(facility, element)
    if draft is None:
        draft = SubmittalElement.objects.create(facility=facility, element=element)
        audit_log(draft, "element.draft_created", actor=actor, data={"element": int(element)})
    return draft


@transaction.atomic
def draft_start_from(
    *, facility: Facility, element: int, source: SubmittalElement, actor: Any, replace: bool = False
) -> SubmittalElement:
    """A new draft holding a copy of a submitted version: data, documents and the not-applicable mark."""
    if (
        source.facility_id != facility.pk
        or source.element != element
        or source.status not in SUBMITTED_STATUSES
    ):
        raise DomainError(_("Choose a submitted version of this element to start from."))
    existing = _lock_draft(facility, element)
    if existing is not None:
        if not replace:
            raise DomainError(
                _("There is already a draft of this element. Continue it, or discard it first.")
            )
        _discard(existing, actor)
    draft = SubmittalElement.objects.create(
        facility=facility,
        element=element,
        based_on=source,
        not_applicable=source.not_applicable,
        not_applicable_reason=source.not_applicable_reason,
    )
    etype = element_type(element)
    if etype is not None:
        etype.copy(source, draft)
    documents_copy(source, draft)
    audit_log(
        draft,
        "element.draft_copied",
        actor=actor,
        data={"from_version": source.version, "from": str(source.public_id)},
    )
    return draft


def _discard(draft: SubmittalElement, actor: Any) -> None:
    audit_log(draft, "element.draft_discarded", actor=actor, data={"element": int(draft.element)})
    draft.delete()


@transaction.atomic
def draft_discard(*, draft: SubmittalElement, actor: Any) -> None:
    draft = SubmittalElement.objects.select_for_update().get(pk=draft.pk)
    if not draft.is_draft:
        raise InvalidTransition(_("Only a draft can be discarded."))
    _discard(draft, actor)


@transaction.atomic
def draft_mark_not_applicable(
    *, draft: SubmittalElement, actor: Any, not_applicable: bool, reason: str = ""
) -> SubmittalElement:
    draft = SubmittalElement.objects.select_for_update().get(pk=draft.pk)
    if not draft.is_draft:
        raise InvalidTransition(_("Only a draft can be changed."))
    if draft.element == Element.FACILITY_INFORMATION and not_applicable:
        raise DomainError(
            _("Facility Information is part of every submittal and cannot be marked not applicable.")
        )
    if not_applicable and len(reason.strip()) < 5:
        raise DomainError(_("Say why this element does not apply to the facility."), field="reason")
    draft.not_applicable = not_applicable
    draft.not_applicable_reason = reason.strip()[:500] if not_applicable else ""
    draft.save(update_fields=["not_applicable", "not_applicable_reason", "updated_at"])
    audit_log(
        draft,
        "element.not_applicable_set" if not_applicable else "element.not_applicable_cleared",
        actor=actor,
        data={"reason": draft.not_applicable_reason},
    )
    return draft


def draft_touch(draft: SubmittalElement) -> None:
    """Record that a draft's data changed (element apps call this after saving their rows)."""
    SubmittalElement.objects.filter(pk=draft.pk, status=Status.DRAFT).update(updated_at=timezone.now())


# --- Submission --------------------------------------------------------------------------------------


def _auth_strength(actor: Any, strength: str | None) -> str:
    if strength:
        return strength
    return "password and authenticator code" if getattr(actor, "mfa_enabled", False) else "password"


@transaction.atomic
def facility_submit(
    *,
    facility: Facility,
    actor: Any,
    element_codes: Iterable[int],
    signer_name: str,
    signer_title: str,
    comments: dict[int, str] | None = None,
    auth_strength: str | None = None,
    origin: str = Origin.PORTAL,
    origin_detail: str = "",
    check_permission: bool = True,
    submitted_at: Any = None,
) -> FacilitySubmittal:
    """Certify and submit the chosen drafts of a facility as one facility submittal.

    Refused, with nothing changed, when: the actor may not submit (Approver or Lead User), Facility
    Information is not included, an element has no draft, or a draft has a Required guidance message.

    A historical submittal migrated from the state's system (origin ``migration``) keeps its original
    ``submitted_at``, is recorded as the state's system accepted it (its guidance messages are kept but do
    not block it), and notifies nobody.
    """
    historical = origin == Origin.MIGRATION
    codes = sorted({int(code) for code in element_codes})
    comments = comments or {}
    if (
        check_permission
        and not facilities_for_user(user=actor, permission="facility:submit").filter(pk=facility.pk).exists()
    ):
        raise NotPermitted(_("Only an Approver or a Lead User of the organization can submit."))
    _check_reporting_channel(facility, origin)
    if not codes:
        raise DomainError(_("Choose at least one element to submit."), field="elements")
    if Element.FACILITY_INFORMATION not in codes:
        raise DomainError(
            _(
                "Facility Information must be part of every submittal. Tick it (start a new draft from the last one if nothing changed)."
            ),
            field="elements",
        )
    if not signer_name.strip() or not signer_title.strip():
        raise DomainError(
            _("Give the name and title of the person certifying the submittal."), field="signer_name"
        )
    drafts: list[SubmittalElement] = []
    for code in codes:
        draft = _lock_draft(facility, code)
        if draft is None:
            raise DomainError(
                _("%(element)s has no draft to submit.") % {"element": Element(code).label}, field="elements"
            )
        messages = element_guidance(draft)
        if has_required(messages) and not historical:
            raise DomainError(
                _("%(element)s still has problems that must be fixed before it can be submitted.")
                % {"element": Element(code).label},
                field="elements",
            )
        drafts.append(draft)
    now = submitted_at if historical and submitted_at is not None else timezone.now()
    submittal = FacilitySubmittal.objects.create(
        facility=facility,
        submitted_by=actor if getattr(actor, "pk", None) else None,
        submitted_at=now,
        signer_name=signer_name.strip()[:80],
        signer_title=signer_title.strip()[:50],
        certification_text=CERTIFICATION_TEXT,
        auth_strength=_auth_strength(actor, auth_strength),
        origin=origin,
        origin_detail=origin_detail[:200],
    )
    routes = {route.element: route.regulator for route in facility.routes.select_related("regulator")}
    for draft in drafts:
        _submit_one(draft, submittal, actor, now, routes.get(draft.element), comments.get(draft.element, ""))
    due_dates_update(facility=facility, elements=drafts, submitted_on=timezone.localdate(now))
    audit_log(
        submittal,
        "facility.submitted",
        actor=actor,
        data={
            "elements": codes,
            "signer": submittal.signer_name,
            "title": submittal.signer_title,
            "origin": origin,
        },
    )
    if not historical:
        _notify_submitted(submittal, drafts)
    return submittal


def _check_reporting_channel(facility: Facility, origin: str) -> None:
    """One reporting channel per facility: a facility reporting through a local portal is refused here,
    and a facility reporting here is refused to a local portal (opencers.edt.channels)."""
    current = (
        Facility.objects.select_for_update(of=("self",))
        .select_related("reporting_client", "cupa")
        .get(pk=facility.pk)
    )
    local = current.reporting_channel == ReportingChannel.LOCAL_PORTAL
    if local and origin in (Origin.PORTAL, Origin.API):
        raise DomainError(
            _(
                "%(facility)s reports through a local portal, %(portal)s: submit there. If the business now "
                "reports here, ask %(regulator)s to switch the facility back to this portal."
            )
            % {
                "facility": current.name,
                "portal": current.local_portal_label,
                "regulator": current.cupa.name if current.cupa else _("the regulator"),
            },
            field="elements",
            code="reporting_channel",
        )
    if not local and origin == Origin.LOCAL_PORTAL:
        raise DomainError(
            _(
                "%(facility)s reports in the business portal, not through a local portal. Ask the regulator "
                "to switch it first if the business now reports through a local portal."
            )
            % {"facility": current.name},
            field="elements",
            code="reporting_channel",
        )


def _submit_one(
    draft: SubmittalElement, submittal: FacilitySubmittal, actor: Any, now: Any, regulator: Any, comment: str
) -> None:
    messages = element_guidance(draft)
    GuidanceRecord.objects.bulk_create(
        [
            GuidanceRecord(element=draft, level=m.level, field=m.field, row=m.row, message=m.message)
            for m in messages
        ]
    )
    previous = (
        SubmittalElement.objects.filter(
            facility=draft.facility_id, element=draft.element, version__isnull=False
        ).aggregate(latest=Max("version"))["latest"]
        or 0
    )
    draft.digest = content_digest(element_content(draft))
    draft.status = Status.NOT_APPLICABLE if draft.not_applicable else Status.SUBMITTED
    draft.facility_submittal = submittal
    draft.version = previous + 1
    draft.regulator = regulator
    draft.submitted_at = now
    draft.submitted_by = actor if getattr(actor, "pk", None) else None
    draft.submitter_comments = comment.strip()[:2000]
    draft.save()
    audit_log(
        draft, "element.submitted", actor=actor, data={"version": draft.version, "digest": draft.digest}
    )


def _business_link(facility: Facility) -> str:
    return settings.SITE_URL + reverse("business:facility", kwargs={"cers_id": facility.cers_id})


def _notify_submitted(submittal: FacilitySubmittal, elements: list[SubmittalElement]) -> None:
    facility = submittal.facility
    names = ", ".join(str(Element(e.element).label) for e in elements)
    by_regulator: dict[Any, list[SubmittalElement]] = {}
    for element in elements:
        if element.regulator is not None:
            by_regulator.setdefault(element.regulator, []).append(element)
    for regulator, owned in by_regulator.items():
        link = settings.SITE_URL + reverse("regulator:queue", kwargs={"code": regulator.code})
        context = {
            "facility": facility,
            "submittal": submittal,
            "elements": owned,
            "regulator": regulator,
            "link": link,
        }
        staff = list(regulator_staff(regulator=regulator, permission="regulator:review"))
        if regulator.notification_email:
            email_send(to=regulator.notification_email, kind="submittal_received_regulator", context=context)
        else:
            emails_send(recipients=staff, kind="submittal_received_regulator", context=context)
        for person in staff:
            notification_create(
                user=person,
                kind="submittal_received",
                message=_("%(facility)s submitted %(elements)s.")
                % {
                    "facility": facility.name,
                    "elements": ", ".join(str(Element(e.element).label) for e in owned),
                },
                link=reverse("regulator:queue", kwargs={"code": regulator.code}),
            )
    recipients = {user.pk: user for user in lead_users(organization=facility.organization)}
    if submittal.submitted_by is not None and not submittal.submitted_by.is_service_account:
        recipients[submittal.submitted_by.pk] = submittal.submitted_by
    emails_send(
        recipients=recipients.values(),
        kind="submittal_confirmation",
        context={
            "facility": facility,
            "submittal": submittal,
            "element_names": names,
            "link": _business_link(facility),
        },
    )


# --- Regulator review --------------------------------------------------------------------------------

REVIEW_ACTIONS = {
    Status.UNDER_REVIEW: "element.under_review",
    Status.ACCEPTED: "element.accepted",
    Status.NOT_ACCEPTED: "element.not_accepted",
    Status.NOT_APPLICABLE: "element.not_applicable_by_regulator",
}


@transaction.atomic
def element_review(
    *,
    element_id: int,
    reviewer: Any,
    status: str,
    comments: str = "",
    agent_name: str = "",
    agent_email: str = "",
    action_at: Any = None,
    check_permission: bool = True,
    historical: bool = False,
) -> SubmittalElement:
    """Set the regulator's status of a submitted element, with comments (the same for portal and EDT).

    ``historical=True`` records a past action migrated from the state's system as it was recorded there
    (comments were not always required) and tells nobody about it."""
    element = (
        SubmittalElement.objects.select_for_update(of=("self",))
        .select_related("facility", "facility__organization", "regulator")
        .get(pk=element_id)
    )
    if status not in REVIEW_ACTIONS:
        raise DomainError(_("Choose Under review, Accepted, Not accepted or Not applicable."), field="status")
    if element.status == Status.DRAFT:
        raise InvalidTransition(_("Only submitted elements can be reviewed."))
    if check_permission:
        from opencers.regulators.selectors import regulators_for_user

        if (
            element.regulator is None
            or not regulators_for_user(user=reviewer, permission="regulator:review")
            .filter(pk=element.regulator_id)
            .exists()
        ):
            raise NotPermitted(_("Only the element's regulator can act on it."))
    if status == Status.NOT_ACCEPTED and not comments.strip() and not historical:
        raise DomainError(
            _("Say what must be corrected: the business reads these comments."), field="comments"
        )
    previous_status, previous_comments = element.status, element.action_comments
    when = action_at or timezone.now()
    element.status = status
    element.action_by = reviewer if getattr(reviewer, "pk", None) else None
    element.action_agent_name = (agent_name or getattr(reviewer, "full_name", ""))[:80]
    element.action_agent_email = (agent_email or getattr(reviewer, "email", ""))[:254]
    element.action_at = when
    element.action_comments = comments.strip()[:1500]
    element.resubmit_due = (
        (timezone.localdate(when) + timedelta(days=RESUBMIT_DAYS)) if status == Status.NOT_ACCEPTED else None
    )
    element.save(
        update_fields=[
            "status",
            "action_by",
            "action_agent_name",
            "action_agent_email",
            "action_at",
            "action_comments",
            "resubmit_due",
            "updated_at",
        ]
    )
    audit_log(
        element,
        REVIEW_ACTIONS[status],
        actor=reviewer,
        actor_label=element.action_agent_email,
        data={
            "from": previous_status,
            "comments": element.action_comments,
            "resubmit_due": element.resubmit_due.isoformat() if element.resubmit_due else None,
        },
    )
    if not historical and (previous_status != status or previous_comments != element.action_comments):
        _notify_review(element, previous_status, previous_comments)
    return element


def elements_bulk_accept(
    *, element_ids: Iterable[int], reviewer: Any, comments: str = ""
) -> list[SubmittalElement]:
    """Accept many submitted elements at once; each in its own transaction, all-or-nothing overall."""
    with transaction.atomic():
        return [
            element_review(element_id=pk, reviewer=reviewer, status=Status.ACCEPTED, comments=comments)
            for pk in element_ids
        ]


def _notify_review(element: SubmittalElement, previous_status: str, previous_comments: str) -> None:
    facility = element.facility
    kind = {
        Status.UNDER_REVIEW: "element_under_review",
        Status.ACCEPTED: "element_accepted",
        Status.NOT_ACCEPTED: "element_not_accepted",
        Status.NOT_APPLICABLE: "element_not_applicable",
    }[Status(element.status)]
    if previous_status == element.status:
        kind = "element_comments_changed"
    recipients = {user.pk: user for user in lead_users(organization=facility.organization)}
    if element.submitted_by is not None and not element.submitted_by.is_service_account:
        recipients[element.submitted_by.pk] = element.submitted_by
    link = settings.SITE_URL + reverse(
        "business:element_version", kwargs={"cers_id": facility.cers_id, "public_id": element.public_id}
    )
    emails_send(
        recipients=recipients.values(),
        kind=kind,
        context={
            "facility": facility,
            "element": element,
            "element_name": Element(element.element).label,
            "link": link,
        },
    )
    for person in recipients.values():
        notification_create(
            user=person,
            kind=kind,
            message=_("%(element)s of %(facility)s: %(status)s.")
            % {
                "element": Element(element.element).label,
                "facility": facility.name,
                "status": element.get_status_display(),
            },
            link=reverse(
                "business:element_version",
                kwargs={"cers_id": facility.cers_id, "public_id": element.public_id},
            ),
        )


# --- Integrity ---------------------------------------------------------------------------------------


def element_digest_matches(element: SubmittalElement) -> bool:
    return bool(element.digest) and content_digest(element_content(element)) == element.digest


def digests_verify() -> list[SubmittalElement]:
    """Every submitted element whose content no longer matches the digest stored at submission."""
    mismatched = []
    for element in (
        SubmittalElement.objects.exclude(status=Status.DRAFT).exclude(digest="").iterator(chunk_size=200)
    ):
        if not element_digest_matches(element):
            mismatched.append(element)
    return mismatched


def previous_version(element: SubmittalElement) -> SubmittalElement | None:
    if element.version is None:
        return (
            SubmittalElement.objects.filter(
                facility=element.facility_id, element=element.element, version__isnull=False
            )
            .order_by("-version")
            .first()
        )
    return (
        SubmittalElement.objects.filter(
            facility=element.facility_id, element=element.element, version__lt=element.version
        )
        .order_by("-version")
        .first()
    )


def guidance_of(element: SubmittalElement) -> list[Guidance]:
    """Guidance now for a draft; as recorded at submission for a submitted version."""
    if element.is_draft:
        return element_guidance(element)
    etype = element_type(element.element)
    labels = etype.labels if etype else {}
    return [
        Guidance(
            level=r.level, field=r.field, message=r.message, row=r.row, label=str(labels.get(r.field, ""))
        )
        for r in element.guidance_records.all()
    ]
