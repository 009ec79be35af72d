"""The Business Activities answers decide which elements the facility must report."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from opencers.core.elements import Element
from opencers.elements.facility_info.element import applicable_elements
from opencers.elements.facility_info.services import business_activities_save
from opencers.elements.facility_info.tests.helpers import activities_data
from opencers.submittals.selectors import facility_elements
from opencers.submittals.services import draft_get_or_create

FI, HMI, ERTP, UST = (
    Element.FACILITY_INFORMATION,
    Element.HAZARDOUS_MATERIALS_INVENTORY,
    Element.EMERGENCY_RESPONSE_TRAINING,
    Element.UST,
)


def _answer(world, **answers):
    draft = draft_get_or_create(facility=world.facility, element=FI, actor=world.users["lead"])
    business_activities_save(draft=draft, actor=world.users["lead"], data=activities_data(**answers))


def test_without_answers_the_hazardous_materials_business_plan_is_required(world):
    assert applicable_elements(world.facility) == {FI, HMI, ERTP}


def test_a_yes_to_underground_tanks_makes_the_ust_element_required(world):
    _answer(world, HMOnSite="N", OwnOrOperateUST="Y")

    assert applicable_elements(world.facility) == {FI, UST}
    required = {summary.element for summary in facility_elements(world.facility) if summary.required}
    assert required == {FI, UST}


def test_a_no_to_underground_tanks_leaves_the_ust_element_out(world):
    _answer(world, HMOnSite="Y", OwnOrOperateUST="N")

    assert UST not in applicable_elements(world.facility)


def test_hazardous_materials_on_site_require_the_inventory_and_the_plans(world):
    _answer(world, HMOnSite="Y")

    assert applicable_elements(world.facility) == {FI, HMI, ERTP}


def test_nothing_on_site_requires_only_facility_information(world):
    _answer(world, HMOnSite="N")

    assert applicable_elements(world.facility) == {FI}


@pytest.mark.parametrize(
    ("xml", "element"),
    [
        ("CalARPRegulatedSubstances", Element.CALARP),
        ("OwnOrOperateAPST", Element.APSA),
        ("HWGenerator", HMI),
        ("Recycle", Element.RECYCLABLE_MATERIALS),
        ("OnsiteHWTreatment", Element.TIERED_PERMITTING),
        ("RWConsolidationSite", Element.REMOTE_WASTE_CONSOLIDATION),
        ("HWTankClosure", Element.HW_TANK_CLOSURE),
    ],
)
def test_each_yes_adds_its_element(world, xml, element):
    _answer(world, HMOnSite="N", **{xml: "Y"})

    assert element in applicable_elements(world.facility)


def test_the_forms_show_the_elements_the_saved_answers_require(world):
    _answer(world, HMOnSite="Y", OwnOrOperateUST="Y")
    client = world.client_for("editor")

    for name in ("business:facility_info", "business:facility_info_activities"):
        html = client.get(reverse(name, kwargs={"cers_id": world.facility.cers_id})).content.decode()
        start = html.index('data-testid="required-elements"')
        listed = re.findall(r'<li><a href="[^"]+">([^<]+)</a></li>', html[start : html.index("</ul>", start)])
        assert listed == [
            "Facility Information",
            "Hazardous Materials Inventory",
            "Emergency Response and Training Plans",
            "Underground Storage Tanks",
        ]
