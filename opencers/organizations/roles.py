"""Which business permission group grants which permission (docs/permissions.md)."""

from __future__ import annotations

from opencers.organizations.models import PermissionGroup

GROUP_PERMISSIONS: dict[str, frozenset[str]] = {
    PermissionGroup.VIEWER: frozenset({"organization:view", "facility:view"}),
    PermissionGroup.EDITOR: frozenset({"organization:view", "facility:view", "facility:edit"}),
    PermissionGroup.APPROVER: frozenset(
        {"organization:view", "facility:view", "facility:edit", "facility:submit"}
    ),
    PermissionGroup.LEAD: frozenset(
        {"organization:view", "organization:manage", "facility:view", "facility:edit", "facility:submit"}
    ),
}

GROUP_HELP = {
    PermissionGroup.VIEWER: "See facilities, submittals and reports; download the inventory.",
    PermissionGroup.EDITOR: "Everything a Viewer can, and edit drafts, the inventory and documents.",
    PermissionGroup.APPROVER: "Everything an Editor can, and certify and submit to the regulator.",
    PermissionGroup.LEAD: "Everything, and manage the organization's people and access requests.",
}


def groups_granting(permission: str) -> list[str]:
    return [group for group, perms in GROUP_PERMISSIONS.items() if permission in perms]


def group_grants(group: str, permission: str) -> bool:
    return permission in GROUP_PERMISSIONS.get(group, frozenset())
