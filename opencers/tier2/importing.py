"""Import: a facility of a Tier II dataset as Hazardous Materials Inventory rows (``spec/TIER2.md`` §8).

``plan_import`` maps one facility of a dataset onto CERS rows without touching the database: one row per
storage location (entries of the same location, pressure and temperature written without an amount
are the further containers of the row before, as the export writes them), amounts in pounds (Units c),
hazard categories onto the federal hazard flags, storage types onto the container flags, components
onto HC1-HC5 and AdditionalMixtureComponents. Every value that cannot be stored is a *problem* (the
import is refused, nothing changes); everything stored differently from the file, or left for the
person to decide, is a *note* shown after the import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from opencers.core.errors import DomainError
from opencers.core.validators import normalize_cas
from opencers.elements.fields import check_format, is_empty, plain
from opencers.elements.inventory.fields import CHEMICAL_FIELDS, CONTAINER_FIELDS, FHC_FIELDS, FIELDS_BY_XML
from opencers.elements.validation import parse_row
from opencers.tier2 import standard
from opencers.tier2.dataset import Chemical, Component, Dataset, Facility, StorageLocation
from opencers.tier2.mapping import parse_boolean, parse_location_description
from opencers.tier2.xmlio import Tier2FileError

LEGACY_FLAGS = tuple(standard.LEGACY_CATEGORIES.values())
GHS_FLAGS = tuple(flag for flag in FHC_FIELDS if flag not in LEGACY_FLAGS)
MAX_COMPONENTS = 5
CENT = Decimal("0.01")

# Where each CERS field comes from in the file, to name it in messages.
SOURCE_OF = {
    "CommonName": "chemName",
    "ChemicalName": "chemName",
    "CASNumber": "casNumber",
    "EHS": "ehs",
    "TradeSecret": "tradeSecret",
    "MaximumDailyAmount": "amount",
    "AverageDailyAmount": "aveAmount",
    "DaysOnSite": "daysOnSite",
    "LargestContainer": "maxAmtLargestContainer",
    "ChemicalLocation": "locationDescription",
    "MapNumber": "locationDescription",
    "GridNumber": "locationDescription",
    "OtherStorageContainer": "storageType",
    "AdditionalMixtureComponents": "mixtureComponents",
    **{
        f"HC{n}{part}": "mixtureComponent"
        for n in range(1, 6)
        for part in ("Name", "CAS", "EHS", "PercentByWeight")
    },
}


class ImportRefused(DomainError):
    """The file cannot be imported as it is; nothing changed. ``problems`` lists every reason."""

    def __init__(self, problems: list[str], *, facility: str = "") -> None:
        count = len(problems)
        super().__init__(
            _("The file was not imported: %(count)d problems must be corrected first. Nothing was changed.")
            % {"count": count}
            if count != 1
            else _("The file was not imported: 1 problem must be corrected first. Nothing was changed."),
            field="file",
            code="tier2_import",
        )
        self.problems = list(problems)
        self.facility = facility


@dataclass
class ImportPlan:
    facility: Facility
    rows: list[dict[str, Any]] = field(default_factory=list)  # stored values keyed by model attribute
    chemicals: int = 0
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def choose_facility(dataset: Dataset, choice: str = "") -> Facility:
    """The facility of the dataset to import: the only one, or the one named by record id or name."""
    if not dataset.facilities:
        raise Tier2FileError(_("The Tier II file holds no facility: there is nothing to import."))
    choice = " ".join((choice or "").split()).casefold()
    if choice:
        for facility in dataset.facilities:
            if choice in (facility.record_id.casefold(), " ".join(facility.name.split()).casefold()):
                return facility
    if len(dataset.facilities) == 1 and not choice:
        return dataset.facilities[0]
    names = "; ".join(f"{facility.name} ({facility.record_id})" for facility in dataset.facilities)
    if choice:
        message = _("No facility of the file is called “%(choice)s”. The file holds: %(names)s.")
    else:
        message = _(
            "The file holds %(count)d facilities: %(names)s. Give the name of the one to import and upload the "
            "file again."
        )
    raise DomainError(
        message % {"choice": choice, "count": len(dataset.facilities), "names": names},
        field="facility_in_file",
    )


def _decimal(text: str) -> Decimal | None:
    try:
        number = Decimal(text.replace(",", "").strip())
    except (InvalidOperation, AttributeError):
        return None
    return number if number.is_finite() else None


class _Chemical:
    """Maps one chemical; collects its problems and notes under its label."""

    def __init__(self, plan: ImportPlan, number: int, chemical: Chemical) -> None:
        self.plan = plan
        self.chemical = chemical
        name = chemical.name or _("(no name)")
        self.label = (
            _("Chemical %(n)d “%(name)s” (CAS %(cas)s)") % {"n": number, "name": name, "cas": chemical.cas}
            if chemical.cas
            else _("Chemical %(n)d “%(name)s”") % {"n": number, "name": name}
        )

    def problem(self, message: str) -> None:
        self.plan.problems.append(f"{self.label}: {message}")

    def note(self, message: str) -> None:
        self.plan.notes.append(f"{self.label}: {message}")

    def flag(self, element: str, text: str) -> str:
        """A Tier II boolean as Y/N ("" stays N); anything else is a problem."""
        if not text:
            return "N"
        value = parse_boolean(text)
        if value is None:
            self.problem(
                _("%(element)s is “%(value)s”, not true or false.") % {"element": element, "value": text}
            )
            return "N"
        return "Y" if value else "N"

    def amount(self, element: str, text: str) -> Decimal | None:
        if not text:
            return None
        number = _decimal(text)
        if number is None or number < 0:
            self.problem(
                _("%(element)s is “%(value)s”, not an amount in pounds (a number, at least 0).")
                % {"element": element, "value": text}
            )
            return None
        return number

    # --- the parts

    def identity(self, raw: dict[str, str]) -> None:
        chemical = self.chemical
        if not chemical.name:
            self.problem(_("chemName is empty: every chemical needs its name."))
        raw["CommonName"] = chemical.name
        raw["ChemicalName"] = chemical.name
        raw["CASNumber"] = normalize_cas(chemical.cas)
        raw["EHS"] = self.flag("ehs", chemical.ehs)
        raw["TradeSecret"] = self.flag("tradeSecret", chemical.trade_secret)
        pure, mixture = self.flag("pure", chemical.pure) == "Y", self.flag("mixture", chemical.mixture) == "Y"
        if pure != mixture:
            raw["HMType"] = "a" if pure else "b"
        else:
            raw["HMType"] = ""
            self.note(
                _(
                    "the file marks it as %(which)s pure and mixture: choose its type (pure or mixture) in the "
                    "inventory."
                )
                % {"which": _("both") if pure else _("neither")}
            )
        states = [
            code
            for code, element, text in (
                ("a", "solid", chemical.solid),
                ("b", "liquid", chemical.liquid),
                ("c", "gas", chemical.gas),
            )
            if self.flag(element, text) == "Y"
        ]
        raw["PhysicalState"] = states[0] if len(states) == 1 else ""
        if len(states) != 1:
            words = {"a": _("solid"), "b": _("liquid"), "c": _("gas")}
            self.note(
                _(
                    "the file marks it as %(states)s; CERS keeps one physical state per row. Choose it in the "
                    "inventory: the rows cannot be submitted without it."
                )
                % {"states": " + ".join(str(words[s]) for s in states) if states else _("no physical state")}
            )

    def hazards(self, raw: dict[str, str]) -> None:
        for flag in GHS_FLAGS:
            raw[flag] = "N"
        for hazard in self.chemical.hazards:
            flags = standard.match_hazard(hazard.category)
            if flags is None:
                self.problem(
                    _(
                        "the hazard category “%(category)s” is not one of the federal hazard categories of the "
                        "standard."
                    )
                    % {"category": hazard.category}
                )
                continue
            value = self.flag(
                _("the value of hazard “%(category)s”") % {"category": hazard.category}, hazard.value
            )
            if flags == (standard.PHYSICAL_HNOC, standard.HEALTH_HNOC):
                if value == "Y":
                    raw[standard.HNOC_IMPORT_FLAG] = "Y"
                    self.note(
                        _(
                            "“Hazard Not Otherwise Classified” was set as a health hazard not otherwise "
                            "classified. If it is a physical hazard, change it in the inventory."
                        )
                    )
                continue
            for cers_flag in flags:
                raw[cers_flag] = "Y" if value == "Y" or raw.get(cers_flag) == "Y" else "N"

    def components(self, raw: dict[str, str]) -> None:
        components = list(self.chemical.components or [])
        if not components:
            return
        # The five most important in the five slots: extremely hazardous ones first, then by percentage;
        # they keep the file's order.
        ranked = sorted(
            range(len(components)),
            key=lambda i: (
                parse_boolean(components[i].ehs) is not True,
                -(_decimal(components[i].percentage) or 0),
            ),
        )
        chosen = sorted(ranked[:MAX_COMPONENTS])
        for slot, index in enumerate(chosen, start=1):
            self.component(raw, slot, components[index])
        rest = [components[i] for i in sorted(ranked[MAX_COMPONENTS:])]
        if rest:
            raw["AdditionalMixtureComponents"] = "; ".join(_component_text(c) for c in rest)
            self.note(
                _(
                    "it has %(count)d components; CERS has five component slots, so the others are listed as "
                    "text under “Other mixture components”."
                )
                % {"count": len(components)}
            )

    def component(self, raw: dict[str, str], slot: int, component: Component) -> None:
        prefix = f"HC{slot}"
        raw[f"{prefix}Name"] = component.name
        raw[f"{prefix}CAS"] = normalize_cas(component.cas)
        raw[f"{prefix}EHS"] = self.flag(
            _("the ehs of component “%(name)s”") % {"name": component.name}, component.ehs
        )
        if not component.name:
            self.problem(_("component %(n)d has no name.") % {"n": slot})
        if component.weight_or_volume.casefold() == standard.VOLUME:
            self.note(
                _(
                    "the percentage of component “%(name)s” is by volume; CERS stores percent by weight. Check it."
                )
                % {"name": component.name}
            )
        if not component.percentage:
            raw[f"{prefix}PercentByWeight"] = ""
            return
        percent = _decimal(component.percentage)
        if percent is None or percent <= 0 or percent > 100:
            self.problem(
                _(
                    "the percentage of component “%(name)s” is “%(value)s”, not a percentage above 0 and up to 100."
                )
                % {"name": component.name, "value": component.percentage}
            )
            return
        rounded = percent.quantize(CENT, rounding=ROUND_HALF_UP)
        if rounded == 0:
            rounded = CENT
        if rounded != percent:
            self.note(
                _("the percentage of component “%(name)s” (%(value)s) is kept to two decimals: %(kept)s.")
                % {"name": component.name, "value": component.percentage, "kept": plain(rounded)}
            )
        raw[f"{prefix}PercentByWeight"] = plain(rounded)

    def locations(self) -> list[dict[str, str]]:
        """One raw row per storage location (further containers of the same location merged in), with the
        location's amount or "" when the file gives none."""
        rows: list[dict[str, str]] = []
        keys: list[tuple[str, ...]] = []
        for position, location in enumerate(self.chemical.storage_locations, start=1):
            row = self.location(position, location)
            if row is None:
                continue
            key = (
                row["ChemicalLocation"],
                row["MapNumber"],
                row["GridNumber"],
                row["StoragePressure"],
                row["StorageTemperature"],
            )
            if not location.amount and keys and key in keys:
                into = rows[keys.index(key)]
                for container in CONTAINER_FIELDS:
                    if row.get(container) == "Y":
                        into[container] = "Y"
                if row.get("OtherStorageContainer"):
                    into["OtherStorageContainer"] = row["OtherStorageContainer"]
                continue
            rows.append(row)
            keys.append(key)
        return rows

    def location(self, position: int, location: StorageLocation) -> dict[str, str] | None:
        where = _("storage location %(n)d (“%(description)s”)") % {
            "n": position,
            "description": location.description,
        }
        row: dict[str, str] = {container: "N" for container in CONTAINER_FIELDS}
        container = standard.match_storage_type(location.storage_type) if location.storage_type else None
        other = ""
        if container is not None:
            row[container] = "Y"
        elif location.storage_type:
            if len(location.storage_type) > 30:
                self.problem(
                    _(
                        "%(where)s: the storage type “%(value)s” is not one of the standard's and is too long to "
                        "keep as an “other” container (at most 30 characters)."
                    )
                    % {"where": where, "value": location.storage_type}
                )
                return None
            row[standard.OTHER_CONTAINER] = "Y"
            other = location.storage_type
            self.note(
                _("%(where)s: the storage type “%(value)s” is kept as an “other” container.")
                % {"where": where, "value": location.storage_type}
            )
        text, map_number, grid, other_text = parse_location_description(location.description)
        if other_text and container != standard.OTHER_CONTAINER:
            # Not the export's "other container" suffix: the whole text is the location.
            text, map_number, grid, other_text = location.description, "", "", ""
        row["ChemicalLocation"] = text
        row["MapNumber"] = map_number
        row["GridNumber"] = grid
        row["OtherStorageContainer"] = other_text if container == standard.OTHER_CONTAINER else other
        for field_name, text_value, match, choices, element in (
            ("StoragePressure", location.pressure, standard.match_pressure, standard.PRESSURES, "pressure"),
            (
                "StorageTemperature",
                location.temperature,
                standard.match_temperature,
                standard.TEMPERATURES,
                "temperature",
            ),
        ):
            if not text_value:
                row[field_name] = ""
                continue
            code = match(text_value)
            if code is None:
                self.problem(
                    _("%(where)s: the %(element)s “%(value)s” is not one of: %(allowed)s.")
                    % {
                        "where": where,
                        "element": element,
                        "value": text_value,
                        "allowed": "; ".join(label for _code, label in choices),
                    }
                )
            row[field_name] = code or ""
        if location.unit and location.unit.casefold() != standard.POUNDS:
            self.problem(
                _("%(where)s: the amount is in “%(unit)s”; Tier II amounts are in pounds.")
                % {"where": where, "unit": location.unit}
            )
        amount = self.amount(_("%(where)s: the amount") % {"where": where}, location.amount)
        row["amount"] = plain(amount) if amount is not None else ""
        return row

    def amounts(self, raw: dict[str, str], rows: list[dict[str, str]]) -> None:
        chemical = self.chemical
        maximum = self.amount("maxAmount", chemical.max_amount)
        average = self.amount("aveAmount", chemical.ave_amount)
        for element, amount, code in (
            ("maxAmountCode", maximum, chemical.max_amount_code),
            ("aveAmountCode", average, chemical.ave_amount_code),
        ):
            if amount is None or not code:
                continue
            expected = (
                standard.range_codes_of_whole_pounds(int(amount))
                if amount == amount.to_integral_value()
                else {standard.range_code(amount)}
            )
            if code not in expected:
                self.note(
                    _(
                        "%(element)s %(code)s does not match the amount %(amount)s lb (range %(expected)s); the "
                        "exact amount is kept and the code is derived from it on export."
                    )
                    % {
                        "element": element,
                        "code": code,
                        "amount": plain(amount),
                        "expected": sorted(expected)[-1],
                    }
                )
        if not rows:
            rows.append(
                {container: "N" for container in CONTAINER_FIELDS} | {"ChemicalLocation": "", "amount": ""}
            )
            self.note(_("the file gives no storage location: add where it is stored in the inventory."))
        given = [_decimal(row["amount"]) for row in rows if row["amount"]]
        missing = [row for row in rows if not row["amount"]]
        if missing:
            if maximum is None:
                self.problem(_("neither maxAmount nor the amounts at its storage locations are given."))
                return
            remaining = max(maximum - sum((g for g in given if g is not None), Decimal(0)), Decimal(0))
            share = (remaining / len(missing)).quantize(CENT, rounding=ROUND_DOWN)
            for index, row in enumerate(missing):
                last = index == len(missing) - 1
                row["amount"] = plain(remaining - share * (len(missing) - 1) if last else share)
            if len(rows) > 1:
                self.note(
                    _(
                        "%(count)d storage locations give no amount: the rest of maxAmount (%(rest)s lb) is "
                        "shared among them. Check the amounts."
                    )
                    % {"count": len(missing), "rest": plain(remaining)}
                )
        total = sum((_decimal(row["amount"]) or Decimal(0) for row in rows), Decimal(0))
        if maximum is not None and total != maximum and not missing:
            self.note(
                _(
                    "its storage locations hold %(total)s lb together; its maximum is %(maximum)s lb. Each row "
                    "keeps its location's amount."
                )
                % {"total": plain(total), "maximum": plain(maximum)}
            )
        # Tier II has one average for the whole facility: it is shared in proportion to the locations.
        if average is not None:
            remaining = average
            for index, row in enumerate(rows):
                if index == len(rows) - 1:
                    share = remaining
                elif total > 0:
                    share = (average * (_decimal(row["amount"]) or Decimal(0)) / total).quantize(
                        CENT, rounding=ROUND_HALF_UP
                    )
                else:
                    share = (average / len(rows)).quantize(CENT, rounding=ROUND_DOWN)
                remaining -= share
                row["AverageDailyAmount"] = plain(share)
            if len(rows) > 1:
                self.note(
                    _(
                        "Tier II gives one average daily amount (%(average)s lb) for all locations: it is shared "
                        "among the %(count)d rows in proportion to their amounts."
                    )
                    % {"average": plain(average), "count": len(rows)}
                )
        for row in rows:
            row["MaximumDailyAmount"] = row.pop("amount")
        raw["Units"] = "c"
        raw["DaysOnSite"] = chemical.days_on_site
        largest = self.amount("maxAmtLargestContainer", chemical.max_amt_largest_container)
        raw["LargestContainer"] = (
            plain(largest.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)) if largest is not None else ""
        )


