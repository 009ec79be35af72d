"""The authorization matrix (DESIGN rule 9): every URL × every persona.

* ``test_every_url_has_a_row``: walks the URL resolver; a new URL without a row here, or a view without a
  declared permission, fails the build.
* ``test_get``: what each persona gets from GET: a status code, or ``LOGIN`` (sent to sign in).
* ``test_post``: for every URL that takes POST, who may (``OK``: anything but a refusal) and who may not;
  a refused POST must change nothing (the audit log, memberships, facilities, requests... are compared).
* ``test_csrf``: every POST without a CSRF token is refused with 403, even for a persona allowed to post.

Cross-tenant access answers 404, exactly like a URL that does not exist.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import PERSONAS, World
from opencers.core.permissions import PERMISSIONS, view_permission

LOGIN = "login"  # anonymous: redirected to the sign-in page
OK = "ok"  # any answer that is not a refusal (200, a redirect elsewhere, a form with errors)
DENIED = (404, LOGIN)

BUSINESS_MEMBERS = ("lead", "approver", "editor", "viewer")
AGENCY = ("regulator", "regulator_viewer", "other_regulator", "state_admin", "state_viewer")
STATE = ("state_admin", "state_viewer")
SIGNED_IN = tuple(p for p in PERSONAS if p != "anonymous")


def everyone(value: Any) -> dict[str, Any]:
    return dict.fromkeys(PERSONAS, value)


def signed_in(value: Any, anonymous: Any = LOGIN) -> dict[str, Any]:
    return {**dict.fromkeys(SIGNED_IN, value), "anonymous": anonymous}


def only(allowed: tuple[str, ...], value: Any = 200, others: Any = 404) -> dict[str, Any]:
    return {**signed_in(others), **dict.fromkeys(allowed, value)}


@dataclass
class Row:
    kwargs: Callable[[World], dict[str, Any]] = lambda w: {}
    get: dict[str, Any] = field(default_factory=dict)
    post: dict[str, Any] | None = None  # None: the URL does not take POST


def _access_request(w: World) -> Any:
    from opencers.organizations.services import access_request_create

    return access_request_create(
        user=w.users["other_business"], facility=w.facility, phone="916-555-0100", title="EHS manager"
    )


def _email_to_lead(w: World) -> Any:
    from opencers.notifications.models import EmailMessage

    return EmailMessage.objects.filter(to_address=w.users["lead"].email).first()


def _viewer_membership(w: World) -> Any:
    return w.organization.memberships.get(user=w.users["viewer"])


def _invitation(w: World) -> Any:
    from opencers.organizations.services import invitation_create

    return invitation_create(
        organization=w.organization, actor=w.users["lead"], email="new.person@example.com", group="editor"
    )


def _regulator_viewer_membership(w: World) -> Any:
    return w.sac.memberships.get(user=w.users["regulator_viewer"])


ORG = lambda w: {"code": w.organization.code}  # noqa: E731
FACILITY = lambda w: {"cers_id": w.facility.cers_id}  # noqa: E731
SAC = lambda w: {"code": w.sac.code}  # noqa: E731

MFA_USERS_REDIRECT = {**signed_in(200), **dict.fromkeys(AGENCY, 302)}
ORG_MANAGERS = ("lead",)
FACILITY_VIEWERS = (*BUSINESS_MEMBERS, "regulator", "regulator_viewer", *STATE)
SAC_STAFF = ("regulator", "regulator_viewer", *STATE)
SAC_ADMINS = ("regulator", "state_admin")
SAC_REVIEWERS = ("regulator",)  # only the agency's own staff review; state staff do not

MATRIX: dict[str, Row] = {
    # --- public, accounts, operations
    "web:home": Row(get=everyone(200)),
    "web:healthz": Row(get=everyone(200)),
    "web:set_language": Row(get=everyone(302), post=everyone(OK)),
    "web:signup": Row(get=signed_in(302, anonymous=200), post=everyone(OK)),
    "web:signup_done": Row(get=everyone(200)),
    "web:activation_resend": Row(get=everyone(200), post=everyone(OK)),
    "web:activate": Row(kwargs=lambda w: {"token": "no-such-token"}, get=everyone(200), post=everyone(OK)),
    "web:login": Row(get=signed_in(302, anonymous=200), post=everyone(OK)),
    "web:login_mfa": Row(get=everyone(LOGIN), post=everyone(LOGIN)),
    "web:logout": Row(get=everyone(405), post=everyone(OK)),
    "web:password_reset": Row(get=everyone(200), post=everyone(OK)),
    "web:password_reset_confirm": Row(
        kwargs=lambda w: {"token": "no-such-token"}, get=everyone(400), post=everyone(OK)
    ),
    "web:dashboard": Row(get=signed_in(302)),
    "web:account": Row(get=signed_in(200), post=signed_in(OK)),
    "web:reauth": Row(get=signed_in(200), post=signed_in(OK)),
    "web:password_change": Row(get=signed_in(200), post=signed_in(OK)),
    "web:email_change": Row(get=signed_in(200), post=signed_in(OK)),
    "web:email_change_confirm": Row(
        kwargs=lambda w: {"token": "no-such-token"}, get=everyone(200), post=everyone(OK)
    ),
    "web:mfa_setup": Row(get={**MFA_USERS_REDIRECT, "anonymous": LOGIN}, post=signed_in(OK)),
    "web:mfa_disable": Row(get=signed_in(405), post=signed_in(OK)),
    "web:mfa_recovery_codes": Row(get=signed_in(405), post={**signed_in(404), **dict.fromkeys(AGENCY, OK)}),
    "web:email_history": Row(get=signed_in(200)),
    "web:email_detail": Row(kwargs=lambda w: {"public_id": _email_to_lead(w).public_id}, get=only(("lead",))),
    "web:notifications": Row(get=signed_in(200), post=signed_in(OK)),
    "web:access_request": Row(
        kwargs=lambda w: {"public_id": _access_request(w).public_id},
        get=only(("lead",)),
        post=only(("lead",), OK),
    ),
    "web:invitation": Row(kwargs=lambda w: {"token": "no-such-token"}, get=everyone(400), post=everyone(OK)),
    "web:outbox": Row(get=everyone(200)),
    "web:outbox_detail": Row(kwargs=lambda w: {"public_id": _email_to_lead(w).public_id}, get=everyone(200)),
    # --- business portal
    "business:dashboard": Row(get=signed_in(200)),
    "business:organization": Row(kwargs=ORG, get=only((*BUSINESS_MEMBERS, *STATE))),
    "business:organization_edit": Row(kwargs=ORG, get=only(ORG_MANAGERS), post=only(ORG_MANAGERS, OK)),
    "business:people": Row(kwargs=ORG, get=only(ORG_MANAGERS), post=only(ORG_MANAGERS, OK)),
    "business:person_group": Row(
        kwargs=lambda w: {**ORG(w), "public_id": _viewer_membership(w).public_id},
        get=signed_in(405),
        post=only(ORG_MANAGERS, OK),
    ),
    "business:person_remove": Row(
        kwargs=lambda w: {**ORG(w), "public_id": _viewer_membership(w).public_id},
        get=signed_in(405),
        post=only(ORG_MANAGERS, OK),
    ),
    "business:invitation_revoke": Row(
        kwargs=lambda w: {**ORG(w), "public_id": _invitation(w).public_id},
        get=signed_in(405),
        post=only(ORG_MANAGERS, OK),
    ),
    "business:organization_audit": Row(kwargs=ORG, get=only(ORG_MANAGERS)),
    "business:facility_add": Row(get=signed_in(200), post=signed_in(OK)),
    "business:facility_add_confirm": Row(get=signed_in(302), post=signed_in(OK)),
    "business:facility_search": Row(get=signed_in(200)),
    "business:facility": Row(kwargs=FACILITY, get=only(FACILITY_VIEWERS)),
    "business:facility_request_access": Row(
        kwargs=FACILITY,
        get={**signed_in(200), **dict.fromkeys(FACILITY_VIEWERS, 302)},
        post=signed_in(OK),
    ),
    "business:access_request_cancel": Row(
        kwargs=lambda w: {"public_id": _access_request(w).public_id},
        get=signed_in(405),
        post=only(("other_business",), OK),
    ),
    # --- regulator portal
    "regulator:dashboard": Row(get={**only(AGENCY, 302), **dict.fromkeys(STATE, 200)}),
    "regulator:state_regulators": Row(get=only(STATE)),
    "regulator:home": Row(kwargs=SAC, get=only(SAC_STAFF)),
    "regulator:facilities": Row(kwargs=SAC, get=only(SAC_STAFF)),
    "regulator:facility": Row(kwargs=lambda w: {**SAC(w), **FACILITY(w)}, get=only(SAC_STAFF)),
    "regulator:staff": Row(kwargs=SAC, get=only(SAC_ADMINS), post=only(SAC_ADMINS, OK)),
    "regulator:staff_role": Row(
        kwargs=lambda w: {**SAC(w), "public_id": _regulator_viewer_membership(w).public_id},
        get=signed_in(405),
        post=only(SAC_ADMINS, OK),
    ),
    "regulator:staff_remove": Row(
        kwargs=lambda w: {**SAC(w), "public_id": _regulator_viewer_membership(w).public_id},
        get=signed_in(405),
        post=only(SAC_ADMINS, OK),
    ),
    "regulator:audit": Row(kwargs=SAC, get=only(SAC_STAFF)),
}


def _url_names(resolver: URLResolver | None = None, namespace: str = "") -> list[tuple[str, Any]]:
    resolver = resolver or get_resolver()
    names = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names.extend(_url_names(pattern, inner))
        elif isinstance(pattern, URLPattern):
            names.append((f"{namespace}{pattern.name}", pattern.callback))
    return names


def test_every_url_has_a_row_and_a_declared_permission():
    missing_rows, undeclared = [], []
    for name, callback in _url_names():
        if name not in MATRIX:
            missing_rows.append(name)
        permission = view_permission(callback)
        if permission not in PERMISSIONS:
            undeclared.append(f"{name} ({permission})")
    assert missing_rows == [], "URLs without a row in the authorization matrix"
    assert undeclared == [], "views without a declared permission"


def test_matrix_has_no_stale_rows():
    assert sorted(set(MATRIX) - {name for name, _ in _url_names()}) == []


def _fingerprint() -> str:
    """A digest of the tables a write could touch (timestamps of sessions excluded)."""
    tables = [
        "core_auditevent",
        "accounts_user",
        "accounts_totpdevice",
        "accounts_recoverycode",
        "organizations_organization",
        "organizations_facility",
        "organizations_membership",
        "organizations_accessrequest",
        "organizations_invitation",
        "regulators_regulatormembership",
        "notifications_emailmessage",
    ]
    digest = hashlib.sha256()
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {table} ORDER BY 1")  # noqa: S608 (fixed table names)
            for row in cursor.fetchall():
                digest.update(
                    repr([v for v in row if not hasattr(v, "tzinfo") or table != "accounts_user"]).encode()
                )
    return digest.hexdigest()


def _outcome(response: Any) -> Any:
    if response.status_code == 302 and reverse("web:login") in response["Location"].split("?")[0]:
        return LOGIN
    return response.status_code


def _cases(kind: str) -> list[Any]:
    cases = []
    for name, row in MATRIX.items():
        expectations = row.get if kind == "get" else row.post
        for persona, expected in (expectations or {}).items():
            cases.append(pytest.param(name, persona, expected, id=f"{name}-{persona}"))
    return cases


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrize once the whole module (with every ``MATRIX.update`` block) has been read."""
    if metafunc.function.__name__ in ("test_get", "test_post"):
        metafunc.parametrize(
            ("name", "persona", "expected"), _cases(metafunc.function.__name__.removeprefix("test_"))
        )
    elif metafunc.function.__name__ == "test_csrf_is_enforced_on_every_post":
        metafunc.parametrize("name", [name for name, row in MATRIX.items() if row.post])


