"""Reads for the Tier II exchange, scoped to the acting user.

Exports include drafts and confidential locations, so they are for the business's own people: members
whose permission group grants ``facility:view`` (Viewer and up). Anyone else, regulators included, gets
404 as for a facility that does not exist. Importing needs ``facility:edit``.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.files.storage import default_storage
from django.http import Http404
from django.utils.translation import gettext as _

from opencers.core.errors import DomainError
from opencers.elements.inventory.selectors import inventory_facility_for_member
from opencers.organizations.models import Facility, Organization
from opencers.organizations.roles import groups_granting
from opencers.organizations.selectors import organization_get_for_user
from opencers.tier2.export import Export, ExportOptions, export_facilities, export_facility
from opencers.tier2.package import build_t2s

logger = logging.getLogger(__name__)


def tier2_facility_for_member(*, user: Any, cers_id: int, permission: str = "facility:view") -> Facility:
    return inventory_facility_for_member(user=user, cers_id=cers_id, permission=permission)


def tier2_organization_for_member(*, user: Any, code: int) -> Organization:
    """The organization, for its members whose group grants ``facility:view`` (not state staff)."""
    organization = organization_get_for_user(user=user, code=code)
    if not organization.memberships.filter(user=user, group__in=groups_granting("facility:view")).exists():
        raise Http404
    return organization


def tier2_facility_export(*, user: Any, cers_id: int, options: ExportOptions) -> Export:
    facility = tier2_facility_for_member(user=user, cers_id=cers_id)
    return export_facility(facility, options)


def tier2_organization_export(*, user: Any, code: int, options: ExportOptions) -> Export:
    organization = tier2_organization_for_member(user=user, code=code)
    facilities = list(
        organization.facilities.filter(archived=False)
        .select_related("county", "organization")
        .order_by("cers_id")
    )
    return export_facilities(facilities, options)


def tier2_package(export: Export) -> bytes:
    """The ``.t2s`` archive of an export: its XML and the site map files (``ExportRefused`` when the
    export has problems)."""
    xml = export.xml()
    streams = []
    try:
        for attachment in export.attachments:
            try:
                stream = default_storage.open(attachment.stored.storage_key, "rb")
            except OSError:
                logger.error(
                    "stored object %s of document file %s is missing",
                    attachment.stored.storage_key,
                    attachment.stored.public_id,
                )
                raise DomainError(
                    _(
                        "The site map file %(name)s cannot be read from storage. Download the XML without it, "
                        "or upload the site map again."
                    )
                    % {"name": attachment.stored.original_name}
                ) from None
            streams.append((attachment.file_name, stream))
        return build_t2s(xml, streams)
    finally:
        for _name, stream in streams:
            stream.close()
