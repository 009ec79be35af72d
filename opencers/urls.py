"""URL map. Every view declares its permission; tests/test_authorization_matrix.py covers every URL."""

from django.urls import include, path

urlpatterns = [
    path("", include("opencers.web.urls")),
    path("business/", include("opencers.business.urls")),
    path("regulator/", include("opencers.regulator.urls")),
    path("", include("opencers.exchange.urls")),
]
