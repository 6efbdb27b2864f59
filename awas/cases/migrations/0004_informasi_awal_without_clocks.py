"""An informasi awal carries no statutory clock: clear the phantom due dates stored on tips.

An informasi awal is not a laporan and does not become one (DOMAIN.md A.5): it has no filing
limit and no decision clock (UU 10/2016 Pasal 134 ayat (4)-(6) and UU 7/2017 Pasal 454 ayat
(6)-(8) are about a laporan or a temuan). Its clocks start only when it is taken up as a temuan,
which is a new case with its own due dates; those are not touched here. Until this fix every tip
got a 3-day decision date, which put it on the "deadlines at risk" list, in the overdue filter and
in the reminders. The dates were never statutory, so reversing keeps them cleared.
"""

from django.db import migrations


def clear(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Case.objects.filter(kind="informasi_awal").exclude(decision_due=None, filing_due=None).update(
        decision_due=None, filing_due=None
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_seed_referral_bodies"),
    ]

    operations = [
        migrations.RunPython(clear, migrations.RunPython.noop),
    ]
