from __future__ import annotations

from django.utils import timezone
from procrastinate.contrib.django import app

from opencers.submittals.due import due_reminders_send


@app.periodic(
    cron="0 15 * * *", periodic_id="due_reminders"
)  # every day at 15:00 UTC (07:00 or 08:00 in California)
@app.task(name="submittals.send_due_reminders", queue="default", queueing_lock="due_reminders")
def send_due_reminders(timestamp: int) -> int:
    return due_reminders_send(today=timezone.localdate())
