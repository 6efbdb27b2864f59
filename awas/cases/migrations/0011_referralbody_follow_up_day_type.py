"""A body's answer time may count hari kerja (the Gakkumdu investigator, the PPK via BKN); the
seeded bodies that do get it where the office kept the seeded answer time, and the Sentra
Gakkumdu gets the head its letters are addressed to, where still empty. Referrals already sent
keep the date they were given, and its count: calendar days."""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

from awas.cases.seed import referral_bodies_addressees_fill, referral_bodies_working_days_fill


def fill(apps: Any, schema_editor: Any) -> None:
    model = apps.get_model("cases", "ReferralBody")
    referral_bodies_working_days_fill(model)
    referral_bodies_addressees_fill(model)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0010_referralprogress"),
    ]

    operations = [
        migrations.AddField(
            model_name="referralbody",
            name="follow_up_day_type",
            field=models.CharField(
                choices=[
                    ("calendar", "calendar days (hari kalender)"),
                    ("working", "working days (hari kerja)"),
                ],
                default="calendar",
                max_length=16,
                verbose_name="answer time counted in",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        # Every referral sent before this had its answer date counted in calendar days.
        migrations.AddField(
            model_name="referral",
            name="follow_up_day_type",
            field=models.CharField(
                choices=[
                    ("calendar", "calendar days (hari kalender)"),
                    ("working", "working days (hari kerja)"),
                ],
                default="calendar",
                max_length=16,
                verbose_name="answer time counted in",
            ),
        ),
    ]
