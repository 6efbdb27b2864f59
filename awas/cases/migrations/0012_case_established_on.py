"""A temuan keeps the day of the plenary that established it. Those registered before this have
no such record: their registration day (office time) stands in, as it did for their clocks."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations, models


def backfill(apps: Any, schema_editor: Any) -> None:
    Case = apps.get_model("cases", "Case")
    StatusChange = apps.get_model("cases", "StatusChange")
    office = ZoneInfo(settings.TIME_ZONE)
    registered = Case.objects.filter(kind="temuan", established_on__isnull=True, registration_number__gt="")
    for case in registered.iterator():
        at = (
            StatusChange.objects.filter(case_id=case.pk, to_status="diregistrasi")
            .order_by("at", "id")
            .values_list("at", flat=True)
            .first()
        )
        if at is not None:
            Case.objects.filter(pk=case.pk).update(established_on=at.astimezone(office).date())


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0011_referralbody_follow_up_day_type"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="established_on",
            field=models.DateField(blank=True, null=True, verbose_name="established in plenary on"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
