"""Referral letters are addressed to the head of the body ("Kepala Badan Kepegawaian Negara"), not
to its name; the seeded bodies get theirs, and the national ones their city, where still empty."""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

from awas.cases.seed import referral_bodies_addressees_fill


def fill(apps: Any, schema_editor: Any) -> None:
    referral_bodies_addressees_fill(apps.get_model("cases", "ReferralBody"))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_clarification_recorded_by_backfill"),
    ]

    operations = [
        migrations.AddField(
            model_name="referralbody",
            name="addressee",
            field=models.CharField(
                blank=True,
                help_text='The head of the body, as the letter names them: "Kepala Badan Kepegawaian Negara".',
                max_length=200,
                verbose_name="letters addressed to",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
