"""Inventory import: check a whole workbook, then write it all or nothing.

``import_check`` reads the workbook (``reader``: structure checks, then the parser in a limited child),
finds the columns by name, parses every cell with the field table's ``parse_value`` (one problem per bad
cell: row and column as Excel shows them, the value, what is wrong and how to fix it), routes every row
by its CERSID to a facility the acting user may edit, and runs the inventory rules
(``validation.inventory_guidance``) on the rows as unsaved ``InventoryItem`` instances. Nothing is
written. ``import_write`` then writes every facility's rows in one transaction, with PostgreSQL ``COPY``.

A Required-level problem anywhere blocks the whole file; warnings and advisories are reported and do not.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from django.db import connection, transaction
from django.db.models import Max
from django.db.models.base import ModelState
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from opencers.core.audit import audit_log
from opencers.core.elements import Element
from opencers.core.errors import DomainError, InvalidTransition, NotPermitted
from opencers.core.validators import normalize_cas
from opencers.elements.fields import CODE, FieldProblem, FieldSpec, parse_value, plain
from opencers.elements.inventory.fields import CHEMICAL_FIELDS
from opencers.elements.inventory.models import InventoryItem
from opencers.elements.inventory.services import _apply_library_link
from opencers.elements.inventory.validation import inventory_guidance
from opencers.library.models import Chemical
from opencers.organizations.models import Facility, Organization
from opencers.organizations.selectors import facilities_for_user
from opencers.spreadsheets.columns import (
    CERSID,
    CERSID_SPEC,
    SPECS_BY_KEY,
    TEMPLATE_COLUMNS,
    cell_name,
    code_from_choice,
    column_key,
    column_letter,
    display_value,
    unescape_text,
)
from opencers.spreadsheets.reader import Sheet, read_workbook
from opencers.submittals.guidance import ADVISORY, REQUIRED, WARNING
from opencers.submittals.models import Status, SubmittalElement
from opencers.submittals.selectors import draft_of, last_accepted_or_submitted
from opencers.submittals.services import draft_get_or_create, draft_start_from, draft_touch

INVENTORY = Element.HAZARDOUS_MATERIALS_INVENTORY
REPLACE, APPEND = "replace", "append"
MODES = (REPLACE, APPEND)
LEVEL_ORDER = {str(REQUIRED): 0, str(WARNING): 1, str(ADVISORY): 2}
PROGRESS_EVERY = 5000


@dataclass(frozen=True)
class Problem:
    """A problem of the file: of a cell (row and column), of a row, of a column, or of the whole file."""

    level: str
    message: str
    row: int | None = None  # as Excel shows it
    column: str = ""  # the template column's name
    value: str = ""
    column_index: int | None = None  # zero-based column of the cell in the sheet

    @property
    def blocks(self) -> bool:
        return self.level == REQUIRED

    @property
    def cell(self) -> str:
        return cell_name(self.row, self.column_index)

    def as_dict(self) -> dict[str, Any]:
        return {
            "level": str(self.level),
            "row": self.row,
            "column": self.column,
            "cell": self.cell,
            "value": self.value,
            "message": self.message,
            "column_index": self.column_index,
        }

    def as_line(self) -> str:
        """``row R, column C: message`` (as the command line prints it)."""
        where = []
        if self.row is not None:
            where.append(_("row %(row)d") % {"row": self.row})
        if self.column:
            where.append(_("column %(column)s") % {"column": self.column})
        return f"{', '.join(where)}: {self.message}" if where else self.message


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(
        problems,
        key=lambda p: (
            p.row or 0,
            p.column_index if p.column_index is not None else -1,
            LEVEL_ORDER.get(p.level, 9),
        ),
    )


@dataclass
class FacilityRows:
    facility: Facility
    items: list[Any] = field(default_factory=list)  # unsaved InventoryItem instances, in file order
    rows: list[int] = field(default_factory=list)  # the Excel row of each item


@dataclass
class ImportPlan:
    """A checked file: what would be written, and every problem and notice."""

    file_name: str
    sheet_name: str = ""
    header_row: int = 0
    rows_total: int = 0
    facilities: list[FacilityRows] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    child_peak_rss: int = 0

    @property
    def blocked(self) -> bool:
        return any(problem.blocks for problem in self.problems)

    def counts(self) -> dict[str, int]:
        result = {str(REQUIRED): 0, str(WARNING): 0, str(ADVISORY): 0}
        for problem in self.problems:
            result[str(problem.level)] = result.get(str(problem.level), 0) + 1
        return result


class ImportCancelled(Exception):
    """Raised by a progress callback when the import was cancelled."""


# Called as the rows are checked: (rows checked so far, rows in the file).
Progress = Callable[[int, int], None]


# --- Checking ------------------------------------------------------------------------------------------


def import_check(
    *,
    content: bytes,
    file_name: str,
    actor: Any,
    facility: Facility | None = None,
    organization: Organization | None = None,
    progress: Progress | None = None,
) -> ImportPlan:
    """Read and check the whole file; nothing is written. ``FileRefused`` if the file cannot be read.

    ``actor`` is the user importing (rows may go only to facilities they may edit), or None for the
    system (the command line), which imports into ``facility`` only. With ``facility`` every row must
    carry its CERS ID; with ``organization`` rows go to the organization's facilities by their CERSID.
    """
    if facility is None and organization is None:
        raise DomainError(_("Choose the facility or the organization to import into."))
    if facility is not None:
        organization = facility.organization
    started = time.perf_counter()
    sheet = read_workbook(content=content, name=file_name)
    try:
        plan = ImportPlan(file_name=file_name, sheet_name=sheet.name, header_row=sheet.header_row)
        checker = _Checker(sheet, plan, actor=actor, facility=facility, organization=organization)
        checker.run(progress)
    finally:
        sheet.close()
    plan.problems = sort_problems(plan.problems)
    plan.timings["total_check"] = time.perf_counter() - started
    return plan


class _Checker:
    def __init__(
        self,
        sheet: Sheet,
        plan: ImportPlan,
        *,
        actor: Any,
        facility: Facility | None,
        organization: Organization | None,
    ) -> None:
        self.sheet = sheet
        self.plan = plan
        self.actor = actor
        self.facility = facility
        self.organization = organization
        self.columns: dict[str, int] = {}  # XML name → column index within the sheet data
        self.missing_required: set[str] = set()  # columns whose row messages are left out (missing, twice)
        self.bad_cells: set[tuple[int, str]] = set()  # (row offset, XML name) with a parse problem
        self.clock = time.perf_counter()

    # Problems ----------------------------------------------------------------------------------------

    def problem(
        self, level: str, message: str, *, offset: int | None, column: str = "", value: str = ""
    ) -> None:
        index = self.columns.get(column)
        if "\x00" in value or "\x00" in message:  # shown as ␀: no database text can hold a NUL
            value, message = value.replace("\x00", "\u2400"), message.replace("\x00", "\u2400")
        self.plan.problems.append(
            Problem(
                level=str(level),
                message=message,
                row=self.sheet.excel_row(offset) if offset is not None else None,
                column=column,
                value=value,
                column_index=self.sheet.first_column + index if index is not None else None,
            )
        )

    @staticmethod
    def shown(item: Any, column: str) -> str:
        """A stored value as the file had it (for the problems the rules find)."""
        spec = SPECS_BY_KEY.get(column.lower())
        if spec is None or spec is CERSID_SPEC:
            return ""
        value = item.__dict__.get(spec.name)
        return "" if value is None else str(plain(value))

    # The header --------------------------------------------------------------------------------------

    def map_header(self) -> None:
        seen: dict[str, int] = {}
        ignored: list[str] = []
        header_row = self.sheet.header_row
        for index, cell in enumerate(self.sheet.header):
            key = column_key(cell)
            if not key:
                continue  # a column without a name: ignored (with a notice if it has values)
            spec = SPECS_BY_KEY.get(key)
            if spec is None:
                ignored.append(display_value(cell).strip())
                continue
            if spec.xml in seen:
                self.missing_required.add(spec.xml)  # ambiguous: its row messages would mislead
                self.plan.problems.append(
                    Problem(
                        level=str(REQUIRED),
                        message=_(
                            "The column %(column)s appears twice (columns %(first)s and %(second)s). Keep one of them and delete the other."
                        )
                        % {
                            "column": spec.xml,
                            "first": column_letter(self.sheet.first_column + seen[spec.xml]),
                            "second": column_letter(self.sheet.first_column + index),
                        },
                        row=header_row,
                        column=spec.xml,
                        value=display_value(cell),
                        column_index=self.sheet.first_column + index,
                    )
                )
                continue
            seen[spec.xml] = index
        self.columns = seen
        for name in ignored:
            self.plan.notices.append(
                _("Column %(column)s is not part of the template and was ignored.") % {"column": name}
            )
        missing = [name for name in TEMPLATE_COLUMNS if name not in seen]
        for name in missing:
            if SPECS_BY_KEY[name.lower()].required:
                self.missing_required.add(name)
                self.plan.problems.append(
                    Problem(
                        level=str(REQUIRED),
                        message=_(
                            "The required column %(column)s is missing. Add a column named %(column)s to the header row (row %(row)d) and fill it in for every material."
                        )
                        % {"column": name, "row": header_row},
                        row=header_row,
                        column=name,
                    )
                )
        optional_missing = [name for name in missing if not SPECS_BY_KEY[name.lower()].required]
        if optional_missing:
            self.plan.notices.append(
                ngettext(
                    "Column %(columns)s is not in the file; it was treated as empty.",
                    "These template columns are not in the file and were treated as empty: %(columns)s.",
                    len(optional_missing),
                )
                % {"columns": ", ".join(optional_missing)}
            )

    # Cells -------------------------------------------------------------------------------------------

    def parse_cells(self) -> tuple[list[Any], dict[int, int]]:
        """Parse every non-empty cell, column by column as the parser sends them (a value repeated down a
        column is parsed once), straight into one unsaved InventoryItem per row that has a value.

        Returns the items by row offset (None for rows without a value) and each row's valid CERS ID."""
        sheet = self.sheet
        count = sheet.row_count
        by_index = {index: xml for xml, index in self.columns.items()}
        template = {key: value for key, value in InventoryItem().__dict__.items() if key != "_state"}
        template["public_id"] = None
        template = {"_state": None, **template}
        copy = template.copy
        new = InventoryItem.__new__
        items: list[Any] = [None] * count
        states: list[Any] = [None] * count
        cers_ids: dict[int, int] = {}
        unnamed: list[int] = []
        stream = sheet.columns()
        try:
            for index, indices, raws in stream:
                xml = by_index.get(index)
                if xml is None:
                    if index < len(sheet.header) and not column_key(sheet.header[index]):
                        unnamed.append(index)
                    continue
                spec = SPECS_BY_KEY[xml.lower()]
                name = spec.name
                cache: dict[Any, tuple[Any, str | None, type]] = {}
                get = cache.get
                if xml == CERSID:
                    for offset, raw in zip(indices, raws, strict=True):
                        parsed = get(raw)
                        if parsed is None or parsed[2] is not raw.__class__:
                            parsed = cache[raw] = (*_parse_cell(spec, raw), raw.__class__)
                        if parsed[0] is _BAD:
                            self.bad_cell(offset, xml, raw, parsed[1])
                        elif parsed[0] is not _EMPTY:
                            cers_ids[offset] = parsed[0]
                    continue
                for offset, raw in zip(indices, raws, strict=True):
                    parsed = get(raw)
                    # 1 == 1.0 == True: the cached value must be for a cell of the same type.
                    if parsed is None or parsed[2] is not raw.__class__:
                        parsed = cache[raw] = (*_parse_cell(spec, raw), raw.__class__)
                    value = parsed[0]
                    if value is _EMPTY:
                        continue
                    state = states[offset]
                    if state is None:
                        item = items[offset] = new(InventoryItem)
                        state = states[offset] = copy()
                        state["_state"] = ModelState()
                        item.__dict__ = state
                    if value is _BAD:
                        self.bad_cell(offset, xml, raw, parsed[1])
                        continue
                    state[name] = value
        finally:
            stream.close()
        self.plan.child_peak_rss = sheet.child_peak_rss
        self.plan.timings.update(sheet.timings)
        for index in sorted(unnamed):
            self.plan.notices.append(
                _("Column %(letter)s has no name in the header row and was ignored.")
                % {"letter": column_letter(sheet.first_column + index)}
            )
        return items, cers_ids

    def bad_cell(self, offset: int, xml: str, raw: Any, message: str | None) -> None:
        self.bad_cells.add((offset, xml))
        self.problem(REQUIRED, message or "", offset=offset, column=xml, value=display_value(raw))

    # Facilities --------------------------------------------------------------------------------------

    def route(self, items: list[Any], cers_ids: dict[int, int]) -> dict[int, FacilityRows]:
        """The facility of each row, by its CERSID; a problem for every row that cannot go anywhere."""
        wanted = {
            cers_ids[offset] for offset, item in enumerate(items) if item is not None and offset in cers_ids
        }
        allowed = self.allowed_facilities(wanted)
        editable_elsewhere: set[int] = set()
        unknown = wanted - set(allowed)
        if unknown and self.actor is not None:
            editable_elsewhere = set(
                facilities_for_user(user=self.actor, permission="facility:edit")
                .filter(cers_id__in=unknown)
                .values_list("cers_id", flat=True)
            )
        by_facility: dict[int, FacilityRows] = {}
        for offset, item in enumerate(items):
            if item is None:
                continue
            cers_id = cers_ids.get(offset)
            if cers_id is None:
                if (offset, CERSID) not in self.bad_cells and CERSID not in self.missing_required:
                    self.problem(
                        REQUIRED,
                        _("CERSID is empty. Give the CERS ID of the facility where this material is stored."),
                        offset=offset,
                        column=CERSID,
                    )
                continue
            facility = allowed.get(cers_id)
            if facility is None:
                self.problem(
                    REQUIRED,
                    self.not_allowed(cers_id, cers_id in editable_elsewhere),
                    offset=offset,
                    column=CERSID,
                    value=str(cers_id),
                )
                continue
            target = by_facility.get(cers_id)
            if target is None:
                target = by_facility[cers_id] = FacilityRows(facility=facility)
            target.items.append(item)
            target.rows.append(offset)
        return by_facility

    def allowed_facilities(self, wanted: set[int]) -> dict[int, Facility]:
        if self.facility is not None:
            if self.actor is not None and not (
                facilities_for_user(user=self.actor, permission="facility:edit")
                .filter(pk=self.facility.pk)
                .exists()
            ):
                raise NotPermitted(_("You may not change this facility's inventory."))
            return {self.facility.cers_id: self.facility} if self.facility.cers_id in wanted else {}
        if self.actor is not None:
            queryset = facilities_for_user(user=self.actor, permission="facility:edit").filter(
                organization=self.organization, cers_id__in=wanted
            )
        else:
            queryset = Facility.objects.filter(organization=self.organization, cers_id__in=wanted)
        return {facility.cers_id: facility for facility in queryset.select_related("organization")}

    def not_allowed(self, cers_id: int, editable_elsewhere: bool) -> str:
        if self.facility is not None and (editable_elsewhere or self.actor is None):
            return _(
                "CERSID %(cers_id)s is not the facility of this import (%(facility)s, CERS ID %(expected)s). Correct the CERS ID, or import the rows of other facilities from their own inventory pages or with an organization-wide import."
            ) % {"cers_id": cers_id, "facility": self.facility.name, "expected": self.facility.cers_id}
        if editable_elsewhere:
            return _(
                "CERSID %(cers_id)s is a facility of another organization. Import its rows from that organization's import page."
            ) % {"cers_id": cers_id}
        return _(
            "CERSID %(cers_id)s is not a facility you can edit. Check the CERS ID; if it is right, ask the facility's Lead User to give you access."
        ) % {"cers_id": cers_id}

    def check_drafts(self, targets: dict[int, FacilityRows]) -> None:
        for target in targets.values():
            draft = draft_of(target.facility, INVENTORY)
            if draft is not None and draft.not_applicable:
                self.plan.problems.append(
                    Problem(
                        level=str(REQUIRED),
                        message=_(
                            "The draft inventory of %(facility)s (CERS ID %(cers_id)s) is marked not applicable. Clear that mark on its inventory page, then import again."
                        )
                        % {"facility": target.facility.name, "cers_id": target.facility.cers_id},
                        column=CERSID,
                    )
                )

    # Rows --------------------------------------------------------------------------------------------

    def link_library(self, targets: dict[int, FacilityRows]) -> None:
        """Rows naming a library entry (CCLID) stay linked to it only while name and CAS match it."""
        cclids = {
            item.cclid for target in targets.values() for item in target.items if item.cclid is not None
        }
        if not cclids:
            return
        chemicals = {chemical.ccl_id: chemical for chemical in Chemical.objects.filter(ccl_id__in=cclids)}
        if not chemicals:
            return
        for target in targets.values():
            for item, offset in zip(target.items, target.rows, strict=True):
                chemical = chemicals.get(item.cclid) if item.cclid is not None else None
                if chemical is None:
                    continue
                if _apply_library_link(item, chemical):
                    self.problem(
                        WARNING,
                        _(
                            "CCLID %(ccl_id)s is the library entry “%(name)s” (CAS %(cas)s), whose name or CAS number is not this row's. The row was not linked to it and its library ID was left empty; correct the CCLID, or the names and CAS number."
                        )
                        % {"ccl_id": chemical.ccl_id, "name": chemical.name, "cas": chemical.cas or "—"},
                        offset=offset,
                        column="CCLID",
                        value=str(chemical.ccl_id),
                    )

    def rules(self, targets: dict[int, FacilityRows], progress: Progress | None) -> None:
        """The inventory rules (rows and the whole inventory), per facility, named by Excel row."""
        done = 0
        total = sum(len(target.items) for target in targets.values())
        first = self.sheet.header_row + 1
        for target in targets.values():
            excel_rows = [first + offset for offset in target.rows]
            by_row = dict(zip(excel_rows, zip(target.rows, target.items, strict=True), strict=True))
            for message in inventory_guidance(target.items, rows=excel_rows):
                offset, item = (
                    by_row.get(message.row, (None, None)) if message.row is not None else (None, None)
                )
                if offset is not None and (offset, message.field) in self.bad_cells:
                    continue  # the cell's own problem says it already
                if message.field in self.missing_required:
                    continue  # the missing column is reported once
                self.problem(
                    message.level,
                    message.message,
                    offset=offset,
                    column=message.field,
                    value=self.shown(item, message.field) if item is not None else "",
                )
            target.rows = excel_rows
            done += len(target.items)
            if progress is not None:
                progress(done, total)

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.plan.timings[name] = now - self.clock
        self.clock = now

    def run(self, progress: Progress | None) -> None:
        self.clock = time.perf_counter()
        self.map_header()
        items, cers_ids = self.parse_cells()
        self.lap("cells")
        rows_with_values = len(items) - items.count(None)
        only_cersid = sum(1 for offset in cers_ids if items[offset] is None)
        self.plan.rows_total = rows_with_values
        if only_cersid:
            self.plan.notices.append(
                ngettext(
                    "%(count)d row has only a CERSID and was skipped.",
                    "%(count)d rows have only a CERSID and were skipped.",
                    only_cersid,
                )
                % {"count": only_cersid}
            )
        if rows_with_values == 0:
            if not self.plan.blocked:
                self.plan.problems.append(
                    Problem(
                        level=str(REQUIRED),
                        message=_(
                            "There are no materials below the header row (row %(row)d). Add one row per material and storage location, then import again."
                        )
                        % {"row": self.sheet.header_row},
                        row=self.sheet.header_row,
                    )
                )
            return
        if progress is not None:
            progress(0, rows_with_values)
        targets = self.route(items, cers_ids)
        del items
        self.check_drafts(targets)
        self.link_library(targets)
        self.lap("route")
        self.rules(targets, progress)
        self.lap("rules")
        self.plan.facilities = [targets[key] for key in sorted(targets)]


