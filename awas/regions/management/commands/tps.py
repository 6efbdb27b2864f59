from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from awas.core.progress import progress_factory
from awas.regions import services


class Command(BaseCommand):
    help = "TPS. 'awas tps import FILE.csv' (columns kode_desa, nomor_tps, alamat, dpt); all rows or none."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import TPS from a CSV file")
        imp.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        file: Path = options["file"]
        if not file.exists():
            raise CommandError(f"No such file: {file}")
        try:
            count = services.tps_import_csv(file.read_bytes(), progress=progress_factory("tps"))
        except ValidationError as exc:
            raise CommandError("Nothing imported:\n" + "\n".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"{count} TPS imported."))
