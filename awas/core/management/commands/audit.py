from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from awas.core.models import AuditEntry
from awas.core.progress import progress
from awas.core.services.audit import audit_seal, audit_verify


class Command(BaseCommand):
    help = (
        "Audit log tools. 'awas audit verify' seals pending entries, checks the hash chain and names "
        "the first broken entry; 'awas audit seal' only seals."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="check every entry's hash and its link to the one before")
        sub.add_parser("seal", help="chain the entries committed but not sealed yet (normally done at once)")

    def handle(self, *args: Any, **options: Any) -> None:
        sealed = audit_seal()
        if options["action"] == "seal":
            self.stdout.write(self.style.SUCCESS(f"{sealed} audit entries sealed."))
            return
        sealed_rows = AuditEntry.without_sealing.filter(seq__isnull=False)
        total = sealed_rows.count()
        entries = progress(sealed_rows.order_by("seq").iterator(chunk_size=2000), desc="audit", total=total)
        problem = audit_verify(iter(entries))
        if problem is not None:
            raise CommandError(f"Audit chain broken at entry #{problem.seq}: {problem.reason}.")
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {total} entries."))
