"""The columns of a hazardous materials inventory row (``ChemicalType`` of RegulatorFacilitySubmittal.xsd).

Names, UPDD numbers, lengths, digits and codes follow the schema; labels and help are plain language.
The order is the schema's order, which is also the order of the state's upload template.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from opencers.elements.fields import CODE, DECIMAL, INTEGER, TEXT, YESNO, FieldSpec

IDENTITY, HAZARDS, AMOUNTS, STORAGE, COMPONENTS = "identity", "hazards", "amounts", "storage", "components"

GROUP_LABELS = {
    IDENTITY: _("What the material is"),
    HAZARDS: _("Hazards"),
    AMOUNTS: _("Amounts and units"),
    STORAGE: _("Where and how it is stored"),
    COMPONENTS: _("Hazardous components of a mixture"),
}

FIRE_CODE_CLASSES: tuple[tuple[str, str], ...] = (
    ("1", _("Carcinogen")),
    ("2", _("Combustible Liquid, Class II")),
    ("3", _("Combustible Liquid, Class III-A")),
    ("4", _("Combustible Liquid, Class III-B")),
    ("5", _("Corrosive")),
    ("6", _("Cryogen")),
    ("7", _("Explosive")),
    ("8", _("Flammable Gas")),
    ("9", _("Flammable Liquid, Class I-A")),
    ("10", _("Flammable Liquid, Class I-B")),
    ("11", _("Flammable Liquid, Class I-C")),
    ("12", _("Flammable Solid")),
    ("13", _("Highly Toxic")),
    ("14", _("Irritant")),
    ("15", _("Liquefied Petroleum Gas")),
    ("16", _("Magnesium")),
    ("17", _("Oxidizer, Class 1")),
    ("18", _("Oxidizer, Class 2")),
    ("19", _("Oxidizer, Class 3")),
    ("20", _("Oxidizer, Class 4")),
    ("21", _("Oxidizing Gas, gaseous")),
    ("22", _("Oxidizing Gas, liquefied")),
    ("23", _("Organic Peroxide, Class I")),
    ("24", _("Organic Peroxide, Class II")),
    ("25", _("Organic Peroxide, Class III")),
    ("26", _("Organic Peroxide, Class IV")),
    ("27", _("Other Health Hazard")),
    ("28", _("Pyrophoric")),
    ("29", _("Radioactive")),
    ("30", _("Sensitizer")),
    ("31", _("Toxic")),
    ("32", _("Unstable (Reactive), Class 1")),
    ("33", _("Unstable (Reactive), Class 2")),
    ("34", _("Unstable (Reactive), Class 3")),
    ("35", _("Unstable (Reactive), Class 4")),
    ("36", _("Water Reactive, Class 1")),
    ("37", _("Water Reactive, Class 2")),
    ("38", _("Water Reactive, Class 3")),
    ("39", _("Other")),
)

HM_TYPES = (("a", _("Pure")), ("b", _("Mixture")), ("c", _("Waste")))
PHYSICAL_STATES = (("a", _("Solid")), ("b", _("Liquid")), ("c", _("Gas")))
UNITS = (("a", _("Gallons")), ("b", _("Cubic feet")), ("c", _("Pounds")), ("d", _("Tons")))
PRESSURES = (("a", _("Ambient")), ("b", _("Above ambient")), ("c", _("Below ambient")))
TEMPERATURES = (
    ("a", _("Ambient")),
    ("b", _("Above ambient")),
    ("c", _("Below ambient")),
    ("d", _("Cryogenic")),
)
DOT_CLASSES = tuple(
    (code, code)
    for code in (
        "1.1",
        "1.2",
        "1.3",
        "1.4",
        "1.5",
        "1.6",
        "2.1",
        "2.2",
        "2.3",
        "3",
        "4.1",
        "4.2",
        "4.3",
        "5.1",
        "5.2",
        "6.1",
        "6.2",
        "7",
        "8",
        "9",
    )
)

_FIRE_ORDINALS = (
    ("PFCodeHazardClass", "210a", _("Fire code hazard class (primary)")),
    ("SFCodeHazardClass", "210b", _("Fire code hazard class (second)")),
    ("TFCodeHazardClass", "210c", _("Fire code hazard class (third)")),
    ("FFCodeHazardClass", "210d", _("Fire code hazard class (fourth)")),
    ("FifthFireCodeHazardClass", "210e", _("Fire code hazard class (fifth)")),
    ("SixthFireCodeHazardClass", "210f", _("Fire code hazard class (sixth)")),
    ("SeventhFireCodeHazardClass", "210g", _("Fire code hazard class (seventh)")),
    ("EighthFireCodeHazardClass", "210h", _("Fire code hazard class (eighth)")),
)

# Federal hazard categories (GHS based), 216a-216cc. The first five are the older EPCRA categories.
_FHC = (
    ("FHCFire", "216a", _("Fire hazard (older category)")),
    ("FHCReactive", "216b", _("Reactive hazard (older category)")),
    ("FHCPressureRelease", "216c", _("Sudden release of pressure (older category)")),
    ("FHCAcuteHealth", "216d", _("Acute health hazard (older category)")),
    ("FHCChronicHealth", "216e", _("Chronic health hazard (older category)")),
    ("FHCPhysicalFlammable", "216f", _("Physical: flammable")),
    ("FHCPhysicalGasUnderPressure", "216g", _("Physical: gas under pressure")),
    ("FHCPhysicalExplosive", "216h", _("Physical: explosive")),
    ("FHCPhysicalSelfHeating", "216i", _("Physical: self-heating")),
    ("FHCPhysicalPyrophoric", "216j", _("Physical: pyrophoric liquid or solid")),
    ("FHCPhysicalOxidizer", "216k", _("Physical: oxidizer")),
    ("FHCPhysicalOrganicPeroxide", "216l", _("Physical: organic peroxide")),
    ("FHCPhysicalSelfReactive", "216m", _("Physical: self-reactive")),
    ("FHCPhysicalPyrophoricGas", "216n", _("Physical: pyrophoric gas")),
    ("FHCPhysicalCorrosiveToMetal", "216o", _("Physical: corrosive to metal")),
    (
        "FHCPhysicalContactWaterEmitsFlammableGas",
        "216p",
        _("Physical: in contact with water emits flammable gas"),
    ),
    ("FHCPhysicalCombustibleDust", "216q", _("Physical: combustible dust")),
    ("FHCPhysicalHazardNotOtherwiseClassified", "216r", _("Physical: hazard not otherwise classified")),
    ("FHCHealthCarcinogenicity", "216s", _("Health: carcinogenicity")),
    ("FHCHealthAcuteToxicity", "216t", _("Health: acute toxicity (any route)")),
    ("FHCHealthReproductiveToxicity", "216u", _("Health: reproductive toxicity")),
    ("FHCHealthSkinCorrosionIrritation", "216v", _("Health: skin corrosion or irritation")),
    ("FHCHealthRespiratorySkinSensitization", "216w", _("Health: respiratory or skin sensitization")),
    ("FHCHealthSeriousEyeDamageEyeIrritation", "216x", _("Health: serious eye damage or eye irritation")),
    ("FHCHealthSpecificTargetOrganToxicity", "216y", _("Health: specific target organ toxicity")),
    ("FHCHealthAspirationHazard", "216z", _("Health: aspiration hazard")),
    ("FHCHealthGermCellMutagenicity", "216aa", _("Health: germ cell mutagenicity")),
    ("FHCHealthSimpleAsphyxiant", "216bb", _("Health: simple asphyxiant")),
    ("FHCHealthHazardNotOtherwiseClassified", "216cc", _("Health: hazard not otherwise classified")),
)

_CONTAINERS = (
    ("SCAboveGroundTank", "223a", _("Above-ground tank")),
    ("SCUnderGroundTank", "223b", _("Underground tank")),
    ("SCTankInsideBuilding", "223c", _("Tank inside a building")),
    ("SCSteelDrum", "223d", _("Steel drum")),
    ("SCPlasticNonMetallicDrum", "223e", _("Plastic or non-metallic drum")),
    ("SCCan", "223f", _("Can")),
    ("SCCarboy", "223g", _("Carboy")),
    ("SCSilo", "223h", _("Silo")),
    ("SCFiberDrum", "223i", _("Fiber drum")),
    ("SCBag", "223j", _("Bag")),
    ("SCBox", "223k", _("Box")),
    ("SCCylinder", "223l", _("Cylinder")),
    ("SCGlassBottle", "223m", _("Glass bottle")),
    ("SCPlasticBottle", "223n", _("Plastic bottle")),
    ("SCToteBin", "223o", _("Tote bin")),
    ("SCTankTruckTankWagon", "223p", _("Tank truck or tank wagon")),
    ("SCTankCarRailCar", "223q", _("Tank car or rail car")),
    ("SCOther", "223r", _("Other container")),
)

AMOUNT_DIGITS = 15
PERCENT = {"total_digits": 6, "decimal_places": 2, "minimum": Decimal("0.01"), "maximum": Decimal("100")}


def _components() -> list[FieldSpec]:
    specs = []
    for n, (pct, name, ehs, cas) in enumerate(
        (
            ("226", "227", "228", "229"),
            ("230", "231", "232", "233"),
            ("234", "235", "236", "237"),
            ("238", "239", "240", "241"),
            ("242", "243", "244", "245"),
        ),
        start=1,
    ):
        specs += [
            FieldSpec(
                f"HC{n}PercentByWeight",
                _("Component %(n)d: percent by weight") % {"n": n},
                DECIMAL,
                updd=pct,
                group=COMPONENTS,
                **PERCENT,
            ),  # type: ignore[arg-type]
            FieldSpec(
                f"HC{n}Name", _("Component %(n)d: name") % {"n": n}, TEXT, 500, updd=name, group=COMPONENTS
            ),
            FieldSpec(
                f"HC{n}EHS",
                _("Component %(n)d: extremely hazardous substance?") % {"n": n},
                YESNO,
                updd=ehs,
                group=COMPONENTS,
            ),
            FieldSpec(
                f"HC{n}CAS",
                _("Component %(n)d: CAS number") % {"n": n},
                TEXT,
                15,
                updd=cas,
                group=COMPONENTS,
                check="cas",
            ),
        ]
    return specs


CHEMICAL_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "CCLID",
        _("Chemical library ID"),
        INTEGER,
        updd="250",
        group=IDENTITY,
        help=_("Filled in when you pick the material from the library."),
    ),
    FieldSpec(
        "ChemicalLocation",
        _("Storage location"),
        TEXT,
        140,
        updd="201",
        group=STORAGE,
        help=_("Where on site, e.g. “Building 2, paint room”. Kept confidential from the public."),
    ),
    FieldSpec(
        "CLConfidential",
        _("Location confidential (EPCRA)?"),
        YESNO,
        updd="202",
        group=STORAGE,
        help=_("Yes to ask that the location be withheld from federal Tier II public requests."),
    ),
    FieldSpec("MapNumber", _("Site map number"), TEXT, 15, updd="203", group=STORAGE),
    FieldSpec("GridNumber", _("Site map grid"), TEXT, 15, updd="204", group=STORAGE),
    FieldSpec(
        "ChemicalName",
        _("Chemical name"),
        TEXT,
        500,
        updd="205",
        group=IDENTITY,
        help=_("The chemical name on the Safety Data Sheet."),
    ),
    FieldSpec("TradeSecret", _("Trade secret?"), YESNO, updd="206", group=IDENTITY),
    FieldSpec(
        "CommonName",
        _("Common or trade name"),
        TEXT,
        500,
        required=True,
        updd="207",
        group=IDENTITY,
        help=_("The name people on site use, e.g. “Sulfuric acid 93%” or “Used oil”."),
    ),
    FieldSpec(
        "EHS",
        _("Extremely hazardous substance (EHS)?"),
        YESNO,
        required=True,
        updd="208",
        group=IDENTITY,
        help=_(
            "Yes if the material is, or contains, a substance on the federal EHS list. EHS amounts must be in pounds."
        ),
    ),
    FieldSpec(
        "CASNumber",
        _("CAS number"),
        TEXT,
        15,
        updd="209",
        group=IDENTITY,
        check="cas",
        help=_("e.g. 7664-93-9. Leave empty for mixtures."),
    ),
    *[
        FieldSpec(xml, label, CODE, codes=FIRE_CODE_CLASSES, updd=updd, group=HAZARDS)
        for xml, updd, label in _FIRE_ORDINALS
    ],
    FieldSpec(
        "HMType",
        _("Type of material"),
        CODE,
        codes=HM_TYPES,
        updd="211",
        group=IDENTITY,
        help=_("Pure, mixture, or waste."),
    ),
    FieldSpec("RadioActive", _("Radioactive?"), YESNO, updd="212", group=HAZARDS),
    FieldSpec("Curies", _("Curies"), DECIMAL, updd="213", group=HAZARDS, total_digits=10),
    FieldSpec(
        "PhysicalState",
        _("Physical state"),
        CODE,
        required=True,
        codes=PHYSICAL_STATES,
        updd="214",
        group=IDENTITY,
    ),
    FieldSpec(
        "LargestContainer",
        _("Largest container"),
        DECIMAL,
        updd="215",
        group=AMOUNTS,
        total_digits=13,
        help=_("The size of the largest container, in the same units as the amounts."),
    ),
    *[FieldSpec(xml, label, YESNO, updd=updd, group=HAZARDS) for xml, updd, label in _FHC],
    FieldSpec(
        "AverageDailyAmount",
        _("Average daily amount"),
        DECIMAL,
        updd="217",
        group=AMOUNTS,
        total_digits=AMOUNT_DIGITS,
        help=_("The average amount on site over the year. It cannot exceed the maximum."),
    ),
    FieldSpec(
        "MaximumDailyAmount",
        _("Largest amount on site at any one time"),
        DECIMAL,
        required=True,
        updd="218",
        group=AMOUNTS,
        total_digits=AMOUNT_DIGITS,
    ),
    FieldSpec(
        "AnnualWasteAmount",
        _("Annual waste amount"),
        DECIMAL,
        updd="219",
        group=AMOUNTS,
        total_digits=AMOUNT_DIGITS,
        help=_("For wastes: the amount generated in a year."),
    ),
    FieldSpec(
        "StateWasteCode",
        _("California waste code"),
        TEXT,
        3,
        updd="220",
        group=IDENTITY,
        help=_("For wastes: the 3-digit California waste code, e.g. 221 for waste oil."),
    ),
    FieldSpec("Units", _("Units"), CODE, required=True, codes=UNITS, updd="221", group=AMOUNTS),
    FieldSpec(
        "DaysOnSite",
        _("Days on site per year"),
        INTEGER,
        updd="222",
        group=AMOUNTS,
        minimum=Decimal(1),
        maximum=Decimal(365),
        total_digits=3,
    ),
    *[FieldSpec(xml, label, YESNO, updd=updd, group=STORAGE) for xml, updd, label in _CONTAINERS],
    FieldSpec(
        "OtherStorageContainer", _("Other container (describe)"), TEXT, 30, updd="223r-1", group=STORAGE
    ),
    FieldSpec("StoragePressure", _("Storage pressure"), CODE, codes=PRESSURES, updd="224", group=STORAGE),
    FieldSpec(
        "StorageTemperature", _("Storage temperature"), CODE, codes=TEMPERATURES, updd="225", group=STORAGE
    ),
    *_components(),
    FieldSpec(
        "ChemicalDescriptionComment", _("Description or comments"), TEXT, 1000, updd="246", group=IDENTITY
    ),
    FieldSpec(
        "AdditionalMixtureComponents",
        _("Other mixture components"),
        TEXT,
        2000,
        updd="247",
        group=COMPONENTS,
        help=_("Further hazardous components beyond the five above."),
    ),
    FieldSpec(
        "USEPASRSNumber", _("EPA Substance Registry Services ID"), TEXT, 50, updd="251", group=IDENTITY
    ),
    FieldSpec(
        "DOTHazardClassificationID", _("DOT hazard class"), CODE, codes=DOT_CLASSES, updd="252", group=HAZARDS
    ),
)

FIELDS_BY_XML = {spec.xml: spec for spec in CHEMICAL_FIELDS}
FIRE_CODE_FIELDS = tuple(xml for xml, _u, _l in _FIRE_ORDINALS)
FHC_FIELDS = tuple(xml for xml, _u, _l in _FHC)
CONTAINER_FIELDS = tuple(xml for xml, _u, _l in _CONTAINERS)
