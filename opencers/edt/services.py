"""Recording exchange transactions."""

from __future__ import annotations

from typing import Any

from opencers.edt.models import EdtTransaction


def transaction_record(
    *,
    endpoint: str,
    method: str,
    status: str,
    http_status: int,
    client: Any = None,
    regulator: Any = None,
    query: str = "",
    regulator_transaction_key: str = "",
    messages: list[dict[str, Any]] | None = None,
    request_bytes: int = 0,
    response_bytes: int = 0,
    records: int = 0,
    duration_ms: int = 0,
    key: Any = None,
) -> EdtTransaction:
    """Log one call. Written in its own statement (not rolled back with a refused request)."""
    fields: dict[str, Any] = {
        "endpoint": endpoint[:100],
        "method": method[:8],
        "status": status,
        "http_status": http_status,
        "client": client,
        "regulator": regulator,
        "query": query[:2000],
        "regulator_transaction_key": regulator_transaction_key[:40],
        "messages": messages or [],
        "request_bytes": request_bytes,
        "response_bytes": response_bytes,
        "records": records,
        "duration_ms": duration_ms,
    }
    if key is not None:
        fields["key"] = key
    return EdtTransaction.objects.create(**fields)


def transaction_complete(
    *,
    key: Any,
    response_bytes: int,
    duration_ms: int,
    records: int | None = None,
    status: str | None = None,
    messages: list[dict[str, Any]] | None = None,
) -> None:
    """Fill in what is known only once a streamed response has been sent: its size and duration (and, if
    the stream ended early, the status and messages)."""
    fields: dict[str, Any] = {"response_bytes": response_bytes, "duration_ms": duration_ms}
    if records is not None:
        fields["records"] = records
    if status is not None:
        fields["status"] = status
    if messages is not None:
        fields["messages"] = messages
    EdtTransaction.objects.filter(key=key).update(**fields)
