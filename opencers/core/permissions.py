"""The permission vocabulary and how views declare theirs (DESIGN rule 3).

Every view and endpoint carries a ``permission`` attribute naming one entry of ``PERMISSIONS``. The
authorization matrix test (tests/test_authorization_matrix.py) walks the URL resolver and fails for any
view without one, and for any URL without a row in the matrix.

* ``public``: anyone, signed in or not.
* ``authenticated``: any signed-in user; the view shows only the user's own data.
* object permissions (``facility:edit``...): the view fetches its object through a selector that takes
  the acting user and answers 404 for "does not exist" and "not yours" alike.
* global permissions (``state:admin``...): checked against the user's state role.

Which business permission group or regulator role grants which permission is defined next to the
memberships (``organizations.roles`` and ``regulators.roles``) and listed in docs/permissions.md.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse

PERMISSIONS: dict[str, str] = {
    "public": "Anyone, signed in or not.",
    "authenticated": "Any signed-in user, for their own account and data.",
    "dev": "Development tools; the URL answers 404 unless DEV_OUTBOX is on.",
    "organization:view": "See an organization, its facilities and people (Viewer and up).",
    "organization:manage": "Manage an organization's people and access requests (Lead User).",
    "facility:view": "See a facility and its submittals (business Viewer and up; its regulators; state).",
    "facility:edit": "Edit a facility's drafts, inventory and documents (Editor, Approver, Lead User).",
    "facility:submit": "Certify and submit a facility's elements (Approver, Lead User).",
    "regulator:view": "See a regulator's jurisdiction, facilities and submittals (any regulator role).",
    "regulator:review": "Accept or not accept submittals (regulator Approver, Admin).",
    "regulator:inspect": "Record inspections, violations and enforcement (Inspector, Data uploader, Admin).",
    "regulator:admin": "Manage the agency's staff, settings, due dates and API clients (regulator Admin).",
    "state:view": "See every regulator and facility in the state (state staff).",
    "state:admin": "Manage regulators, jurisdictions, libraries, transfers and merges (state admins).",
    "api": "An API client's bearer token with the endpoint's scope; it reaches what its identity may reach in the portal.",
}

GLOBAL_PERMISSIONS = {"state:view", "state:admin"}

V = TypeVar("V", bound=Callable[..., HttpResponse])


def permission_required(permission: str) -> Callable[[V], V]:
    """Declare a function view's permission and enforce the part that needs no object.

    Anonymous users are sent to the login page for anything but ``public``. ``dev`` views answer 404
    unless the development outbox is enabled. Global state permissions are checked here; object
    permissions are enforced by the selector the view uses to fetch its object.
    """
    if permission not in PERMISSIONS:
        raise ValueError(f"Unknown permission {permission!r}: add it to opencers.core.permissions.")

    def decorator(view: V) -> V:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if permission == "dev" and not settings.DEV_OUTBOX:
                raise Http404
            if permission not in ("public", "dev") and not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if permission in GLOBAL_PERMISSIONS and not user_has_global(request.user, permission):
                raise Http404
            return view(request, *args, **kwargs)

        wrapper.permission = permission  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorator


def user_has_global(user: Any, permission: str) -> bool:
    """State roles: ``viewer`` reads everything; ``helpdesk`` and ``sysadmin`` also administer."""
    role = getattr(user, "state_role", "") or ""
    if permission == "state:view":
        return role in ("viewer", "helpdesk", "sysadmin")
    if permission == "state:admin":
        return role in ("helpdesk", "sysadmin")
    return False


def view_permission(callback: Callable[..., Any]) -> str | None:
    """The permission a resolved URL callback declares (function views, class-based views, DRF views)."""
    for candidate in (callback, getattr(callback, "view_class", None), getattr(callback, "cls", None)):
        if candidate is not None and getattr(candidate, "permission", None):
            return str(candidate.permission)
    return None
