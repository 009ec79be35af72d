"""Loading the library: the EHS list joined with the chemicals package, idempotent, with stable CCL ids."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from opencers.core.validators import check_cas
from opencers.library.models import Chemical, ChemicalName, ChemicalSource, NameKind, SearchWord
from opencers.library.services import library_load
from opencers.library.sources import EHS_CSV


def test_the_ehs_data_file_keeps_the_appendix_a_columns_and_names_its_source():
    # Given the project's copy of 40 CFR Part 355 Appendix A,
    with EHS_CSV.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    source_note = (EHS_CSV.parent / "ehs_tpq.SOURCE.md").read_text(encoding="utf-8")

    # then it has the 355 entries with their TPQ and RQ, every CAS number valid, and says where it comes from.
    assert len(rows) == 355
    assert list(rows[0]) == ["cas", "name", "tpq_lbs", "tpq_alt_lbs", "rq_lbs", "notes"]
    assert [row["name"] for row in rows if not row["cas"]] == ["Organorhodium Complex (PMN-82-147)"]
    assert [row["cas"] for row in rows if row["cas"] and check_cas(row["cas"])] == []
    assert all(row["tpq_lbs"] and row["rq_lbs"] for row in rows)
    assert "40 CFR Part 355" in source_note and "Appendix A" in source_note


def test_loading_the_ehs_sample_marks_every_listed_substance(ehs_library):
    # Given the EHS sample loaded (by the fixture), then 355 substances are in the library, all EHS,
    assert ehs_library["records"] == 355
    assert ehs_library["created"] == 355
    assert ehs_library["chemicals"] == 355
    assert ehs_library["ehs"] == 355
    assert Chemical.objects.count() == 355
    assert Chemical.objects.filter(ehs=True).count() == 355

    # with the list's name and quantities, and the package's facts where it has the substance;
    chlorine = Chemical.objects.get(cas="7782-50-5")
    assert chlorine.name == "Chlorine"
    assert (chlorine.tpq_lbs, chlorine.tpq_alt_lbs, chlorine.rq_lbs) == (Decimal("100"), None, Decimal("10"))
    assert chlorine.physical_state == "c"
    assert chlorine.boiling_point_f == Decimal("-29.1")
    assert chlorine.formula == "Cl2"
    assert chlorine.molecular_weight == Decimal("70.9060")
    assert chlorine.source == ChemicalSource.CHEMICALS
    assert "dichlorine" in chlorine.synonyms

    acrylamide = Chemical.objects.get(cas="79-06-1")
    assert (acrylamide.tpq_lbs, acrylamide.tpq_alt_lbs, acrylamide.rq_lbs) == (
        Decimal("1000"),
        Decimal("10000"),
        Decimal("5000"),
    )
    acrolein = Chemical.objects.get(cas="107-02-8")
    assert acrolein.physical_state == "b"
    assert acrolein.flash_point_f == Decimal("-0.4")
    assert acrolein.boiling_point_f == Decimal("126.1")
    assert Decimal("6.5") < acrolein.density_lb_per_gal < Decimal("7.2")

    # a regulatory name replaces the package's, which stays a synonym;
    peroxide = Chemical.objects.get(cas="7722-84-1")
    assert peroxide.name == "Hydrogen Peroxide (Conc >52%)"
    assert peroxide.synonyms[0] == "hydrogen peroxide"

    # and EHS entries that the package lacks, or that have no CAS number, are created from the list alone.
    nicotine = Chemical.objects.get(cas="54-11-5")
    assert (nicotine.name, nicotine.source) == ("Nicotine", ChemicalSource.EHS)
    assert nicotine.tpq_lbs == Decimal("100")
    organorhodium = Chemical.objects.get(name="Organorhodium Complex (PMN-82-147)")
    assert organorhodium.cas == ""
    assert Chemical.objects.filter(source=ChemicalSource.EHS).count() == 16


def test_every_substance_gets_its_own_ccl_id_and_its_search_names(ehs_library):
    ccl_ids = list(Chemical.objects.values_list("ccl_id", flat=True))
    assert len(set(ccl_ids)) == 355
    assert min(ccl_ids) > 0

    chlorine = Chemical.objects.get(cas="7782-50-5")
    names = {(n.kind, n.name) for n in ChemicalName.objects.filter(chemical=chlorine)}
    assert (NameKind.PRIMARY, "chlorine") in names
    assert (NameKind.CAS, "7782-50-5") in names
    assert (NameKind.SYNONYM, "dichlorine") in names
    assert len(names) == 2 + len(chlorine.synonyms)
    assert SearchWord.objects.filter(word="chlorine").exists()


def test_loading_again_changes_nothing_and_keeps_the_ccl_ids(ehs_library):
    # Given a loaded library,
    before = dict(Chemical.objects.values_list("cas", "ccl_id"))
    names_before = ChemicalName.objects.count()

    # when it is loaded again,
    counts = library_load(ehs_only=True)

    # then nothing is created, updated or re-indexed, and every substance keeps its CCL id.
    assert counts == {
        "records": 355,
        "created": 0,
        "updated": 0,
        "unchanged": 355,
        "ehs_unmarked": 0,
        "names": 0,
        "chemicals": 355,
        "ehs": 355,
    }
    assert dict(Chemical.objects.values_list("cas", "ccl_id")) == before
    assert ChemicalName.objects.count() == names_before


def test_loading_restores_changed_facts_and_drops_an_ehs_mark_the_list_no_longer_gives(ehs_library):
    # Given a library where a substance's TPQ was altered and another is marked EHS without being listed,
    chlorine = Chemical.objects.get(cas="7782-50-5")
    Chemical.objects.filter(pk=chlorine.pk).update(tpq_lbs=Decimal("1"), name="Chlorine gas")
    listed_nowhere = Chemical.objects.create(
        cas="64-17-5", name="Ethanol", ehs=True, tpq_lbs=Decimal("500"), source=ChemicalSource.MANUAL
    )

    # when the library is loaded,
    counts = library_load(ehs_only=True)

    # then the listed facts are back, under the same CCL id, and the unlisted substance is no longer EHS.
    assert (counts["updated"], counts["ehs_unmarked"], counts["created"]) == (1, 1, 0)
    chlorine_after = Chemical.objects.get(pk=chlorine.pk)
    assert (chlorine_after.name, chlorine_after.tpq_lbs) == ("Chlorine", Decimal("100"))
    assert chlorine_after.ccl_id == chlorine.ccl_id
    assert ChemicalName.objects.filter(chemical=chlorine, kind=NameKind.PRIMARY).get().name == "chlorine"
    ethanol = Chemical.objects.get(pk=listed_nowhere.pk)
    assert (ethanol.ehs, ethanol.tpq_lbs, ethanol.rq_lbs) == (False, None, None)


@pytest.mark.django_db
def test_the_management_command_reports_its_counts():
    out = io.StringIO()
    call_command("load_chemicals", "--ehs-only", stdout=out)
    assert "substances read: 355, created: 355, updated: 0, unchanged: 0" in out.getvalue()
    assert "library now holds 355 substances (355 EHS)" in out.getvalue()

    out = io.StringIO()
    call_command("load_chemicals", "--ehs-only", stdout=out)
    assert "created: 0, updated: 0, unchanged: 355" in out.getvalue()
    assert "search names written: 0" in out.getvalue()
