"""Sending a stored file: always as an attachment, with its checked type, streamed from storage.

Both portals call ``file_response`` after their own permission-checked selector found the file.
"""

from __future__ import annotations

import logging

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404

from opencers.documents.models import DocumentFile
from opencers.documents.names import content_disposition

logger = logging.getLogger(__name__)


def file_response(stored: DocumentFile) -> FileResponse:
    try:
        handle = default_storage.open(stored.storage_key, "rb")
    except (FileNotFoundError, OSError):
        logger.error("stored object %s of document file %s is missing", stored.storage_key, stored.public_id)
        raise Http404 from None
    response = FileResponse(handle, content_type=stored.content_type)
    response["Content-Disposition"] = content_disposition(stored.original_name)
    response["Content-Length"] = str(stored.size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # Should a browser ever render it, the file gets no scripts, no plugins and no access to the site.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
