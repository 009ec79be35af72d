"""Facility create (RFC): a regulator's system adds a facility, after seeing the potential duplicates.

``mode="Trial"`` answers what a commit would do, creating nothing: the washed address, the potential
duplicates (the same washed address, or a similar name in the same ZIP code, as the business portal's
add-facility wizard shows them) and the messages. ``mode="Commit"`` creates the facility through the same
service as the business portal (``organizations.services.facility_create``), in the organization named by
``OrganizationCode`` or in a new organization (``OrganizationName``, else the facility's name), with the
data exchange as origin. A facility at exactly the same washed address is refused unless the document sets
``IgnoreExactDuplicateAddressWarning`` (with ``Comments`` saying why a second facility is justified).

The site must be in the client's jurisdiction (its agency owns an element of the facility at that ZIP code).
A facility created by a local portal's client (a client holding the ``submittal_submit`` scope) reports
through that portal from the start (``opencers.edt.channels``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils.translation import gettext as _

from opencers.core.audit import audit_log
from opencers.core.elements import Element
from opencers.core.errors import DomainError
from opencers.core.validators import check_epa_id
from opencers.edt.channels import reporting_channel_start_local
from opencers.edt.codes import ELEMENTS_BY_XML_NAME
from opencers.edt.incoming import (
    CODE_DUPLICATE,
    CODE_FIELD,
    CODE_JURISDICTION,
    CODE_NOTE,
    REQUIRED,
    WARNING,
    EdtMessage,
    EdtRejected,
    Problems,
    optional_text,
    parse_boolean,
    parse_document,
    parse_int,
    parse_uuid,
    required_text,
    text,
)
from opencers.edt.models import RegulatorKey, RegulatorKeyKind
from opencers.edt.responses import Duplicate
from opencers.organizations.addresses import WashedAddress, address_wash
from opencers.organizations.models import Facility, Organization, OrganizationOrigin
from opencers.organizations.selectors import facilities_for_user, facility_duplicates
from opencers.organizations.services import facility_create, organization_create
from opencers.regulators.selectors import element_owners

SCHEMA = "RegulatorFacilityCreate"
ROOT = "RegulatorFacilityCreate"
TRIAL, COMMIT = "Trial", "Commit"
# Where a washing problem is reported: the service's field → the document's element.
ADDRESS_FIELDS = {"street": "SiteAddress", "zip_code": "ZipCode", "city": "City"}


@dataclass
class FacilityCreateRequest:
    mode: str
    regulator_transaction_key: str
    facility_name: str
    site_address: str
    supplemental_address: str
    city: str
    zip_code: str
    ignore_exact_duplicate: bool
    organization_code: int | None = None
    organization_name: str = ""
    organization_headquarters: str = ""
    facility_id: str = ""
    facility_regulator_key: str = ""
    epa_id: str = ""
    comments: str = ""
    element_owners: dict[int, int] = field(default_factory=dict)  # element → regulator code asked for
    geographic_information: bool = False
    notes: list[EdtMessage] = field(default_factory=list)  # warnings found while reading


@dataclass
class FacilityCreateOutcome:
    status_code: int
    accepted: bool
    messages: list[EdtMessage]
    facility: Facility | None = None
    duplicates: list[Duplicate] = field(default_factory=list)


def parse_facility_create(data: bytes) -> FacilityCreateRequest:
    """Read the document (any version of the schema, or none). Problems: ``EdtRejected`` (400), all at once."""
    root = parse_document(data, schema=SCHEMA, root=ROOT)
    problems = Problems()
    where = ROOT
    mode = root.get("mode", "")
    if mode not in (TRIAL, COMMIT):
        problems.add(
            _(
                "The mode attribute must be Trial (show what would happen) or Commit (create), not “%(value)s”."
            )
            % {"value": mode}
        )
    notes: list[EdtMessage] = []
    transaction_key = text(root, "RegulatorTransactionKey") or ""
    if not transaction_key:
        problems.add(_("RegulatorTransactionKey is required: your system's own key of this transaction."))
    elif parse_uuid(transaction_key) is None:
        notes.append(
            EdtMessage(
                WARNING,
                _("RegulatorTransactionKey “%(value)s” is not a GUID; it is kept as given.")
                % {"value": transaction_key[:36]},
                CODE_FIELD,
            )
        )
    organization_code_text = text(root, "OrganizationCode")
    organization_code = parse_int(organization_code_text)
    if organization_code_text is not None and organization_code is None:
        problems.add(_("OrganizationCode must be the organization's number, e.g. 100000123."))
    address = root.find("FacilityAddress")
    if address is None:
        problems.add(_("FacilityAddress is required, with SiteAddress, City and ZipCode."))
    ignore_text = text(root, "IgnoreExactDuplicateAddressWarning")
    ignore = parse_boolean(ignore_text)
    if ignore_text is not None and ignore is None:
        problems.add(
            _("IgnoreExactDuplicateAddressWarning must be true or false, not “%(value)s”.")
            % {"value": ignore_text}
        )
    if ignore_text is None:
        notes.append(
            EdtMessage(
                WARNING,
                _("IgnoreExactDuplicateAddressWarning is missing; it is taken as false."),
                CODE_FIELD,
            )
        )
    owners: dict[int, int] = {}
    elements = root.find("SubmittalElements")
    for node in list(elements) if elements is not None else []:
        code = ELEMENTS_BY_XML_NAME.get(str(node.tag))
        regulator_code = parse_int(node.get("regulatorCode"))
        if code is not None and regulator_code is not None:
            owners[code] = regulator_code
    epa_id = optional_text(root, "EPAID", problems, where=where, max_length=12).upper()
    if epa_id and check_epa_id(epa_id):
        problems.add(f"EPAID: {check_epa_id(epa_id)}")
    request = FacilityCreateRequest(
        mode=mode,
        regulator_transaction_key=transaction_key[:36],
        organization_code=organization_code,
        organization_name=optional_text(root, "OrganizationName", problems, where=where, max_length=100),
        organization_headquarters=optional_text(
            root, "OrganizationHeadquarters", problems, where=where, max_length=75
        ),
        facility_id=optional_text(root, "FacilityID", problems, where=where, max_length=13),
        facility_regulator_key=optional_text(
            root, "FacilityRegulatorKey", problems, where=where, max_length=36
        ),
        epa_id=epa_id,
        facility_name=" ".join(
            required_text(root, "FacilityName", problems, where=where, max_length=70).split()
        ),
        site_address=required_text(address, "SiteAddress", problems, where="FacilityAddress", max_length=70)
        if address is not None
        else "",
        supplemental_address=optional_text(
            address, "SupplementalAddress", problems, where="FacilityAddress", max_length=30
        ),
        city=required_text(address, "City", problems, where="FacilityAddress", max_length=60)
        if address is not None
        else "",
        zip_code=required_text(address, "ZipCode", problems, where="FacilityAddress", max_length=10)
        if address is not None
        else "",
        ignore_exact_duplicate=bool(ignore),
        comments=optional_text(root, "Comments", problems, where=where, max_length=500),
        element_owners=owners,
        geographic_information=root.find("GeographicInformation") is not None,
        notes=notes,
    )
    problems.raise_if_blocking()
    return request


def _wash(request: FacilityCreateRequest) -> WashedAddress:
    street = " ".join(part for part in (request.site_address, request.supplemental_address) if part)
    try:
        return address_wash(street=street, city=request.city, zip_code=request.zip_code)
    except DomainError as error:
        name = ADDRESS_FIELDS.get(error.field or "", "FacilityAddress")
        raise EdtRejected(
            [EdtMessage(REQUIRED, f"{name}: {error.message}", CODE_FIELD)], http_status=422
        ) from None


def _organization(request: FacilityCreateRequest, actor: Any) -> Organization | None:
    """The existing organization named by its code: one with a facility in the client's jurisdiction."""
    if request.organization_code is None:
        return None
    organization = (
        Organization.objects.filter(
            code=request.organization_code,
            pk__in=facilities_for_user(user=actor).values("organization_id"),
        )
        .order_by()
        .first()
    )
    if organization is None:
        raise EdtRejected(
            [
                EdtMessage(
                    REQUIRED,
                    _(
                        "OrganizationCode %(code)s is not an organization with a facility in your jurisdiction. "
                        "Give OrganizationName instead to create a new organization."
                    )
                    % {"code": request.organization_code},
                    CODE_FIELD,
                )
            ],
            http_status=422,
        )
    return organization


