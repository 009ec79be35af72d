"""Writes of the Tier II exchange: importing a Tier II file into a facility's draft inventory."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from opencers.core.audit import audit_log
from opencers.core.elements import Element
from opencers.core.errors import DomainError, InvalidTransition
from opencers.documents.names import safe_display_name
from opencers.documents.services import Upload, document_files_upload
from opencers.elements.inventory.models import InventoryItem
from opencers.elements.inventory.services import library_link_matches
from opencers.library.selectors import chemical_by_cas
from opencers.organizations.models import Facility
from opencers.submittals.models import SubmittalElement
from opencers.submittals.services import draft_get_or_create, draft_touch
from opencers.tier2.importing import ImportRefused, file_notes, plan_import
from opencers.tier2.package import read_upload
from opencers.tier2.xmlio import read_xml

INVENTORY = Element.HAZARDOUS_MATERIALS_INVENTORY
REPLACE, APPEND = "replace", "append"
SITE_MAP_SLOT = "site_map"


@dataclass
class ImportResult:
    draft: SubmittalElement
    facility_in_file: str
    chemicals: int
    rows: int
    replaced: int  # rows of the draft removed (replace)
    attached: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@transaction.atomic
def tier2_import(
    *,
    facility: Facility,
    actor: Any,
    name: str,
    data: bytes,
    mode: str = REPLACE,
    facility_in_file: str = "",
    attach_files: bool = False,
) -> ImportResult:
    """Import one facility of a Tier II file (XML or .t2s) into the facility's draft inventory.

    All or nothing: the whole file is read and mapped first; any problem refuses the import with every
    problem listed (``ImportRefused``) and nothing changed. ``replace`` discards the draft's rows first,
    ``append`` adds after them. Without a draft an empty one is started. With ``attach_files`` the files
    of a .t2s package named as its attachments are added to the inventory's site map (checked like every
    upload; one refused file refuses the import).
    """
    if mode not in (REPLACE, APPEND):
        raise DomainError(_("Choose whether to replace the draft's materials or add to them."), field="mode")
    upload = read_upload(name=name, data=data)
    read = read_xml(upload.xml)
    plan = plan_import(read.dataset, facility_choice=facility_in_file)
    if plan.problems:
        raise ImportRefused(plan.problems, facility=plan.facility.name)
    notes = [*plan.notes, *file_notes(plan.facility, read.ignored)]
    files: list[Upload] = []
    if attach_files:
        for attachment in plan.facility.attachments:
            content = upload.attachments.get(attachment.file_name)
            if content is None:
                notes.append(
                    _("The attachment %(name)s is listed in the file but not in it: it was not added.")
                    % {"name": safe_display_name(attachment.file_name)}
                )
                continue
            files.append(Upload(attachment.file_name, io.BytesIO(content), len(content)))

    draft = draft_get_or_create(facility=facility, element=INVENTORY, actor=actor)
    draft = SubmittalElement.objects.select_for_update().select_related("facility").get(pk=draft.pk)
    if not draft.is_draft:  # pragma: no cover (draft_get_or_create returns drafts only)
        raise InvalidTransition(_("This version was submitted and can no longer change."))
    if draft.not_applicable:
        raise DomainError(
            _(
                "The draft inventory is marked not applicable. Clear that mark on the element page before "
                "importing materials."
            ),
            field="file",
        )
    existing = InventoryItem.objects.filter(element=draft)
    replaced = 0
    if mode == REPLACE:
        replaced = existing.count()
        existing.delete()
        start = 0
    else:
        start = existing.aggregate(last=Max("position"))["last"] or 0
    library: dict[str, Any] = {}
    rows = []
    for offset, values in enumerate(plan.rows, start=1):
        item: Any = InventoryItem(element=draft, position=start + offset, **values)
        cas = item.cas_number
        if cas:
            if cas not in library:
                library[cas] = chemical_by_cas(cas)
            entry = library[cas]
            if entry is not None and library_link_matches(item, entry):
                item.library_chemical = entry
                item.cclid = entry.ccl_id
        rows.append(item)
    InventoryItem.objects.bulk_create(rows, batch_size=1000)
    attached = []
    if files:
        stored = document_files_upload(element=draft, slot=SITE_MAP_SLOT, actor=actor, uploads=files)
        attached = [file.original_name for file in stored]
    audit_log(
        draft,
        "tier2.imported",
        actor=actor,
        data={
            "file": safe_display_name(name),
            "facility_in_file": plan.facility.name,
            "mode": mode,
            "chemicals": plan.chemicals,
            "rows": len(rows),
            "replaced": replaced,
            "attached": attached,
            "notes": notes,
        },
    )
    draft_touch(draft)
    return ImportResult(
        draft=draft,
        facility_in_file=plan.facility.name,
        chemicals=plan.chemicals,
        rows=len(rows),
        replaced=replaced,
        attached=attached,
        notes=notes,
    )
