"""Domain errors raised by services. Interfaces turn them into messages for people or API errors."""

from __future__ import annotations


class DomainError(Exception):
    """A request that the rules refuse. ``message`` is shown to the user as is; ``field`` names the input."""

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


class InvalidTransition(DomainError):
    """A lifecycle change that is not allowed from the object's current state."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message, field=field, code="invalid_transition")


class NotPermitted(DomainError):
    """The actor may see the object but may not do this to it."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="not_permitted")
