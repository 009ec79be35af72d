from django.urls import include, path

app_name = "exchange"

urlpatterns: list = [
    path("api/v1/", include("opencers.exchange.api.urls")),
]
