from __future__ import annotations

from django.db.models import F, QuerySet

from awas.core.models import AuditEntry


def audit_entries(*, action: str = "", object_type: str = "") -> QuerySet[AuditEntry]:
    # Reading through ``objects`` seals first; an entry committed a moment later is still unsealed
    # (no number yet) and is the newest: it is listed first, on every database.
    entries = AuditEntry.objects.select_related("actor").order_by(F("seq").desc(nulls_first=True), "-id")
    if action:
        entries = entries.filter(action__startswith=action)
    if object_type:
        entries = entries.filter(object_type=object_type)
    return entries
