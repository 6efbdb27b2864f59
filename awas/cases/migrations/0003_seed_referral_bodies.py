"""Seed the referral bodies (KPU, Sentra Gakkumdu, DKPP, BKN, Pemkab Malang, Kemendagri).

Only missing codes are added; the administrator's edits are kept. Reversing keeps the rows
(referrals may point at them).
"""

from django.db import migrations

from awas.cases.seed import referral_bodies_seed_into


def seed(apps, schema_editor):
    referral_bodies_seed_into(apps.get_model("cases", "ReferralBody"))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0002_referral_routing_letter_date"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
