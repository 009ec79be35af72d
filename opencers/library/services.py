"""Writes to the chemical library: the bulk load from the sources, and adding one substance."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils.translation import gettext as _

from opencers.core.audit import audit_log
from opencers.core.errors import DomainError
from opencers.core.validators import check_cas, normalize_cas
from opencers.library.models import Chemical, ChemicalSource, PhysicalState
from opencers.library.sources import (
    KG_M3_TO_LB_GAL,
    LibraryRecord,
    kelvin_to_fahrenheit,
    library_records,
    physical_state_at_room_temperature,
)

# From this many substances with new or changed names on, all search names are written afresh.
BULK_NAME_REBUILD = 5_000

_COLUMNS = (
    "cas",
    "name",
    "formula",
    "synonyms",
    "pubchem_cid",
    "ehs",
    "tpq_lbs",
    "tpq_alt_lbs",
    "rq_lbs",
    "physical_state",
    "melting_point_f",
    "boiling_point_f",
    "flash_point_f",
    "density_lb_per_gal",
    "molecular_weight",
    "source",
)
_DATA_COLUMNS = ", ".join(_COLUMNS)

# Work tables live in the session's temporary schema; they are dropped when done, so that two loads in
# one transaction (as in tests) do not collide.
_DROP_WORK_TABLES = "DROP TABLE IF EXISTS pg_temp.library_stage, pg_temp.library_reindex"

_STAGE = """
CREATE TEMPORARY TABLE library_stage (
    ord integer NOT NULL,
    cas varchar(15) NOT NULL,
    name varchar(500) NOT NULL,
    formula varchar(100) NOT NULL,
    synonyms text[] NOT NULL,
    pubchem_cid integer,
    ehs boolean NOT NULL,
    tpq_lbs numeric(10, 2),
    tpq_alt_lbs numeric(10, 2),
    rq_lbs numeric(10, 2),
    physical_state varchar(1) NOT NULL,
    melting_point_f numeric(7, 1),
    boiling_point_f numeric(7, 1),
    flash_point_f numeric(7, 1),
    density_lb_per_gal numeric(8, 3),
    molecular_weight numeric(12, 4),
    source varchar(20) NOT NULL,
    chemical_id bigint,
    changed boolean NOT NULL DEFAULT false
) ON COMMIT DROP
"""

# A substance "with data" (on a regulatory list, or with physical data) is one businesses actually store:
# its names rank first in search (see ChemicalName.rank).
_RANK = """
CASE WHEN c.ehs OR c.source = 'manual' OR c.flash_point_f IS NOT NULL OR c.boiling_point_f IS NOT NULL
     OR c.density_lb_per_gal IS NOT NULL THEN 0 ELSE 2 END
