"""Business portal: the Emergency Response and Training Plans element (its two documents)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from opencers.core.elements import ELEMENT_SLUGS, Element
from opencers.core.errors import DomainError
from opencers.core.permissions import permission_required
from opencers.organizations.selectors import facility_get_for_user, membership_of, user_can
from opencers.submittals import services
from opencers.submittals.guidance import counts, has_required
from opencers.submittals.models import SubmittalElement
from opencers.submittals.rules import document_slots
from opencers.submittals.selectors import draft_of, last_accepted_or_submitted

ELEMENT = Element.EMERGENCY_RESPONSE_TRAINING


@permission_required("facility:view")
@require_http_methods(["GET", "POST"])
def plans(request: HttpRequest, cers_id: int) -> HttpResponse:
    """The draft's two plans with their state and links to their pages, for members of the business
    (regulators see submitted versions). POST (Editor and above) starts a draft; GET never writes."""
    if request.method == "POST":
        facility = facility_get_for_user(user=request.user, cers_id=cers_id, permission="facility:edit")
    else:
        facility = facility_get_for_user(user=request.user, cers_id=cers_id)
        if membership_of(user=request.user, organization=facility.organization) is None:
            raise Http404
    draft = draft_of(facility, ELEMENT)
    source = last_accepted_or_submitted(facility, ELEMENT)
    can_edit = user_can(user=request.user, permission="facility:edit", facility=facility)
    if request.method == "POST":
        if draft is None:
            try:
                if source is not None and request.POST.get("source") == str(source.public_id):
                    services.draft_start_from(
                        facility=facility, element=ELEMENT, source=source, actor=request.user
                    )
                    messages.success(
                        request,
                        _("A new draft was started from version %(version)s.") % {"version": source.version},
                    )
                else:
                    services.draft_get_or_create(facility=facility, element=ELEMENT, actor=request.user)
                    messages.success(request, _("An empty draft was started."))
            except DomainError as error:
                messages.error(request, error.message)
        return redirect("business:plans", cers_id=cers_id)
    guidance = services.guidance_of(draft) if draft else []
    return render(
        request,
        "business/documents/plans.html",
        {
            "facility": facility,
            "element": ELEMENT,
            "slug": ELEMENT_SLUGS[ELEMENT],
            "draft": draft,
            "source": source,
            "slots": document_slots(draft or SubmittalElement(facility=facility, element=ELEMENT)),
            "guidance": guidance,
            "guidance_counts": counts(guidance),
            "blocked": has_required(guidance),
            "can_edit": can_edit,
            "can_submit": user_can(user=request.user, permission="facility:submit", facility=facility),
        },
    )


urlpatterns = [
    path("facilities/<int:cers_id>/plans/", plans, name="plans"),
]
