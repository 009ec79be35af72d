"""Business portal: one document slot of an element's draft (six options, uploads, removal) and downloads."""

from __future__ import annotations

import io
import uuid
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from opencers.core.elements import ELEMENTS_BY_SLUG, Element
from opencers.core.errors import DomainError
from opencers.core.forms import Form, apply_domain_error
from opencers.core.permissions import permission_required
from opencers.documents import services
from opencers.documents.checks import ACCEPTED_EXTENSIONS
from opencers.documents.downloads import file_response
from opencers.documents.models import DocumentFile, DocumentOption
from opencers.documents.selectors import documents_by_slot, file_get_for_user
from opencers.organizations.selectors import facility_get_for_user
from opencers.submittals.models import SubmittalElement
from opencers.submittals.registry import DocumentSlot, element_type
from opencers.submittals.rules import document_slots
from opencers.submittals.selectors import draft_of
from opencers.submittals.services import draft_get_or_create

ACCEPT = ",".join(f".{extension}" for extension in sorted(ACCEPTED_EXTENSIONS))


class OptionForm(Form):
    option = forms.ChoiceField(
        label=gettext_lazy("How is this document provided?"),
        choices=DocumentOption.choices,
        widget=forms.RadioSelect,
    )
    other_element = forms.TypedChoiceField(
        label=gettext_lazy("The element that contains it"), coerce=int, empty_value=None, required=False
    )
    date_provided = forms.DateField(
        label=gettext_lazy("Date you provided it to the regulator"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    public_url = forms.CharField(
        label=gettext_lazy("Internet address"),
        max_length=1000,
        required=False,
        help_text=gettext_lazy(
            "The full address, starting with https://. Anyone must be able to open it without signing in."
        ),
        widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "url"}),
    )
    comment = forms.CharField(
        label=gettext_lazy("Comment"),
        max_length=500,
        required=False,
        help_text=gettext_lazy(
            "Required when exempt: say why. Otherwise optional, e.g. where at the facility it is kept."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    description = forms.CharField(
        label=gettext_lazy("Description (optional)"), max_length=500, required=False
    )

    def __init__(self, *args: Any, element: Element, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["other_element"].choices = [  # type: ignore[attr-defined]
            ("", gettext_lazy("- Choose -")),
            *[(int(e), e.label) for e in Element if e != element],
        ]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple) and data:
            return [single(item, initial) for item in data]
        return [single(data or None, initial)]


class UploadForm(Form):
    file = MultipleFileField(
        label=gettext_lazy("Files"),
        help_text=gettext_lazy(
            "PDF is best. Also accepted: Word, Excel, PNG, JPEG, GIF, TIFF, BMP, text, CSV, XML and "
            "ZIP; at most 25 MB each. You can choose several files."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ACCEPT


def _element(slug: str) -> Element:
    element = ELEMENTS_BY_SLUG.get(slug)
    if element is None or element_type(element) is None:
        raise Http404
    return element


def _slot(element: SubmittalElement, key: str) -> DocumentSlot:
    for slot in document_slots(element):
        if slot.key == key:
            return slot
    raise Http404


def _initial(document: Any) -> dict[str, Any]:
    if document is None:
        return {}
    return {
        "option": document.option,
        "other_element": document.other_element,
        "date_provided": document.date_provided,
        "public_url": document.public_url,
        "comment": document.comment,
        "description": document.description,
    }


class OversizedUpload(UploadedFile):
    """A file larger than the limit: its name and real size are kept, its bytes are not."""

    def __init__(self, *, name: str, size: int, content_type: str | None) -> None:
        super().__init__(file=io.BytesIO(b""), name=name, content_type=content_type, size=size)


class DocumentSizeLimitHandler(FileUploadHandler):
    """First upload handler: a file over DOCUMENT_MAX_BYTES is neither kept in memory nor written to disk
    past the limit; it arrives as an ``OversizedUpload`` that the size check refuses by name and size."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received = start + len(raw_data)
        return raw_data if self.received <= settings.DOCUMENT_MAX_BYTES else None

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if file_size <= settings.DOCUMENT_MAX_BYTES:
            return None
        return OversizedUpload(name=self.file_name or "", size=file_size, content_type=self.content_type)


@permission_required("facility:edit")
@csrf_exempt  # only so that the upload handler can be added first; _document_slot is CSRF-protected
def document_slot(request: HttpRequest, cers_id: int, slug: str, slot: str) -> HttpResponse:
    request.upload_handlers.insert(0, DocumentSizeLimitHandler(request))
    return _document_slot(request, cers_id, slug, slot)


@csrf_protect
@require_http_methods(["GET", "POST"])
def _document_slot(request: HttpRequest, cers_id: int, slug: str, slot: str) -> HttpResponse:
    """How one document of the element's draft is provided; upload and remove its files.

    GET never writes. A POST without a draft starts one (empty) together with the change it makes.
    """
    facility = facility_get_for_user(user=request.user, cers_id=cers_id, permission="facility:edit")
    element = _element(slug)
    draft = draft_of(facility, element)
    spec = _slot(draft or SubmittalElement(facility=facility, element=element), slot)
    document = documents_by_slot(draft).get(slot) if draft else None
    option_form = OptionForm(initial=_initial(document), element=element)
    upload_form = UploadForm()
    if request.method == "POST":
        action = request.POST.get("action", "option")
        if action == "remove":
            return _remove(request, draft, slot, cers_id, slug)
        if action == "upload":
            upload_form = UploadForm(request.POST, request.FILES)
            if upload_form.is_valid():
                files = upload_form.cleaned_data["file"]
                try:
                    with transaction.atomic():
                        target = draft or draft_get_or_create(
                            facility=facility, element=element, actor=request.user
                        )
                        stored = services.document_files_upload(
                            element=target,
                            slot=slot,
                            actor=request.user,
                            uploads=[services.Upload(name=f.name, stream=f, size=f.size) for f in files],
                        )
                except DomainError as error:
                    apply_domain_error(upload_form, error)
                else:
                    messages.success(
                        request,
                        _("Uploaded: %(names)s.")
                        % {"names": ", ".join(item.original_name for item in stored)},
                    )
                    return redirect("business:document_slot", cers_id=cers_id, slug=slug, slot=slot)
        else:
            option_form = OptionForm(request.POST, element=element)
            if option_form.is_valid():
                try:
                    with transaction.atomic():
                        target = draft or draft_get_or_create(
                            facility=facility, element=element, actor=request.user
                        )
                        services.document_set_option(
                            element=target, slot=slot, actor=request.user, **option_form.cleaned_data
                        )
                except DomainError as error:
                    apply_domain_error(option_form, error)
                else:
                    messages.success(request, _("Saved."))
                    return redirect("business:document_slot", cers_id=cers_id, slug=slug, slot=slot)
    return render(
        request,
        "business/documents/slot.html",
        {
            "facility": facility,
            "element": element,
            "slug": slug,
            "slot": spec,
            "draft": draft,
            "document": document,
            "files": list(document.files.all()) if document else [],
            "option_form": option_form,
            "upload_form": upload_form,
            "options": DocumentOption,
        },
    )


def _remove(
    request: HttpRequest, draft: SubmittalElement | None, slot: str, cers_id: int, slug: str
) -> HttpResponse:
    try:
        public_id = uuid.UUID(request.POST.get("file", ""))
    except ValueError:
        raise Http404 from None
    stored = (
        DocumentFile.objects.select_related("document", "document__element")
        .filter(document__element=draft, document__slot=slot, public_id=public_id)
        .first()
        if draft
        else None
    )
    if stored is None:
        raise Http404
    try:
        services.document_file_remove(stored=stored, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s was removed.") % {"name": stored.original_name})
    return redirect("business:document_slot", cers_id=cers_id, slug=slug, slot=slot)


@permission_required("facility:view")
@require_http_methods(["GET", "HEAD"])
def document_download(request: HttpRequest, cers_id: int, public_id: str) -> HttpResponse:
    """A file of a draft (members) or of a submitted version (members, the facility's regulators)."""
    stored = file_get_for_user(user=request.user, cers_id=cers_id, public_id=public_id)
    return file_response(stored)  # type: ignore[return-value]  # a streaming response


urlpatterns = [
    path(
        "facilities/<int:cers_id>/elements/<slug:slug>/documents/<str:slot>/",
        document_slot,
        name="document_slot",
    ),
    path("facilities/<int:cers_id>/files/<uuid:public_id>/", document_download, name="document_download"),
]