def test_get(world: World, name: str, persona: str, expected: Any) -> None:
    url = reverse(name, kwargs=MATRIX[name].kwargs(world))
    response = world.client_for(persona).get(url)
    assert _outcome(response) == expected


def test_post(world: World, name: str, persona: str, expected: Any) -> None:
    url = reverse(name, kwargs=MATRIX[name].kwargs(world))
    client = world.client_for(persona)
    before = _fingerprint()
    response = client.post(url, {})
    outcome = _outcome(response)
    if expected == OK:
        assert outcome not in (*DENIED, 403, 405), f"{persona} was refused: {outcome}"
    else:
        assert outcome == expected
        assert _fingerprint() == before, "a refused write changed data"


def test_csrf_is_enforced_on_every_post(world: World, name: str) -> None:
    row = MATRIX[name]
    assert row.post is not None
    persona = next((p for p, e in row.post.items() if e == OK and p != "anonymous"), "anonymous")
    url = reverse(name, kwargs=row.kwargs(world))
    client = world.client_for(persona, enforce_csrf_checks=True)
    before = _fingerprint()
    response = client.post(url, {})
    assert response.status_code == 403
    assert _fingerprint() == before


def test_outbox_is_hidden_outside_development(world: World, settings: Any) -> None:
    settings.DEV_OUTBOX = False
    assert world.client_for("lead").get(reverse("web:outbox")).status_code == 404
    assert world.client_for("anonymous").get(reverse("web:outbox")).status_code == 404


