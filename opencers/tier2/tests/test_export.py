"""Export of a CERS inventory as a Tier II dataset: which version, the facility and its contacts, the
chemicals in pounds with range codes, storage locations, components, thresholds, the .t2s package."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from opencers.core.errors import DomainError
from opencers.documents.models import Document, DocumentFile
from opencers.elements.facility_info.models import OwnerOperator
from opencers.submittals.models import Status, SubmittalElement
from opencers.submittals.services import draft_start_from
from opencers.tier2 import standard
from opencers.tier2.export import (
    DRAFT,
    LATEST,
    ExportOptions,
    ExportRefused,
    export_facilities,
    export_facility,
    inventory_source,
)
from opencers.tier2.selectors import tier2_package
from opencers.tier2.structure import check_structure
from opencers.tier2.tests.helpers import INVENTORY, inventory_draft, parse, row, submit_inventory

YEAR = timezone.now().year


def _options(**values):
    values.setdefault("manned", True)
    return ExportOptions(year=values.pop("year", YEAR), source=values.pop("source", DRAFT), **values)


def _export(facility, **values):
    export = export_facility(facility, _options(**values))
    data = export.xml()
    assert check_structure(data) == []
    return export, parse(data)


@pytest.fixture
def lead(world):
    return world.users["lead"]


@pytest.fixture
def draft(world, lead):
    return inventory_draft(world.facility, lead)


# --- Which inventory ---------------------------------------------------------------------------------------


def test_latest_of_the_year_prefers_an_accepted_version(world, lead, draft):
    row(draft, 1)
    first = submit_inventory(world.facility, lead)
    second_draft = draft_start_from(facility=world.facility, element=INVENTORY, source=first, actor=lead)
    second = submit_inventory(world.facility, lead)
    assert second.pk == second_draft.pk and second.version == 2
    assert inventory_source(world.facility, year=YEAR, source=LATEST) == second
    SubmittalElement.objects.filter(pk=first.pk).update(status=Status.ACCEPTED)
    assert inventory_source(world.facility, year=YEAR, source=LATEST) == first
    assert inventory_source(world.facility, year=YEAR, source="2") == second


def test_no_version_of_the_year_or_no_draft_is_a_clear_refusal(world, lead, draft):
    row(draft, 1)
    submit_inventory(world.facility, lead)
    with pytest.raises(DomainError) as refused:
        inventory_source(world.facility, year=YEAR - 1, source=LATEST)
    assert refused.value.message == (
        f"No version of the inventory of Acme Plating was submitted in {YEAR - 1}. "
        "Choose another version or the draft."
    )
    with pytest.raises(DomainError) as refused:
        inventory_source(world.facility, year=YEAR, source=DRAFT)
    assert refused.value.message == "Acme Plating has no draft of the inventory. Choose a submitted version."
    with pytest.raises(DomainError) as refused:
        inventory_source(world.facility, year=YEAR, source="7")
    assert refused.value.message == "There is no such version of the inventory."


def test_a_submitted_version_is_exported_with_the_facility_information_submitted_with_it(world, lead, draft):
    row(draft, 1, common_name="Caustic soda", chemical_name="Sodium hydroxide")
    submit_inventory(world.facility, lead)
    # A later draft of Facility Information does not change what the submitted version says.
    from opencers.submittals.tests.factories import complete_facility_info

    later = complete_facility_info(world.facility, lead)
    OwnerOperator.objects.filter(element=later).update(identification_signer_name="Someone Else")
    _, dataset = _export(world.facility, source=LATEST)
    facility = dataset.facilities[0]
    assert facility.name_and_title_of_certifier == "Pat Primary, Plant manager"
    assert facility.chemicals[0].name == "Sodium hydroxide"


# --- The facility and its contacts ---------------------------------------------------------------------------


def test_facility_identification_contacts_and_ids(world, lead, draft):
    from opencers.submittals.tests.factories import complete_facility_info

    information = complete_facility_info(world.facility, lead)
    OwnerOperator.objects.filter(element=information).update(
        naics_code="332813",
        dun_and_bradstreet="123456789",
        mailing_address_state="CA",
        mailing_address_zip_code="95814",
        identification_signed_date=date(2025, 2, 14),
        e_contact_email_address="eve@example.com",
        sec_name="Sam Second",
        sec_title="Shift lead",
        sec_business_phone="(916) 555-0111",
        sec24_hr_phone="(916) 555-0112",
    )
    world.facility.latitude, world.facility.longitude = Decimal("38.580000"), Decimal("-121.490000")
    world.facility.save()
    row(draft, 1)
    _, dataset = _export(world.facility, manned=True, max_occupants=25, fire_district="Sacramento Metro Fire")
    facility = dataset.facilities[0]
    assert facility.name == "Acme Plating"
    assert vars(facility.street_address) == {
        "street": world.facility.street,
        "city": world.facility.city,
        "state": "CA",
        "zipcode": "95814",
        "country": None,
    }
    assert vars(facility.mailing_address) == {
        "street": "PO Box 1",
        "city": "Sacramento",
        "state": "CA",
        "zipcode": "95814",
        "country": "USA",
    }
    assert facility.county == "Sacramento"
    assert (facility.latitude, facility.longitude) == ("38.58", "-121.49")
    assert facility.fire_district == "Sacramento Metro Fire"
    assert (facility.manned, facility.max_num_occupants) == ("true", "25")
    assert facility.name_and_title_of_certifier == "Pat Primary, Plant manager"
    assert facility.date_signed == "2025-02-14"
    assert facility.fees_total == "0.00"
    assert (facility.phone.number, facility.phone.type) == ("(916) 555-0100", "Work")
    assert facility.subject_to_chem_accident_prevention == "false"
    assert [(i.type, i.id, i.description) for i in facility.facility_ids] == [
        ("NAICS", "332813", ""),
        ("D-U-N-S", "123456789", None),
    ]
    contacts = {c.record_id: c for c in dataset.contacts}
    assert [contacts[link.contact_id].last_name for link in facility.contact_ids] == [
        "Acme Holdings",
        "Acme Plating Inc.",
        "Primary",
        "Second",
        "Contact",
    ]
    owner, operator, primary, secondary, environmental = (
        contacts[link.contact_id] for link in facility.contact_ids
    )
    assert (owner.first_name, owner.contact_types) == ("", ["Owner / Operator"])
    assert vars(owner.mailing_address) == {
        "street": "PO Box 1",
        "city": "Sacramento",
        "state": "",
        "zipcode": "",
        "country": "USA",
    }
    assert operator.contact_types == ["Owner / Operator"]
    assert (primary.first_name, primary.title, primary.contact_types) == (
        "Pat",
        "Plant manager",
        ["Emergency Contact"],
    )
    assert [(p.number, p.type) for p in primary.phones] == [
        ("(916) 555-0100", "Work"),
        ("(916) 555-0199", "24-hour"),
    ]
    assert [(p.number, p.type) for p in secondary.phones] == [
        ("(916) 555-0111", "Work"),
        ("(916) 555-0112", "24-hour"),
    ]
    assert (environmental.first_name, environmental.email, environmental.contact_types) == (
        "Eve",
        "eve@example.com",
        ["Tier II Information Contact"],
    )


def test_one_person_in_several_roles_is_one_contact_and_may_be_the_emergency_coordinator(world, lead, draft):
    from opencers.submittals.tests.factories import complete_facility_info

    information = complete_facility_info(world.facility, lead)
    OwnerOperator.objects.filter(element=information).update(e_contact_name="Pat Primary")
    row(draft, 1)
    _, dataset = _export(world.facility, coordinator_is_primary_contact=True)
    pats = [c for c in dataset.contacts if c.last_name == "Primary"]
    assert len(pats) == 1
    assert pats[0].contact_types == [
        "Fac. Emergency Coordinator",
        "Emergency Contact",
        "Tier II Information Contact",
    ]
    assert [(p.number, p.type) for p in pats[0].phones] == [
        ("(916) 555-0100", "Work"),
        ("(916) 555-0199", "24-hour"),
    ]


def test_chemical_accident_prevention_follows_business_activities_unless_answered(world, lead, draft):
    from opencers.submittals.tests.factories import complete_facility_info

    complete_facility_info(world.facility, lead, cal_arp_regulated_substances="Y")
    row(draft, 1)
    assert _export(world.facility)[1].facilities[0].subject_to_chem_accident_prevention == "true"
    answered = _export(world.facility, chemical_accident_prevention=False)[1]
    assert answered.facilities[0].subject_to_chem_accident_prevention == "false"


def test_without_facility_information_the_export_says_what_is_missing(world, draft):
    row(draft, 1)
    export, dataset = _export(world.facility)
    assert dataset.facilities[0].contact_ids == [] and dataset.contacts == []
    assert dataset.facilities[0].name_and_title_of_certifier == ""
    assert export.facilities[0].notes[0] == (
        "Acme Plating has no Facility Information: the owner, contacts and certifier are left empty. "
        "Complete Facility Information first for a full Tier II file."
    )


# --- Chemicals ----------------------------------------------------------------------------------------------


def test_rows_of_one_chemical_are_summed_in_pounds_with_range_codes(world, draft):
    row(
        draft,
        1,
        chemical_location="Tank farm",
        maximum_daily_amount=Decimal("4"),
        average_daily_amount=Decimal("2"),
        units="d",
        largest_container=Decimal("3"),
    )
    row(
        draft,
        2,
        chemical_location="Plating line",
        maximum_daily_amount=Decimal("1999.5"),
        average_daily_amount=Decimal("1000"),
        days_on_site=200,
        largest_container=Decimal("250"),
    )
    row(
        draft,
        3,
        common_name="Nitrogen",
        chemical_name="Nitrogen",
        cas_number="7727-37-9",
        physical_state="c",
        maximum_daily_amount=Decimal("99.6"),
        average_daily_amount=Decimal("50"),
    )
    export, dataset = _export(world.facility, include_below_threshold=True)
    soda, nitrogen = dataset.facilities[0].chemicals
    # 4 tons = 8,000 lb at the tank farm + 1,999.5 lb on the line = 9,999.5 lb: code 05, written as 10000.
    assert (soda.max_amount, soda.max_amount_code) == ("10000", "05")
    assert (soda.ave_amount, soda.ave_amount_code) == ("5000", "05")
    assert soda.days_on_site == "365"
    assert soda.max_amt_largest_container == "6000"  # 3 tons
    assert soda.below_reporting_thresholds == "true"  # 9,999.5 lb < 10,000 lb
    assert [(loc.description, loc.amount) for loc in soda.storage_locations] == [
        ("Tank farm", "8000"),
        ("Plating line", "2000"),
    ]
    assert (nitrogen.max_amount, nitrogen.max_amount_code) == ("100", "01")
    assert (nitrogen.solid, nitrogen.liquid, nitrogen.gas) == ("false", "false", "true")
    assert [line.name for line in export.facilities[0].included] == ["Sodium hydroxide", "Nitrogen"]


def test_chemicals_below_the_federal_thresholds_and_wastes_are_left_out_unless_asked(world, draft):
    row(draft, 1, maximum_daily_amount=Decimal("10000"), average_daily_amount=Decimal("10000"))
    row(
        draft,
        2,
        common_name="Acetone",
        chemical_name="Acetone",
        cas_number="67-64-1",
        physical_state="b",
        maximum_daily_amount=Decimal("9999"),
    )
    row(
        draft,
        3,
        common_name="Waste oil",
        chemical_name="",
        cas_number="",
        hm_type="c",
        physical_state="b",
        maximum_daily_amount=Decimal("50000"),
    )
    export, dataset = _export(world.facility)
    assert [c.name for c in dataset.facilities[0].chemicals] == ["Sodium hydroxide"]
    assert [line.name for line in export.facilities[0].left_out] == ["Acetone"]
    assert export.facilities[0].left_out[0].reason == (
        "Acetone: 9,999 lb on site < 10,000 lb → below the federal threshold (it may still be reported, "
        "marked as below the thresholds)"
    )
    assert export.facilities[0].notes[1:] == [
        "1 hazardous waste rows are left out: wastes are outside federal Tier II reporting (include them if "
        "your LEPC asks for them)."
    ]
    _, everything = _export(world.facility, include_below_threshold=True, include_waste=True)
    chemicals = everything.facilities[0].chemicals
    assert [(c.name, c.below_reporting_thresholds, c.mixture) for c in chemicals] == [
        ("Sodium hydroxide", "false", "false"),
        ("Acetone", "true", "false"),
        ("Waste oil", "false", "true"),
    ]


def test_extremely_hazardous_substances_use_the_lower_of_500_lb_and_their_tpq(world, draft):
    from opencers.elements.inventory.tests.helpers import library_chemical

    library_chemical("Chlorine", "7782-50-5", ehs=True, tpq_lbs=Decimal("100"))
    row(
        draft,
        1,
        common_name="Chlorine",
        chemical_name="Chlorine",
        cas_number="7782-50-5",
        ehs="Y",
        physical_state="c",
        maximum_daily_amount=Decimal("100"),
        average_daily_amount=Decimal("50"),
    )
    row(
        draft,
        2,
        common_name="Ammonia",
        chemical_name="Ammonia",
        cas_number="7664-41-7",
        ehs="Y",
        physical_state="c",
        maximum_daily_amount=Decimal("499"),
        average_daily_amount=Decimal("100"),
    )
    export, dataset = _export(world.facility)
    assert [c.name for c in dataset.facilities[0].chemicals] == ["Chlorine"]
    assert export.facilities[0].included[0].reason == (
        "Chlorine is an EHS with TPQ 100 lb; 100 lb on site ≥ 100 lb → reported on Tier II"
    )
    assert export.facilities[0].left_out[0].reason == (
        "Ammonia is marked as an EHS and its TPQ is not in the library, so the 500 lb limit applies; 499 lb "
        "on site < 500 lb → below the federal threshold (it may still be reported, marked as below the "
        "thresholds)"
    )
    assert dataset.facilities[0].subject_to_emergency_planning == "true"


def test_an_ehs_inside_mixtures_counts_toward_its_own_threshold(world, draft):
    from opencers.elements.inventory.tests.helpers import library_chemical

    library_chemical("Formaldehyde", "50-00-0", ehs=True, tpq_lbs=Decimal("500"))
    mixture = {
        "hm_type": "b",
        "ehs": "Y",
        "physical_state": "b",
        "cas_number": "",
        "hc1_name": "Formaldehyde",
        "hc1_cas": "50-00-0",
        "hc1_ehs": "Y",
        "hc1_percent_by_weight": Decimal("37"),
    }
    row(
        draft,
        1,
        common_name="Formalin",
        chemical_name="Formalin",
        maximum_daily_amount=Decimal("700"),
        **mixture,
    )
    row(
        draft,
        2,
        common_name="Fixative",
        chemical_name="Fixative",
        maximum_daily_amount=Decimal("700"),
        **mixture,
    )
    export, dataset = _export(world.facility)
    # 37 % of 1,400 lb = 518 lb of formaldehyde, over its 500 lb: both mixtures are reported.
    assert [c.name for c in dataset.facilities[0].chemicals] == ["Formalin", "Fixative"]
    formalin = dataset.facilities[0].chemicals[0]
    assert [(c.name, c.cas, c.ehs, c.percentage, c.max_amount_code) for c in formalin.components] == [
        ("Formaldehyde", "50-00-0", "true", "37", "02")
    ]
    assert export.facilities[0].included[0].reason == (
        "Formalin contains Formaldehyde, an EHS with TPQ 500 lb; 518 lb (518 lb of it in mixtures) on site in "
        "2 locations ≥ 500 lb → reported on Tier II"
    )


def test_hazard_categories_come_from_the_federal_flags(world, draft):
    row(
        draft,
        1,
        fhc_physical_flammable="Y",
        fhc_health_specific_target_organ_toxicity="Y",
        fhc_physical_hazard_not_otherwise_classified="Y",
        fhc_fire="Y",
    )
    row(draft, 2, chemical_location="Yard", fhc_health_carcinogenicity="Y")
    _, dataset = _export(world.facility)
    hazards = dataset.facilities[0].chemicals[0].hazards
    assert [h.category for h in hazards] == [name for name, _flags in standard.HAZARD_CATEGORIES]
    assert [h.category for h in hazards if h.value == "true"] == [
        "Flammable (gases, aerosols, liquids, or solids)",
        "Carcinogenicity",
        "Specific target organ toxicity(single or repeated exposure)",
        "Hazard Not Otherwise Classified",
    ]


def test_storage_locations_one_per_container_type_with_map_grid_and_other(world, draft):
    row(
        draft,
        1,
        chemical_location="Building 2",
        map_number="3",
        grid_number="B4",
        sc_steel_drum="Y",
        sc_tote_bin="Y",
        sc_other="Y",
        other_storage_container="IBC skid",
        storage_pressure="b",
        storage_temperature="d",
        cl_confidential="Y",
        trade_secret="Y",
    )
    export, dataset = _export(world.facility)
    chemical = dataset.facilities[0].chemicals[0]
    assert [
        (loc.description, loc.storage_type, loc.pressure, loc.temperature, loc.amount)
        for loc in chemical.storage_locations
    ] == [
        (
            "Building 2, Map 3, Grid B4",
            "Steel drum",
            "Greater than ambient pressure",
            "Cryogenic conditions",
            "12000",
        ),
        (
            "Building 2, Map 3, Grid B4",
            "Tote bin",
            "Greater than ambient pressure",
            "Cryogenic conditions",
            "",
        ),
        (
            "Building 2, Map 3, Grid B4, Other container: IBC skid",
            "Other",
            "Greater than ambient pressure",
            "Cryogenic conditions",
            "",
        ),
    ]
    assert len({loc.record_id for loc in chemical.storage_locations}) == 3
    assert (chemical.confidential_storage_locs, chemical.trade_secret) == ("true", "true")
    assert export.facilities[0].notes[1:] == [
        "“Sodium hydroxide” at Building 2 is kept in 3 kinds of containers: Tier II lists each, and the amount "
        "is given on the first only (CERS does not split amounts by container)."
    ]


def test_an_amount_that_cannot_be_converted_blocks_the_export(world, draft):
    from opencers.elements.inventory.tests.helpers import library_chemical

    acetone = library_chemical("Acetone", "67-64-1", density_lb_per_gal=Decimal("6.6"))
    row(
        draft,
        1,
        common_name="Acetone",
        chemical_name="Acetone",
        cas_number="67-64-1",
        physical_state="b",
        units="a",
        maximum_daily_amount=Decimal("2000"),
        average_daily_amount=Decimal("1000"),
        library_chemical=acetone,
    )
    row(
        draft,
        2,
        common_name="Paint",
        chemical_name="",
        cas_number="",
        hm_type="b",
        physical_state="b",
        units="a",
        maximum_daily_amount=Decimal("300"),
    )
    export = export_facility(world.facility, _options(include_below_threshold=True))
    assert export.problems == [
        "Acme Plating, “Paint”: Row 2: the largest amount in gal cannot be converted to pounds without a "
        "density, which the library gives for pure substances only."
    ]
    with pytest.raises(ExportRefused) as refused:
        export.xml()
    assert refused.value.problems == export.problems
    acetone_line = export.facilities[0].included[0]
    assert (acetone_line.max_lbs, acetone_line.ave_lbs) == (13200, 6600)


def test_record_ids_stay_the_same_from_one_export_to_the_next(world, lead, draft):
    from opencers.submittals.tests.factories import complete_facility_info

    complete_facility_info(world.facility, lead)
    row(draft, 1)
    first = parse(export_facility(world.facility, _options()).xml())
    second = parse(export_facility(world.facility, _options()).xml())
    assert first == second
    assert first.facilities[0].chemicals[0].record_id.startswith(f"CVTR{YEAR}")


# --- Organizations and packages ------------------------------------------------------------------------------


def test_an_organization_exports_all_its_facilities_in_one_dataset(world, lead, draft):
    from opencers.organizations.addresses import address_wash
    from opencers.organizations.services import facility_create
    from opencers.submittals.tests.factories import complete_facility_info

    second = facility_create(
        actor=lead,
        name="Acme Annex",
        address=address_wash(street="1500 J Street", city="", zip_code="95814"),
        organization=world.organization,
    )
    third = facility_create(
        actor=lead,
        name="Acme Storage",
        address=address_wash(street="1600 K Street", city="", zip_code="95814"),
        organization=world.organization,
    )
    complete_facility_info(world.facility, lead)
    complete_facility_info(second, lead)
    row(draft, 1)
    row(
        inventory_draft(second, lead),
        1,
        common_name="Acetone",
        chemical_name="Acetone",
        cas_number="67-64-1",
        physical_state="b",
    )
    export = export_facilities([world.facility, second, third], _options())
    data = export.xml()
    assert check_structure(data) == []
    dataset = parse(data)
    assert [f.name for f in dataset.facilities] == ["Acme Plating", "Acme Annex"]
    assert export.skipped == ["Acme Storage has no draft of the inventory. Choose a submitted version."]
    # Both facilities have the same people in the same roles: each contact is written once.
    assert len(dataset.contacts) == 4
    assert [loc.contact_id for loc in dataset.facilities[0].contact_ids] == [
        loc.contact_id for loc in dataset.facilities[1].contact_ids
    ]
    assert len({loc.link_id for f in dataset.facilities for loc in f.contact_ids}) == 8


def test_the_t2s_package_holds_the_xml_and_the_site_map(world, lead, draft, tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    from opencers.documents.services import Upload, document_files_upload

    row(draft, 1)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    document_files_upload(
        element=draft,
        slot="site_map",
        actor=lead,
        uploads=[Upload("Site plan.pdf", io.BytesIO(pdf), len(pdf))],
    )
    export = export_facility(world.facility, _options())
    package = tier2_package(export)
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        assert archive.namelist() == ["epcra_tier2_data.xml", "Site plan.pdf"]
        assert archive.read("Site plan.pdf") == pdf
        xml = archive.read("epcra_tier2_data.xml")
    assert xml == export.xml()
    facility = parse(xml).facilities[0]
    assert [a.file_name for a in facility.attachments] == ["Site plan.pdf"]
    assert facility.site_plan_attached == "true"
    assert tier2_package(export_facility(world.facility, _options())) == package  # same export, same bytes
    (tmp_path / DocumentFile.objects.get().storage_key).unlink()
    with pytest.raises(DomainError) as missing:
        tier2_package(export_facility(world.facility, _options()))
    assert missing.value.message == (
        "The site map file Site plan.pdf cannot be read from storage. Download the XML without it, or upload "
        "the site map again."
    )
    assert Document.objects.get(element=draft).files.count() == DocumentFile.objects.count() == 1