_EMPTY = object()  # a blank cell (only spaces)
_BAD = object()  # a cell with a problem


def _parse_cell(spec: FieldSpec, raw: Any) -> tuple[Any, str | None]:
    """A cell's stored value (``_EMPTY`` for a blank one), or ``_BAD`` and the problem with it: the form's
    parsing (``parse_value``) and CAS normalization."""
    if isinstance(raw, str):
        if "\x00" in raw:
            return _BAD, _(
                "This cell contains a NUL character, which cannot be stored. Type the value again."
            )
        raw = unescape_text(raw)
        if spec.kind == CODE:
            raw = code_from_choice(spec, raw)
    elif isinstance(raw, float) and raw.is_integer() and abs(raw) < 2**53:
        raw = int(raw)  # a whole number: "400", not "400.0", in messages and text
    try:
        value = parse_value(spec, raw)
    except FieldProblem as problem:
        return _BAD, problem.message
    if value is None or value == "":
        return _EMPTY, None
    if spec.check == "cas":
        value = normalize_cas(value)
    if spec is CERSID_SPEC and value <= 0:
        return _BAD, _("“%(value)s” is not a CERS ID: it is a number such as 10123456.") % {
            "value": display_value(raw)
        }
    return value, None


# --- Writing -------------------------------------------------------------------------------------------

