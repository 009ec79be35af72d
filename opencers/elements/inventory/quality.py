"""Data-quality rules of an inventory that compare the rows with the chemical library.

* **Name and CAS number**: a row whose CAS number belongs to another substance in the library
  ("CAS 7782-50-5 is Chlorine in the library, not “Sodium hypochlorite”") gets a warning. A name matches
  when the library's name or one of its synonyms is the name, or a run of whole words of it ("Sulfuric
  acid 93%" matches "sulfuric acid"); the chemical name, the common name and, for a mixture, the
  components' names are tried. Wastes are not checked (their names describe the waste stream).
* **EHS flag against the EHS list**, both ways, for the material and for each component: "No" for a
  substance on the list, and "Yes" for a substance the library knows and does not list (unless a component
  is an EHS). A CAS number the library does not know is not judged.
* **Fire code class of a flammable or combustible liquid**, suggested from the library's flash point and
  boiling point (``opencers.library.fire_code``) for a pure liquid that does not carry it (advisory).

The other data-dictionary rules (CAS check digit, average ≤ maximum, EHS in pounds, duplicates) are in
``validation.py``; reportability is in ``thresholds.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from operator import attrgetter
from typing import Any

from django.utils.translation import gettext as _

from opencers.core.validators import check_cas, normalize_cas
from opencers.elements.inventory.fields import FIRE_CODE_CLASSES
from opencers.elements.inventory.thresholds import (
    COMPONENT_ATTRS,
    FIRE_CODE_ATTRS,
    LIQUID,
    MIXTURE,
    PURE,
    WASTE,
    Facts,
    Library,
    components,
    fire_classes,
    fmt,
    name_words,
)
from opencers.library.fire_code import (
    COMBUSTIBLE_II,
    COMBUSTIBLE_IIIA,
    COMBUSTIBLE_IIIB,
    FLAMMABLE_IA,
    FLAMMABLE_IB,
    FLAMMABLE_IC,
    fire_code_liquid_class,
)
from opencers.submittals.guidance import ADVISORY, WARNING, Guidance

LIQUID_CLASSES = frozenset(
    str(code)
    for code in (FLAMMABLE_IA, FLAMMABLE_IB, FLAMMABLE_IC, COMBUSTIBLE_II, COMBUSTIBLE_IIIA, COMBUSTIBLE_IIIB)
)
CLASS_LABELS = dict(FIRE_CODE_CLASSES)
MAX_WORDS = 12  # the longest run of words of a name compared with the library's names


def name_matches(name: str, facts: Facts) -> bool:
    """True when the library's name or a synonym is ``name`` or a run of whole words of it."""
    words = name_words(name).split()[:MAX_WORDS]
    if not words:
        return True  # nothing to compare
    names = facts.names
    return any(
        " ".join(words[start:end]) in names
        for start in range(len(words))
        for end in range(start + 1, len(words) + 1)
    )


def _valid_cas(cas: str) -> str:
    cas = normalize_cas(cas) if cas else ""
    return cas if cas and check_cas(cas) is None else ""


# Everything the rules read from a row: rows of the same material in different locations usually agree on
# all of it, so the rules run once per distinct combination (read in one call).
_READ = attrgetter(
    "cas_number",
    "chemical_name",
    "common_name",
    "hm_type",
    "ehs",
    "physical_state",
    *FIRE_CODE_ATTRS,
    *(attr for _n, *attrs in COMPONENT_ATTRS for attr in attrs),
)


def quality_guidance(
    items: Sequence[Any], library: Library, *, rows: Sequence[int] | None = None
) -> list[Guidance]:
    """The messages of the rules above; rows are numbered 1, 2, 3… or by ``rows``."""
    messages: list[Guidance] = []
    found: dict[tuple[Any, ...], list[Guidance]] = {}
    numbers = rows if rows is not None else range(1, len(items) + 1)
    for row, item in zip(numbers, items, strict=True):
        if item.hm_type == WASTE:
            continue
        signature = _READ(item)
        said = found.get(signature)
        if said is None:
            said = found[signature] = _row_quality(item, library)
        messages.extend(Guidance(m.level, m.field, m.message, row, m.label) for m in said)
    return messages


def _row_quality(item: Any, library: Library) -> list[Guidance]:
    """The messages about one row (without its row number)."""
    messages = []
    cas = _valid_cas(item.cas_number)
    facts = library.by_cas.get(cas) if cas else None
    listed = components(item)
    if facts is not None:
        names = [item.chemical_name, item.common_name]
        if item.hm_type == MIXTURE:
            names += [name for _n, name, _c, _e, _p in listed]
        if not any(name_matches(name, facts) for name in names if name):
            messages.append(_name_mismatch(item, facts, None))
    messages.extend(_ehs_contradictions(item, facts, listed, library, None))
    if facts is not None and item.physical_state == LIQUID and item.hm_type in ("", PURE):
        message = _fire_code_suggestion(item, facts, None)
        if message is not None:
            messages.append(message)
    return messages


