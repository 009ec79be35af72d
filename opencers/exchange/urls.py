from django.urls import include, path

from opencers.exchange import edt_queries, edt_writes

app_name = "exchange"

urlpatterns: list = [
    path("api/v1/", include("opencers.exchange.api.urls")),
    *edt_queries.urlpatterns,
    *edt_writes.urlpatterns,
]
