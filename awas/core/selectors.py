from __future__ import annotations

from django.db.models import QuerySet

from awas.core.models import AuditEntry


def audit_entries(*, action: str = "", object_type: str = "") -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.select_related("actor").order_by("-seq")
    if action:
        entries = entries.filter(action__startswith=action)
    if object_type:
        entries = entries.filter(object_type=object_type)
    return entries