# --- business: submittals (element pages, versions, submit) and regulator: review ----------------------


def _submitted_facility_information(w: World) -> Any:
    from opencers.core.elements import Element
    from opencers.submittals.services import facility_submit
    from opencers.submittals.tests.factories import complete_facility_info

    complete_facility_info(w.facility, w.users["lead"])
    facility_submit(
        facility=w.facility,
        actor=w.users["lead"],
        element_codes=[Element.FACILITY_INFORMATION],
        signer_name="Lena Lead",
        signer_title="Owner",
    )
    return w.facility.elements.get(element=Element.FACILITY_INFORMATION)


def _draft_facility_information(w: World) -> Any:
    from opencers.submittals.tests.factories import complete_facility_info

    return complete_facility_info(w.facility, w.users["lead"])


FI = lambda w: {"cers_id": w.facility.cers_id, "slug": "facility-information"}  # noqa: E731
BUSINESS_EDITORS = ("lead", "approver", "editor")
BUSINESS_SUBMITTERS = ("lead", "approver")

MATRIX.update(
    {
        "business:submit": Row(
            kwargs=FACILITY, get=only(BUSINESS_SUBMITTERS), post=only(BUSINESS_SUBMITTERS, OK)
        ),
        "business:element": Row(kwargs=FI, get=only(FACILITY_VIEWERS)),
        "business:element_start": Row(kwargs=FI, get=signed_in(405), post=only(BUSINESS_EDITORS, OK)),
        "business:element_discard": Row(
            kwargs=lambda w: (_draft_facility_information(w), FI(w))[1],
            get=signed_in(405),
            post=only(BUSINESS_EDITORS, OK),
        ),
        "business:element_not_applicable": Row(
            kwargs=FI, get=only(BUSINESS_EDITORS), post=only(BUSINESS_EDITORS, OK)
        ),
        "business:element_version": Row(
            kwargs=lambda w: {
                "cers_id": w.facility.cers_id,
                "public_id": _submitted_facility_information(w).public_id,
            },
            get=only(FACILITY_VIEWERS),
        ),
        "regulator:queue": Row(kwargs=SAC, get=only(SAC_STAFF), post=only(SAC_REVIEWERS, OK)),
        "regulator:element": Row(
            kwargs=lambda w: {**SAC(w), "public_id": _submitted_facility_information(w).public_id},
            get=only(SAC_STAFF),
        ),
        "regulator:element_action": Row(
            kwargs=lambda w: {**SAC(w), "public_id": _submitted_facility_information(w).public_id},
            get=signed_in(405),
            post=only(SAC_REVIEWERS, OK),
        ),
        "regulator:settings": Row(kwargs=SAC, get=only(SAC_ADMINS), post=only(SAC_ADMINS, OK)),
    }
)


