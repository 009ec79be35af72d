"""Bearer-token authentication of API clients, for the EDT XML services and the JSON API.

``Authorization: Bearer <token>``. A missing, unknown, expired or revoked token answers 401 with a
``WWW-Authenticate`` header; a valid token without the endpoint's scope answers 403. Both say why in
words a developer can act on. Sessions and cookies play no part: the endpoints are exempt from CSRF
because a browser never sends the bearer token by itself.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import authentication, exceptions, permissions

from opencers.accounts.api_clients import Authenticated, api_client_authenticate

REALM = 'Bearer realm="OpenCERS"'


def bearer_token(request: HttpRequest) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _sep, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def authenticate_request(request: HttpRequest) -> Authenticated | None:
    token = bearer_token(request)
    return api_client_authenticate(token) if token else None


def scope_required(
    scope: str, *, unauthorized: Callable[[str, int], HttpResponse] | None = None
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """For plain Django views (the EDT XML services): authenticate the bearer token and check a scope.

    The view receives ``request.api`` (an ``Authenticated``) and ``request.user`` set to the client's
    identity. ``unauthorized(message, status)`` renders refusals in the endpoint's own format (XML for
    EDT); JSON by default.
    """

    def refuse(message: str, status: int) -> HttpResponse:
        response = (
            unauthorized(message, status)
            if unauthorized
            else JsonResponse({"detail": message}, status=status)
        )
        if status == 401:
            response["WWW-Authenticate"] = REALM
        return response

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if bearer_token(request) is None:
                return refuse("Send the client's token in an 'Authorization: Bearer <token>' header.", 401)
            api = authenticate_request(request)
            if api is None:
                return refuse(
                    "The token is not valid: unknown, expired or revoked. Ask your administrator for a new one.",
                    401,
                )
            if not api.has_scope(scope):
                return refuse(f"The token does not have the '{scope}' scope needed here.", 403)
            request.api = api  # type: ignore[attr-defined]
            request.user = api.user
            return view(request, *args, **kwargs)

        wrapper.permission = "api"  # type: ignore[attr-defined]
        wrapper.scope = scope  # type: ignore[attr-defined]
        return csrf_exempt(wrapper)

    return decorator


class BearerAuthentication(authentication.BaseAuthentication):
    """DRF: the JSON API's authentication."""

    def authenticate(self, request: Any) -> tuple[Any, Authenticated] | None:
        token = bearer_token(request._request)
        if token is None:
            return None
        api = api_client_authenticate(token)
        if api is None:
            raise exceptions.AuthenticationFailed("The token is not valid: unknown, expired or revoked.")
        return api.user, api

    def authenticate_header(self, request: Any) -> str:
        return REALM


class HasScope(permissions.BasePermission):
    """DRF: the view's ``required_scope`` (or ``required_scopes`` by method) must be in the token."""

    message = "The token does not have the scope needed here."

    def has_permission(self, request: Any, view: Any) -> bool:
        api = request.auth
        if not isinstance(api, Authenticated):
            return False
        by_method = getattr(view, "required_scopes", None)
        scope = by_method.get(request.method) if by_method else getattr(view, "required_scope", None)
        if scope is None:
            return False
        self.message = f"The token does not have the '{scope}' scope needed here."
        return api.has_scope(scope)
