"""Reads of the chemical library. The library is public reference data: no acting user is needed.

Search (``chemical_search``) works in three steps, each answered from an index:

1. A CAS number (with or without hyphens) is looked up exactly; a partial one by prefix.
2. Each word of the query is matched against the dictionary of words that occur in names
   (``SearchWord``): a word with a typo ("chlorene", "acd") finds its likely spellings ("chlorine",
   "acid") among the words one edit away and, for longer words, by trigram similarity.
3. Names containing every word of the query, as typed or in one of those spellings, are found through
   the trigram index of ``ChemicalName`` (an all-trigrams-present search, which is selective where a
   similarity search would have to rank a good part of the table). The first few hundred, in rank order
   (see ``ChemicalName.rank``), and every name equal to the query, are scored by trigram similarity and
   edit distance to the query, and the best substances are returned, exact matches first.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction

from opencers.core.validators import CAS_RE, normalize_cas
from opencers.library.fire_code import fire_code_liquid_class
from opencers.library.models import Chemical

WORD = re.compile(r"[a-z0-9]+")
LETTERS = re.compile(r"[a-z]+")
CAS_INPUT = re.compile(r"^[0-9][0-9 -]*$")
MIN_TOKEN = 3  # a trigram search needs three characters
MAX_WORDS = 8  # words of a query used to find names (the rest still count in the ranking)
SPELLINGS = 4  # dictionary spellings tried per word of the query
COMMON_WORD = 20  # a word in this many names is taken as spelled right
SIMILAR_FROM = 5  # words this long also get the dictionary words most similar by trigrams
WORD_SIMILARITY = 0.45  # how close a dictionary word must be to a typed word
CANDIDATES = 300  # names scored per query
FALLBACK_CANDIDATES = 150  # names scored when no name holds every word and any one word must do
PREFIX_CANDIDATES = 50  # names starting with a query too short for a trigram search ("hf", "2,4-d")


@dataclass(frozen=True)
class _Plan:
    text: str  # the query as typed, normalized
    corrected: str  # the query with each word unknown to the dictionary replaced by its closest spelling
    groups: list[list[str]]  # per searchable word: the spellings a name may contain


def _normalize(query: str) -> str:
    return " ".join(query.lower().split())[:200]


def chemical_search(query: str, limit: int = 20) -> list[Chemical]:
    """The substances best matching ``query`` (name, synonym or CAS number, typos allowed), best first."""
    text = _normalize(query)
    if not text or limit <= 0:
        return []
    with transaction.atomic(), connection.cursor() as cursor:
        if CAS_INPUT.match(text) and sum(ch.isdigit() for ch in text) >= 2:
            ids = _cas_search(cursor, text.replace(" ", ""), limit)
        else:
            with _search_settings(cursor):
                ids = _name_search(cursor, _plan(cursor, text), limit)
    chemicals = Chemical.objects.in_bulk(ids)
    return [chemicals[pk] for pk in ids if pk in chemicals]


# Planner settings for the duration of a name search, restored afterwards: within a caller's transaction a
# SET LOCAL would otherwise outlive the search. Search reads the candidates in table order (rank order), so
# no parallel scan may reorder them; the name conditions are selective through the trigram index, but the
# planner, seeing a LIMIT, would rather scan the table; the typo threshold applies to the word dictionary.
_SETTINGS = {
    "max_parallel_workers_per_gather": "0",
    "enable_seqscan": "off",
    "pg_trgm.similarity_threshold": str(WORD_SIMILARITY),
}


@contextmanager
def _search_settings(cursor: Any) -> Iterator[None]:
    names = list(_SETTINGS)
    cursor.execute("SELECT " + ", ".join(["current_setting(%s, true)"] * len(names)), names)
    # A setting of pg_trgm is unknown until the session first uses pg_trgm: there is nothing to restore.
    previous = {
        name: value for name, value in zip(names, cursor.fetchone(), strict=True) if value is not None
    }
    _set_local(cursor, _SETTINGS)
    try:
        yield
    finally:
        _set_local(cursor, previous)


def _set_local(cursor: Any, settings: dict[str, str]) -> None:
    cursor.execute(
        "SELECT " + ", ".join(["set_config(%s, %s, true)"] * len(settings)),
        [item for pair in settings.items() for item in pair],
    )


def _cas_search(cursor: Any, text: str, limit: int) -> list[int]:
    """An exact CAS number first (hyphens optional), then CAS numbers starting with what was typed."""
    ids: list[int] = []
    cas = normalize_cas(text)
    if CAS_RE.match(cas):
        cursor.execute("SELECT id FROM library_chemical WHERE cas = %s", [cas])
        ids.extend(row[0] for row in cursor.fetchall())
    if "-" in text:
        cursor.execute(
            "SELECT chemical_id FROM library_chemicalname WHERE kind = 'cas' AND name LIKE %s "
            "ORDER BY length(name), name LIMIT %s",
            [text + "%", limit + 1],
        )
    elif not ids:
        # Digits without hyphens that are not a whole CAS number: the CAS numbers whose digits start so.
        cursor.execute(
            "SELECT id FROM library_chemical WHERE cas <> '' AND replace(cas, '-', '') LIKE %s "
            "ORDER BY length(cas), cas LIMIT %s",
            [text + "%", limit + 1],
        )
    else:
        return ids
    ids.extend(row[0] for row in cursor.fetchall() if row[0] not in ids)
    return ids[:limit]


def _one_edit(word: str) -> set[str]:
    """The spellings one deletion, transposition, substitution or insertion away from ``word``."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {left + right[1:] for left, right in splits if right}
    transposes = {left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1}
    replaces = {left + c + right[1:] for left, right in splits if right for c in letters}
    inserts = {left + c + right for left, right in splits for c in letters}
    return (deletes | transposes | replaces | inserts) - {word}


