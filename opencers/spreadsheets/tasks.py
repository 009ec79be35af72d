from __future__ import annotations

from procrastinate.contrib.django import app

from opencers.spreadsheets.services import import_run


@app.task(name="spreadsheets.run_import", queue="default")
def run_import(job_id: int) -> str:
    """Run an inventory import job (idempotent: a finished job is left as it is)."""
    return str(import_run(job_id=job_id).status)