def test_a_draft_is_never_shown_to_a_regulator(world: World) -> None:
    draft = _draft_facility_information(world)
    url = reverse(
        "business:element_version", kwargs={"cers_id": world.facility.cers_id, "public_id": draft.public_id}
    )
    for persona in ("regulator", "regulator_viewer", "state_admin", "state_viewer", "other_business"):
        assert world.client_for(persona).get(url).status_code == 404
    assert world.client_for("viewer").get(url).status_code == 200


# --- business: facility information (the element's own pages) -------------------------------------------

FACILITY_WITH_FI_DRAFT = lambda w: (_draft_facility_information(w), FACILITY(w))[1]  # noqa: E731

MATRIX.update(
    {
        # The overview shows the draft: members of the business only. POST starts the draft (editors).
        "business:facility_info": Row(
            kwargs=FACILITY, get=only(BUSINESS_MEMBERS), post=only(BUSINESS_EDITORS, OK)
        ),
        "business:facility_info_activities": Row(
            kwargs=FACILITY_WITH_FI_DRAFT, get=only(BUSINESS_EDITORS), post=only(BUSINESS_EDITORS, OK)
        ),
        "business:facility_info_owner": Row(
            kwargs=FACILITY_WITH_FI_DRAFT, get=only(BUSINESS_EDITORS), post=only(BUSINESS_EDITORS, OK)
        ),
    }
)


