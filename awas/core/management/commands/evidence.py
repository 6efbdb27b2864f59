from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from awas.core.models import EvidenceFile
from awas.core.progress import progress
from awas.core.services.evidence import evidence_prune_unrecorded, evidence_verify


class Command(BaseCommand):
    help = (
        "Evidence store tools. 'awas evidence verify' re-hashes every file and names those that changed; "
        "'awas evidence prune' deletes uploads of forms never completed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="re-hash every stored file and compare with its recorded SHA-256")
        prune = sub.add_parser(
            "prune", help="delete uploads no record points to (public forms never completed); run daily"
        )
        prune.add_argument("--days", type=int, default=3, help="only files older than this (default 3)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "prune":
            if options["days"] < 3:
                raise CommandError("--days must be at least 3: a form's received files wait two days for it.")
            removed = evidence_prune_unrecorded(older_than=dt.timedelta(days=options["days"]))
            self.stdout.write(self.style.SUCCESS(f"{len(removed)} unrecorded upload(s) deleted."))
            return
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
