from __future__ import annotations

import getpass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from awas.core.roles import Role
from awas.core.services.users import user_create
from awas.regions.models import Region
from awas.regions.services import lookup


class Command(BaseCommand):
    help = "Create an administrator account scoped to a kabupaten/kota (e.g. awas createadmin admin 35.07)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("scope", help="Kemendagri code of the office's kabupaten/kota, e.g. 35.07")
        parser.add_argument("--email", default="")
        parser.add_argument("--password", help="read from the terminal when omitted")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            entry = lookup(options["scope"])  # dotted or not; an unknown code names the closest ones
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        region = Region.objects.filter(code=entry.code).first()
        if region is None:
            raise CommandError(
                f"Region {entry.code} ({entry.name}) is not loaded. Run: awas regions load {entry.code}"
            )
        password = options["password"] or getpass.getpass("Password: ")
        try:
            user_create(
                username=options["username"],
                password=password,
                role=Role.ADMIN,
                scope_region=region,
                email=options["email"],
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"Administrator {options['username']} created for {region}."))
