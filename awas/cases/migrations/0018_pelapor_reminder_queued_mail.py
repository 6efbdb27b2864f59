# The pelapor's reminder is queued as an e-mail (core.OutgoingMail) in the same transaction as its
# row, so the claim of 0017 is no longer needed: a row is a message queued.

from django.db import migrations, models
from django.db.models import F


def claims_as_sent(apps, schema_editor):
    # A claim never marked sent: its message may have gone out; counted as sent, not sent twice.
    PelaporReminder = apps.get_model("cases", "PelaporReminder")
    PelaporReminder.objects.filter(sent_at__isnull=True).update(sent_at=F("claimed_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0017_pelapor_reminder_claim"),
    ]

    operations = [
        migrations.RunPython(claims_as_sent, migrations.RunPython.noop),
        migrations.RemoveField(model_name="pelaporreminder", name="claimed_at"),
        migrations.AlterField(
            model_name="pelaporreminder",
            name="sent_at",
            field=models.DateTimeField(auto_now_add=True),
        ),
    ]
