"""``manage.py edt_client create --regulator CODE --scopes query,action [--name N] [--expires-days D]``
prints the new token once; ``edt_client list --regulator CODE``; ``edt_client revoke PREFIX_OR_ID``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from opencers.accounts.api_clients import AGENCY_SCOPES, agency_client_create, api_client_revoke
from opencers.accounts.models import ApiClient
from opencers.core.errors import DomainError
from opencers.regulators.models import Regulator


class Command(BaseCommand):
    help = "Manage a regulator's data exchange clients (hashed, expiring, revocable bearer tokens)."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create")
        create.add_argument("--regulator", type=int, required=True, help="regulator code, e.g. 1500")
        create.add_argument("--scopes", required=True, help=f"comma-separated: {', '.join(AGENCY_SCOPES)}")
        create.add_argument("--name", default="Regulator system")
        create.add_argument("--expires-days", type=int, default=365)
        listing = sub.add_parser("list")
        listing.add_argument("--regulator", type=int, required=True)
        revoke = sub.add_parser("revoke")
        revoke.add_argument("client", help="the token prefix (e.g. oc_AbCdEfG) or the client's id")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            if action == "create":
                regulator = self._regulator(options["regulator"])
                client, token = agency_client_create(
                    regulator=regulator,
                    actor=None,
                    name=options["name"],
                    scopes=[s.strip() for s in options["scopes"].split(",") if s.strip()],
                    expires_in_days=options["expires_days"],
                )
                self.stdout.write(
                    f"client {client.public_id} for {regulator}, scopes {', '.join(client.scopes)}, "
                    f"expires {client.expires_at:%Y-%m-%d}"
                )
                self.stdout.write("token (shown once, store it now):")
                self.stdout.write(token)
            elif action == "list":
                regulator = self._regulator(options["regulator"])
                for client in ApiClient.objects.filter(regulator=regulator):
                    state = "revoked" if client.revoked_at else f"expires {client.expires_at:%Y-%m-%d}"
                    self.stdout.write(
                        f"{client.public_id}  {client.token_prefix}…  {client.name}  [{', '.join(client.scopes)}]  {state}"
                    )
            else:
                key = options["client"]
                client = (
                    ApiClient.objects.filter(token_prefix=key).first()
                    or ApiClient.objects.filter(public_id=key if len(key) == 36 else None).first()
                )
                if client is None:
                    raise CommandError(f"No client {key}.")
                api_client_revoke(client=client, actor=None)
                self.stdout.write(f"revoked {client}")
        except DomainError as error:
            raise CommandError(error.message) from error

    def _regulator(self, code: int) -> Regulator:
        regulator = Regulator.objects.filter(code=code).first()
        if regulator is None:
            raise CommandError(f"No regulator with code {code}.")
        return regulator