def _plan(cursor: Any, text: str) -> _Plan:
    """How to search for ``text``: its words, their likely spellings, and the query as probably meant.

    A word's spellings are the dictionary words one edit away from it (most common first), then, for
    longer words, the dictionary words most similar to it by trigrams. A word that is far rarer in names
    than one of its spellings is taken for a typo of it ("chlorene" for "chlorine", "acd" for "acid").
    """
    tokens = WORD.findall(text)
    searched = [t for t in tokens if len(t) >= MIN_TOKEN][:MAX_WORDS]
    letters = sorted({t for t in searched if LETTERS.fullmatch(t)})
    frequency: dict[str, int] = dict.fromkeys(letters, 0)
    spellings: dict[str, list[tuple[str, int]]] = {t: [] for t in letters}
    if letters:
        edits = {t: _one_edit(t) for t in letters}
        cursor.execute(
            "SELECT word, names FROM library_searchword WHERE word = ANY(%s)",
            [[*letters, *{e for variants in edits.values() for e in variants if len(e) >= MIN_TOKEN}]],
        )
        known = dict(cursor.fetchall())
        frequency.update({t: known.get(t, 0) for t in letters})
        for token in letters:
            if frequency[token] < COMMON_WORD:
                near = sorted(
                    ((w, known[w]) for w in edits[token] if w in known), key=lambda e: (-e[1], e[0])
                )
                spellings[token].extend(near)
        similar = [t for t in letters if frequency[t] < COMMON_WORD and len(t) >= SIMILAR_FROM]
        if similar:
            cursor.execute(
                "SELECT t.token, w.word, w.names FROM unnest(%s::text[]) AS t(token) CROSS JOIN LATERAL ("
                "  SELECT word, names FROM library_searchword WHERE word %% t.token"
                "  ORDER BY similarity(word, t.token) DESC, names DESC, word LIMIT %s"
                ") AS w",
                [similar, SPELLINGS],
            )
            for token, word, names in cursor.fetchall():
                if word != token and all(word != w for w, _n in spellings[token]):
                    spellings[token].append((word, names))
    groups: list[list[str]] = []
    corrected: list[str] = []
    for token in tokens:
        found = spellings.get(token, [])[:SPELLINGS]
        typo_of = [w for w, names in found if names >= COMMON_WORD and names > 10 * frequency.get(token, 0)]
        corrected.append(typo_of[0] if typo_of else token)
        if token in searched and all(token != group[0] for group in groups):
            # Names containing the word as typed (a substring: "hydrochlo" finds "hydrochloric"), or one of
            # its spellings.
            groups.append([token, *[w for w, _names in found if token not in w]])
    return _Plan(text=text, corrected=" ".join(corrected), groups=groups)


def _name_search(cursor: Any, plan: _Plan, limit: int) -> list[int]:
    if not plan.groups:
        return _ranked(cursor, plan, "", {}, PREFIX_CANDIDATES, limit)
    words = {f"w{i}": _like(word) for i, word in enumerate(word for group in plan.groups for word in group)}
    keys = iter(words)
    every_word = " AND ".join(_any_of([next(keys) for _ in group]) for group in plan.groups)
    ids = _ranked(cursor, plan, every_word, words, CANDIDATES, limit)
    if len(ids) < limit and len(plan.groups) > 1:
        # No name holds every word: settle for names holding one of them.
        more = _ranked(cursor, plan, _any_of(list(words)), words, FALLBACK_CANDIDATES, limit)
        ids += [pk for pk in more if pk not in ids]
    return ids[:limit]


def _like(word: str) -> str:
    return "%" + word + "%"  # words are letters and digits only: nothing to escape


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _any_of(keys: list[str]) -> str:
    return "(" + " OR ".join(f"n.name LIKE %({key})s" for key in keys) + ")"


