from __future__ import annotations

from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from opencers.notifications.services import email_deliver


@app.task(
    name="notifications.send_email", retry=RetryStrategy(max_attempts=8, exponential_wait=5), queue="email"
)
def send_email(message_id: int) -> None:
    email_deliver(message_id=message_id)
