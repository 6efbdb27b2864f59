from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from awas.asn import services
from awas.asn.models import PersonKind
from awas.regions.models import Region


class DryRun(Exception):
    """Raised inside the transaction to undo a checked import."""


class Command(BaseCommand):
    help = (
        "The ASN register. Examples: 'awas asn import daftar.xlsx --kabupaten 35.07' (check only), the "
        "same with --for-real to store it; 'awas asn catalogue' (reload the SKB 2022 catalogue from its "
        "data file)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        roster = sub.add_parser(
            "import", help="check (and with --for-real, store) a roster file, .xlsx or .csv"
        )
        roster.add_argument("file", type=Path)
        roster.add_argument(
            "--kabupaten", required=True, help="Kemendagri code of the kabupaten/kota, e.g. 35.07"
        )
        roster.add_argument(
            "--kind", choices=PersonKind.values, default=PersonKind.ASN, help="rows without 'jenis'"
        )
        roster.add_argument("--for-real", action="store_true", help="store the rows; the default only checks")
        sub.add_parser("catalogue", help="make the SKB 2022 catalogue match awas/asn/data/skb2022.yaml")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"handle_{options['action']}")(**options)

    def handle_catalogue(self, **_: Any) -> None:
        created, updated = services.catalogue_load()
        self.stdout.write(f"SKB 2022 catalogue: {created} added, {updated} updated")

    def handle_import(self, file: Path, kabupaten: str, kind: str, for_real: bool, **_: Any) -> None:
        region = Region.objects.filter(code=kabupaten).first()
        if region is None:
            raise CommandError(f"no region {kabupaten}: load it first with 'awas regions load {kabupaten}'")
        data = file.read_bytes()
        try:
            with transaction.atomic():
                result = services.roster_import(
                    data=data, file_name=file.name, actor=None, kabupaten=region, default_kind=kind
                )
                if result.ok and not for_real:
                    raise DryRun
        except DryRun:
            self.stdout.write(
                f"{result.rows} rows are valid ({result.created} new, {result.updated} registered). "
                "This was a check: pass --for-real to store them."
            )
            return
        if not result.ok:
            for error in result.errors:
                self.stderr.write(f"line {error.line}: {error.message}" if error.line else error.message)
            raise CommandError(f"{len(result.errors)} problem(s); nothing was stored")
        self.stdout.write(f"{result.created} added, {result.updated} updated")