_SCORE = """
    (CASE WHEN name IN (%(text)s, %(corrected)s) THEN 2 ELSE 0 END)
    + (CASE WHEN name LIKE %(prefix)s OR name LIKE %(corrected_prefix)s THEN 0.2 ELSE 0 END)
    + greatest(similarity(name, %(text)s), similarity(name, %(corrected)s))
    + 0.5 * greatest(word_similarity(%(text)s, name), word_similarity(%(corrected)s, name))
    + 0.5 * (1 - least(
        levenshtein(left(name, 255), left(%(text)s, 255)),
        levenshtein(left(name, 255), left(%(corrected)s, 255))
      )::float / greatest(length(name), length(%(text)s), 1))
    + (CASE kind WHEN 'primary' THEN 0.05 ELSE 0 END)
    + (3 - rank) * 0.1
"""


def _ranked(
    cursor: Any, plan: _Plan, condition: str, words: dict[str, str], candidates: int, limit: int
) -> list[int]:
    """Score the first ``candidates`` names meeting ``condition`` (in table order, which is rank order)
    or, with no condition, starting with the query; add the names equal to the query; return the best
    ``limit`` substances."""
    if condition:
        found = f"SELECT n.chemical_id, n.name, n.kind, n.rank FROM library_chemicalname n WHERE {condition}"  # noqa: S608
    else:
        found = (
            "SELECT n.chemical_id, n.name, n.kind, n.rank FROM library_chemicalname n "
            "WHERE n.name LIKE %(prefix)s"
        )
    sql = f"""
        WITH found AS (
            ({found} LIMIT %(candidates)s)
            UNION ALL
            SELECT n.chemical_id, n.name, n.kind, n.rank FROM library_chemicalname n
            WHERE n.name IN (%(text)s, %(corrected)s)
        )
        SELECT chemical_id, max({_SCORE}) AS best FROM found
        GROUP BY chemical_id ORDER BY best DESC, chemical_id LIMIT %(limit)s
    """  # noqa: S608 (the condition holds named placeholders only)
    params = {
        **words,
        "text": plan.text,
        "corrected": plan.corrected,
        "prefix": _escape_like(plan.text) + "%",
        "corrected_prefix": _escape_like(plan.corrected) + "%",
        "candidates": candidates,
        "limit": limit,
    }
    cursor.execute(sql, params)
    return [row[0] for row in cursor.fetchall()]


def chemical_by_cas(cas: str) -> Chemical | None:
    """The substance with this CAS number (hyphens optional), or None."""
    cas = normalize_cas(cas)
    if not cas:
        return None
    return Chemical.objects.filter(cas=cas).first()


def chemical_by_ccl_id(ccl_id: int) -> Chemical | None:
    return Chemical.objects.filter(ccl_id=ccl_id).first()


@dataclass(frozen=True)
class TpqInfo:
    """An Extremely Hazardous Substance's planning quantities (40 CFR Part 355 Appendix A), in pounds."""

    cas: str
    name: str
    tpq_lbs: Decimal
    tpq_alt_lbs: Decimal | None  # the 10,000 lb alternative for solids not in powder, solution or molten form
    rq_lbs: Decimal | None

    @property
    def threshold_lbs(self) -> Decimal:
        """The California reporting threshold for the substance: 500 lb or the TPQ, whichever is lower."""
        return min(Decimal(500), self.tpq_lbs)


def ehs_tpq(cas: str) -> TpqInfo | None:
    """The TPQ facts of an Extremely Hazardous Substance, or None when the CAS number is not on the list."""
    chemical = chemical_by_cas(cas)
    if chemical is None or not chemical.ehs or chemical.tpq_lbs is None:
        return None
    return TpqInfo(
        cas=chemical.cas,
        name=chemical.name,
        tpq_lbs=chemical.tpq_lbs,
        tpq_alt_lbs=chemical.tpq_alt_lbs,
        rq_lbs=chemical.rq_lbs,
    )


def chemical_fill(chemical: Chemical) -> dict[str, str]:
    """The inventory fields filled when a user picks ``chemical``, keyed by the state's XML element names.

    PFCodeHazardClass is suggested only for a liquid whose flash point (and, below 73 °F, boiling point) is
    known: the flammable or combustible liquid class of the fire code.
    """
    fields = {
        "CommonName": chemical.name,
        "ChemicalName": chemical.name,
        "CASNumber": chemical.cas,
        "EHS": "Y" if chemical.ehs else "N",
        "PhysicalState": chemical.physical_state,
        "CCLID": str(chemical.ccl_id),
    }
    if chemical.physical_state == "b":
        hazard_class = fire_code_liquid_class(chemical.flash_point_f, chemical.boiling_point_f)
        if hazard_class is not None:
            fields["PFCodeHazardClass"] = str(hazard_class)
    return fields
