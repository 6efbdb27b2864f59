"""``awas migrate``: Django's migrate, then the deadline rules made to match the rule file.

The statutory clocks live in ``awas/core/deadline_rules.yaml`` ("the file wins"): a release that
changes one (the law amended, an article corrected) must take effect when the office upgrades,
which is ``awas migrate``. Without this step a changed rule reached the table only once some case
needed a rule that was missing, so the clocks kept counting the old figure without a word.
``deadline_rules_load`` audits each changed rule and counts the open cases' due dates again.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import DEFAULT_DB_ALIAS, connections

from awas.core.models import DeadlineRule
from awas.core.services.deadlines import deadline_rules_load


class Command(DjangoMigrate):
    def handle(self, *args: Any, **options: Any) -> None:
        super().handle(*args, **options)
        whole_database = not (
            options["app_label"] or options["plan"] or options["check_unapplied"] or options["prune"]
        )
        if not whole_database or options["database"] != DEFAULT_DB_ALIAS:
            return
        if DeadlineRule._meta.db_table not in connections[DEFAULT_DB_ALIAS].introspection.table_names():
            return  # migrated backwards past the clocks
        result = deadline_rules_load()
        if (result.created or result.updated) and options["verbosity"]:
            self.stdout.write(
                f"Deadline rules from {DeadlineRule._meta.app_label}/deadline_rules.yaml: "
                f"{result.created} added, {result.updated} changed (audited; open cases' due dates "
                "counted again)."
            )