_FIELDS = {field.name: field for field in InventoryItem._meta.concrete_fields}
ITEM_COLUMNS: tuple[str, ...] = tuple(str(_FIELDS[spec.name].column) for spec in CHEMICAL_FIELDS)
ITEM_ATTRIBUTES: tuple[str, ...] = tuple(spec.name for spec in CHEMICAL_FIELDS)
_COPY_TYPES = {"DecimalField": "numeric", "BigIntegerField": "int8", "CharField": "text"}
# The type of each COPY column, so that psycopg picks each column's dumper once, not per value.
ITEM_TYPES: tuple[str, ...] = (
    "uuid",
    "timestamptz",
    "timestamptz",
    "int8",
    "int8",
    "int8",
    *(_COPY_TYPES[_FIELDS[name].get_internal_type()] for name in ITEM_ATTRIBUTES),
)


@dataclass
class Written:
    facility: Facility
    draft: SubmittalElement
    added: int
    removed: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "cers_id": self.facility.cers_id,
            "facility": self.facility.name,
            "added": self.added,
            "removed": self.removed,
        }


@transaction.atomic
def import_write(
    *,
    plan: ImportPlan,
    actor: Any,
    mode: str,
    actor_label: str = "",
    audit_data: dict[str, Any] | None = None,
) -> list[Written]:
    """Write a checked plan: every facility's rows in one transaction (all or nothing).

    ``replace`` empties each facility's draft inventory first; ``append`` adds the rows after its last
    row. A facility without a draft gets one, started from its last accepted (or submitted) inventory
    when there is one. One audit event per facility records the counts."""
    if mode not in MODES:
        raise DomainError(_("Choose whether to replace the draft inventory or add to it."), field="mode")
    if plan.blocked:
        raise DomainError(_("The file has problems to correct; nothing was imported."))
    written: list[Written] = []
    for target in sorted(plan.facilities, key=lambda t: t.facility.pk):
        facility = target.facility
        if actor is not None and not (
            facilities_for_user(user=actor, permission="facility:edit").filter(pk=facility.pk).exists()
        ):
            raise NotPermitted(
                _("You may no longer change the inventory of %(facility)s.") % {"facility": facility.name}
            )
        draft = _draft_for_import(facility, actor)
        removed = 0
        if mode == REPLACE:
            removed = _delete_rows(draft)
            start = 0
        else:
            start = InventoryItem.objects.filter(element=draft).aggregate(last=Max("position"))["last"] or 0
        _copy_rows(draft, target.items, start)
        audit_log(
            draft,
            "inventory.imported",
            actor=actor,
            actor_label=actor_label,
            data={
                "mode": mode,
                "rows_added": len(target.items),
                "rows_removed": removed,
                "file_name": plan.file_name,
                **(audit_data or {}),
            },
        )
        draft_touch(draft)
        written.append(Written(facility=facility, draft=draft, added=len(target.items), removed=removed))
    return written


