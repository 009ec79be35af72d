"""The National Tier II data standard itself: range codes, code lists, the XML writer and reader, and the
structural check that stands in for the unavailable DTD (TIER2.md §9-§10)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from opencers.tier2 import standard
from opencers.tier2.structure import check_structure
from opencers.tier2.tests.helpers import parse, sample_bytes
from opencers.tier2.xmlio import Tier2FileError, read_xml, write_xml

# --- Range codes (40 CFR 370.43(a)) ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pounds", "code"),
    [
        (0, "01"),
        (99, "01"),
        (Decimal("99.6"), "01"),
        (Decimal("99.999"), "01"),
        (100, "02"),
        (499, "02"),
        (500, "03"),
        (999, "03"),
        (1_000, "04"),
        (4_999, "04"),
        (5_000, "05"),
        (9_999, "05"),
        (10_000, "06"),
        (24_999, "06"),
        (25_000, "07"),
        (49_999, "07"),
        (50_000, "08"),
        (74_999, "08"),
        (75_000, "09"),
        (99_999, "09"),
        (100_000, "10"),
        (499_999, "10"),
        (500_000, "11"),
        (999_999, "11"),
        (1_000_000, "12"),
        (9_999_999, "12"),
        (10_000_000, "13"),
        (2_000_000_000, "13"),
    ],
)
def test_range_code_at_every_boundary(pounds, code):
    assert standard.range_code(pounds) == code


def test_range_codes_of_the_sample_agree_with_its_amounts():
    # TIER2.md §6.2: chlorine 15,000 / 20,000 lb, fluorosilicic acid 20,000 / 45,000 lb.
    assert [standard.range_code(a) for a in (15000, 20000, 20000, 45000)] == ["06", "06", "06", "07"]


def test_a_negative_amount_has_no_range_code():
    with pytest.raises(ValueError):
        standard.range_code(-1)


def test_codes_a_whole_pound_amount_may_carry_after_rounding():
    assert standard.range_codes_of_whole_pounds(100) == {"01", "02"}  # 99.6 lb is written as 100, code 01
    assert standard.range_codes_of_whole_pounds(101) == {"02"}
    assert standard.range_codes_of_whole_pounds(0) == {"01"}


# --- Code lists and record ids ---------------------------------------------------------------------------


def test_hazard_categories_are_the_23_of_the_standard_and_cover_every_ghs_flag():
    from opencers.elements.inventory.fields import FHC_FIELDS

    assert len(standard.HAZARD_CATEGORIES) == 23
    flags = [flag for _name, flags in standard.HAZARD_CATEGORIES for flag in flags]
    assert sorted(flags) == sorted(FHC_FIELDS[5:])  # the 24 GHS-era flags; the 5 older ones are not there
    assert sorted(standard.LEGACY_CATEGORIES.values()) == sorted(FHC_FIELDS[:5])


def test_hazard_strings_are_matched_loosely_but_unknown_ones_are_not():
    assert standard.match_hazard("  specific target organ toxicity (single or repeated exposure) ") == (
        "FHCHealthSpecificTargetOrganToxicity",
    )
    assert standard.match_hazard("COMBUSTIBLE DUST") == ("FHCPhysicalCombustibleDust",)
    assert standard.match_hazard("Sudden release of pressure") == ("FHCPressureRelease",)
    assert standard.match_hazard("Radioactive") is None


def test_storage_types_pressures_and_temperatures_accept_the_usual_variants():
    assert standard.match_storage_type("Tank inside building") == "SCTankInsideBuilding"
    assert standard.match_storage_type("above ground tanks") == "SCAboveGroundTank"
    assert standard.match_storage_type("Underground tank") == "SCUnderGroundTank"
    assert standard.match_storage_type("Plastic or non-metal drum") == "SCPlasticNonMetallicDrum"
    assert standard.match_storage_type("Tote Bins") == "SCToteBin"
    assert standard.match_storage_type("Tank car") == "SCTankCarRailCar"
    assert standard.match_storage_type("Tank truck") == "SCTankTruckTankWagon"
    assert standard.match_storage_type("Bucket") is None
    assert standard.match_pressure("Greater than ambient pressure") == "b"
    assert standard.match_pressure("less than ambient pressure") == "c"
    assert standard.match_pressure("High") is None
    assert standard.match_temperature("Cryogenic conditions") == "d"
    assert standard.match_temperature("Less than ambient temperature but not cryogenic") == "c"
    assert standard.match_temperature("Warm") is None


def test_record_ids_have_the_standards_shape_and_stay_the_same_for_the_same_record():
    first = standard.record_id("CV", 2025, 10000001, "cas", "7664-93-9")
    assert re.fullmatch(r"CVTR2025[A-Z0-9]{12}", first)
    assert standard.record_id("CV", 2025, 10000001, "cas", "7664-93-9") == first
    assert standard.record_id("CV", 2025, 10000001, "cas", "7664-41-7") != first
    assert standard.RECORD_ID.match(first)


# --- Writer and reader -----------------------------------------------------------------------------------


def test_the_sample_read_and_written_back_is_the_same_document_byte_for_byte():
    data = sample_bytes()
    result = read_xml(data)
    assert result.ignored == []
    assert write_xml(result.dataset) == data


def test_the_sample_holds_what_tier2_md_says():
    dataset = parse(sample_bytes())
    assert dataset.report_year == "2019"
    assert dataset.version == "1.0.0"
    [facility] = dataset.facilities
    assert facility.name == "Green Valley Water Facility"
    assert facility.street_address.zipcode == "05408"
    assert [c.name for c in facility.chemicals] == ["Chlorine", "Fluorosilic Acid"]
    assert [len(c.components or []) for c in facility.chemicals] == [0, 3]
    assert facility.chemicals[0].components is None
    assert len(dataset.contacts) == 4
    assert [link.contact_id for link in facility.contact_ids] == [
        "CTTR2019999P0U00QUKZ",
        "CTTR201930YLWV006ALB",
        "CTTR2019999P6F00XPQ6",
        "CTTR2019MMS9RQ001D5N",
    ]


def test_the_reader_lists_elements_it_does_not_know_and_tolerates_order():
    data = sample_bytes()
    changed = data.replace(
        b"<department>Chlorination Division</department>",
        b"<department>Chlorination Division</department>\n<failedTier2SubmitValidation>false"
        b"</failedTier2SubmitValidation><somethingNew>1</somethingNew>",
    ).replace(
        b"<chemName>Chlorine</chemName>\n\t\t\t\t\t\t<casNumber>7782-50-5</casNumber>",
        b"<casNumber>7782-50-5</casNumber><chemName>Chlorine</chemName>",
    )
    result = read_xml(changed)
    assert result.ignored == ["facility/somethingNew", "facility/failedTier2SubmitValidation"]
    chlorine = result.dataset.facilities[0].chemicals[0]
    assert (chlorine.name, chlorine.cas) == ("Chlorine", "7782-50-5")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not xml at all", "not well-formed XML"),
        (b'<?xml version="1.0"?><Workbook/>', "first element is “Workbook”"),
        (
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
            b'<epcraTier2Dataset xmlns="https://cameo.noaa.gov/epcra_tier2/data_standard/v1">&lol2;'
            b"</epcraTier2Dataset>",
            "document type declaration",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            b'<epcraTier2Dataset xmlns="https://cameo.noaa.gov/epcra_tier2/data_standard/v1">&xxe;'
            b"</epcraTier2Dataset>",
            "document type declaration",
        ),
        (
            b'<?xml version="1.0"?><epcraTier2Dataset xmlns="urn:something-else"/>',
            "first element is “epcraTier2Dataset”",
        ),
        (
            b'<?xml version="1.0"?><epcraTier2Dataset xmlns="https://cameo.noaa.gov/epcra_tier2/data_standard/v1"/>',
            "no dataset element",
        ),
    ],
)
def test_the_reader_refuses_what_is_not_a_tier2_dataset(data, message):
    with pytest.raises(Tier2FileError) as refused:
        read_xml(data)
    assert message in refused.value.message


# --- The structural check (in place of the DTD) -------------------------------------------------------------


def test_the_sample_passes_the_structural_check():
    assert check_structure(sample_bytes()) == []


def _changed(old: bytes, new: bytes, count: int = 1) -> bytes:
    data = sample_bytes()
    assert old in data
    return data.replace(old, new, count)


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        (
            b"<ehs>true</ehs>\n\t\t\t\t\t\t<pure>true</pure>",
            b"<pure>true</pure>\n\t\t\t\t\t\t<ehs>true</ehs>",
            "chemical: <ehs> expected, found <pure>",
        ),
        (b"<county>Chittenden</county>", b"", "facility: <county> expected, found <fireDistrict>"),
        (b"<manned>true</manned>", b"<manned>True</manned>", "manned: “True” is not a valid bool"),
        (
            b"<aveAmountCode>06</aveAmountCode>",
            b"<aveAmountCode>6</aveAmountCode>",
            "“6” is not a valid code",
        ),
        (b"<maxAmount>20000</maxAmount>", b"<maxAmount>20,000</maxAmount>", "“20,000” is not a valid int"),
        (b"<dateSigned>2020-01-13</dateSigned>", b"<dateSigned>01/13/2020</dateSigned>", "not a valid date"),
        (b'version="1.0.0"', b'version="1.0"', "version “1.0”, expected “1.0.0”"),
        (
            b'<amount unit="pounds">20000',
            b'<amount unit="gallons">20000',
            "unit “gallons”, expected “pounds”",
        ),
        (
            b'recordid="CVTR20196YVEPP00URE5"',
            b'recordid="chem-1"',
            "is not a record id of the standard's shape",
        ),
        (
            b'recordid="CVTR20196YVEUF00WV97"',
            b'recordid="CVTR20196YVEPP00URE5"',
            "recordid CVTR20196YVEPP00URE5 is used twice",
        ),
        (
            b">CTTR2019999P0U00QUKZ</contactId>",
            b">CTTR2019AAAAAAAAAAAA</contactId>",
            "contactId CTTR2019AAAAAAAAAAAA names no contact",
        ),
        (
            b"<category>Explosive</category>",
            b"<category>Explosives</category>",
            "the 23 hazard categories must all be listed",
        ),
        (b"<casNumber></casNumber>", b"<casNumber/>", "empty element is self-closed"),
        (
            b"https://cameo.noaa.gov/epcra_tier2/data_standard/v1",
            b"http://cameo.noaa.gov/epcra_tier2/data_standard/v1",
            "namespace “http://cameo.noaa.gov/epcra_tier2/data_standard/v1”",
        ),
        (
            b'<?xml version="1.0" encoding="utf-8"?>',
            b"<?xml version='1.0' encoding='utf-8'?>",
            "must start with",
        ),
    ],
)
def test_the_structural_check_finds_departures_from_the_standard(old, new, problem):
    problems = check_structure(_changed(old, new))
    assert problems, "the change went unnoticed"
    assert any(problem in found for found in problems), problems


def test_the_structural_check_refuses_a_doctype():
    data = sample_bytes().replace(
        b'<?xml version="1.0" encoding="utf-8"?>\n',
        b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE epcraTier2Dataset SYSTEM "epcra_tier2.dtd">\n',
    )
    assert check_structure(data) == ["the document must not have a DOCTYPE"]


def test_characters_xml_cannot_hold_are_left_out_and_markup_is_escaped():
    from opencers.tier2.dataset import Facility

    dataset = parse(sample_bytes())
    dataset.facilities = [Facility(record_id="FATR2024AAAAAAAAAAAA", name="Acme\x0b & <Sons>\x00")]
    data = write_xml(dataset)
    assert b"<facilityName>Acme &amp; &lt;Sons&gt;</facilityName>" in data
    assert parse(data).facilities[0].name == "Acme & <Sons>"
