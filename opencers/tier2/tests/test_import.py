"""Import of a Tier II file into a facility's draft inventory: the mapping back to CERS fields, replace and
append, all or nothing with every problem named, and hostile files refused with nothing changed."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest

from opencers.core.errors import DomainError
from opencers.core.models import AuditEvent
from opencers.documents.models import DocumentFile
from opencers.elements.inventory.models import InventoryItem
from opencers.submittals.models import SubmittalElement
from opencers.submittals.services import draft_mark_not_applicable
from opencers.tier2.dataset import Chemical, Component, Dataset, Facility, Hazard, StorageLocation
from opencers.tier2.importing import ImportRefused
from opencers.tier2.services import APPEND, REPLACE, tier2_import
from opencers.tier2.standard import HAZARD_CATEGORIES
from opencers.tier2.tests.helpers import INVENTORY, inventory_draft, row, sample_bytes
from opencers.tier2.xmlio import Tier2FileError, write_xml

FALSE_FLAGS = {
    "fhc_physical_flammable": "N",
    "fhc_physical_gas_under_pressure": "N",
    "fhc_physical_explosive": "N",
    "fhc_physical_self_heating": "N",
    "fhc_physical_pyrophoric": "N",
    "fhc_physical_oxidizer": "N",
    "fhc_physical_organic_peroxide": "N",
    "fhc_physical_self_reactive": "N",
    "fhc_physical_pyrophoric_gas": "N",
    "fhc_physical_corrosive_to_metal": "N",
    "fhc_physical_contact_water_emits_flammable_gas": "N",
    "fhc_physical_combustible_dust": "N",
    "fhc_physical_hazard_not_otherwise_classified": "N",
    "fhc_health_carcinogenicity": "N",
    "fhc_health_acute_toxicity": "N",
    "fhc_health_reproductive_toxicity": "N",
    "fhc_health_skin_corrosion_irritation": "N",
    "fhc_health_respiratory_skin_sensitization": "N",
    "fhc_health_serious_eye_damage_eye_irritation": "N",
    "fhc_health_specific_target_organ_toxicity": "N",
    "fhc_health_aspiration_hazard": "N",
    "fhc_health_germ_cell_mutagenicity": "N",
    "fhc_health_simple_asphyxiant": "N",
    "fhc_health_hazard_not_otherwise_classified": "N",
}
CONTAINERS_NO = {
    name: "N"
    for name in (
        "sc_above_ground_tank",
        "sc_under_ground_tank",
        "sc_tank_inside_building",
        "sc_steel_drum",
        "sc_plastic_non_metallic_drum",
        "sc_can",
        "sc_carboy",
        "sc_silo",
        "sc_fiber_drum",
        "sc_bag",
        "sc_box",
        "sc_cylinder",
        "sc_glass_bottle",
        "sc_plastic_bottle",
        "sc_tote_bin",
        "sc_tank_truck_tank_wagon",
        "sc_tank_car_rail_car",
        "sc_other",
    )
}
COMPARED = (
    "position",
    "common_name",
    "chemical_name",
    "cas_number",
    "ehs",
    "trade_secret",
    "hm_type",
    "physical_state",
    "units",
    "maximum_daily_amount",
    "average_daily_amount",
    "days_on_site",
    "largest_container",
    "chemical_location",
    "map_number",
    "grid_number",
    "cl_confidential",
    "other_storage_container",
    "storage_pressure",
    "storage_temperature",
    "additional_mixture_components",
    *FALSE_FLAGS,
    *CONTAINERS_NO,
    *(f"hc{n}_{part}" for n in range(1, 6) for part in ("name", "cas", "ehs", "percent_by_weight")),
    "fhc_fire",
)


@pytest.fixture
def lead(world):
    return world.users["lead"]


def _rows(facility):
    return [
        {name: getattr(item, name) for name in COMPARED}
        for item in InventoryItem.objects.filter(
            element__facility=facility, element__status="draft"
        ).order_by("position")
    ]


def _import(world, data, name="epcra_tier2_data.xml", **kwargs):
    return tier2_import(facility=world.facility, actor=world.users["lead"], name=name, data=data, **kwargs)


def _empty_row(**values):
    base = {name: "" for name in COMPARED if name != "position"}
    base.update({"maximum_daily_amount": None, "average_daily_amount": None, "days_on_site": None})
    base.update({"largest_container": None, **{f"hc{n}_percent_by_weight": None for n in range(1, 6)}})
    base.update(FALSE_FLAGS)
    base.update(CONTAINERS_NO)
    base.update(values)
    return base


def _hazards(*true):
    return [Hazard(name, "true" if name in true else "false") for name, _flags in HAZARD_CATEGORIES]


def _dataset(*chemicals, facilities=None):
    facility = Facility(record_id="FATR2024AAAAAAAAAAAA", name="Moving Plant", chemicals=list(chemicals))
    return Dataset(report_year="2024", facilities=facilities or [facility])


def _chemical(**values):
    chemical = Chemical(
        record_id="CVTR2024AAAAAAAAAAAA",
        name="Sulfuric acid",
        cas="7664-93-9",
        ehs="true",
        pure="true",
        mixture="false",
        liquid="true",
        hazards=_hazards("Corrosive to metal", "Skin corrosion or irritation"),
        ave_amount="600",
        ave_amount_code="03",
        max_amount="1000",
        max_amount_code="04",
        days_on_site="365",
        max_amt_largest_container="400",
        storage_locations=[
            StorageLocation(
                description="Battery room",
                storage_type="Plastic or non-metallic drum",
                pressure="Ambient pressure",
                temperature="Ambient temperature",
                amount="1000",
            )
        ],
    )
    for key, value in values.items():
        setattr(chemical, key, value)
    return chemical


# --- NOAA's sample ------------------------------------------------------------------------------------------


def test_the_sample_becomes_draft_rows_in_pounds(world, lead):
    result = _import(world, sample_bytes())
    assert (result.chemicals, result.rows, result.replaced) == (2, 2, 0)
    assert result.facility_in_file == "Green Valley Water Facility"
    chlorine, acid = _rows(world.facility)
    assert chlorine == _empty_row(
        position=1,
        common_name="Chlorine",
        chemical_name="Chlorine",
        cas_number="7782-50-5",
        ehs="Y",
        trade_secret="N",
        hm_type="a",
        physical_state="",  # liquid and gas in the file: the person chooses
        units="c",
        maximum_daily_amount=Decimal("20000"),
        average_daily_amount=Decimal("15000"),
        days_on_site=365,
        largest_container=Decimal("2000"),
        chemical_location="Chlorination building",
        cl_confidential="N",
        storage_pressure="b",
        storage_temperature="a",
        fhc_physical_oxidizer="Y",
        fhc_health_serious_eye_damage_eye_irritation="Y",
        sc_tank_inside_building="Y",
    )
    assert acid == _empty_row(
        position=2,
        common_name="Fluorosilic Acid",
        chemical_name="Fluorosilic Acid",
        cas_number="16961-83-4",
        ehs="N",
        trade_secret="N",
        hm_type="b",
        physical_state="b",
        units="c",
        maximum_daily_amount=Decimal("45000"),
        average_daily_amount=Decimal("20000"),
        days_on_site=365,
        largest_container=Decimal("45000"),
        chemical_location="Secondary clarifier",
        cl_confidential="N",
        storage_pressure="a",
        storage_temperature="a",
        fhc_health_hazard_not_otherwise_classified="Y",
        sc_above_ground_tank="Y",
        hc1_name="Hydrofluorosilic Acid",
        hc1_cas="7664-39-3",
        hc1_ehs="N",
        hc1_percent_by_weight=Decimal("1"),
        hc2_name="Silicate Hexafluorodihydrogen",
        hc2_cas="16961-83-4",
        hc2_ehs="N",
        hc2_percent_by_weight=Decimal("24"),
        hc3_name="Water",
        hc3_ehs="N",
        hc3_percent_by_weight=Decimal("75"),
    )
    assert result.notes == [
        "Chemical 1 “Chlorine” (CAS 7782-50-5): the file marks it as liquid + gas; CERS keeps one physical "
        "state per row. Choose it in the inventory: the rows cannot be submitted without it.",
        "Chemical 2 “Fluorosilic Acid” (CAS 16961-83-4): “Hazard Not Otherwise Classified” was set as a health "
        "hazard not otherwise classified. If it is a physical hazard, change it in the inventory.",
        "Only the chemicals are imported. The facility's identification, contacts, certifier, facility ids and "
        "state fields in the file are not: keep them current in Facility Information.",
    ]
    draft = SubmittalElement.objects.get(facility=world.facility, element=INVENTORY)
    event = AuditEvent.objects.get(action="tier2.imported")
    assert (event.object_id, event.actor, event.data["rows"], event.data["mode"]) == (
        str(draft.pk),
        lead,
        2,
        "replace",
    )


def test_rows_are_linked_to_the_library_when_name_and_cas_match(world):
    from opencers.elements.inventory.tests.helpers import library_chemical

    chlorine = library_chemical("Chlorine", "7782-50-5", ehs=True, tpq_lbs=Decimal("100"))
    _import(world, sample_bytes())
    item = InventoryItem.objects.get(common_name="Chlorine")
    assert (item.library_chemical_id, item.cclid) == (chlorine.pk, chlorine.ccl_id)
    assert InventoryItem.objects.get(common_name="Fluorosilic Acid").library_chemical_id is None


def test_replace_discards_the_drafts_rows_and_append_keeps_them(world, lead):
    draft = inventory_draft(world.facility, lead)
    row(draft, 1)
    row(draft, 2, chemical_location="Yard")
    result = _import(world, sample_bytes(), mode=APPEND)
    assert result.replaced == 0
    assert [(r["position"], r["common_name"]) for r in _rows(world.facility)] == [
        (1, "Sodium hydroxide"),
        (2, "Sodium hydroxide"),
        (3, "Chlorine"),
        (4, "Fluorosilic Acid"),
    ]
    result = _import(world, sample_bytes(), mode=REPLACE)
    assert result.replaced == 4
    assert [(r["position"], r["common_name"]) for r in _rows(world.facility)] == [
        (1, "Chlorine"),
        (2, "Fluorosilic Acid"),
    ]


def test_a_draft_marked_not_applicable_is_not_imported_into(world, lead):
    draft = inventory_draft(world.facility, lead)
    draft_mark_not_applicable(draft=draft, actor=lead, not_applicable=True, reason="No materials on site")
    with pytest.raises(DomainError) as refused:
        _import(world, sample_bytes())
    assert refused.value.message.startswith("The draft inventory is marked not applicable.")
    assert InventoryItem.objects.count() == 0


def test_without_a_draft_an_empty_one_is_started(world):
    assert not SubmittalElement.objects.filter(facility=world.facility, element=INVENTORY).exists()
    _import(world, sample_bytes())
    assert SubmittalElement.objects.get(facility=world.facility, element=INVENTORY).status == "draft"


# --- The mapping --------------------------------------------------------------------------------------------


def test_locations_containers_and_the_average_shared_in_proportion(world):
    chemical = _chemical(
        max_amount="1000",
        ave_amount="500",
        confidential_storage_locs="true",
        trade_secret="true",
        storage_locations=[
            StorageLocation(
                description="Building 2, Map 3, Grid B4",
                storage_type="Steel drum",
                pressure="Greater than ambient pressure",
                temperature="Cryogenic conditions",
                amount="600",
            ),
            StorageLocation(
                description="Building 2, Map 3, Grid B4",
                storage_type="Tote bin",
                pressure="Greater than ambient pressure",
                temperature="Cryogenic conditions",
            ),
            StorageLocation(
                description="Building 2, Map 3, Grid B4, Other container: IBC skid",
                storage_type="Other",
                pressure="Greater than ambient pressure",
                temperature="Cryogenic conditions",
            ),
            StorageLocation(
                description="Yard",
                storage_type="Drums on pallets",
                pressure="Ambient",
                temperature="",
                amount="400",
            ),
        ],
    )
    result = _import(world, write_xml(_dataset(chemical)))
    first, second = _rows(world.facility)
    assert {
        k: first[k] for k in ("chemical_location", "map_number", "grid_number", "other_storage_container")
    } == {
        "chemical_location": "Building 2",
        "map_number": "3",
        "grid_number": "B4",
        "other_storage_container": "IBC skid",
    }
    assert [name for name in CONTAINERS_NO if first[name] == "Y"] == [
        "sc_steel_drum",
        "sc_tote_bin",
        "sc_other",
    ]
    assert (first["storage_pressure"], first["storage_temperature"]) == ("b", "d")
    assert (first["maximum_daily_amount"], first["average_daily_amount"]) == (Decimal("600"), Decimal("300"))
    assert (second["chemical_location"], second["other_storage_container"], second["sc_other"]) == (
        "Yard",
        "Drums on pallets",
        "Y",
    )
    assert (second["storage_pressure"], second["storage_temperature"]) == ("a", "")
    assert (second["maximum_daily_amount"], second["average_daily_amount"]) == (
        Decimal("400"),
        Decimal("200"),
    )
    assert {
        (r["cl_confidential"], r["trade_secret"], r["ehs"], r["largest_container"]) for r in (first, second)
    } == {("Y", "Y", "Y", Decimal("400"))}
    assert result.notes[:2] == [
        "Chemical 1 “Sulfuric acid” (CAS 7664-93-9): storage location 4 (“Yard”): the storage type “Drums on "
        "pallets” is kept as an “other” container.",
        "Chemical 1 “Sulfuric acid” (CAS 7664-93-9): Tier II gives one average daily amount (500 lb) for all "
        "locations: it is shared among the 2 rows in proportion to their amounts.",
    ]


def test_locations_without_amounts_share_the_rest_of_the_maximum(world):
    chemical = _chemical(
        max_amount="1000",
        ave_amount="",
        ave_amount_code="",
        storage_locations=[
            StorageLocation(description="A", storage_type="Can", amount="400"),
            StorageLocation(description="B", storage_type="Can"),
            StorageLocation(description="C", storage_type="Can"),
        ],
    )
    result = _import(world, write_xml(_dataset(chemical)))
    assert [
        (r["chemical_location"], r["maximum_daily_amount"], r["average_daily_amount"])
        for r in _rows(world.facility)
    ] == [
        ("A", Decimal("400"), None),
        ("B", Decimal("300"), None),
        ("C", Decimal("300"), None),
    ]
    assert result.notes[0] == (
        "Chemical 1 “Sulfuric acid” (CAS 7664-93-9): 2 storage locations give no amount: the rest of "
        "maxAmount (600 lb) is shared among them. Check the amounts."
    )


def test_components_five_in_the_slots_the_rest_as_text(world):
    components = [
        Component(name=f"Part {n}", cas="", ehs="false", percentage=str(n), weight_or_volume="weight")
        for n in range(1, 7)
    ]
    components.append(
        Component(name="Formaldehyde", cas="50-00-0", ehs="true", percentage="0.5", weight_or_volume="volume")
    )
    chemical = _chemical(name="Mix", cas="", pure="false", mixture="true", components=components)
    result = _import(world, write_xml(_dataset(chemical)))
    [item] = _rows(world.facility)
    assert [
        (item[f"hc{n}_name"], item[f"hc{n}_percent_by_weight"], item[f"hc{n}_ehs"]) for n in range(1, 6)
    ] == [
        ("Part 3", Decimal("3"), "N"),
        ("Part 4", Decimal("4"), "N"),
        ("Part 5", Decimal("5"), "N"),
        ("Part 6", Decimal("6"), "N"),
        ("Formaldehyde", Decimal("0.5"), "Y"),
    ]
    assert item["hc5_cas"] == "50-00-0"
    assert item["additional_mixture_components"] == "Part 1 1%; Part 2 2%"
    assert result.notes[:2] == [
        "Chemical 1 “Mix”: the percentage of component “Formaldehyde” is by volume; CERS stores percent by "
        "weight. Check it.",
        "Chemical 1 “Mix”: it has 7 components; CERS has five component slots, so the others are listed as "
        "text under “Other mixture components”.",
    ]


def test_range_codes_are_not_trusted_but_a_wrong_one_is_reported(world):
    chemical = _chemical(max_amount="1000", max_amount_code="06", ave_amount="100", ave_amount_code="01")
    result = _import(world, write_xml(_dataset(chemical)))
    assert _rows(world.facility)[0]["maximum_daily_amount"] == Decimal("1000")
    assert result.notes[0] == (
        "Chemical 1 “Sulfuric acid” (CAS 7664-93-9): maxAmountCode 06 does not match the amount 1000 lb "
        "(range 04); the exact amount is kept and the code is derived from it on export."
    )
    assert not any("aveAmountCode" in note for note in result.notes)  # 100 lb may be 99.6 lb rounded: code 01


def test_a_file_with_several_facilities_needs_the_one_to_import(world):
    other = Facility(
        record_id="FATR2024BBBBBBBBBBBB",
        name="Second Plant",
        chemicals=[_chemical(name="Acetone", cas="67-64-1")],
    )
    data = write_xml(
        _dataset(
            facilities=[
                Facility(record_id="FATR2024AAAAAAAAAAAA", name="First Plant", chemicals=[_chemical()]),
                other,
            ]
        )
    )
    with pytest.raises(DomainError) as refused:
        _import(world, data)
    assert refused.value.message == (
        "The file holds 2 facilities: First Plant (FATR2024AAAAAAAAAAAA); Second Plant (FATR2024BBBBBBBBBBBB). "
        "Give the name of the one to import and upload the file again."
    )
    assert refused.value.field == "facility_in_file"
    _import(world, data, facility_in_file="second plant")
    assert [r["common_name"] for r in _rows(world.facility)] == ["Acetone"]


def test_every_problem_is_listed_and_nothing_changes(world, lead):
    draft = inventory_draft(world.facility, lead)
    row(draft, 1)
    before = _rows(world.facility)
    events = AuditEvent.objects.count()
    bad = _chemical(
        name="Bad acid",
        cas="7664-93-8",
        ehs="maybe",
        hazards=[*_hazards("Explosive")[:22], Hazard("Radioactive", "true")],
        max_amount="-5",
        storage_locations=[
            StorageLocation(
                description="x" * 141, storage_type="Steel drum", pressure="High", amount="10", unit="gallons"
            ),
        ],
        components=[Component(name="Part", percentage="150")],
        pure="false",
        mixture="true",
    )
    data = write_xml(_dataset(_chemical(), bad))
    with pytest.raises(ImportRefused) as refused:
        _import(world, data)
    assert (
        refused.value.message
        == "The file was not imported: 8 problems must be corrected first. Nothing was changed."
    )
    assert refused.value.problems == [
        "Chemical 2 “Bad acid” (CAS 7664-93-8): ehs is “maybe”, not true or false.",
        "Chemical 2 “Bad acid” (CAS 7664-93-8): the hazard category “Radioactive” is not one of the federal "
        "hazard categories of the standard.",
        "Chemical 2 “Bad acid” (CAS 7664-93-8): the percentage of component “Part” is “150”, not a percentage "
        "above 0 and up to 100.",
        "Chemical 2 “Bad acid” (CAS 7664-93-8): storage location 1 (“"
        + "x" * 141
        + "”): the pressure “High” "
        "is not one of: Ambient pressure; Greater than ambient pressure; Less than ambient pressure.",
        "Chemical 2 “Bad acid” (CAS 7664-93-8): storage location 1 (“" + "x" * 141 + "”): the amount is in "
        "“gallons”; Tier II amounts are in pounds.",
        "Chemical 2 “Bad acid” (CAS 7664-93-8): maxAmount is “-5”, not an amount in pounds (a number, at least 0).",
        "Chemical 2 “Bad acid” (CAS 7664-93-8): locationDescription “"
        + "x" * 100
        + "” (for Storage location): "
        "This is 141 characters long; at most 140 are allowed. Shorten it.",
        "Chemical 2 “Bad acid” (CAS 7664-93-8): casNumber “7664-93-8” (for CAS number): The CAS number "
        "7664-93-8 has a wrong check digit (it should end in 9). Copy the number again from the Safety Data "
        "Sheet.",
    ]
    assert _rows(world.facility) == before
    assert AuditEvent.objects.count() == events


def test_a_file_without_chemicals_is_refused(world):
    with pytest.raises(ImportRefused) as refused:
        _import(world, write_xml(_dataset()))
    assert refused.value.problems == [
        "The facility “Moving Plant” in the file lists no chemicals: there is nothing to import."
    ]


# --- Hostile and wrong files ------------------------------------------------------------------------------------


def _zip(entries, *, encrypt=False):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries:
            archive.writestr(name, content)
    data = buffer.getvalue()
    if encrypt:  # mark every entry as encrypted (general purpose bit 0), as a password-protected archive is
        data = bytearray(data)
        for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
            start = data.find(signature)
            while start != -1:
                data[start + offset] |= 0x1
                start = data.find(signature, start + 4)
        data = bytes(data)
    return data


BOMB = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz ['
    + b"".join(b'<!ENTITY lol%d "%s">' % (n, b"&lol%d;" % (n - 1) * 10 if n else b"lol") for n in range(10))
    + b']>\n<epcraTier2Dataset xmlns="https://cameo.noaa.gov/epcra_tier2/data_standard/v1">&lol9;</epcraTier2Dataset>'
)
XXE = (
    b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    b'<epcraTier2Dataset xmlns="https://cameo.noaa.gov/epcra_tier2/data_standard/v1">&xxe;</epcraTier2Dataset>'
)


def _hostile_cases():
    sample = sample_bytes()
    return [
        ("bomb.xml", BOMB, "document type declaration (DOCTYPE) or entity definitions"),
        ("xxe.xml", XXE, "document type declaration (DOCTYPE) or entity definitions"),
        (
            "bomb.t2s",
            _zip([("epcra_tier2_data.xml", BOMB)]),
            "document type declaration (DOCTYPE) or entity definitions",
        ),
        (
            "zipbomb.t2s",
            _zip([("epcra_tier2_data.xml", sample), ("plan.txt", b"0" * (30 * 1024 * 1024))]),
            "as in a “zip bomb”",
        ),
        ("escape.t2s", _zip([("epcra_tier2_data.xml", sample), ("../../etc/cron.d/x", b"x")]), "unsafe path"),
        (
            "program.t2s",
            _zip([("epcra_tier2_data.xml", sample), ("setup.exe", b"MZ\x00\x00")]),
            "contains a program",
        ),
        ("locked.t2s", _zip([("epcra_tier2_data.xml", sample)], encrypt=True), "password-protected"),
        ("nothing.t2s", _zip([("readme.txt", b"hello")]), "holds no epcra_tier2_data.xml"),
        (
            "twice.t2s",
            _zip([("a/epcra_tier2_data.xml", sample), ("b/epcra_tier2_data.xml", sample)]),
            "several",
        ),
        ("broken.t2s", b"PK\x03\x04" + b"\x00" * 100, "damaged or incomplete"),
        ("plain.t2s", sample, "not a .t2s package (a ZIP archive)"),
        ("tier2.pdf", sample, "is not a Tier II file"),
        ("archive.xml", _zip([("epcra_tier2_data.xml", sample)]), "really a ZIP archive"),
        ("empty.xml", b"", "is empty"),
        ("spreadsheet.xml", b"<?xml version='1.0'?><Workbook/>", "first element is “Workbook”"),
        ("cut.xml", sample[:5000], "not well-formed XML"),
    ]


@pytest.mark.parametrize("case", range(16))
def test_hostile_and_wrong_files_are_refused_with_nothing_changed(world, lead, case):
    name, data, message = _hostile_cases()[case]
    draft = inventory_draft(world.facility, lead)
    row(draft, 1)
    before = (_rows(world.facility), AuditEvent.objects.count(), DocumentFile.objects.count())
    with pytest.raises(DomainError) as refused:
        _import(world, data, name=name, attach_files=True)
    assert message in refused.value.message
    assert (_rows(world.facility), AuditEvent.objects.count(), DocumentFile.objects.count()) == before


def test_attached_files_go_to_the_site_map_and_a_bad_one_refuses_everything(world, lead, tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    sample = sample_bytes().replace(b"GRENVAL1.jpg", b"GRENVAL1.pdf")
    package = _zip([("epcra_tier2_data.xml", sample), ("GRENVAL1.pdf", pdf)])
    result = _import(world, package, name="green-valley.t2s", attach_files=True)
    assert result.attached == ["GRENVAL1.pdf"]
    assert (
        "The attachment GRENVAL2.jpg is listed in the file but not in it: it was not added." in result.notes
    )
    stored = DocumentFile.objects.get()
    assert (stored.original_name, stored.kind, stored.document.slot) == ("GRENVAL1.pdf", "pdf", "site_map")
    # A listed attachment that is not what its name says refuses the whole import.
    fake = _zip([("epcra_tier2_data.xml", sample_bytes()), ("GRENVAL1.jpg", b"not an image at all")])
    rows_before = _rows(world.facility)
    with pytest.raises(DomainError) as refused:
        _import(world, fake, name="fake.t2s", attach_files=True)
    assert "GRENVAL1.jpg" in refused.value.message
    assert _rows(world.facility) == rows_before
    assert DocumentFile.objects.count() == 1


def test_the_reader_error_type_is_a_domain_error():
    assert issubclass(Tier2FileError, DomainError)
