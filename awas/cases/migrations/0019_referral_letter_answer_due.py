"""Referral.letter_answer_due: the answer date the letter asked for, which a body's progress no
longer changes in a copy printed again. Referrals already sent get the date their letter gave: the
one before the first progress reported on them (the audit log keeps it), else their current one."""

from typing import Any

from django.db import migrations, models


def letter_dates_fill(apps: Any, schema_editor: Any) -> None:
    Referral = apps.get_model("cases", "Referral")
    AuditEntry = apps.get_model("core", "AuditEntry")
    first_before: dict[int, str] = {}
    # Each progress entry has the date before it ("before": {"follow_up_due": ...}) and its
    # referral ("after": {"referral": pk}); the oldest one of a referral holds the letter's date.
    for entry in AuditEntry.objects.filter(action="case.referral_progress").order_by("pk").iterator():
        referral_pk = (entry.after or {}).get("referral")
        due = (entry.before or {}).get("follow_up_due")
        if referral_pk is not None and due and referral_pk not in first_before:
            first_before[referral_pk] = due
    for referral in Referral.objects.filter(letter_answer_due__isnull=True).iterator():
        referral.letter_answer_due = first_before.get(referral.pk, referral.follow_up_due)
        referral.save(update_fields=["letter_answer_due"])


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0018_pelapor_reminder_queued_mail"),
        ("core", "0007_auditentry_region_code"),
    ]

    operations = [
        migrations.AddField(
            model_name="referral",
            name="letter_answer_due",
            field=models.DateField(blank=True, null=True, verbose_name="answer asked for in the letter"),
        ),
        migrations.RunPython(letter_dates_fill, migrations.RunPython.noop),
    ]