def _tpq(facts: Facts) -> str:
    return _(" (TPQ %(tpq)s lb)") % {"tpq": fmt(facts.tpq_lbs)} if facts.tpq_lbs is not None else ""


def _name_mismatch(item: Any, facts: Facts, row: int | None) -> Guidance:
    return Guidance(
        WARNING,
        "CASNumber",
        _(
            "CAS %(cas)s is %(library)s in the library, not “%(name)s”. Check the CAS number on the Safety "
            "Data Sheet, or correct the name (picking the material from the library fills in both)."
        )
        % {"cas": facts.cas, "library": facts.name, "name": item.chemical_name or item.common_name},
        row=row,
    )


def _ehs_contradictions(
    item: Any,
    facts: Facts | None,
    listed: list[tuple[int, str, str, str, Decimal | None]],
    library: Library,
    row: int | None,
) -> list[Guidance]:
    messages = []
    ehs_component = None
    for n, name, cas, flag, _percent in listed:
        component = library.by_cas.get(cas) if cas and check_cas(cas) is None else None
        if flag == "Y" or (component is not None and component.listed_ehs):
            ehs_component = ehs_component or (n, name or cas, component)
        if component is None:
            continue
        values = {"n": n, "name": component.name, "cas": component.cas}
        if component.listed_ehs and flag != "Y":
            messages.append(
                Guidance(
                    WARNING,
                    f"HC{n}EHS",
                    _(
                        "Component %(n)d, %(name)s (CAS %(cas)s), is on the federal list of extremely hazardous "
                        "substances%(tpq)s. Answer Yes for it."
                    )
                    % {**values, "tpq": _tpq(component)},
                    row=row,
                )
            )
        elif not component.listed_ehs and flag == "Y":
            messages.append(
                Guidance(
                    WARNING,
                    f"HC{n}EHS",
                    _(
                        "Component %(n)d, %(name)s (CAS %(cas)s), is not on the federal list of extremely "
                        "hazardous substances. Answer No for it, unless the Safety Data Sheet says otherwise."
                    )
                    % values,
                    row=row,
                )
            )
    if item.ehs == "N":
        if facts is not None and facts.listed_ehs:
            messages.append(
                Guidance(
                    WARNING,
                    "EHS",
                    _(
                        "%(name)s (CAS %(cas)s) is on the federal list of extremely hazardous substances%(tpq)s. "
                        "Answer Yes to “Extremely hazardous substance” and report the amounts in pounds."
                    )
                    % {"name": facts.name, "cas": facts.cas, "tpq": _tpq(facts)},
                    row=row,
                )
            )
        elif ehs_component is not None and item.hm_type == MIXTURE:
            n, name, _component = ehs_component
            messages.append(
                Guidance(
                    WARNING,
                    "EHS",
                    _(
                        "Component %(n)d, %(name)s, is an extremely hazardous substance, so the mixture is "
                        "reported as one. Answer Yes to “Extremely hazardous substance” and report the amounts "
                        "in pounds."
                    )
                    % {"n": n, "name": name},
                    row=row,
                )
            )
    elif item.ehs == "Y" and facts is not None and not facts.listed_ehs and ehs_component is None:
        if item.hm_type == MIXTURE and not listed:
            return messages  # a mixture that may hold an EHS it does not list: the components rule asks
        messages.append(
            Guidance(
                WARNING,
                "EHS",
                _(
                    "%(name)s (CAS %(cas)s) is not on the federal list of extremely hazardous substances. "
                    "Answer No, unless the material contains one (then list it as a component)."
                )
                % {"name": facts.name, "cas": facts.cas},
                row=row,
            )
        )
    return messages


def _fire_code_suggestion(item: Any, facts: Facts, row: int | None) -> Guidance | None:
    code = fire_code_liquid_class(facts.flash_point_f, facts.boiling_point_f)
    if code is None:
        return None
    suggested = str(code)
    given = fire_classes(item)
    if suggested in given:
        return None
    values = {
        "name": facts.name,
        "flash": fmt(facts.flash_point_f or Decimal(0)),
        "boiling": fmt(facts.boiling_point_f) if facts.boiling_point_f is not None else "",
        "class": str(CLASS_LABELS[suggested]),
        "code": suggested,
    }
    if values["boiling"]:
        reason = (
            _("%(name)s has a flash point of %(flash)s °F and boils at %(boiling)s °F (library data)")
            % values
        )
    else:
        reason = _("%(name)s has a flash point of %(flash)s °F (library data)") % values
    other = sorted(given & LIQUID_CLASSES, key=int)
    if other:
        text = _("%(reason)s: its fire code class is %(class)s (code %(code)s), not %(given)s.") % {
            **values,
            "reason": reason,
            "given": ", ".join(f"{CLASS_LABELS[code]} (code {code})" for code in other),
        }
    else:
        text = _(
            "%(reason)s: its fire code class is %(class)s (code %(code)s). Add it to the fire code hazard classes."
        ) % {**values, "reason": reason}
    return Guidance(ADVISORY, "PFCodeHazardClass", text, row=row)
