"""Inventory spreadsheets: the services the import pages, the job queue and the command line call.

* ``inventory_import``: check a whole file and, if no row has a Required-level problem, write it (all
  or nothing). Used directly by the command line; the pages go through the job services below.
* ``import_start`` / ``import_run`` / ``import_cancel``: an import as a job (``ImportJob``) that the
  pages can watch. Small files run during the request; larger ones (over
  ``SPREADSHEET_INLINE_MAX_BYTES``) run in the job queue, which e-mails the user when they finish.
* ``template_build``, ``inventory_export`` (template.py) and ``annotated_copy`` (annotate.py) build files.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from opencers.core.audit import audit_log
from opencers.core.errors import DomainError, InvalidTransition, NotPermitted
from opencers.documents.names import safe_display_name
from opencers.notifications.services import email_send
from opencers.organizations.models import Facility, Organization
from opencers.organizations.selectors import facilities_for_user
from opencers.spreadsheets.annotate import annotated_copy, problems_table
from opencers.spreadsheets.importer import (
    MODES,
    ImportCancelled,
    ImportPlan,
    Problem,
    Written,
    import_check,
    import_write,
)
from opencers.spreadsheets.models import CANCELLABLE, FINISHED, ImportJob, ImportProblem, ImportStatus
from opencers.spreadsheets.safety import FileRefused, check_workbook
from opencers.spreadsheets.template import inventory_export, template_build

__all__ = [
    "ImportResult",
    "annotated_copy",
    "import_annotated_copy",
    "import_cancel",
    "import_run",
    "import_start",
    "inventory_export",
    "inventory_import",
    "problems_table",
    "template_build",
]

logger = logging.getLogger(__name__)
STORAGE_PREFIX = "spreadsheets/imports"
PROGRESS_SECONDS = 0.5


@dataclass
class ImportResult:
    """What an import did: nothing (``imported`` False, with the problems), or the rows written."""

    imported: bool
    plan: ImportPlan
    written: list[Written] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        return self.plan.problems

    @property
    def notices(self) -> list[str]:
        return self.plan.notices


def inventory_import(
    *,
    content: bytes,
    file_name: str,
    actor: Any,
    mode: str,
    facility: Facility | None = None,
    organization: Organization | None = None,
    actor_label: str = "",
) -> ImportResult:
    """Check the whole file, then write it only if no row has a Required-level problem.

    ``FileRefused`` when the file cannot be read safely; a result with ``imported=False`` and every
    problem when a row must be corrected (nothing changed). ``actor`` None is the system (the command
    line): it imports into ``facility`` only, and every row must carry that facility's CERS ID."""
    _check_mode(mode)
    plan = import_check(
        content=content, file_name=file_name, actor=actor, facility=facility, organization=organization
    )
    if plan.blocked:
        return ImportResult(imported=False, plan=plan)
    written = import_write(plan=plan, actor=actor, mode=mode, actor_label=actor_label)
    return ImportResult(imported=True, plan=plan, written=written)


def _check_mode(mode: str) -> None:
    if mode not in MODES:
        raise DomainError(_("Choose whether to replace the draft inventory or add to it."), field="mode")


# --- Jobs ------------------------------------------------------------------------------------------------


def import_start(
    *,
    user: Any,
    content: bytes,
    file_name: str,
    mode: str,
    facility: Facility | None = None,
    organization: Organization | None = None,
) -> ImportJob:
    """Keep the uploaded file and start its import: during the request for small files, in the job
    queue for files larger than ``SPREADSHEET_INLINE_MAX_BYTES``.

    Refused with nothing stored (``DomainError``) when the user may not edit the facility (or any
    facility of the organization), or when the file's structure is unsafe or not an .xlsx workbook:
    those checks run before anything is kept."""
    _check_mode(mode)
    if facility is None and organization is None:
        raise DomainError(_("Choose the facility or the organization to import into."))
    editable = facilities_for_user(user=user, permission="facility:edit")
    if facility is not None:
        organization = facility.organization
        if not editable.filter(pk=facility.pk).exists():
            raise NotPermitted(_("You may not change this facility's inventory."))
    elif not editable.filter(organization=organization).exists():
        raise NotPermitted(_("You may not change the inventories of this organization's facilities."))
    assert organization is not None
    shown = safe_display_name(file_name or "inventory.xlsx")
    check_workbook(content=content, name=shown)
    background = len(content) > settings.SPREADSHEET_INLINE_MAX_BYTES
    key = default_storage.save(f"{STORAGE_PREFIX}/{uuid.uuid4().hex}.xlsx", ContentFile(content))
    try:
        job = _job_create(
            user=user,
            organization=organization,
            facility=facility,
            mode=mode,
            file_name=shown,
            key=key,
            size=len(content),
            background=background,
        )
    except BaseException:
        default_storage.delete(key)
        raise
    if not background:
        return import_run(job_id=job.pk)
    return job