"""

_NAMES = f"""
SELECT c.id AS chemical_id, lower(c.name) AS name, 'primary' AS kind, {_RANK} AS rank FROM library_chemical c
UNION ALL
SELECT c.id, c.cas, 'cas', {_RANK} FROM library_chemical c WHERE c.cas <> ''
UNION ALL
SELECT c.id, lower(left(synonym, 500)), 'synonym', {_RANK} + 1
FROM library_chemical c, unnest(c.synonyms) AS synonym
"""  # noqa: S608 (constant text)

# The words of names and how many names contain each, cut as ``search_words`` cuts them.
_WORDS_OF = """
SELECT word, count(*) FROM (
    SELECT DISTINCT n.id, word
    FROM {names} AS n, string_to_table(regexp_replace(n.name, '[^a-z]+', ' ', 'g'), ' ') AS word
    WHERE length(word) BETWEEN 3 AND 100
) AS words GROUP BY word
"""
_ADD_WORDS = "ON CONFLICT (word) DO UPDATE SET names = library_searchword.names + excluded.names"
WORD = re.compile(r"[a-z]{3,100}")


def search_words(records: list[LibraryRecord]) -> Counter[str]:
    """The distinct words (runs of three to a hundred ASCII letters) of all the names, lower case, with
    the number of names that contain each."""
    words: Counter[str] = Counter()
    for record in records:
        words.update(set(WORD.findall(record.name.lower())))
        for synonym in record.synonyms:
            words.update(set(WORD.findall(synonym.lower())))
    return words


def _decimal(value: float | None, places: int) -> Decimal | None:
    return None if value is None else round(Decimal(repr(value)), places)


def _stage_row(order: int, record: LibraryRecord) -> tuple[Any, ...]:
    density = record.density_kg_m3 * KG_M3_TO_LB_GAL if record.density_kg_m3 is not None else None
    return (
        order,
        record.cas,
        record.name,
        record.formula,
        record.synonyms,
        record.pubchem_cid,
        record.ehs,
        record.tpq_lbs,
        record.tpq_alt_lbs,
        record.rq_lbs,
        record.physical_state,
        _decimal(kelvin_to_fahrenheit(record.melting_k), 1),
        _decimal(kelvin_to_fahrenheit(record.boiling_k), 1),
        _decimal(kelvin_to_fahrenheit(record.flash_k), 1),
        _decimal(density, 3),
        _decimal(record.molecular_weight, 4),
        record.source,
    )


def _row_tuple(prefix: str, columns: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"{prefix}.{column}" for column in columns) + ")"


@transaction.atomic
def library_load(*, ehs_only: bool = False) -> dict[str, int]:
    """Load the chemical library from its sources; idempotent.

    Substances are matched by CAS number (by name for the few without one): new ones are added with a new
    CCL id, changed ones updated, unchanged ones left alone, and none is ever deleted (inventories point
    at them). Substances no longer on the EHS list lose their EHS mark. ``ehs_only`` loads just the
    Extremely Hazardous Substances (with the package's data for them): a small library for tests and demos.
    While a load runs, searches wait for it (the search tables are locked until the load commits).
    """
    records = library_records(ehs_only=ehs_only)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cursor.execute("LOCK TABLE library_chemical IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(_DROP_WORK_TABLES)
        cursor.execute(_STAGE)
        with cursor.copy(f"COPY library_stage (ord, {_DATA_COLUMNS}) FROM STDIN") as copy:
            for order, record in enumerate(records):
                copy.write_row(_stage_row(order, record))

        differs = f"{_row_tuple('c', _COLUMNS)} IS DISTINCT FROM {_row_tuple('s', _COLUMNS)}"
        for match in (
            "s.cas <> '' AND c.cas = s.cas",
            "s.cas = '' AND c.cas = '' AND lower(c.name) = lower(s.name)",
        ):
            cursor.execute(
                f"UPDATE library_stage s SET chemical_id = c.id, changed = {differs} "  # noqa: S608
                f"FROM library_chemical c WHERE {match}"
            )
        assignments = ", ".join(f"{column} = s.{column}" for column in _COLUMNS)
        cursor.execute(
            f"UPDATE library_chemical c SET {assignments}, updated_at = now() "  # noqa: S608
            "FROM library_stage s WHERE s.chemical_id = c.id AND s.changed"
        )
        updated = cursor.rowcount
        cursor.execute(
            "UPDATE library_chemical c SET ehs = false, tpq_lbs = NULL, tpq_alt_lbs = NULL, rq_lbs = NULL, "
            "updated_at = now() WHERE c.ehs AND NOT EXISTS "
            "(SELECT 1 FROM library_stage s WHERE s.chemical_id = c.id AND s.ehs) RETURNING c.id"
        )
        unmarked = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            f"INSERT INTO library_chemical (public_id, created_at, updated_at, {_DATA_COLUMNS}) "  # noqa: S608
            f"SELECT gen_random_uuid(), now(), now(), {_DATA_COLUMNS} FROM library_stage "
            "WHERE chemical_id IS NULL ORDER BY ord"
        )
        created = cursor.rowcount
        # Substances whose names (or rank) may have changed, and any without search names yet.
        cursor.execute(
            "CREATE TEMPORARY TABLE library_reindex ON COMMIT DROP AS "
            "SELECT s.chemical_id AS id FROM library_stage s WHERE s.changed "
            "UNION SELECT unnest(%s::bigint[]) "
            "UNION SELECT c.id FROM library_chemical c "
            "WHERE NOT EXISTS (SELECT 1 FROM library_chemicalname n WHERE n.chemical_id = c.id)",
            [unmarked],
        )
        reindexed = cursor.rowcount
        cursor.execute(
            "SELECT NOT EXISTS (SELECT 1 FROM library_searchword) AND EXISTS (SELECT 1 FROM library_chemical)"
        )
        (words_missing,) = cursor.fetchone()
        if reindexed >= BULK_NAME_REBUILD or words_missing:
            names = _names_rebuild_all(cursor, search_words(records))
        else:
            names = _names_rebuild_some(cursor)
        if created or updated or unmarked:
            cursor.execute("ANALYZE library_chemical")
        if names:
            cursor.execute("ANALYZE library_chemicalname")
            cursor.execute("ANALYZE library_searchword")
        cursor.execute("SELECT count(*), count(*) FILTER (WHERE ehs) FROM library_chemical")
        total, ehs = cursor.fetchone()
        cursor.execute(_DROP_WORK_TABLES)
    return {
        "records": len(records),
        "created": created,
        "updated": updated,
        "unchanged": len(records) - created - updated,
        "ehs_unmarked": len(unmarked),
        "names": names,
        "chemicals": total,
        "ehs": ehs,
    }


def _foreign_key(cursor: Any) -> tuple[str, str]:
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = 'library_chemicalname'::regclass AND contype = 'f'"
    )
    name, definition = cursor.fetchone()
    return connection.ops.quote_name(name), definition


def _secondary_indexes(cursor: Any, table: str) -> list[tuple[str, str]]:
    cursor.execute(
        "SELECT c.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
        "JOIN pg_class c ON c.oid = x.indexrelid WHERE x.indrelid = %s::regclass AND NOT x.indisprimary",
        [table],
    )
    return list(cursor.fetchall())


def _names_rebuild_all(cursor: Any, words: Counter[str]) -> int:
    """Write the search names and words of every substance afresh, names in search order.

    The indexes and the foreign key are dropped first and made again, with the definitions they had, after
    the rows are written: one sorted index build is far faster than half a million index insertions.
    """
    foreign_key, definition = _foreign_key(cursor)
    cursor.execute(f"SET CONSTRAINTS {foreign_key} IMMEDIATE")  # pending checks would block ALTER TABLE
    cursor.execute(f"ALTER TABLE library_chemicalname DROP CONSTRAINT {foreign_key}")
    indexes = _secondary_indexes(cursor, "library_chemicalname") + _secondary_indexes(
        cursor, "library_searchword"
    )
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    cursor.execute("TRUNCATE library_chemicalname, library_searchword")
    cursor.execute(
        "INSERT INTO library_chemicalname (chemical_id, name, kind, rank) "  # noqa: S608
        f"SELECT chemical_id, name, kind, rank FROM ({_NAMES}) AS names "
        'ORDER BY rank, length(name), name COLLATE "C"'
    )
    written = int(cursor.rowcount)
    with cursor.copy("COPY library_searchword (word, names) FROM STDIN") as copy:
        for word, count in sorted(words.items()):
            copy.write_row((word, count))
    # Substances the sources do not have (entered by hand) bring their own words.
    manual = (
        "(SELECT n.id, n.name FROM library_chemicalname n JOIN library_chemical c ON c.id = n.chemical_id "
        "WHERE c.source = 'manual')"
    )
    cursor.execute(
        "INSERT INTO library_searchword (word, names) " + _WORDS_OF.format(names=manual) + _ADD_WORDS
    )
    for _name, index_definition in indexes:
        cursor.execute(index_definition)
    cursor.execute(f"ALTER TABLE library_chemicalname ADD CONSTRAINT {foreign_key} {definition}")
    return written


def _names_rebuild_some(cursor: Any) -> int:
    """Write the search names of the substances listed in ``library_reindex``; add their new words."""
    cursor.execute("DELETE FROM library_chemicalname n USING library_reindex r WHERE n.chemical_id = r.id")
    cursor.execute(
        "INSERT INTO library_chemicalname (chemical_id, name, kind, rank) "  # noqa: S608
        f"SELECT n.chemical_id, n.name, n.kind, n.rank FROM ({_NAMES}) AS n "
        'JOIN library_reindex r ON r.id = n.chemical_id ORDER BY n.rank, length(n.name), n.name COLLATE "C"'
    )
    written = int(cursor.rowcount)
    names = "(SELECT n.id, n.name FROM library_chemicalname n JOIN library_reindex r ON r.id = n.chemical_id)"
    cursor.execute(
        "INSERT INTO library_searchword (word, names) " + _WORDS_OF.format(names=names) + _ADD_WORDS
    )
    return written


@transaction.atomic
def chemical_create(
    *,
    name: str,
    cas: str = "",
    synonyms: list[str] | None = None,
    formula: str = "",
    physical_state: str = "",
    flash_point_f: Decimal | None = None,
    boiling_point_f: Decimal | None = None,
    melting_point_f: Decimal | None = None,
    density_lb_per_gal: Decimal | None = None,
    actor: Any = None,
) -> Chemical:
    """Add one substance that the sources lack (e.g. from a Safety Data Sheet), searchable at once."""
    name = " ".join(name.split())
    if not name:
        raise DomainError(_("Give the chemical's name."), field="name")
    cas = normalize_cas(cas) if cas else ""
    if cas and (message := check_cas(cas)):
        raise DomainError(message, field="cas")
    if cas and Chemical.objects.filter(cas=cas).exists():
        raise DomainError(_("The library already has CAS number %(cas)s.") % {"cas": cas}, field="cas")
    if not cas and Chemical.objects.filter(cas="", name__iexact=name).exists():
        raise DomainError(_("The library already has “%(name)s”.") % {"name": name}, field="name")
    if physical_state and physical_state not in PhysicalState.values:
        raise DomainError(_("Choose solid, liquid or gas."), field="physical_state")
    if not physical_state and melting_point_f is not None and boiling_point_f is not None:
        physical_state = physical_state_at_room_temperature(
            _fahrenheit_to_kelvin(melting_point_f), _fahrenheit_to_kelvin(boiling_point_f)
        )
    chemical = Chemical.objects.create(
        name=name,
        cas=cas,
        synonyms=[" ".join(s.split()) for s in synonyms or [] if s.strip()],
        formula=formula,
        physical_state=physical_state,
        flash_point_f=flash_point_f,
        boiling_point_f=boiling_point_f,
        melting_point_f=melting_point_f,
        density_lb_per_gal=density_lb_per_gal,
        source=ChemicalSource.MANUAL,
    )
    chemical.refresh_from_db(fields=["ccl_id"])
    with connection.cursor() as cursor:
        cursor.execute(_DROP_WORK_TABLES)
        cursor.execute("CREATE TEMPORARY TABLE library_reindex (id bigint) ON COMMIT DROP")
        cursor.execute("INSERT INTO library_reindex VALUES (%s)", [chemical.pk])
        _names_rebuild_some(cursor)
        cursor.execute(_DROP_WORK_TABLES)
    audit_log(chemical, "library.chemical_created", actor=actor, data={"cas": cas, "name": name})
    return chemical


def _fahrenheit_to_kelvin(value: Decimal) -> float:
    return (float(value) - 32) * 5 / 9 + 273.15
