from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from awas.core.progress import progress_factory
from awas.regions import services
from awas.regions.models import Region


class Command(BaseCommand):
    help = (
        "Kemendagri regions. Examples: 'awas regions load 35.07' (Kabupaten Malang with its kecamatan and "
        "desa), 'awas regions list 35.07.10', 'awas regions boundaries kecamatan.geojson'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="load a region, its parents and everything below it")
        load.add_argument("code", help="Kemendagri code, dotted or not: 35.07, 3507, 35.73")
        listing = sub.add_parser("list", help="the regions directly below CODE, one a line: code and name")
        listing.add_argument("code")
        listing.add_argument("--all", action="store_true", help="every level below, not just the next")
        bounds = sub.add_parser("boundaries", help="attach GeoJSON polygons to loaded regions by code")
        bounds.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"handle_{options['action']}")(**options)
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc

    def handle_load(self, code: str, **_: Any) -> None:
        result = services.regions_load(code, progress=progress_factory("regions"))
        root = Region.objects.get(code=result.root)
        below = Region.objects.under(root.code)
        kecamatan, desa = below.filter(level=3).count(), below.filter(level=4).count()
        self.stdout.write(
            self.style.SUCCESS(
                f"{root.display_name} ({root.code}): {result.created} regions added, "
                f"{result.updated} renamed; {kecamatan} kecamatan, {desa} desa/kelurahan."
            )
        )

    def handle_list(self, code: str, all: bool = False, **_: Any) -> None:
        entry = services.lookup(code)
        rows: list[tuple[str, str]] = []
        # A fresh data folder has no tables yet; the registry still answers.
        if Region._meta.db_table in connection.introspection.table_names():
            loaded = Region.objects.under(entry.code).exclude(code=entry.code)
            if not all:
                loaded = loaded.filter(parent_id=entry.code)
            rows = list(loaded.values_list("code", "name"))
        if not rows:
            # Not loaded yet: answer from the registry so the operator can choose what to load.
            depth = entry.code.count(".") + 1
            rows = [
                (c, n)
                for c, n in services.registry().items()
                if c.startswith(entry.code + ".") and (all or c.count(".") == depth)
            ]
        for row_code, name in rows:
            self.stdout.write(f"{row_code}\t{name}")

    def handle_boundaries(self, file: Path, **_: Any) -> None:
        if not file.exists():
            raise CommandError(f"No such file: {file}")
        result = services.regions_attach_boundaries(file, progress=progress_factory("boundaries"))
        self.stdout.write(self.style.SUCCESS(f"{result.matched} regions now have a boundary."))
        if result.unmatched_features:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(result.unmatched_features)} features match no loaded region: "
                    + ", ".join(result.unmatched_features[:20])
                )
            )
        if result.regions_without_boundary:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(result.regions_without_boundary)} regions still have no boundary: "
                    + ", ".join(result.regions_without_boundary[:20])
                )
            )
