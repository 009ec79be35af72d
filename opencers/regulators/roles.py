"""Which regulator role grants which permission (see opencers.core.permissions and docs/permissions.md)."""

from __future__ import annotations

from opencers.regulators.models import RegulatorRole

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    RegulatorRole.VIEWER: frozenset({"regulator:view", "facility:view"}),
    RegulatorRole.EMERGENCY_RESPONDER: frozenset({"regulator:view", "facility:view"}),
    RegulatorRole.INSPECTOR: frozenset({"regulator:view", "facility:view", "regulator:inspect"}),
    RegulatorRole.DATA_UPLOADER: frozenset({"regulator:view", "facility:view", "regulator:inspect"}),
    RegulatorRole.APPROVER: frozenset({"regulator:view", "facility:view", "regulator:review"}),
    RegulatorRole.ADMIN: frozenset(
        {"regulator:view", "facility:view", "regulator:review", "regulator:inspect", "regulator:admin"}
    ),
}


def role_grants(role: str, permission: str) -> bool:
    return permission in ROLE_PERMISSIONS.get(role, frozenset())


def roles_granting(permission: str) -> list[str]:
    return [role for role, perms in ROLE_PERMISSIONS.items() if permission in perms]
