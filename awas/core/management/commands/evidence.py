from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from awas.core.models import EvidenceFile
from awas.core.progress import progress
from awas.core.services.evidence import evidence_verify


class Command(BaseCommand):
    help = "Evidence store tools. 'awas evidence verify' re-hashes every file and names those that changed."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="re-hash every stored file and compare with its recorded SHA-256")

    def handle(self, *args: Any, **options: Any) -> None:
        total = EvidenceFile.objects.count()
        files = progress(EvidenceFile.objects.order_by("id").iterator(), desc="evidence", total=total)
        problems = list(evidence_verify(iter(files)))
        for problem in problems:
            e = problem.evidence
            self.stderr.write(
                f"BROKEN {e.sha256} {e.original_name or '-'} ({e.storage_name}): {problem.reason}"
            )
        if problems:
            raise CommandError(f"{len(problems)} of {total} evidence files do not match their hash.")
        self.stdout.write(self.style.SUCCESS(f"All {total} evidence files match their SHA-256."))
