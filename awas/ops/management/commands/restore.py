from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from awas.core.progress import progress_factory
from awas.ops.services import RestoreError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup made by 'awas backup' into an empty data folder or database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["file"].exists():
            raise CommandError(f"No such file: {options['file']}")
        call_command("migrate", interactive=False, verbosity=0)
        try:
            manifest = backup_restore(options["file"], progress=progress_factory("restore"))
        except RestoreError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored: {manifest['audit_entries']} audit entries (chain verified), "
                f"{manifest['evidence_files']} evidence files (hashes verified)."
            )
        )
