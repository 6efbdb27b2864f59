"""A temuan's decision clock starts when the plenary establishes it (services.common
``_decision_clock_start``): drafts not yet registered lose the decision date their draft gave them.
Temuan already registered keep theirs, set when they were registered."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def clear(apps: Any, schema_editor: Any) -> None:
    Case = apps.get_model("cases", "Case")
    Case.objects.filter(kind="temuan", status__in=["diterima", "perlu_kelengkapan"]).update(decision_due=None)


class Migration(migrations.Migration):
    dependencies = [("cases", "0013_referral_awaited_due_index")]

    operations = [migrations.RunPython(clear, migrations.RunPython.noop)]