def _duplicates(request: FacilityCreateRequest, washed: WashedAddress) -> list[Duplicate]:
    found = facility_duplicates(address_key=washed.key, name=request.facility_name, zip_code=washed.zip_code)
    duplicates = [
        Duplicate(
            facility,
            100
            if facility.address_key == washed.key
            else round(float(getattr(facility, "similarity", 0)) * 100),
        )
        for facility in found
    ]
    return sorted(duplicates, key=lambda d: (-d.score, d.facility.cers_id))


@transaction.atomic
def facility_create_process(
    *, request: FacilityCreateRequest, client: Any, actor: Any
) -> FacilityCreateOutcome:
    """Trial or commit a facility create for ``client`` (an agency client acting as ``actor``).

    Raises ``EdtRejected`` for a document the rules refuse before duplicates are looked at (the address
    cannot be washed, the site is outside the client's jurisdiction, an unknown organization); returns a
    rejected outcome (409) for an exact duplicate that the document does not override.
    """
    regulator = client.regulator
    messages = list(request.notes)
    washed = _wash(request)
    owners = element_owners(washed.zip_code)
    if regulator is None or regulator.pk not in {owner.pk for owner in owners.values()}:
        raise EdtRejected(
            [
                EdtMessage(
                    REQUIRED,
                    _(
                        "ZIP code %(zip)s (%(city)s) is not in the jurisdiction of %(regulator)s: only the "
                        "regulator of the site can create a facility there."
                    )
                    % {
                        "zip": washed.zip_code,
                        "city": washed.city,
                        "regulator": regulator.name if regulator else _("your client"),
                    },
                    CODE_JURISDICTION,
                )
            ],
            http_status=403,
        )
    organization = _organization(request, actor)
    if request.mode == COMMIT:
        # Two commits at the same address wait for each other here, so the second sees the first.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"facility-address:{washed.key}"])
    messages.extend(_owner_notes(request, owners))
    if request.geographic_information:
        messages.append(
            EdtMessage(
                WARNING,
                _(
                    "GeographicInformation is not used: the coordinates come from the washed address's ZIP code."
                ),
                CODE_NOTE,
            )
        )
    duplicates = _duplicates(request, washed)
    exact = [d for d in duplicates if d.score == 100 and d.facility.address_key == washed.key]
    if exact:
        names = ", ".join(f"{d.facility.cers_id} {d.facility.name}" for d in exact)
        if request.ignore_exact_duplicate:
            messages.append(
                EdtMessage(
                    WARNING,
                    _("A facility already exists at %(address)s (%(facilities)s); created anyway as asked.")
                    % {"address": washed.street, "facilities": names}
                    if request.mode == COMMIT
                    else _(
                        "A facility already exists at %(address)s (%(facilities)s); a commit would create "
                        "another one, as IgnoreExactDuplicateAddressWarning is true."
                    )
                    % {"address": washed.street, "facilities": names},
                    CODE_DUPLICATE,
                )
            )
        else:
            text_ = _(
                "A facility already exists at %(address)s, %(zip)s (%(facilities)s). Use its CERS ID, or set "
                "IgnoreExactDuplicateAddressWarning to true and say in Comments why another facility is needed."
            ) % {"address": washed.street, "zip": washed.zip_code, "facilities": names}
            if request.mode == COMMIT:
                return FacilityCreateOutcome(
                    409,
                    False,
                    [*messages, EdtMessage(REQUIRED, text_, CODE_DUPLICATE)],
                    duplicates=duplicates,
                )
            messages.append(EdtMessage(WARNING, text_, CODE_DUPLICATE))
    if request.mode == TRIAL:
        messages.append(
            EdtMessage(
                WARNING,
                _("Trial: no facility was created. The address washes to %(address)s, %(city)s %(zip)s.")
                % {"address": washed.street, "city": washed.city, "zip": washed.zip_code},
                CODE_NOTE,
            )
        )
        return FacilityCreateOutcome(200, True, messages, duplicates=duplicates)
    facility = _commit(request=request, client=client, actor=actor, washed=washed, organization=organization)
    if facility.reports_through_local_portal:
        messages.append(
            EdtMessage(
                WARNING,
                _(
                    "Facility %(cers_id)s reports through your local portal (%(portal)s): the business "
                    "portal refuses its submittals until the regulator switches it."
                )
                % {"cers_id": facility.cers_id, "portal": facility.local_portal_label},
                CODE_NOTE,
            )
        )
    return FacilityCreateOutcome(200, True, messages, facility=facility, duplicates=duplicates)


