from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from awas.core.progress import progress_factory
from awas.ops.services import backup_create


class Command(BaseCommand):
    help = "Back up the database and every evidence file into one .tar.gz (awas backup FILE)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        manifest = backup_create(options["file"], progress=progress_factory("backup"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {options['file']}: {manifest['audit_entries']} audit entries, "
                f"{manifest['evidence_files']} evidence files, {manifest['users']} users. "
                "It holds personal data: keep it as safely as the server."
            )
        )