@transaction.atomic
def _job_create(
    *,
    user: Any,
    organization: Organization,
    facility: Facility | None,
    mode: str,
    file_name: str,
    key: str,
    size: int,
    background: bool,
) -> ImportJob:
    job = ImportJob.objects.create(
        user=user,
        organization=organization,
        facility=facility,
        mode=mode,
        file_name=file_name,
        file_key=key,
        file_size=size,
        background=background,
    )
    audit_log(
        job,
        "inventory.import_started",
        actor=user,
        data={"file_name": file_name, "size": size, "mode": mode, "background": background},
    )
    if background:
        from opencers.spreadsheets.tasks import run_import

        run_import.defer(job_id=job.pk)
    return job


def import_run(*, job_id: int) -> ImportJob:
    """Run an import job: check the file, then write it (idempotent: a finished job is left as it is;
    a job whose earlier run stopped part-way starts again, its write having been rolled back).

    Counters are saved as the rows are checked; the cancel flag is checked while checking and once more
    under a lock just before writing. A background job e-mails its user when it finishes."""
    with _job_lock(job_id) as acquired:
        if not acquired:
            return ImportJob.objects.get(pk=job_id)  # another worker is running it
        job = ImportJob.objects.get(pk=job_id)
        if job.status in FINISHED:
            return job
        ImportProblem.objects.filter(job=job).delete()
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.VALIDATING,
            started_at=timezone.now(),
            rows_validated=0,
            rows_written=0,
            message="",
        )
        job.refresh_from_db()
        try:
            return _run(job)
        except ImportCancelled:
            job.refresh_from_db()
            return job
        except Exception:
            logger.exception("Inventory import %s stopped", job_id)
            return _finish(
                job,
                ImportStatus.FAILED,
                message=_(
                    "The import stopped because of an unexpected error; nothing was changed. Try again later."
                ),
            )


def _run(job: ImportJob) -> ImportJob:
    try:
        with default_storage.open(job.file_key, "rb") as stream:
            content = stream.read()
    except OSError:
        return _finish(
            job, ImportStatus.FAILED, message=_("The uploaded file is no longer available. Upload it again.")
        )
    progress = _Progress(job)
    try:
        plan = import_check(
            content=content,
            file_name=job.file_name,
            actor=job.user,
            facility=job.facility,
            organization=None if job.facility_id else job.organization,
            progress=progress,
        )
    except FileRefused as refused:
        _discard_file(job)
        return _finish(job, ImportStatus.REFUSED, message=refused.message)
    except NotPermitted as denied:
        return _finish(job, ImportStatus.FAILED, message=denied.message)
    _save_problems(job, plan)
    counts = plan.counts()
    ImportJob.objects.filter(pk=job.pk).update(
        rows_total=plan.rows_total,
        rows_validated=plan.rows_total,
        problems_required=counts["required"],
        problems_warning=counts["warning"],
        problems_advisory=counts["advisory"],
        notices=plan.notices,
    )
    if plan.blocked:
        if job.background:
            _annotate(job, content, plan.problems)
        return _finish(
            job,
            ImportStatus.FAILED,
            message=_(
                "Nothing was imported: correct the problems marked Required and upload the file again."
            ),
        )
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status == ImportStatus.CANCELLED:
            return locked
        locked.status = ImportStatus.VALIDATED
        locked.save(update_fields=["status", "updated_at"])
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status != ImportStatus.VALIDATED:
            return locked  # cancelled in between
        locked.status = ImportStatus.WRITING
        locked.save(update_fields=["status", "updated_at"])
    try:
        with transaction.atomic():
            written = import_write(
                plan=plan,
                actor=job.user,
                mode=job.mode,
                audit_data={"import": str(job.public_id)},
            )
            job.refresh_from_db()
            job.rows_written = sum(each.added for each in written)
            job.result = [each.as_dict() for each in written]
            job.save(update_fields=["rows_written", "result", "updated_at"])
            return _finish(job, ImportStatus.DONE)
    except DomainError as error:
        return _finish(job, ImportStatus.FAILED, message=error.message)


class _Progress:
    """Saves ``rows_total`` and ``rows_validated`` as the check goes (each update commits at once, so the
    page sees it; at most every half second) and stops the run if the job was cancelled."""

    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.saved_at = timezone.now()

    def __call__(self, rows: int, total: int) -> None:
        now = timezone.now()
        if rows and rows < total and (now - self.saved_at).total_seconds() < PROGRESS_SECONDS:
            return
        self.saved_at = now
        updated = (
            ImportJob.objects.filter(pk=self.job.pk)
            .exclude(status=ImportStatus.CANCELLED)
            .update(rows_validated=rows, rows_total=total)
        )
        if not updated:
            raise ImportCancelled


