from django.db import migrations, models


def merge_reasons(apps, schema_editor):
    """The reason of each merge made before the link kept it: the one the merged case's history
    gives for its step to "digabung"."""
    CaseLink = apps.get_model("cases", "CaseLink")
    StatusChange = apps.get_model("cases", "StatusChange")
    for link in CaseLink.objects.filter(kind="digabung", reason=""):
        change = (
            StatusChange.objects.filter(case_id=link.from_case_id, to_status="digabung")
            .order_by("-at", "-pk")
            .first()
        )
        if change is not None and change.reason:
            CaseLink.objects.filter(pk=link.pk).update(reason=change.reason)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0019_referral_letter_answer_due"),
    ]

    operations = [
        migrations.AddField(
            model_name="caselink",
            name="reason",
            field=models.TextField(blank=True, default="", verbose_name="reason"),
        ),
        migrations.RunPython(merge_reasons, migrations.RunPython.noop),
    ]
