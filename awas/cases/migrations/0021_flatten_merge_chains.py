"""Laporan merged into a case that was merged in turn (A into B, then B into C) go on with the last:
their ``merged_into`` becomes C, as ``workflow.case_merge`` now does at the second merge, so that
C's page lists their pelapor, evidence and undelivered e-mails and its notices reach them. Their
own merge link (A to B, with its reason) stays: undoing B's merge brings them back to B. Each case
moved is written to the audit log, as the service writes it (the log is sealed with its next
entry)."""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.utils import timezone

MERGED = "digabung"


def flatten(apps: Any, schema_editor: Any) -> None:
    Case = apps.get_model("cases", "Case")
    AuditEntry = apps.get_model("core", "AuditEntry")
    into = dict(
        Case.objects.filter(status=MERGED, merged_into__isnull=False).values_list("pk", "merged_into_id")
    )
    now = timezone.now()
    for case in Case.objects.filter(pk__in=list(into)).order_by("pk"):
        handling = case.merged_into_id
        seen = {case.pk}
        while handling in into and handling not in seen:  # merged in turn: on to the case it joined
            seen.add(handling)
            handling = into[handling]
        if handling == case.merged_into_id:
            continue
        before = case.merged_into_id
        Case.objects.filter(pk=case.pk).update(merged_into_id=handling)
        AuditEntry.objects.create(
            created_at=now,
            actor_name="system",
            action="case.merge_followed",
            object_type="cases.Case",
            object_id=str(case.pk),
            object_repr=(case.registration_number or case.tracking_code)[:255],
            before={"into": before},
            after={"into": handling, "with": before, "by": "migration cases 0021"},
            region_code=str(case.region_id or ""),
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0020_caselink_reason"), ("core", "0010_outgoing_mail_told_otherwise")]

    operations = [migrations.RunPython(flatten, migrations.RunPython.noop)]