def _save_problems(job: ImportJob, plan: ImportPlan) -> None:
    ImportProblem.objects.bulk_create(
        (
            ImportProblem(
                job=job,
                level=problem.level,
                row=problem.row,
                column=problem.column[:100],
                column_index=problem.column_index,
                value=problem.value,
                message=problem.message,
            )
            for problem in plan.problems
        ),
        batch_size=2000,
    )


def _finish(job: ImportJob, status: str, *, message: str = "") -> ImportJob:
    """Record the outcome (in the caller's transaction, if any) and e-mail the user of a background job."""
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status in FINISHED:
            return locked
        locked.status = status
        locked.message = message
        locked.finished_at = timezone.now()
        locked.save(update_fields=["status", "message", "finished_at", "updated_at"])
        audit_log(
            locked,
            "inventory.import_finished",
            actor=locked.user,
            data={
                "status": status,
                "rows_total": locked.rows_total,
                "rows_written": locked.rows_written,
                "problems_required": locked.problems_required,
            },
        )
        if locked.background and locked.user is not None and locked.user.email:
            email_send(
                to=locked.user.email,
                kind="inventory_import_finished",
                context={"job": locked, "recipient": locked.user, "link": _job_link(locked)},
                user=locked.user,
            )
    return locked


def _job_link(job: ImportJob) -> str:
    """Where the e-mail sends the user: the facility's inventory page, or the dashboard."""
    try:
        if job.facility is not None:
            return settings.SITE_URL + reverse("business:inventory", kwargs={"cers_id": job.facility.cers_id})
        return settings.SITE_URL + reverse("web:dashboard")
    except NoReverseMatch:
        return settings.SITE_URL


def _discard_file(job: ImportJob) -> None:
    """A refused file is not kept."""
    if job.file_key:
        key = job.file_key
        ImportJob.objects.filter(pk=job.pk).update(file_key="")
        job.file_key = ""
        try:
            default_storage.delete(key)
        except OSError:  # pragma: no cover - storage trouble: the sweep of orphans removes it later
            logger.warning("Could not delete refused import file %s", key)


def _annotate(job: ImportJob, content: bytes, problems: Iterable[Any]) -> str:
    """Make and keep the annotated copy (background jobs make it before telling the user)."""
    try:
        annotated = annotated_copy(original=content, problems=problems)
    except FileRefused:
        logger.warning("No annotated copy for inventory import %s", job.pk)
        return ""
    key = default_storage.save(f"{STORAGE_PREFIX}/{uuid.uuid4().hex}-annotated.xlsx", ContentFile(annotated))
    ImportJob.objects.filter(pk=job.pk).update(annotated_key=key)
    job.annotated_key = key
    return key


def import_annotated_copy(*, job: ImportJob) -> bytes:
    """The uploaded file with its problems marked (made once, then kept with the job).

    ``FileRefused`` when there is no file (refused files are not kept) or the copy cannot be made."""
    if job.annotated_key:
        try:
            with default_storage.open(job.annotated_key, "rb") as stream:
                return stream.read()
        except OSError:
            pass
    if not job.file_key:
        raise FileRefused(_("The uploaded file was not kept, so there is no annotated copy of it."))
    with default_storage.open(job.file_key, "rb") as stream:
        content = stream.read()
    key = _annotate(job, content, list(job.problems.all()))
    if not key:
        raise FileRefused(
            _("The annotated copy of this file could not be made. Use the list of problems instead.")
        )
    with default_storage.open(key, "rb") as stream:
        return stream.read()


@transaction.atomic
def import_cancel(*, job_id: int, actor: Any) -> ImportJob:
    """Cancel an import before it starts writing (nothing will change). Only its user may."""
    job = ImportJob.objects.select_for_update().get(pk=job_id)
    if job.user_id is None or job.user_id != getattr(actor, "pk", None):
        raise NotPermitted(_("Only the person who uploaded the file can cancel its import."))
    if job.status not in CANCELLABLE:
        if job.status == ImportStatus.WRITING:
            raise InvalidTransition(
                _("The inventory is already being written; the import can no longer be cancelled.")
            )
        raise InvalidTransition(_("This import has finished; there is nothing to cancel."))
    job.status = ImportStatus.CANCELLED
    job.finished_at = timezone.now()
    key, job.file_key = job.file_key, ""
    job.save(update_fields=["status", "finished_at", "file_key", "updated_at"])
    if key:
        transaction.on_commit(lambda: default_storage.delete(key))
    audit_log(job, "inventory.import_cancelled", actor=actor, data={"file_name": job.file_name})
    return job


class _job_lock:
    """A PostgreSQL advisory lock on the job, held by this connection while the run lasts."""

    KEY = 0x5350_5245  # "SPRE": the class of our advisory locks

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.acquired = False

    def __enter__(self) -> bool:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [self.KEY, self.job_id % 2**31])
            self.acquired = bool(cursor.fetchone()[0])
        return self.acquired

    def __exit__(self, *exc: object) -> None:
        if self.acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [self.KEY, self.job_id % 2**31])