# --- business: inventory (the draft's materials, the material form, library search, statement) ---------

INVENTORY_MEMBERS = ("lead", "approver", "editor", "viewer")
INVENTORY_EDITORS = ("lead", "approver", "editor")


def _inventory_draft(w: World) -> Any:
    from opencers.core.elements import Element
    from opencers.submittals.services import draft_get_or_create

    inventory = Element.HAZARDOUS_MATERIALS_INVENTORY
    return draft_get_or_create(facility=w.facility, element=inventory, actor=w.users["lead"])


def _inventory_item(w: World) -> dict[str, Any]:
    from opencers.submittals.tests.factories import add_material

    return {"cers_id": w.facility.cers_id, "public_id": add_material(_inventory_draft(w)).public_id}


INVENTORY_WITH_DRAFT = lambda w: (_inventory_draft(w), {"cers_id": w.facility.cers_id})[1]  # noqa: E731

MATRIX.update(
    {
        # The draft is shown to the business's own people only; regulators and the state get 404.
        "business:inventory": Row(kwargs=FACILITY, get=only(INVENTORY_MEMBERS)),
        "business:inventory_statement": Row(kwargs=INVENTORY_WITH_DRAFT, get=only(INVENTORY_MEMBERS)),
        "business:inventory_start": Row(
            kwargs=FACILITY, get=signed_in(405), post=only(INVENTORY_EDITORS, OK)
        ),
        "business:inventory_item_add": Row(
            kwargs=INVENTORY_WITH_DRAFT, get=only(INVENTORY_EDITORS), post=only(INVENTORY_EDITORS, OK)
        ),
        "business:inventory_item_edit": Row(
            kwargs=_inventory_item, get=only(INVENTORY_EDITORS), post=only(INVENTORY_EDITORS, OK)
        ),
        "business:inventory_item_copy": Row(
            kwargs=_inventory_item, get=signed_in(405), post=only(INVENTORY_EDITORS, OK)
        ),
        "business:inventory_item_delete": Row(
            kwargs=_inventory_item, get=signed_in(405), post=only(INVENTORY_EDITORS, OK)
        ),
        "business:chemical_search": Row(kwargs=INVENTORY_WITH_DRAFT, get=only(INVENTORY_EDITORS)),
    }
)


# --- business: documents and plans; regulator: documents ---------------------------------------------------


