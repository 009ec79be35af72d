from django.urls import path

from opencers.regulator.views import core as views
from opencers.regulator.views import documents, exchange, review

app_name = "regulator"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("state/regulators/", views.state_regulators, name="state_regulators"),
    path("<int:code>/", views.home, name="home"),
    path("<int:code>/facilities/", views.facilities, name="facilities"),
    path("<int:code>/facilities/<int:cers_id>/", views.facility, name="facility"),
    path("<int:code>/staff/", views.staff, name="staff"),
    path("<int:code>/staff/<uuid:public_id>/role/", views.staff_role, name="staff_role"),
    path("<int:code>/staff/<uuid:public_id>/remove/", views.staff_remove, name="staff_remove"),
    path("<int:code>/activity/", views.audit, name="audit"),
    *review.urlpatterns,
    *documents.urlpatterns,
    *exchange.urlpatterns,
]
