from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from awas.core.models import AuditEntry
from awas.core.progress import progress
from awas.core.services.audit import audit_verify


class Command(BaseCommand):
    help = "Audit log tools. 'awas audit verify' checks the hash chain and names the first broken entry."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="check every entry's hash and its link to the one before")

    def handle(self, *args: Any, **options: Any) -> None:
        total = AuditEntry.objects.count()
        entries = progress(
            AuditEntry.objects.order_by("seq").iterator(chunk_size=2000), desc="audit", total=total
        )
        problem = audit_verify(iter(entries))
        if problem is not None:
            raise CommandError(f"Audit chain broken at entry #{problem.seq}: {problem.reason}.")
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {total} entries."))
