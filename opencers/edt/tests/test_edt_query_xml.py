"""Writing the exchange's XML: values, the inventory row writer, streamed documents, namespaces."""

from __future__ import annotations

import io
import uuid
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from django.test import Client
from lxml import etree

from conftest import World
from opencers.accounts.api_clients import agency_client_create
from opencers.edt.codes import namespace, schema_of
from opencers.edt.importer import edt_import
from opencers.edt.rfsq import _serialize_chemical
from opencers.edt.tests.edt_query_helpers import facility_submittals, leaves, sample_path, streamed, validate
from opencers.edt.xmlwrite import (
    compile_fields_writer,
    document_bytes,
    element,
    stream_document,
    xml_datetime,
    xml_decimal,
)
from opencers.elements.inventory.fields import CHEMICAL_FIELDS


def test_values_are_written_as_the_exchange_writes_them() -> None:
    assert xml_datetime(datetime(2014, 1, 2, 7, 37, 34, 123456, tzinfo=UTC)) == "2014-01-02T07:37:34Z"
    pacific = timezone(timedelta(hours=-8))
    assert xml_datetime(datetime(2014, 1, 1, 23, 37, 34, tzinfo=pacific)) == "2014-01-02T07:37:34Z"
    assert [xml_decimal(Decimal(v)) for v in ("16800", "16800.0000", "12.5000", "0E-4", "93.50")] == [
        "16800",
        "16800",
        "12.5",
        "0",
        "93.5",
    ]


def _row(**values: object) -> tuple[object, ...]:
    return ("2a6c3f82-16e2-4708-9efa-77fe47af1825", *(values.get(spec.name) for spec in CHEMICAL_FIELDS))


def test_an_inventory_row_is_written_in_the_schemas_order_with_only_its_filled_fields() -> None:
    row = _row(
        common_name="Nickel & <sulfate> \x01bath",
        chemical_location="Tank 3",
        ehs="N",
        units="a",
        physical_state="b",
        maximum_daily_amount=Decimal("55.0000"),
        days_on_site=365,
        pf_code_hazard_class="10",
        sc_steel_drum="Y",
        hc1_percent_by_weight=Decimal("25.00"),
    )
    chemical = etree.fromstring(_serialize_chemical(row, "HZ0024133"))
    assert [(child.tag, child.text) for child in chemical] == [
        ("ChemicalLocation", "Tank 3"),
        ("CommonName", "Nickel & <sulfate> bath"),
        ("EHS", "N"),
        ("PFCodeHazardClass", "10"),
        ("PhysicalState", "b"),
        ("MaximumDailyAmount", "55"),
        ("Units", "a"),
        ("DaysOnSite", "365"),
        ("SCSteelDrum", "Y"),
        ("HC1PercentByWeight", "25"),
        ("ChemicalRegulatorKey", "HZ0024133"),
        ("CERSUniqueKey", "2a6c3f82-16e2-4708-9efa-77fe47af1825"),
    ]


def test_the_generated_writer_refuses_what_is_not_an_xml_name() -> None:
    spec = CHEMICAL_FIELDS[0]
    with pytest.raises(ValueError, match="Not an XML name"):
        compile_fields_writer([type(spec)(xml="Bad name", label="x")], 0)


def test_a_document_streams_in_chunks_and_its_header_goes_first() -> None:
    written = []

    def body(writer):  # type: ignore[no-untyped-def]
        writer.write(element("Header", "first"))
        yield True
        for n in range(3000):
            writer.raw(f"<Row><N>{n}</N><Text>{'x' * 60}</Text></Row>")
            written.append(n)
            yield False

    chunks = stream_document(schema_namespace=namespace("ChemicalLibraryQuery"), root="Chemicals", body=body)
    first = next(chunks)
    assert first.endswith(b"<Header>first</Header>")
    assert written == []  # nothing of the body was produced before the header was handed out
    rest = list(chunks)
    assert len(rest) >= 3 and all(len(chunk) < 70 * 1024 for chunk in rest)
    root = etree.fromstring(first + b"".join(rest))
    assert len(root.findall("Row")) == 3000
    assert root.tag == "{http://cersservices.calepa.ca.gov/Schemas/ChemicalLibraryQuery/1/08/}Chemicals"


def test_a_stream_closed_early_stops_reading() -> None:
    produced = []

    def body(writer):  # type: ignore[no-untyped-def]
        yield True
        for n in range(100_000):
            writer.raw(f"<Row>{n}</Row>")
            produced.append(n)
            yield n % 1000 == 0

    chunks = stream_document(schema_namespace="urn:x", root="R", body=body)
    next(chunks)
    next(chunks)
    chunks.close()
    assert len(produced) < 2000
    assert document_bytes(
        stream_document(schema_namespace="urn:x", root="R", body=lambda w: iter([]))
    ).endswith(b'<cers:R xmlns:cers="urn:x"></cers:R>')


def test_any_version_of_a_schema_is_recognised() -> None:
    assert namespace("RegulatorFacilitySubmittalQuery").endswith("/RegulatorFacilitySubmittalQuery/1/10/")
    for version in ("1/05", "1/06", "1/10", "2/01"):
        uri = f"http://cersservices.calepa.ca.gov/Schemas/RegulatorFacilitySubmittalQuery/{version}/"
        assert schema_of(uri) == "RegulatorFacilitySubmittalQuery"
    assert schema_of("http://example.com/RegulatorFacilitySubmittalQuery/1/05/") is None
    assert schema_of(None) is None


def test_older_and_current_namespaces_import_alike(world: World) -> None:
    data = sample_path().read_bytes().replace(b"/1/05/", b"/1/06/")
    report = edt_import(source=io.BytesIO(data), name="v106.xml")
    assert report.elements == 12


def test_our_own_export_imports_as_the_states_does(world: World) -> None:
    """The document the query writes (schema 1/10) is read by the migration like the state's: importing it
    again changes nothing, and with fresh keys and CERS ID (another facility) it gives the same values."""
    with sample_path().open("rb") as source:
        edt_import(source=source, name="Untitled1.xml")
    token = agency_client_create(regulator=world.kern, actor=None, name="Kern", scopes=["query"])[1]

    def export(cers_id: int) -> bytes:
        response = Client().get(
            "/EDT/Regulator/FacilitySubmittal/Query",
            {"regulatorCode": 1500, "CERSID": cers_id},
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        return streamed(response)

    exported = export(10231816)
    assert edt_import(source=io.BytesIO(exported), name="ours.xml").already_imported == 3
    copy = validate(exported, "RegulatorFacilitySubmittalQuery")
    for key in copy.iter("CERSUniqueKey"):
        key.text = str(uuid.uuid4())
    copy.find("FacilitySubmittal/CERSID").text = "10231899"
    report = edt_import(source=io.BytesIO(etree.tostring(copy)), name="copy.xml")
    assert (report.facilities_created, report.elements) == ([10231899], 3)

    def values(document: bytes) -> dict[str, str]:
        node = facility_submittals(validate(document, "RegulatorFacilitySubmittalQuery"))
        return {
            path: value
            for path, value in leaves(next(iter(node.values()))).items()
            if "/CERSUniqueKey[" not in path and "/CERSID[" not in path
        }

    assert values(export(10231899)) == values(exported)
