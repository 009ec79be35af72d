"""Migration from the state's system: ``import_edt`` loads a RegulatorFacilitySubmittalQuery document as
historical submittals (the state's sample, namespace /1/05/)."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from conftest import World
from opencers.core.elements import Element
from opencers.documents.models import Document, DocumentFile, DocumentOption
from opencers.documents.tests import corpus
from opencers.edt.importer import ImportRefused, edt_import
from opencers.edt.models import AttachmentDetail, EdtTransaction, HistoricalElement, RegulatorKey
from opencers.edt.tests.edt_query_helpers import sample_path
from opencers.elements.facility_info.models import BusinessActivities, OwnerOperator
from opencers.elements.inventory.models import InventoryItem
from opencers.organizations.models import CERS_ID_SEQUENCE, Facility, Organization
from opencers.organizations.services import cers_id_allocate
from opencers.regulators.models import County, Regulator, RegulatorKind
from opencers.submittals.models import FacilitySubmittal, Origin, Status, SubmittalElement
from opencers.submittals.services import element_digest_matches
from opencers.submittals.tests.factories import complete_facility_info

SAMPLE_CERS_IDS = [10232704, 10233124, 10230592, 10231816]


def _import(name: str = "Untitled1.xml") -> object:
    with sample_path(name).open("rb") as source:
        return edt_import(source=source, name=name)


def _import_bytes(data: bytes) -> object:
    return edt_import(source=io.BytesIO(data), name="test.xml")


def test_the_sample_imports_as_historical_submittals(world: World) -> None:
    # when the state's sample is imported (Kern County CUPA 1500 exists already, as seeded)
    report = _import()
    # then its four facilities, with their CERS IDs, belong to the two organizations of the file
    assert report.facilities_created == SAMPLE_CERS_IDS
    assert sorted(report.organizations_created) == [90198871, 90200878]
    assert report.regulators_created == []
    facility = Facility.objects.get(cers_id=10232704)
    assert facility.organization.code == 90200878
    assert facility.organization.name == "DOLE ENTERPRISE INC"
    assert facility.name == "DOLE ENTERPRISE INC"
    assert (facility.street, facility.city, facility.zip_code) == ("5800 STATE RD", "BAKERSFIELD", "93308")
    assert facility.county.number == 15
    assert (facility.latitude, facility.longitude) == (Decimal("35.416000"), Decimal("-119.055700"))
    assert facility.cupa == world.kern
    # and each has one facility submittal of three elements, made on the recorded date, from the migration
    assert report.facility_submittals == 4
    assert report.elements == 12
    assert report.inventory_rows == 25
    submittal = FacilitySubmittal.objects.get(facility=facility)
    assert submittal.submitted_at == datetime(2014, 1, 2, 7, 37, 34, tzinfo=UTC)
    assert submittal.origin == Origin.MIGRATION
    assert submittal.submitted_by is None
    elements = {e.element: e for e in SubmittalElement.objects.filter(facility=facility)}
    assert sorted(elements) == [1, 2, 3]
    assert str(elements[1].public_id) == "0fefde8d-cd3e-4761-80f3-a520a58c5fba"
    assert elements[1].status == Status.SUBMITTED
    assert elements[1].regulator == world.kern
    assert elements[1].version == 1
    # and the UST element of the fourth facility is reported, not imported
    assert report.warnings == [
        "Facility submittal 4 (CERS ID 10231816): UndergroundStorageTanks was left out: OpenCERS does not "
        "have this submittal element yet."
    ]


def test_the_data_of_each_element_is_kept_as_recorded(world: World) -> None:
    _import()
    information = SubmittalElement.objects.get(public_id="0fefde8d-cd3e-4761-80f3-a520a58c5fba")
    activities = BusinessActivities.objects.get(element=information)
    assert str(activities.public_id) == "93cdb4dc-b207-4fab-8cdf-5a4cf772009b"
    assert (activities.business_name, activities.county_id, activities.hm_on_site) == (
        "DOLE ENTERPRISE INC",
        15,
        "Y",
    )
    owner = OwnerOperator.objects.get(element=information)
    assert owner.e_contact_phone == "661.203.6626"  # as recorded, not re-formatted
    assert owner.beginning_date.isoformat() == "2012-03-01"
    assert owner.number_of_employees == 0
    history = HistoricalElement.objects.get(element=information)
    assert (history.submitted_by_first_name, history.submitted_by_last_name, history.submitted_by_email) == (
        "TOM",
        "LADD",
        "twladd@AOL.com",
    )
    assert history.geographic_point == {
        "LatitudeMeasure": "35.416",
        "LongitudeMeasure": "-119.0557",
        "HorizontalAccuracyMeasure": "50.0000",
        "HorizontalCollectionMethod": "104",
        "GeographicReferencePoint": "102",
        "HorizontalReferenceDatum": "WGS84",
        "DataCollectionDate": "2014-01-01",
    }
    inventory = SubmittalElement.objects.get(public_id="bea90f7f-c23b-4ede-a6e1-48a7dbc60c24")
    first = InventoryItem.objects.filter(element=inventory).order_by("position").first()
    assert str(first.public_id) == "2a6c3f82-16e2-4708-9efa-77fe47af1825"
    assert (first.common_name, first.cas_number, first.units) == ("CRUDE OIL", "68410-00-4", "a")
    assert (first.maximum_daily_amount, first.hc1_percent_by_weight) == (Decimal("16800"), Decimal("100"))
    site_map = Document.objects.get(element=inventory, slot="site_map")
    assert site_map.option == DocumentOption.UPLOAD
    stored = DocumentFile.objects.get(document=site_map)
    assert (str(stored.public_id), stored.original_name, stored.storage_key) == (
        "c0f1ad5c-ad9b-44ae-97e4-5cdd507c8281",
        "Facility maps.pdf",
        "",
    )
    detail = AttachmentDetail.objects.get(file=stored)
    assert detail.title == "Annotated Site Map (Official Use Only)"
    assert detail.date_authored == datetime(2014, 1, 1, 8, 0, tzinfo=UTC)
    keys = dict(RegulatorKey.objects.filter(regulator=world.kern).values_list("public_id", "key"))
    assert keys[activities.public_id] == "AD0001206"
    assert keys[first.public_id] == "HZ0024133"
    assert keys[stored.public_id] == "1d707f7d-1ba5-43b5-ad91-843ba62493a6"
    assert keys[information.facility.public_id] == "FA0001724"


def test_recorded_regulator_actions_are_kept(world: World) -> None:
    _import()
    accepted = SubmittalElement.objects.get(public_id="7a6d1a70-abf8-4c55-8c0d-e78cec06d885")
    assert accepted.status == Status.ACCEPTED
    assert accepted.action_at == datetime(2014, 1, 3, 23, 18, 41, tzinfo=UTC)
    assert (accepted.action_agent_name, accepted.action_agent_email, accepted.action_comments) == (
        "KORINB",
        "KORINB",
        "",
    )
    assert accepted.action_by is None


def test_imported_versions_are_submitted_through_the_framework(world: World) -> None:
    _import()
    for element in SubmittalElement.objects.filter(facility__cers_id__in=SAMPLE_CERS_IDS):
        assert len(element.digest) == 64
        assert element_digest_matches(element)
    # and they are as immutable as any submitted version: the database refuses changes
    row = InventoryItem.objects.filter(element__facility__cers_id=10232704).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        InventoryItem.objects.filter(pk=row.pk).update(common_name="changed")
    history = HistoricalElement.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        HistoricalElement.objects.filter(pk=history.pk).update(submitted_by_first_name="changed")


def test_importing_twice_changes_nothing(world: World) -> None:
    _import()
    counts = (
        Facility.objects.count(),
        Organization.objects.count(),
        SubmittalElement.objects.count(),
        FacilitySubmittal.objects.count(),
        InventoryItem.objects.count(),
        DocumentFile.objects.count(),
        RegulatorKey.objects.count(),
    )
    report = _import()
    assert (report.facility_submittals, report.elements, report.already_imported) == (0, 0, 12)
    assert report.facilities_created == report.organizations_created == []
    assert (
        Facility.objects.count(),
        Organization.objects.count(),
        SubmittalElement.objects.count(),
        FacilitySubmittal.objects.count(),
        InventoryItem.objects.count(),
        DocumentFile.objects.count(),
        RegulatorKey.objects.count(),
    ) == counts


def test_the_cers_id_sequence_never_hands_out_an_imported_id(world: World) -> None:
    # given the sequence well below the sample's CERS IDs (sequences are not rolled back between tests)
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(%s, 10000100, true)", [CERS_ID_SEQUENCE])
    # when the sample is imported
    _import()
    # then the sequence continues after the highest imported CERS ID
    assert cers_id_allocate() == max(SAMPLE_CERS_IDS) + 1


def test_the_cers_id_sequence_is_never_moved_back(world: World) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(%s, 10300000, true)", [CERS_ID_SEQUENCE])
    _import()
    assert cers_id_allocate() == 10300001


def test_an_unknown_regulator_code_is_created_from_the_document(db: None) -> None:
    # given no regulator 1500, but Kern County (15) known
    County.objects.create(number=15, name="Kern")
    report = _import()
    # then the county's CUPA is created from the document's code and county
    assert report.regulators_created == [1500]
    regulator = Regulator.objects.get(code=1500)
    assert (regulator.name, regulator.kind, regulator.county.number) == (
        "Kern County CUPA",
        RegulatorKind.CUPA,
        15,
    )
    assert set(SubmittalElement.objects.values_list("regulator__code", flat=True)) == {1500}
    assert Facility.objects.get(cers_id=10232704).cupa == regulator


def test_a_code_that_is_not_the_countys_becomes_a_participating_agency(world: World) -> None:
    data = (
        sample_path()
        .read_bytes()
        .replace(b"<RegulatorCode>1500</RegulatorCode>", b"<RegulatorCode>1520</RegulatorCode>")
    )
    report = _import_bytes(data)
    assert report.regulators_created == [1520]
    agency = Regulator.objects.get(code=1520)
    assert (agency.kind, agency.parent, agency.county.number) == (RegulatorKind.PA, world.kern, 15)


def test_a_document_of_another_kind_is_refused_and_changes_nothing(world: World) -> None:
    before = Facility.objects.count()
    with pytest.raises(ImportRefused) as refused:
        _import("CreateFacility-1455.xml")
    assert "not a Regulator Facility Submittal Query document" in refused.value.message
    with pytest.raises(ImportRefused) as refused:
        _import_bytes(b"<cers:RegulatorFacilitySubmittals xmlns:cers='x'><Facility")
    assert "not a Regulator Facility Submittal Query document" in refused.value.message
    assert Facility.objects.count() == before
    assert EdtTransaction.objects.count() == 0


def test_a_malformed_document_is_refused_and_changes_nothing(world: World) -> None:
    data = sample_path().read_bytes()
    truncated = data[: data.index(b"<FacilitySubmittal>", 2000) + 500]
    with pytest.raises(ImportRefused) as refused:
        _import_bytes(truncated)
    assert "not well-formed XML" in refused.value.message
    # the facility submittals read before the error are rolled back with the rest
    assert not Facility.objects.filter(cers_id__in=SAMPLE_CERS_IDS).exists()


def test_a_facility_with_a_draft_in_progress_refuses_the_import(world: World) -> None:
    # given a facility of the sample that already exists here, with a business drafting it
    facility = world.other_facility
    Facility.objects.filter(pk=facility.pk).update(cers_id=10232704)
    facility.refresh_from_db()
    complete_facility_info(facility, world.users["other_business"])
    # when the sample is imported
    with pytest.raises(ImportRefused) as refused:
        _import()
    # then nothing is imported and the message names the facility and the draft
    assert "CERS ID 10232704" in refused.value.message
    assert "draft of Facility Information in progress" in refused.value.message
    assert not Facility.objects.filter(cers_id=10233124).exists()


def test_the_import_is_logged_as_a_transaction(world: World) -> None:
    _import()
    logged = EdtTransaction.objects.get(endpoint="import_edt")
    assert (logged.status, logged.records, logged.regulator_transaction_key, logged.query) == (
        "Accepted",
        12,
        "65d9f439-5907-4a22-9fb4-717a017072ad",
        "Untitled1.xml",
    )


def test_the_management_command(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    path = sample_path()
    call_command("import_edt", str(path))
    output = capsys.readouterr().out
    assert f"{path}: 4 facility submittal(s), 12 element(s), 25 inventory row(s) imported" in output
    assert "facilities created (CERS IDs): 10232704, 10233124, 10230592, 10231816" in output
    with pytest.raises(CommandError, match="not a Regulator Facility Submittal Query document"):
        call_command("import_edt", str(sample_path("CreateFacility-1455.xml")))
    assert Element.FACILITY_INFORMATION in set(SubmittalElement.objects.values_list("element", flat=True))


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "media"
    root.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root


def test_document_files_fetched_from_the_state_are_stored_with_their_documents(
    world: World, media: Path, tmp_path: Path
) -> None:
    # given the files of two documents, as the state's document query saved them, one of them not a PDF
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "c0f1ad5c-ad9b-44ae-97e4-5cdd507c8281.pdf").write_bytes(corpus.pdf("Site map"))
    (folder / "a3419a20-0d8b-48a6-af12-d69e9fe945b8.pdf").write_bytes(b"just some text, not a PDF")
    # when the sample is imported with that folder
    with sample_path().open("rb") as source:
        report = edt_import(source=source, name="Untitled1.xml", files_from=folder)
    # then the PDF is stored as the site map's file, under the state's key
    assert report.files_imported == 1
    stored = DocumentFile.objects.get(public_id="c0f1ad5c-ad9b-44ae-97e4-5cdd507c8281")
    assert (stored.original_name, stored.kind, stored.size) == (
        "Facility maps.pdf",
        "pdf",
        len(corpus.pdf("Site map")),
    )
    assert stored.storage_key.startswith("documents/")
    assert AttachmentDetail.objects.get(file=stored).title == "Annotated Site Map (Official Use Only)"
    assert element_digest_matches(stored.document.element)
    # and the refused file and the missing ones leave their documents described only, with a warning each
    refused = DocumentFile.objects.get(public_id="a3419a20-0d8b-48a6-af12-d69e9fe945b8")
    assert (refused.storage_key, refused.original_name) == ("", "Contingency Plan.pdf")
    assert sum("was not kept" in w for w in report.warnings) == 1
    assert sum("it is described only" in w and "no file for document" in w for w in report.warnings) == 10
    assert (
        DocumentFile.objects.filter(document__element__facility__cers_id__in=SAMPLE_CERS_IDS).count() == 12
    )  # 5 more are UST documents