@pytest.fixture(autouse=True)
def _documents_in_temporary_storage(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Files uploaded by the rows below go to a temporary directory, never to var/media."""
    root = tmp_path_factory.getbasetemp() / "matrix-media"
    settings.MEDIA_ROOT = str(root)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }


def _submitted_plan_file(w: World) -> Any:
    from opencers.documents.tests.factories import first_file, submitted_plans

    return first_file(submitted_plans(w.facility, w.users["lead"]))


PLAN_SLOT = lambda w: {  # noqa: E731
    "cers_id": w.facility.cers_id,
    "slug": "emergency-response-plans",
    "slot": "emergency_response_plan",
}

MATRIX.update(
    {
        # The plans page shows the draft to members of the business; POST starts the draft (editors).
        "business:plans": Row(kwargs=FACILITY, get=only(BUSINESS_MEMBERS), post=only(BUSINESS_EDITORS, OK)),
        "business:document_slot": Row(
            kwargs=PLAN_SLOT, get=only(BUSINESS_EDITORS), post=only(BUSINESS_EDITORS, OK)
        ),
        # A file of a submitted version: the business and the facility's regulators (and the state).
        "business:document_download": Row(
            kwargs=lambda w: {**FACILITY(w), "public_id": _submitted_plan_file(w).public_id},
            get=only(FACILITY_VIEWERS),
        ),
        "regulator:document_download": Row(
            kwargs=lambda w: {**SAC(w), "public_id": _submitted_plan_file(w).public_id}, get=only(SAC_STAFF)
        ),
    }
)


def test_the_regulators_activity_log_never_shows_draft_edits(world: World) -> None:
    from opencers.core.elements import Element
    from opencers.elements.inventory.services import inventory_item_save
    from opencers.submittals.services import draft_get_or_create

    draft = draft_get_or_create(
        facility=world.facility, element=Element.HAZARDOUS_MATERIALS_INVENTORY, actor=world.users["lead"]
    )
    inventory_item_save(
        draft=draft,
        actor=world.users["lead"],
        data={
            "CommonName": "Secret solvent",
            "EHS": "N",
            "PhysicalState": "b",
            "MaximumDailyAmount": "100",
            "Units": "a",
            "ChemicalLocation": "Back room",
        },
    )
    lead_page = (
        world.client_for("lead")
        .get(reverse("business:organization_audit", kwargs=ORG(world)))
        .content.decode()
    )
    regulator_page = (
        world.client_for("regulator").get(reverse("regulator:audit", kwargs=SAC(world))).content.decode()
    )
    assert "Secret solvent" in lead_page
    assert "Secret solvent" not in regulator_page
    assert "element.draft_created" not in regulator_page


# --- business: inventory Tier II view (the draft's federal Tier II summary) -----------------------------

MATRIX.update(
    {
        # The draft is shown to the business's own people only; regulators and the state get 404.
        "business:inventory_tier2": Row(kwargs=INVENTORY_WITH_DRAFT, get=only(INVENTORY_MEMBERS)),
    }
)


# --- exchange: EDT query services (libraries, authentication test, regulator queries) --------------------
# The personas have no bearer token: every EDT query answers 401 to all of them, signed in or not (tokens,
# scopes and jurisdictions are tested in opencers/exchange/tests/test_edt_query_*.py). GET only.

EDT_SAMPLE_KEY = "0fefde8d-cd3e-4761-80f3-a520a58c5fba"
EDT_QUERY_URLS: dict[str, Callable[[World], dict[str, Any]]] = {
    "exchange:edt_authentication_test": lambda w: {},
    "exchange:edt_violation_library": lambda w: {},
    "exchange:edt_chemical_library": lambda w: {},
    "exchange:edt_chemical": lambda w: {"identifier": "7664-93-9"},
    "exchange:edt_data_dictionary": lambda w: {},
    "exchange:edt_facility_submittal_query": lambda w: {},
    "exchange:edt_facility_submittal_document": lambda w: {"key_text": EDT_SAMPLE_KEY},
    "exchange:edt_facility_query": lambda w: {},
    "exchange:edt_organization_query": lambda w: {},
    "exchange:edt_facility_transfer_query": lambda w: {},
}
MATRIX.update({name: Row(kwargs=kwargs, get=everyone(401)) for name, kwargs in EDT_QUERY_URLS.items()})


# --- business: API tokens and clients; exchange: the JSON API (/api/v1/) ----------------------------------
# The personas have no bearer token: every API endpoint answers 401 to all of them, signed in or not, on
# every method (tokens, scopes, tenants and writes are tested in opencers/exchange/tests/test_api_*.py). The
# schema and the documentation page are public; any other path under /api/v1/ is a JSON 404.


def _lead_personal_token(w: World) -> Any:
    from opencers.accounts.api_clients import personal_token_create

    client, _token = personal_token_create(user=w.users["lead"], name="script", scopes=["business:read"])
    return client.public_id


def _organization_api_client(w: World) -> Any:
    from opencers.accounts.api_clients import organization_client_create

    client, _token = organization_client_create(
        organization=w.organization, actor=w.users["lead"], name="ERP", scopes=["business:read"]
    )
    return client.public_id


MATRIX.update(
    {
        "business:api_tokens": Row(get=signed_in(200), post=signed_in(OK)),
        "business:api_token_revoke": Row(
            kwargs=lambda w: {"public_id": _lead_personal_token(w)},
            get=signed_in(405),
            post=only(("lead",), OK),
        ),
        "business:api_clients": Row(kwargs=ORG, get=only(ORG_MANAGERS), post=only(ORG_MANAGERS, OK)),
        "business:api_client_revoke": Row(
            kwargs=lambda w: {**ORG(w), "public_id": _organization_api_client(w)},
            get=signed_in(405),
            post=only(ORG_MANAGERS, OK),
        ),
        "exchange:api:schema": Row(get=everyone(200)),
        "exchange:api:docs": Row(get=everyone(200)),
        "exchange:api:not_found": Row(get=everyone(404)),
    }
)

_API_UUID = "6f1c2b9e-3d4a-4e5f-8a7b-1c2d3e4f5a6b"
API_FACILITY = lambda w: {"cers_id": w.facility.cers_id}  # noqa: E731
API_ELEMENT = lambda w: {"cers_id": w.facility.cers_id, "slug": "inventory"}  # noqa: E731
API_SLOT = lambda w: {**API_ELEMENT(w), "slot": "site_map"}  # noqa: E731
API_SAC = lambda w: {"code": w.sac.code}  # noqa: E731
API_URLS: dict[str, tuple[Callable[[World], dict[str, Any]], tuple[str, ...]]] = {
    # name: (kwargs, the methods that write)
    "exchange:api:facilities": (lambda w: {}, ()),
    "exchange:api:facility": (API_FACILITY, ()),
    "exchange:api:submittals": (API_FACILITY, ("post",)),
    "exchange:api:version": (lambda w: {**API_FACILITY(w), "version_id": _API_UUID}, ()),
    "exchange:api:business_activities": (API_FACILITY, ("patch",)),
    "exchange:api:owner_operator": (API_FACILITY, ("patch",)),
    "exchange:api:inventory_rows": (API_FACILITY, ("post", "put")),
    "exchange:api:inventory_row": (lambda w: {**API_FACILITY(w), "row_id": _API_UUID}, ("patch", "delete")),
    "exchange:api:element": (API_ELEMENT, ()),
    "exchange:api:draft": (API_ELEMENT, ("post", "patch", "delete")),
    "exchange:api:draft_guidance": (API_ELEMENT, ()),
    "exchange:api:draft_documents": (API_ELEMENT, ()),
    "exchange:api:draft_document": (API_SLOT, ("put",)),
    "exchange:api:draft_document_files": (API_SLOT, ("post",)),
    "exchange:api:draft_document_file": (lambda w: {**API_SLOT(w), "file_id": _API_UUID}, ("delete",)),
    "exchange:api:regulators": (lambda w: {}, ()),
    "exchange:api:queue": (API_SAC, ()),
    "exchange:api:regulator_facilities": (API_SAC, ()),
    "exchange:api:regulator_facility": (lambda w: {**API_SAC(w), **API_FACILITY(w)}, ()),
    "exchange:api:regulator_submittal": (lambda w: {**API_SAC(w), "element_id": _API_UUID}, ()),
    "exchange:api:regulator_action": (lambda w: {**API_SAC(w), "element_id": _API_UUID}, ("post",)),
}
MATRIX.update({name: Row(kwargs=kwargs, get=everyone(401)) for name, (kwargs, _writes) in API_URLS.items()})


@pytest.mark.parametrize(
    ("name", "method"),
    [(name, method) for name, (_kwargs, writes) in API_URLS.items() for method in writes],
)
def test_api_writes_answer_401_to_every_persona(world: World, name: str, method: str) -> None:
    """A session is no API credential: without a bearer token every write is refused with 401 (never a CSRF
    403, never a change)."""
    kwargs, _writes = API_URLS[name]
    url = reverse(name, kwargs=kwargs(world))
    for persona in PERSONAS:
        client = world.client_for(persona)
        before = _fingerprint()
        response = getattr(client, method)(url, data="{}", content_type="application/json")
        assert response.status_code == 401, f"{persona}: {response.status_code}"
        assert response["WWW-Authenticate"] == 'Bearer realm="OpenCERS"'
        assert _fingerprint() == before


# --- business: Tier II file (export of a facility or an organization; import into the draft inventory) ---
# An export may hold the draft and confidential locations: the business's own people only (regulators and
# the state get 404). Importing writes the draft inventory: editors and up.

MATRIX.update(
    {
        "business:tier2_export": Row(kwargs=FACILITY, get=only(INVENTORY_MEMBERS)),
        "business:tier2_import": Row(
            kwargs=FACILITY, get=only(INVENTORY_EDITORS), post=only(INVENTORY_EDITORS, OK)
        ),
        "business:organization_tier2": Row(kwargs=ORG, get=only(BUSINESS_MEMBERS)),
    }
)


# --- exchange: EDT write services; regulator: data exchange pages (clients, log, reporting channel) --------
# The personas have no bearer token: the EDT write services answer 401 to all of them, signed in or not, on
# GET and on POST (tokens, scopes, jurisdictions and the documents are tested in
# opencers/edt/tests/test_edt_write_*.py). The regulator pages follow the portal's rules.


def _sac_api_client(w: World) -> Any:
    from opencers.accounts.api_clients import agency_client_create

    client, _token = agency_client_create(
        regulator=w.sac, actor=w.users["regulator"], name="County system", scopes=["query"]
    )
    return client.public_id


EDT_WRITE_URLS = (
    "exchange:edt_action_notification",
    "exchange:edt_facility_create",
    "exchange:edt_facility_submittal",
)
MATRIX.update({name: Row(get=everyone(401)) for name in EDT_WRITE_URLS})
MATRIX.update(
    {
        "regulator:exchange_log": Row(kwargs=SAC, get=only(SAC_STAFF)),
        "regulator:api_clients": Row(kwargs=SAC, get=only(SAC_ADMINS), post=only(SAC_ADMINS, OK)),
        "regulator:api_client_revoke": Row(
            kwargs=lambda w: {**SAC(w), "public_id": _sac_api_client(w)},
            get=signed_in(405),
            post=only(SAC_ADMINS, OK),
        ),
        "regulator:facility_channel": Row(
            kwargs=lambda w: {**SAC(w), **FACILITY(w)}, get=only(SAC_ADMINS), post=only(SAC_ADMINS, OK)
        ),
    }
)


@pytest.mark.parametrize("name", EDT_WRITE_URLS)
def test_edt_writes_answer_401_to_every_persona(world: World, name: str) -> None:
    """A session is no exchange credential: without a bearer token a POST is refused with 401 (never a CSRF
    403, never a change)."""
    url = reverse(name)
    for persona in PERSONAS:
        client = world.client_for(persona)
        before = _fingerprint()
        response = client.post(url, data=b"<x/>", content_type="application/xml")
        assert response.status_code == 401, f"{persona}: {response.status_code}"
        assert response["WWW-Authenticate"] == 'Bearer realm="OpenCERS"'
        assert _fingerprint() == before
