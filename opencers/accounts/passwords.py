"""Password rules after NIST SP 800-63B: length, not composition.

* at least 15 characters, or 8 when the account has multi-factor authentication;
* at most 128 characters;
* not in the common-password blocklist (Django's list of 20,000 leaked passwords);
* not the person's own e-mail address or name.
No rules about digits, capitals or symbols, and no forced periodic change.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import UserAttributeSimilarityValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MIN_LENGTH = 15
MIN_LENGTH_WITH_MFA = 8
MAX_LENGTH = 128


def minimum_length_for(user: Any) -> int:
    return MIN_LENGTH_WITH_MFA if user is not None and getattr(user, "mfa_enabled", False) else MIN_LENGTH


class LengthValidator:
    def validate(self, password: str, user: Any = None) -> None:
        minimum = minimum_length_for(user)
        if len(password) < minimum:
            if minimum == MIN_LENGTH:
                message = _(
                    "Use at least %(min)d characters. A few words in a row make a strong password that is easy "
                    "to remember (8 characters are enough once two-step sign-in is on)."
                )
            else:
                message = _("Use at least %(min)d characters.")
            raise ValidationError(message % {"min": minimum}, code="password_too_short")
        if len(password) > MAX_LENGTH:
            raise ValidationError(
                _("Use at most %(max)d characters.") % {"max": MAX_LENGTH}, code="password_too_long"
            )

    def get_help_text(self) -> str:
        return _(
            "At least 15 characters (8 with two-step sign-in), at most 128. Spaces and any characters are fine."
        )


class NotContextSpecificValidator(UserAttributeSimilarityValidator):
    """The password must not resemble the person's e-mail address or name."""

    def __init__(self) -> None:
        super().__init__(user_attributes=("email", "full_name"), max_similarity=0.7)
