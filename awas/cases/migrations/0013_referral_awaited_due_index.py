"""The index on a referral's expected answer date keeps only the answers still awaited: the
overdue follow-ups are counted on every staff page, and answered referrals pile up over years."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0012_case_established_on"),
    ]

    operations = [
        migrations.AlterField(
            model_name="referral",
            name="follow_up_due",
            field=models.DateField(verbose_name="answer expected by"),
        ),
        migrations.AddIndex(
            model_name="referral",
            index=models.Index(
                condition=models.Q(("responded_on__isnull", True)),
                fields=["follow_up_due"],
                name="referral_awaited_due",
            ),
        ),
    ]
