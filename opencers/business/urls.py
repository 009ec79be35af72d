from django.urls import path

from opencers.business.views import api_clients, documents, facility_info, inventory, plans, submittals, tier2
from opencers.business.views import core as views

app_name = "business"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("organizations/<int:code>/", views.organization, name="organization"),
    path("organizations/<int:code>/edit/", views.organization_edit, name="organization_edit"),
    path("organizations/<int:code>/people/", views.people, name="people"),
    path("organizations/<int:code>/people/<uuid:public_id>/group/", views.person_group, name="person_group"),
    path(
        "organizations/<int:code>/people/<uuid:public_id>/remove/", views.person_remove, name="person_remove"
    ),
    path(
        "organizations/<int:code>/invitations/<uuid:public_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("organizations/<int:code>/activity/", views.organization_audit, name="organization_audit"),
    path("facilities/add/", views.facility_add, name="facility_add"),
    path("facilities/add/confirm/", views.facility_add_confirm, name="facility_add_confirm"),
    path("facilities/search/", views.facility_search_view, name="facility_search"),
    path("facilities/<int:cers_id>/", views.facility, name="facility"),
    path(
        "facilities/<int:cers_id>/request-access/",
        views.facility_request_access,
        name="facility_request_access",
    ),
    path(
        "access-requests/<uuid:public_id>/cancel/", views.access_request_cancel, name="access_request_cancel"
    ),
    *submittals.urlpatterns,
    *facility_info.urlpatterns,
    *inventory.urlpatterns,
    *plans.urlpatterns,
    *documents.urlpatterns,
    *api_clients.urlpatterns,
    *tier2.urlpatterns,
]
