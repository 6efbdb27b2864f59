from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from awas.supervision import services, suggest


class Command(BaseCommand):
    help = (
        "Form A tools. 'awas supervision train' fits the indicator-suggestion model on the office's own "
        f"reviewed reports (needs at least {suggest.MIN_REVIEWED_REPORTS}; an indicator is modelled from "
        f"{suggest.MIN_POSITIVES} reports with it). 'awas supervision lexicon' checks the phrase list."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("train", help="train the suggestion model and make it the active one")
        sub.add_parser("lexicon", help="check awas/supervision/lexicon/indikator.yaml and count its phrases")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "train":
            result = services.suggestion_model_train()
            if not result.trained:
                raise CommandError(result.message)
            self.stdout.write(self.style.SUCCESS(result.message))
            for indicator, count in sorted(result.positives.items()):
                self.stdout.write(f"  indicator {indicator}: {count} reports")
        else:
            entries = suggest.lexicon()
            phrases = sum(len(e.phrases) for e in entries.values())
            combinations = sum(len(e.together) for e in entries.values())
            self.stdout.write(
                self.style.SUCCESS(
                    f"{len(entries)} indicators, {phrases} phrases, {combinations} combinations."
                )
            )
