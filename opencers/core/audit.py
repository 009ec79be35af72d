"""Writing the audit log (DESIGN rule 5). Every service that changes state calls ``audit_log``."""

from __future__ import annotations

from typing import Any

from django.db import models

from opencers.core.models import AuditEvent


def _scope_of(obj: models.Model) -> dict[str, Any]:
    """Objects say which organization, facility and regulator they belong to through ``audit_scope()``.

    Rows of a submittal element (an inventory row, a document) without their own ``audit_scope`` take
    their element's. Changes to a draft are the business's own work in progress: they are marked
    ``business_only`` and never shown to regulators (drafts are never visible to them).
    """
    owner = obj
    if not callable(getattr(obj, "audit_scope", None)) and callable(
        getattr(getattr(obj, "element", None), "audit_scope", None)
    ):
        owner = obj.element  # type: ignore[attr-defined]
    scope_method = getattr(owner, "audit_scope", None)
    scope: dict[str, Any] = scope_method() if callable(scope_method) else {}
    return {
        "organization_id": scope.get("organization_id"),
        "facility_id": scope.get("facility_id"),
        "regulator_id": scope.get("regulator_id"),
        "business_only": bool(getattr(owner, "is_draft", False)),
    }


def audit_log(
    obj: models.Model,
    action: str,
    *,
    actor: Any = None,
    actor_label: str = "",
    data: dict[str, Any] | None = None,
    **scope_overrides: int | None,
) -> AuditEvent:
    """Record a state change of ``obj`` under the dotted ``action`` code (e.g. ``facility.created``)."""
    scope = _scope_of(obj)
    scope.update({k: v for k, v in scope_overrides.items() if k in scope and k != "business_only"})
    user = actor if getattr(actor, "is_authenticated", False) else None
    label = actor_label or (getattr(user, "email", "") if user else "system")
    return AuditEvent.objects.create(
        actor=user,
        actor_label=label,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_label=str(obj)[:300],
        data=data or {},
        **scope,
    )