def _owner_notes(request: FacilityCreateRequest, owners: dict[int, Any]) -> list[EdtMessage]:
    notes = []
    for code, asked in sorted(request.element_owners.items()):
        owner = owners.get(code)
        if owner is not None and owner.code != asked:
            notes.append(
                EdtMessage(
                    WARNING,
                    _(
                        "%(element)s is owned by %(owner)s (%(code)s) at this ZIP code, not by regulator "
                        "%(asked)s; element owners follow the jurisdictions."
                    )
                    % {
                        "element": Element(code).label,
                        "owner": owner.name,
                        "code": owner.code,
                        "asked": asked,
                    },
                    CODE_NOTE,
                )
            )
    return notes


def _commit(
    *,
    request: FacilityCreateRequest,
    client: Any,
    actor: Any,
    washed: WashedAddress,
    organization: Organization | None,
) -> Facility:
    if organization is None:
        organization = organization_create(
            name=request.organization_name or request.facility_name,
            actor=actor,
            origin=OrganizationOrigin.EXCHANGE,
            headquarters=request.organization_headquarters,
        )
    try:
        facility = facility_create(
            actor=actor,
            name=request.facility_name,
            address=washed,
            organization=organization,
            origin=OrganizationOrigin.EXCHANGE,
        )
    except DomainError as error:
        raise EdtRejected(
            [EdtMessage(REQUIRED, f"FacilityName: {error.message}", CODE_FIELD)], http_status=422
        ) from None
    identifiers = {}
    if request.epa_id:
        identifiers["epa_id"] = request.epa_id
    if request.facility_id:
        identifiers["regulator_facility_id"] = request.facility_id
    if identifiers:
        Facility.objects.filter(pk=facility.pk).update(**identifiers)
        facility.refresh_from_db()
    if request.facility_regulator_key:
        RegulatorKey.objects.update_or_create(
            regulator=client.regulator,
            public_id=facility.public_id,
            defaults={
                "kind": RegulatorKeyKind.FACILITY,
                "facility": facility,
                "key": request.facility_regulator_key,
            },
        )
    audit_log(
        facility,
        "facility.created_through_exchange",
        actor=actor,
        data={
            "client": client.name,
            "regulator": client.regulator.code,
            "regulator_transaction_key": request.regulator_transaction_key,
            "comments": request.comments,
            "ignore_exact_duplicate": request.ignore_exact_duplicate,
            **identifiers,
            "facility_regulator_key": request.facility_regulator_key,
        },
        regulator_id=client.regulator_id,
    )
    if "submittal_submit" in client.scopes:
        reporting_channel_start_local(facility=facility, client=client)
    return facility
