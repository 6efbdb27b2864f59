"""Region polygons move from the region row to regions.RegionBoundary, copied over."""

import django.db.models.deletion
from django.db import migrations, models

BATCH = 100  # polygons of kilobytes each: a batch at a time, not every one in memory at once


def polygons_to_their_table(apps, schema_editor):
    Region = apps.get_model("regions", "Region")
    RegionBoundary = apps.get_model("regions", "RegionBoundary")
    rows = Region.objects.filter(boundary__isnull=False).values_list("code", "boundary")
    batch = []
    for code, geometry in rows.iterator(chunk_size=BATCH):
        batch.append(RegionBoundary(region_id=code, geometry=geometry))
        if len(batch) == BATCH:
            RegionBoundary.objects.bulk_create(batch)
            batch = []
    RegionBoundary.objects.bulk_create(batch)


def polygons_to_the_region_rows(apps, schema_editor):
    Region = apps.get_model("regions", "Region")
    RegionBoundary = apps.get_model("regions", "RegionBoundary")
    for code, geometry in RegionBoundary.objects.values_list("region_id", "geometry").iterator(
        chunk_size=BATCH
    ):
        Region.objects.filter(code=code).update(boundary=geometry)


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0001_initial"),
    ]

    operations = [
        # Without a reverse accessor while the region still has its column of the same name.
        migrations.CreateModel(
            name="RegionBoundary",
            fields=[
                (
                    "region",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="regions.region",
                        verbose_name="region",
                    ),
                ),
                ("geometry", models.JSONField(verbose_name="geometry")),
            ],
            options={
                "verbose_name": "region boundary",
                "verbose_name_plural": "region boundaries",
            },
        ),
        migrations.RunPython(polygons_to_their_table, polygons_to_the_region_rows),
        migrations.RemoveField(
            model_name="region",
            name="boundary",
        ),
        migrations.AlterField(
            model_name="regionboundary",
            name="region",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                primary_key=True,
                related_name="boundary",
                serialize=False,
                to="regions.region",
                verbose_name="region",
            ),
        ),
    ]