def _draft_for_import(facility: Facility, actor: Any) -> SubmittalElement:
    """The facility's draft inventory, locked; a new one (from the last version, if any) when there is none."""
    draft = (
        SubmittalElement.objects.select_for_update()
        .filter(facility=facility, element=INVENTORY, status=Status.DRAFT)
        .first()
    )
    if draft is None:
        source = last_accepted_or_submitted(facility, INVENTORY)
        if source is not None:
            draft = draft_start_from(facility=facility, element=INVENTORY, source=source, actor=actor)
        else:
            draft = draft_get_or_create(facility=facility, element=INVENTORY, actor=actor)
        draft = SubmittalElement.objects.select_for_update().get(pk=draft.pk)
    if not draft.is_draft:  # pragma: no cover - the filter above only finds drafts
        raise InvalidTransition(_("This version was submitted and can no longer change."))
    if draft.not_applicable:
        raise DomainError(
            _(
                "The draft inventory of %(facility)s (CERS ID %(cers_id)s) is marked not applicable. Clear that mark on its inventory page, then import again."
            )
            % {"facility": facility.name, "cers_id": facility.cers_id}
        )
    return draft


def _delete_rows(draft: SubmittalElement) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {InventoryItem._meta.db_table} WHERE element_id = %s", [draft.pk])  # noqa: S608
        return cursor.rowcount


def _copy_rows(draft: SubmittalElement, items: list[Any], start: int) -> None:
    """Insert the rows with PostgreSQL COPY (one statement per facility), positions after ``start``."""
    if not items:
        return
    table = InventoryItem._meta.db_table
    columns = (
        "public_id",
        "created_at",
        "updated_at",
        "element_id",
        "position",
        "library_chemical_id",
        *ITEM_COLUMNS,
    )
    now = timezone.now()
    element_id = draft.pk
    values_of = itemgetter(*ITEM_ATTRIBUTES)  # the row's values as a tuple, in column order
    uuid4 = uuid.uuid4
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        copy.set_types(list(ITEM_TYPES))
        write_row = copy.write_row
        for position, item in enumerate(items, start=start + 1):
            state = item.__dict__
            write_row(
                (uuid4(), now, now, element_id, position, state.get("library_chemical_id"), *values_of(state))
            )
