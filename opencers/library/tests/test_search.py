"""Search by name, synonym or CAS number, with typos, over the EHS sample plus a few substances of our own."""

from decimal import Decimal

import pytest

from opencers.core.errors import DomainError
from opencers.library.models import Chemical, ChemicalSource
from opencers.library.selectors import chemical_by_cas, chemical_search
from opencers.library.services import chemical_create


@pytest.fixture
def library(ehs_library):
    """The EHS sample and five common substances that are not on the EHS list."""
    chemical_create(
        name="Acetone",
        cas="67-64-1",
        synonyms=["dimethyl ketone", "propanone", "2-propanone"],
        physical_state="b",
        flash_point_f=Decimal("-4.0"),
        boiling_point_f=Decimal("132.9"),
    )
    chemical_create(name="Toluene", cas="108-88-3", synonyms=["methylbenzene", "toluol"])
    chemical_create(name="Isopropyl alcohol", cas="67-63-0", synonyms=["isopropanol", "2-propanol"])
    chemical_create(name="Diesel fuel No. 2", cas="68476-34-6", synonyms=["diesel oil"])
    chemical_create(name="Sodium hydroxide", cas="1310-73-2", synonyms=["caustic soda", "lye"])


def names(results):
    return [chemical.name for chemical in results]


def cas_numbers(results):
    return [chemical.cas for chemical in results]


def test_an_exact_cas_number_comes_first_with_or_without_hyphens(library):
    assert cas_numbers(chemical_search("7782-50-5")) == ["7782-50-5"]
    assert cas_numbers(chemical_search("7782505")) == ["7782-50-5"]
    assert cas_numbers(chemical_search(" 7664-93-9 ")) == ["7664-93-9"]


def test_a_partial_cas_number_finds_the_numbers_starting_with_it(library):
    results = cas_numbers(chemical_search("7664-"))
    assert "7664-93-9" in results  # sulfuric acid
    assert "7664-41-7" in results  # ammonia
    assert "7664-39-3" in results  # hydrogen fluoride
    assert all(cas.startswith("7664-") for cas in results)


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("chlorine", "7782-50-5"),
        ("Chlorine", "7782-50-5"),
        ("chlorene", "7782-50-5"),  # typo
        ("sulfuric acid", "7664-93-9"),
        ("sulfuric acd", "7664-93-9"),  # typo
        ("sulphuric acid", "7664-93-9"),  # synonym
        ("hydrochlo", "7647-01-0"),  # partial: hydrochloric acid is a synonym of hydrogen chloride
        ("muriatic acid", "7647-01-0"),  # synonym
        ("ammonia", "7664-41-7"),
        ("amonia", "7664-41-7"),  # typo
        ("formaldehide", "50-00-0"),  # typo
        ("acetone", "67-64-1"),
        ("dimethyl ketone", "67-64-1"),  # our synonym
        ("toluene", "108-88-3"),  # before toluene 2,4-diisocyanate (EHS)
        ("toluen", "108-88-3"),  # partial
        ("isoproply alcohol", "67-63-0"),  # typo
        ("isopropanol", "67-63-0"),
        ("diesel", "68476-34-6"),
        ("caustic soda", "1310-73-2"),
        ("hydrogen peroxide", "7722-84-1"),
    ],
)
def test_names_synonyms_and_typos_find_the_substance_first(library, query, first):
    results = chemical_search(query)
    assert results, query
    assert results[0].cas == first


def test_the_exact_name_ranks_before_longer_names_containing_it(library):
    results = cas_numbers(chemical_search("toluene"))
    assert results.index("108-88-3") < results.index("584-84-9")  # toluene 2,4-diisocyanate


def test_a_word_matching_nothing_close_finds_nothing(library):
    assert chemical_search("zzzzqqqq") == []


def test_empty_queries_and_the_limit(library):
    assert chemical_search("") == []
    assert chemical_search("   ") == []
    assert len(chemical_search("acid", limit=5)) == 5
    assert chemical_search("acid", limit=0) == []


def test_chemical_by_cas_accepts_hyphens_or_not(library):
    assert chemical_by_cas("7782-50-5").name == "Chlorine"
    assert chemical_by_cas("7782505").name == "Chlorine"
    assert chemical_by_cas("50-00-0").name == "Formaldehyde"
    assert chemical_by_cas("64-17-5") is None
    assert chemical_by_cas("") is None


def test_an_added_substance_gets_a_new_ccl_id_and_is_searchable_at_once(ehs_library):
    highest = max(Chemical.objects.values_list("ccl_id", flat=True))

    chemical = chemical_create(name="  Ethylene   glycol ", cas="107211", synonyms=["monoethylene glycol"])

    assert (chemical.name, chemical.cas) == ("Ethylene glycol", "107-21-1")
    assert chemical.source == ChemicalSource.MANUAL
    assert chemical.ccl_id > highest
    assert Chemical.objects.get(pk=chemical.pk).ccl_id == chemical.ccl_id
    assert chemical_search("ethylene glycol")[0] == chemical
    assert chemical_search("monoethylene glycol")[0] == chemical
    assert chemical_search("ethylene glicol")[0] == chemical


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": "", "cas": "64-17-5"}, "name"),
        ({"name": "Ethanol", "cas": "64-17-6"}, "cas"),  # wrong check digit
        ({"name": "Chlorine again", "cas": "7782-50-5"}, "cas"),  # already in the library
        ({"name": "Organorhodium complex (PMN-82-147)"}, "name"),  # already there, without CAS number
        ({"name": "Ethanol", "cas": "64-17-5", "physical_state": "x"}, "physical_state"),
    ],
)
def test_adding_a_substance_refuses_bad_input_and_changes_nothing(ehs_library, kwargs, field):
    with pytest.raises(DomainError) as refused:
        chemical_create(**kwargs)
    assert refused.value.field == field
    assert Chemical.objects.count() == 355


def test_a_search_leaves_the_callers_transaction_settings_as_they_were(library):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('enable_seqscan'), current_setting('max_parallel_workers_per_gather')"
        )
        before = cursor.fetchone()
        assert chemical_search("chlorene")[0].cas == "7782-50-5"
        cursor.execute(
            "SELECT current_setting('enable_seqscan'), current_setting('max_parallel_workers_per_gather')"
        )
        assert cursor.fetchone() == before


def test_a_long_query_is_searched_by_its_first_words(library):
    results = chemical_search("sodium hydroxide " + " ".join(f"word{n}" for n in range(40)))
    assert results[0].cas == "1310-73-2"
