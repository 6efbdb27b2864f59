"""A temuan's decision clock starts when the plenary establishes it (services.common
``_decision_clock_start``): drafts not yet registered lose the decision date their draft gave them.

A Pilkada temuan registered and not yet decided had its clock counted from its draft's receipt: it
now counts from its establishing (0012 filled in its registration day), the same calendar days
later, as any later recomputation of its dates (a correction, more information asked) would count
it; left as it was, it would show overdue the day it was registered and move on its next edit.
A Pemilu temuan already counted from its registration, and a decided one keeps the record."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations

BEFORE_DECISION = ["diregistrasi", "klarifikasi", "kajian"]


def clear(apps: Any, schema_editor: Any) -> None:
    Case = apps.get_model("cases", "Case")
    Case.objects.filter(kind="temuan", status__in=["diterima", "perlu_kelengkapan"]).update(decision_due=None)


def restart_from_establishing(apps: Any, schema_editor: Any) -> None:
    Case = apps.get_model("cases", "Case")
    office = ZoneInfo(settings.TIME_ZONE)
    open_temuan = Case.objects.filter(
        kind="temuan",
        election_type="pilkada",
        status__in=BEFORE_DECISION,
        established_on__isnull=False,
        decision_due__isnull=False,
    )
    for case in open_temuan.only("pk", "received_at", "established_on", "decision_due").iterator():
        later = (case.established_on - case.received_at.astimezone(office).date()).days
        if later > 0:
            Case.objects.filter(pk=case.pk).update(decision_due=case.decision_due + dt.timedelta(days=later))


class Migration(migrations.Migration):
    dependencies = [("cases", "0013_referral_awaited_due_index")]

    operations = [
        migrations.RunPython(clear, migrations.RunPython.noop),
        migrations.RunPython(restart_from_establishing, migrations.RunPython.noop),
    ]
