"""Add the deadline rules that awas/core/deadline_rules.yaml gained since migration 0003.

The Pemilu ``completion`` rule (Perbawaslu 7/2022: the pelapor completes the syarat formal and
materiel of a laporan; without it an incomplete Pemilu laporan could not be given its completion
deadline) and the Pilkada ``finding`` rule (UU 1/2015 jo. UU 10/2016 Pasal 134 ayat (4): a temuan
within 7 days of the violation being found). Only missing rules are created, as 0003 seeds them
(historical models, no audit entry); a changed rule reaches the table, audited, through
``deadline_rules_load``. Reversing keeps the rows (cases' due dates were computed from them).
"""

from django.db import migrations


def add_missing(apps, schema_editor):
    from awas.core.services.deadlines import read_seed, sync_rules_into

    DeadlineRule = apps.get_model("core", "DeadlineRule")
    present = set(DeadlineRule.objects.values_list("election_type", "key"))
    sync_rules_into(DeadlineRule, [r for r in read_seed().rules if (r.election_type, r.key) not in present])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_audit_sealed_after_commit"),
    ]

    operations = [
        migrations.RunPython(add_missing, migrations.RunPython.noop),
    ]
