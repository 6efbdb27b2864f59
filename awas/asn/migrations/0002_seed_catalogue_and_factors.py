"""Load the SKB 2022 catalogue (awas/asn/data/skb2022.yaml) and the default risk factors.

The catalogue rows follow the file (matched by code); risk factors are only added when missing,
so the office's weights are kept. Reversing keeps the rows (case links point at them).
"""

from django.db import migrations

from awas.asn.seed import catalogue_read, catalogue_sync_into, risk_factors_seed_into


def seed(apps, schema_editor):
    catalogue_sync_into(apps.get_model("asn", "Violation"), catalogue_read())
    risk_factors_seed_into(apps.get_model("asn", "RiskFactor"))


class Migration(migrations.Migration):
    dependencies = [
        ("asn", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
