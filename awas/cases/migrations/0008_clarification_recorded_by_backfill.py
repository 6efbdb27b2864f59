"""Clarifications recorded before ``recorded_by`` existed: their Pemeriksa is taken from the audit
log (the actor of its latest "case.clarification_recorded" entry), else the officer who scheduled
it, so that a reprinted berita acara still names someone instead of printing dots."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def backfill(apps: Any, schema_editor: Any) -> None:
    Clarification = apps.get_model("cases", "Clarification")
    AuditEntry = apps.get_model("core", "AuditEntry")
    for clarification in Clarification.objects.filter(held_at__isnull=False, recorded_by__isnull=True):
        entry = (
            AuditEntry.objects.filter(
                action="case.clarification_recorded",
                object_id=str(clarification.case_id),
                after__clarification=clarification.pk,
                actor__isnull=False,
            )
            .order_by("-created_at", "-id")
            .first()
        )
        clarification.recorded_by_id = entry.actor_id if entry else clarification.created_by_id
        clarification.save(update_fields=["recorded_by"])


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_case_review_due"), ("core", "0005_deadline_rules_added")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
