"""Fixtures of the document tests: stored files go to a temporary directory, never to var/media."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    """A temporary MEDIA_ROOT, also given to the default storage (settings.py passes an explicit location)."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root


def stored_paths(root: Path) -> list[str]:
    """Every file under the storage root, relative to it."""
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())