def _component_text(component: Component) -> str:
    parts = [component.name]
    if component.cas:
        parts.append(f"(CAS {component.cas})")
    if component.percentage:
        unit = _("% by volume") if component.weight_or_volume.casefold() == standard.VOLUME else "%"
        parts.append(f"{component.percentage}{unit}")
    if parse_boolean(component.ehs):
        parts.append(_("EHS"))
    return " ".join(parts)


def plan_import(dataset: Dataset, *, facility_choice: str = "") -> ImportPlan:
    """The rows a facility of the dataset becomes, with every problem and note."""
    facility = choose_facility(dataset, facility_choice)
    plan = ImportPlan(facility=facility)
    if not facility.chemicals:
        plan.problems.append(
            _("The facility “%(name)s” in the file lists no chemicals: there is nothing to import.")
            % {"name": facility.name}
        )
        return plan
    for number, chemical in enumerate(facility.chemicals, start=1):
        mapper = _Chemical(plan, number, chemical)
        raw: dict[str, str] = {}
        mapper.identity(raw)
        mapper.hazards(raw)
        mapper.components(raw)
        rows = mapper.locations()
        mapper.amounts(raw, rows)
        confidential = mapper.flag("confidentialStorageLocs", chemical.confidential_storage_locs)
        plan.chemicals += 1
        for row in rows:
            row_raw = {**raw, **row, "CLConfidential": confidential}
            values, problems = parse_row(row_raw, CHEMICAL_FIELDS)
            for xml, message in problems.items():
                mapper.problem(_field_message(xml, row_raw.get(xml, ""), message))
            for spec in CHEMICAL_FIELDS:
                value = values.get(spec.name)
                if spec.xml in problems or is_empty(value):
                    continue
                format_problem = check_format(spec, value)
                if format_problem:
                    mapper.problem(_field_message(spec.xml, value, format_problem))
            plan.rows.append(values)
    return plan


def _field_message(xml: str, value: Any, message: str) -> str:
    spec = FIELDS_BY_XML[xml]
    source = SOURCE_OF.get(xml, xml)
    return _("%(element)s “%(value)s” (for %(label)s): %(message)s") % {
        "element": source,
        "value": str(value)[:100],
        "label": spec.label,
        "message": message,
    }


def file_notes(facility: Facility, ignored: list[str]) -> list[str]:
    """What the file holds that the inventory does not keep (shown once, after the chemicals' notes)."""
    notes = [
        _(
            "Only the chemicals are imported. The facility's identification, contacts, certifier, facility "
            "ids and state fields in the file are not: keep them current in Facility Information."
        )
    ]
    if ignored:
        notes.append(
            _("Elements of the file that the import does not know were skipped: %(names)s.")
            % {"names": ", ".join(sorted(set(ignored)))}
        )
    return notes
