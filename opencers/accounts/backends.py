from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from opencers.accounts.models import User, normalize_email


class EmailBackend(ModelBackend):
    """Sessions are created by our sign-in view after ``user_sign_in``; this backend only loads users."""

    def authenticate(
        self, request: Any, username: str | None = None, password: str | None = None, **kwargs: Any
    ):  # type: ignore[override]
        if not username or not password:
            return None
        user = User.objects.filter(email=normalize_email(username)).first()
        if user and user.is_active and user.check_password(password):
            return user
        return None

    def user_can_authenticate(self, user: Any) -> bool:
        return bool(getattr(user, "is_active", False))
