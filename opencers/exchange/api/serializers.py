"""Shapes of the API's requests and answers (they also make the OpenAPI schema).

Element data is keyed by the state's XML element names (``CommonName``, ``MaximumDailyAmount``…), the
same names as the data dictionary, the spreadsheets and the EDT XML. Values are strings (decimal amounts
too, e.g. ``"1500.5"``), whole numbers, or ISO dates; empty fields are left out of answers. Input is parsed
like the portal's forms: ``"Y"``/``"N"``, ``true``/``false``, a code or its label, ``1,500``, ``2026-03-01``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rest_framework import serializers

from opencers.elements.fields import CODE, DATE, DECIMAL, INTEGER, YES_NO, YESNO, FieldSpec
from opencers.submittals.models import SUBMITTED_STATUSES, Status

# --- Errors ------------------------------------------------------------------------------------------


class ProblemSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="A stable word a program can test, e.g. 'invalid'.")
    message = serializers.CharField(help_text="What is wrong and how to fix it, for a person.")
    field = serializers.CharField(allow_null=True, help_text="The field (XML name) or header concerned.")
    row = serializers.IntegerField(allow_null=True, help_text="The 1-based row of the request, for rows.")


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    errors = ProblemSerializer(many=True)  # type: ignore[assignment]


# --- Field tables as schemas -------------------------------------------------------------------------


def _output_field(spec: FieldSpec) -> serializers.Field:
    common: dict[str, Any] = {"required": False, "help_text": f"{spec.label}. {spec.help}".strip()}
    if spec.kind in (CODE, YESNO):
        codes = spec.codes or YES_NO
        return serializers.ChoiceField(choices=[code for code, _label in codes], **common)
    if spec.kind == INTEGER:
        return serializers.IntegerField(**common)
    if spec.kind == DATE:
        return serializers.DateField(**common)
    if spec.kind == DECIMAL:
        return serializers.CharField(**common)
    return serializers.CharField(max_length=spec.max_length, **common)


def _input_field(spec: FieldSpec) -> serializers.Field:
    help_text = f"{spec.label}. {spec.help}".strip()
    if spec.kind in (CODE, YESNO):
        codes = ", ".join(code for code, _label in (spec.codes or YES_NO))
        help_text += f" One of: {codes} (or the label)."
    if spec.kind == DECIMAL:
        help_text += " A number, as a string or a JSON number."
    if spec.kind == DATE:
        help_text += " YYYY-MM-DD."
    if spec.required:
        help_text += " Required."
    return serializers.JSONField(required=False, allow_null=True, help_text=help_text)


def fields_serializer(name: str, specs: Sequence[FieldSpec], *, output: bool) -> type[serializers.Serializer]:
    """A serializer class (for the schema) with one property per XML field name."""
    attrs: dict[str, Any] = {
        spec.xml: (_output_field(spec) if output else _input_field(spec)) for spec in specs
    }
    return type(name, (serializers.Serializer,), attrs)


# --- Facilities and elements -------------------------------------------------------------------------


class NamedCodeSerializer(serializers.Serializer):
    code = serializers.IntegerField()
    name = serializers.CharField()


class FacilitySerializer(serializers.Serializer):
    cers_id = serializers.IntegerField()
    name = serializers.CharField()
    street = serializers.CharField()
    city = serializers.CharField()
    zip_code = serializers.CharField()
    organization = NamedCodeSerializer()
    cupa = NamedCodeSerializer(allow_null=True)


class RegulatorActionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.values)
    action_at = serializers.DateTimeField(allow_null=True)
    agent_name = serializers.CharField(allow_blank=True)
    comments = serializers.CharField(allow_blank=True, help_text="The regulator's comments to the business.")
    resubmit_due = serializers.DateField(
        allow_null=True, help_text="For Not accepted: resubmit by this date."
    )


class VersionSummarySerializer(serializers.Serializer):
    id = serializers.UUIDField(help_text="The version's public id.")
    version = serializers.IntegerField()
    status = serializers.ChoiceField(choices=list(SUBMITTED_STATUSES))
    submitted_at = serializers.DateTimeField()
    submitted_by = serializers.CharField(allow_blank=True)
    regulator = NamedCodeSerializer(allow_null=True)
    action = RegulatorActionSerializer()
    digest = serializers.CharField()


class DraftSummarySerializer(serializers.Serializer):
    id = serializers.UUIDField()
    updated_at = serializers.DateTimeField()
    etag = serializers.CharField(help_text="Send it in If-Match with the next write.")
    not_applicable = serializers.BooleanField()


class ElementSummarySerializer(serializers.Serializer):
    element = serializers.IntegerField(help_text="The state's element number (1 Facility Information…).")
    slug = serializers.CharField(help_text="The element's name in URLs, e.g. 'inventory'.")
    name = serializers.CharField()
    required = serializers.BooleanField(help_text="The facility's answers make this element required.")  # type: ignore[assignment]
    supported = serializers.BooleanField(help_text="OpenCERS takes this element's data.")
    status = serializers.CharField(help_text="Status of the latest submitted version, or 'not_submitted'.")
    next_due = serializers.DateField(allow_null=True)
    draft = DraftSummarySerializer(allow_null=True)
    latest = VersionSummarySerializer(allow_null=True)


class FacilityDetailSerializer(FacilitySerializer):
    elements = ElementSummarySerializer(many=True)


class GuidanceSerializer(serializers.Serializer):
    level = serializers.ChoiceField(
        choices=["required", "warning", "advisory"], help_text="'required' blocks submission."
    )
    field = serializers.CharField(allow_blank=True)
    row = serializers.IntegerField(allow_null=True)
    message = serializers.CharField()
    label = serializers.CharField(allow_blank=True)  # type: ignore[assignment]


class DocumentFileSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    kind = serializers.CharField()


class DocumentSerializer(serializers.Serializer):
    slot = serializers.CharField(help_text="e.g. 'site_map', or 'local:<id>' for a regulator's own.")
    title = serializers.CharField()
    help = serializers.CharField(allow_blank=True)
    required = serializers.BooleanField()  # type: ignore[assignment]
    option = serializers.CharField(allow_null=True, help_text="How it is provided; null: not yet chosen.")
    other_element = serializers.IntegerField(allow_null=True)
    date_provided = serializers.DateField(allow_null=True)
    public_url = serializers.CharField(allow_blank=True)
    comment = serializers.CharField(allow_blank=True)
    description = serializers.CharField(allow_blank=True)
    files = DocumentFileSerializer(many=True)


class ElementContentSerializer(serializers.Serializer):
    element = serializers.IntegerField()
    not_applicable = serializers.BooleanField()
    not_applicable_reason = serializers.CharField(allow_blank=True)
    data = serializers.JSONField(help_text="The element's data keyed by XML name (parts or rows).")  # type: ignore[assignment]
    documents = serializers.JSONField(help_text="The documents and how each is provided.")


class DraftSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    facility = serializers.IntegerField(help_text="CERS ID")
    element = serializers.IntegerField()
    slug = serializers.CharField()
    status = serializers.CharField()
    updated_at = serializers.DateTimeField()
    etag = serializers.CharField()
    based_on_version = serializers.IntegerField(allow_null=True)
    content = ElementContentSerializer()
    guidance = GuidanceSerializer(many=True)
    documents = DocumentSerializer(many=True)


class DraftStartSerializer(serializers.Serializer):
    start_from = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Empty: an empty draft (or the current one). 'latest': a copy of the last accepted or "
        "submitted version. A version number: a copy of that version.",
    )
    replace = serializers.BooleanField(
        required=False, default=False, help_text="With start_from: discard the current draft first."
    )


class DraftChangeSerializer(serializers.Serializer):
    not_applicable = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)


class VersionSerializer(VersionSummarySerializer):
    facility = serializers.IntegerField(help_text="CERS ID")
    element = serializers.IntegerField()
    slug = serializers.CharField()
    submitter_comments = serializers.CharField(allow_blank=True)
    content = ElementContentSerializer()
    guidance = GuidanceSerializer(many=True, help_text="As recorded at submission.")


class ElementHistorySerializer(serializers.Serializer):
    element = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()
    next_due = serializers.DateField(allow_null=True)
    draft = DraftSummarySerializer(allow_null=True)
    versions = VersionSummarySerializer(many=True)


# --- Inventory ---------------------------------------------------------------------------------------


class RowsInputSerializer(serializers.Serializer):
    rows = serializers.ListField(
        child=serializers.JSONField(), help_text="Rows keyed by XML field name (see InventoryRowInput)."
    )


class RowsWrittenSerializer(serializers.Serializer):
    rows_written = serializers.IntegerField()
    row_count = serializers.IntegerField(help_text="Rows in the draft inventory now.")
    etag = serializers.CharField()
    guidance = GuidanceSerializer(
        many=True,
        allow_null=True,
        help_text="With include_guidance=true: the guidance of the whole inventory after the write; else null.",
    )


class FileUploadSerializer(serializers.Serializer):
    file = serializers.ListField(child=serializers.FileField(), help_text="One or more files.")


class DocumentOptionSerializer(serializers.Serializer):
    option = serializers.ChoiceField(
        choices=[
            "upload",
            "other_element",
            "provided_to_regulator",
            "public_url",
            "stored_at_facility",
            "exempt",
        ]
    )
    other_element = serializers.IntegerField(required=False, allow_null=True)
    date_provided = serializers.DateField(required=False, allow_null=True)
    public_url = serializers.CharField(required=False, allow_blank=True)
    comment = serializers.CharField(required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)


# --- Submission and review ---------------------------------------------------------------------------


class SubmitSerializer(serializers.Serializer):
    elements = serializers.ListField(
        child=serializers.CharField(),
        help_text="The elements to submit, by slug or number; Facility Information is always needed.",
    )
    signer_name = serializers.CharField(max_length=80)
    signer_title = serializers.CharField(max_length=50)
    comments = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        help_text="Comments to the regulator per element slug.",
    )


class SubmittalSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    facility = serializers.IntegerField()
    submitted_at = serializers.DateTimeField()
    signer_name = serializers.CharField()
    signer_title = serializers.CharField()
    origin = serializers.CharField()
    elements = VersionSummarySerializer(many=True)


class QueueItemSerializer(VersionSummarySerializer):
    facility = FacilitySerializer()
    element = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()


class ReviewActionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["under_review", "accepted", "not_accepted", "not_applicable"])
    comments = serializers.CharField(required=False, allow_blank=True, max_length=1500)


class RegulatorSerializer(serializers.Serializer):
    code = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
