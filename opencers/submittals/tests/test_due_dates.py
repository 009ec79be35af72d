from datetime import date

from django.core import mail

from opencers.core.elements import Element
from opencers.notifications.models import EmailMessage
from opencers.notifications.tasks import send_email
from opencers.submittals.due import due_reminders_send, next_due_after_submission
from opencers.submittals.models import DueReminder
from opencers.submittals.services import draft_get_or_create, facility_submit
from opencers.submittals.tests.factories import add_material, complete_facility_info


def test_new_facility_is_due_on_the_next_march_first(world):
    route = world.facility.routes.get(element=Element.HAZARDOUS_MATERIALS_INVENTORY)
    assert route.next_due_date.month == 3 and route.next_due_date.day == 1
    assert world.facility.routes.get(element=Element.UST).next_due_date is None


def test_regulator_date_is_used(world):
    world.sac.hmbp_due_month, world.sac.hmbp_due_day = 6, 30
    world.sac.save()
    assert next_due_after_submission(
        world.facility, Element.FACILITY_INFORMATION, world.sac, date(2026, 7, 1)
    ) == date(2027, 6, 30)
    assert next_due_after_submission(
        world.facility, Element.FACILITY_INFORMATION, world.sac, date(2026, 6, 29)
    ) == date(2026, 6, 30)


def test_small_business_submits_inventory_every_three_years_and_certifies_yearly(world):
    complete_facility_info(world.facility, world.users["lead"])
    inventory = draft_get_or_create(
        facility=world.facility, element=Element.HAZARDOUS_MATERIALS_INVENTORY, actor=world.users["lead"]
    )
    add_material(
        inventory, ehs="N", maximum_daily_amount=600, average_daily_amount=300
    )  # 600 lb: below federal thresholds
    from opencers.documents.models import Document

    Document.objects.create(element=inventory, slot="site_map", title="Site map", option="stored_at_facility")
    facility_submit(
        facility=world.facility,
        actor=world.users["lead"],
        signer_name="L",
        signer_title="Owner",
        element_codes=[Element.FACILITY_INFORMATION, Element.HAZARDOUS_MATERIALS_INVENTORY],
    )
    fi = world.facility.routes.get(element=Element.FACILITY_INFORMATION).next_due_date
    hmi = world.facility.routes.get(element=Element.HAZARDOUS_MATERIALS_INVENTORY).next_due_date
    assert hmi.year == fi.year + 2 and (hmi.month, hmi.day) == (fi.month, fi.day) == (3, 1)


def test_tier_two_business_submits_every_year(world):
    complete_facility_info(world.facility, world.users["lead"])
    inventory = draft_get_or_create(
        facility=world.facility, element=Element.HAZARDOUS_MATERIALS_INVENTORY, actor=world.users["lead"]
    )
    add_material(inventory, ehs="N", maximum_daily_amount=12000, average_daily_amount=9000)  # over 10,000 lb
    from opencers.documents.models import Document

    Document.objects.create(element=inventory, slot="site_map", title="Site map", option="stored_at_facility")
    facility_submit(
        facility=world.facility,
        actor=world.users["lead"],
        signer_name="L",
        signer_title="Owner",
        element_codes=[Element.FACILITY_INFORMATION, Element.HAZARDOUS_MATERIALS_INVENTORY],
    )
    fi = world.facility.routes.get(element=Element.FACILITY_INFORMATION).next_due_date
    assert world.facility.routes.get(element=Element.HAZARDOUS_MATERIALS_INVENTORY).next_due_date == fi


def test_reminders_go_out_exactly_once_each(world):
    route = world.facility.routes.get(element=Element.FACILITY_INFORMATION)
    route.next_due_date = date(2027, 3, 1)
    route.save()
    world.facility.routes.exclude(pk=route.pk).update(next_due_date=None)
    world.other_facility.routes.update(next_due_date=None)
    assert due_reminders_send(today=date(2027, 1, 30)) == 1  # 30 days before
    assert due_reminders_send(today=date(2027, 1, 30)) == 0  # the job ran twice the same day
    assert due_reminders_send(today=date(2027, 2, 1)) == 0  # nothing due that day
    assert due_reminders_send(today=date(2027, 2, 22)) == 1  # 7 days before
    assert due_reminders_send(today=date(2027, 3, 2)) == 1  # overdue
    assert due_reminders_send(today=date(2027, 3, 9)) == 0  # overdue notice only once
    assert sorted(DueReminder.objects.values_list("kind", flat=True)) == ["due_30", "due_7", "overdue"]
    messages = EmailMessage.objects.filter(
        kind__in=["due_reminder", "due_overdue"], to_address=world.users["lead"].email
    )
    assert messages.count() == 3
    send_email(message_id=messages.first().pk)
    assert mail.outbox[0].to == [world.users["lead"].email]
