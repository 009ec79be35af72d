"""Facility Information: Business Activities (``BusinessActivitiesType``) and Owner/Operator
Identification (``OwnerOperatorInformationType``) of RegulatorFacilitySubmittal.xsd."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from opencers.core.elements import Element
from opencers.elements.fields import DATE, INTEGER, TEXT, YESNO, FieldSpec

# --- Business Activities --------------------------------------------------------------------------
SITE, QUESTIONS = "site", "questions"

ACTIVITY_QUESTIONS: tuple[tuple[str, str, object, object, tuple[Element, ...]], ...] = (
    # (XML name, UPDD, question, help, elements a "Yes" makes required)
    (
        "HMOnSite",
        "4",
        _(
            "Does the facility have hazardous materials on site at or above reportable quantities at any one time?"
        ),
        _(
            "55 gallons of a liquid, 500 pounds of a solid, 200 cubic feet of a gas, less for extremely hazardous "
            "substances (the lower of 500 pounds and the federal threshold planning quantity), or any amount of hazardous waste."
        ),
        (Element.HAZARDOUS_MATERIALS_INVENTORY, Element.EMERGENCY_RESPONSE_TRAINING),
    ),
    (
        "CalARPRegulatedSubstances",
        "4a",
        _(
            "Are regulated substances stored on site in quantities above the California Accidental Release Program thresholds?"
        ),
        _("Regulated substances are listed in California Code of Regulations, Title 19, section 2770.5."),
        (Element.CALARP,),
    ),
    (
        "OwnOrOperateUST",
        "5",
        _("Do you own or operate underground storage tanks?"),
        _(
            "Tanks with 10 % or more of their volume below ground that store hazardous substances, including motor fuel."
        ),
        (Element.UST,),
    ),
    (
        "OwnOrOperateAPST",
        "8",
        _("Do you own or operate aboveground petroleum storage tanks or containers?"),
        _(
            "A total aboveground petroleum storage capacity of 1,320 gallons or more (containers of 55 gallons or more), "
            "or a tank in an underground area."
        ),
        (Element.APSA,),
    ),
    (
        "HWGenerator",
        "9",
        _("Do you generate hazardous waste?"),
        _("Any amount, including used oil, spent solvents, lamps, batteries and electronic waste."),
        (Element.HAZARDOUS_MATERIALS_INVENTORY, Element.EMERGENCY_RESPONSE_TRAINING),
    ),
    (
        "Recycle",
        "10",
        _("Do you recycle more than 100 kg per month of excluded or exempted recyclable materials?"),
        _("Recyclable materials handled under Health and Safety Code section 25143.2."),
        (Element.RECYCLABLE_MATERIALS,),
    ),
    (
        "OnsiteHWTreatment",
        "11",
        _("Do you treat hazardous waste on site?"),
        _(
            "Treatment under a tiered permit: permit by rule, conditional authorization or conditional exemption."
        ),
        (Element.TIERED_PERMITTING,),
    ),
    (
        "FinancialAssurance",
        "12",
        _("Is your facility's treatment subject to financial assurance requirements?"),
        _("For permit-by-rule and conditional authorization treatment units."),
        (Element.TIERED_PERMITTING,),
    ),
    (
        "RWConsolidationSite",
        "13",
        _("Is this a remote waste consolidation site?"),
        _("A site that consolidates hazardous waste from remote locations of your own business."),
        (Element.REMOTE_WASTE_CONSOLIDATION,),
    ),
    (
        "HWTankClosure",
        "14",
        _("Do you need to report closing a hazardous waste tank?"),
        _("Closure of a tank system that held hazardous waste (Title 22, section 67383.3)."),
        (Element.HW_TANK_CLOSURE,),
    ),
    (
        "RCRALargeQuantityGenerator",
        "14a",
        _("Are you a RCRA large quantity generator?"),
        _(
            "1,000 kg or more of RCRA hazardous waste, or more than 1 kg of acutely hazardous waste, in a calendar month."
        ),
        (),
    ),
    (
        "HHWCollection",
        "14b",
        _("Is this a household hazardous waste collection facility?"),
        _("A facility that collects household hazardous waste from the public."),
        (),
    ),
)

BUSINESS_ACTIVITIES_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "BusinessName",
        _("Business name (doing business as)"),
        TEXT,
        70,
        required=True,
        updd="3",
        group=SITE,
        help=_("The name the facility operates under."),
    ),
    FieldSpec(
        "SiteAddress",
        _("Site address"),
        TEXT,
        70,
        required=True,
        updd="103",
        group=SITE,
        help=_("The street number and name of the site (not a P.O. box), e.g. 1001 I ST."),
    ),
    FieldSpec(
        "SiteAddressSupplemental",
        _("Site address, second line"),
        TEXT,
        30,
        updd="103a",
        group=SITE,
        help=_("Suite, building or unit, if any."),
    ),
    FieldSpec("City", _("City"), TEXT, 60, required=True, updd="104", group=SITE),
    FieldSpec(
        "ZipCode",
        _("ZIP code"),
        TEXT,
        10,
        required=True,
        updd="105",
        group=SITE,
        check="zip",
        help=_("5 digits, or 5+4 digits like 95814-1234."),
    ),
    FieldSpec(
        "CountyID",
        _("County number"),
        INTEGER,
        required=True,
        updd="105a",
        group=SITE,
        minimum=Decimal(1),
        maximum=Decimal(58),
        help=_(
            "1 to 58, California's counties in alphabetical order (34 is Sacramento). "
            "Filled in from the facility's address."
        ),
    ),
    FieldSpec(
        "EPAID",
        _("EPA ID number"),
        TEXT,
        12,
        updd="2",
        group=SITE,
        check="epa_id",
        help=_("The 12-character number from US EPA or DTSC, e.g. CAL000123456, if the facility has one."),
    ),
    *[
        FieldSpec(xml, question, YESNO, required=True, updd=updd, group=QUESTIONS, help=help_text)
        for xml, updd, question, help_text, _e in ACTIVITY_QUESTIONS
    ],
    FieldSpec(
        "Comments",
        _("Comments"),
        TEXT,
        500,
        updd="16",
        group=QUESTIONS,
        help=_("Anything your regulator should know about these answers."),
    ),
)

# --- Owner/Operator Identification ---------------------------------------------------------------
BUSINESS, OPERATOR, OWNER, ENVIRONMENTAL, EMERGENCY, BILLING, PROPERTY, CERTIFICATION = (
    "business",
    "operator",
    "owner",
    "environmental",
    "emergency",
    "billing",
    "property",
    "certification",
)

GROUP_LABELS = {
    BUSINESS: _("The business at this site"),
    OPERATOR: _("Operator"),
    OWNER: _("Owner"),
    ENVIRONMENTAL: _("Environmental contact"),
    EMERGENCY: _("Emergency contacts"),
    BILLING: _("Billing contact"),
    PROPERTY: _("Property owner (if your regulator asks for it)"),
    CERTIFICATION: _("Document preparer and certification"),
}

OWNER_OPERATOR_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("BeginningDate", _("Date the business began at this site"), DATE, updd="100", group=BUSINESS),
    FieldSpec(
        "EndingDate",
        _("Date the business ended at this site"),
        DATE,
        updd="101",
        group=BUSINESS,
        help=_("Only if the business has closed or moved."),
    ),
    FieldSpec(
        "Phone",
        _("Business phone"),
        TEXT,
        25,
        required=True,
        updd="102",
        group=BUSINESS,
        check="phone",
        help=_("With area code, e.g. (916) 555-0100."),
    ),
    FieldSpec("Fax", _("Business fax"), TEXT, 15, updd="102a", group=BUSINESS),
    FieldSpec(
        "DunAndBradstreet",
        _("Dun & Bradstreet number"),
        TEXT,
        9,
        updd="106",
        group=BUSINESS,
        help=_("The 9-digit D-U-N-S number, if the business has one."),
    ),
    FieldSpec(
        "SICCode",
        _("SIC code"),
        TEXT,
        4,
        updd="107",
        group=BUSINESS,
        help=_("The 4-digit Standard Industrial Classification code, if you know it."),
    ),
    FieldSpec(
        "NAICSCode",
        _("NAICS code"),
        TEXT,
        6,
        updd="107a",
        group=BUSINESS,
        check="naics",
        help=_(
            "The 2- to 6-digit North American Industry Classification code, e.g. 332813 for electroplating."
        ),
    ),
    FieldSpec(
        "MailingAddress", _("Business mailing address"), TEXT, 70, required=True, updd="108a", group=BUSINESS
    ),
    FieldSpec(
        "MailingAddressCity", _("Mailing address city"), TEXT, 60, required=True, updd="108b", group=BUSINESS
    ),
    FieldSpec(
        "MailingAddressState",
        _("Mailing address state"),
        TEXT,
        2,
        updd="108c",
        group=BUSINESS,
        help=_("Two letters, e.g. CA."),
    ),
    FieldSpec(
        "MailingAddressZipCode",
        _("Mailing address ZIP code"),
        TEXT,
        10,
        updd="108d",
        group=BUSINESS,
        check="zip",
    ),
    FieldSpec(
        "OperatorName",
        _("Operator name"),
        TEXT,
        80,
        required=True,
        updd="109",
        group=OPERATOR,
        help=_("The business or person that runs the facility day to day."),
    ),
    FieldSpec(
        "OperatorPhone",
        _("Operator phone"),
        TEXT,
        25,
        required=True,
        updd="110",
        group=OPERATOR,
        check="phone",
    ),
    FieldSpec(
        "OwnerName",
        _("Owner name"),
        TEXT,
        80,
        required=True,
        updd="111",
        group=OWNER,
        help=_("The business or person that owns the business."),
    ),
    FieldSpec(
        "OwnerPhone", _("Owner phone"), TEXT, 25, required=True, updd="112", group=OWNER, check="phone"
    ),
    FieldSpec(
        "OwnerMailAddress", _("Owner mailing address"), TEXT, 70, required=True, updd="113", group=OWNER
    ),
    FieldSpec("OwnerCity", _("Owner city"), TEXT, 60, required=True, updd="114", group=OWNER),
    FieldSpec("OwnerState", _("Owner state"), TEXT, 2, updd="115", group=OWNER),
    FieldSpec("OwnerZipCode", _("Owner ZIP code"), TEXT, 10, updd="116", group=OWNER),
    FieldSpec("OwnerCountry", _("Owner country"), TEXT, 45, updd="116a", group=OWNER),
    FieldSpec(
        "EContactName",
        _("Environmental contact name"),
        TEXT,
        80,
        required=True,
        updd="117",
        group=ENVIRONMENTAL,
        help=_("The person the regulator contacts about this plan."),
    ),
    FieldSpec(
        "EContactPhone",
        _("Environmental contact phone"),
        TEXT,
        25,
        required=True,
        updd="118",
        group=ENVIRONMENTAL,
        check="phone",
    ),
    FieldSpec(
        "EContactMailingAddress",
        _("Environmental contact mailing address"),
        TEXT,
        70,
        required=True,
        updd="119",
        group=ENVIRONMENTAL,
    ),
    FieldSpec(
        "EContactEmailAddress",
        _("Environmental contact e-mail"),
        TEXT,
        254,
        updd="119a",
        group=ENVIRONMENTAL,
        check="email",
    ),
    FieldSpec(
        "EContactCity",
        _("Environmental contact city"),
        TEXT,
        60,
        required=True,
        updd="120",
        group=ENVIRONMENTAL,
    ),
    FieldSpec("EContactState", _("Environmental contact state"), TEXT, 2, updd="121", group=ENVIRONMENTAL),
    FieldSpec(
        "EContactZipCode", _("Environmental contact ZIP code"), TEXT, 10, updd="122", group=ENVIRONMENTAL
    ),
    FieldSpec(
        "EContactCountry", _("Environmental contact country"), TEXT, 45, updd="122a", group=ENVIRONMENTAL
    ),
    FieldSpec(
        "PECName",
        _("Primary emergency contact name"),
        TEXT,
        80,
        required=True,
        updd="123",
        group=EMERGENCY,
        help=_("Someone who can be reached at any hour and can act for the facility in an emergency."),
    ),
    FieldSpec(
        "PECTitle", _("Primary emergency contact title"), TEXT, 50, required=True, updd="124", group=EMERGENCY
    ),
    FieldSpec(
        "PECBusinessPhone",
        _("Primary emergency contact business phone"),
        TEXT,
        25,
        required=True,
        updd="125",
        group=EMERGENCY,
        check="phone",
    ),
    FieldSpec(
        "PEC24HrPhone",
        _("Primary emergency contact 24-hour phone"),
        TEXT,
        25,
        required=True,
        updd="126",
        group=EMERGENCY,
        check="phone",
        help=_("A number answered at night and on weekends, such as a mobile phone."),
    ),
    FieldSpec("PECPager", _("Primary emergency contact pager"), TEXT, 25, updd="127", group=EMERGENCY),
    FieldSpec(
        "SECName",
        _("Secondary emergency contact name"),
        TEXT,
        80,
        updd="128",
        group=EMERGENCY,
        help=_("Another person, reached when the primary contact cannot be."),
    ),
    FieldSpec("SECTitle", _("Secondary emergency contact title"), TEXT, 50, updd="129", group=EMERGENCY),
    FieldSpec(
        "SECBusinessPhone",
        _("Secondary emergency contact business phone"),
        TEXT,
        25,
        updd="130",
        group=EMERGENCY,
        check="phone",
    ),
    FieldSpec(
        "SEC24HrPhone",
        _("Secondary emergency contact 24-hour phone"),
        TEXT,
        25,
        updd="131",
        group=EMERGENCY,
        check="phone",
    ),
    FieldSpec("SECPager", _("Secondary emergency contact pager"), TEXT, 25, updd="132", group=EMERGENCY),
    FieldSpec(
        "ALCollectedInformation",
        _("Additional locally collected information"),
        TEXT,
        255,
        updd="133",
        group=PROPERTY,
        help=_("Only what your regulator asks you to add here."),
    ),
    FieldSpec(
        "IdentificationSignedDate",
        _("Date signed"),
        DATE,
        updd="134",
        group=CERTIFICATION,
        help=_("The date the signer certified this information."),
    ),
    FieldSpec(
        "DocumentPreparerName",
        _("Name of the person who prepared this information"),
        TEXT,
        80,
        updd="135",
        group=CERTIFICATION,
        help=_("The person who filled in this form; it may be the signer."),
    ),
    FieldSpec(
        "IdentificationSignerName",
        _("Name of the signer (certifies the information)"),
        TEXT,
        80,
        updd="136",
        group=CERTIFICATION,
        help=_(
            "The owner, operator or their designated representative. Regulators do not accept a plan without it."
        ),
    ),
    FieldSpec(
        "IdentificationSignerTitle",
        _("Title of the signer"),
        TEXT,
        50,
        updd="137",
        group=CERTIFICATION,
        help=_("e.g. Owner, Plant manager."),
    ),
    FieldSpec(
        "BillingContactName",
        _("Billing contact name"),
        TEXT,
        80,
        required=True,
        updd="140",
        group=BILLING,
        help=_("The person who receives the regulator's invoices."),
    ),
    FieldSpec(
        "BillingContactPhone",
        _("Billing contact phone"),
        TEXT,
        25,
        required=True,
        updd="141",
        group=BILLING,
        check="phone",
    ),
    FieldSpec(
        "BillingContactEmail",
        _("Billing contact e-mail"),
        TEXT,
        254,
        updd="142",
        group=BILLING,
        check="email",
    ),
    FieldSpec("BillingAddress", _("Billing address"), TEXT, 70, required=True, updd="143", group=BILLING),
    FieldSpec(
        "BillingAddressCity", _("Billing address city"), TEXT, 60, required=True, updd="144", group=BILLING
    ),
    FieldSpec("BillingAddressState", _("Billing address state"), TEXT, 2, updd="145", group=BILLING),
    FieldSpec(
        "BillingAddressZipCode",
        _("Billing address ZIP code"),
        TEXT,
        10,
        updd="146",
        group=BILLING,
        check="zip",
    ),
    FieldSpec("BillingAddressCountry", _("Billing address country"), TEXT, 45, updd="147", group=BILLING),
    FieldSpec(
        "AssessorParcelNumber",
        _("Assessor parcel number"),
        TEXT,
        15,
        updd="170",
        group=PROPERTY,
        help=_("From the county property tax bill."),
    ),
    FieldSpec(
        "NumberOfEmployees",
        _("Number of employees"),
        INTEGER,
        updd="171",
        group=PROPERTY,
        total_digits=15,
        help=_("At this site."),
    ),
    FieldSpec("PropertyOwnerName", _("Property owner name"), TEXT, 80, updd="172", group=PROPERTY),
    FieldSpec(
        "PropertyOwnerPhone", _("Property owner phone"), TEXT, 25, updd="173", group=PROPERTY, check="phone"
    ),
    FieldSpec(
        "PropertyOwnerMailingAddress",
        _("Property owner mailing address"),
        TEXT,
        70,
        updd="174",
        group=PROPERTY,
    ),
    FieldSpec("PropertyOwnerCity", _("Property owner city"), TEXT, 60, updd="175", group=PROPERTY),
    FieldSpec("PropertyOwnerState", _("Property owner state"), TEXT, 2, updd="176", group=PROPERTY),
    FieldSpec("PropertyOwnerZipCode", _("Property owner ZIP code"), TEXT, 10, updd="177", group=PROPERTY),
    FieldSpec("PropertyOwnerCountry", _("Property owner country"), TEXT, 45, updd="178", group=PROPERTY),
)
