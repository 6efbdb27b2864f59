"""The Kemendagri wilayah tree (provinsi, kabupaten/kota, kecamatan, desa/kelurahan) and TPS.

A region's primary key is its dotted Kemendagri code (``35.07.10.2001``). Codes are hierarchical,
so "at or below" a region is a prefix test on the code and needs no join.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from awas.core.roles import Level
from awas.core.scope import ScopedQuerySet, region_q

if TYPE_CHECKING:
    from awas.core.models import User


class RegionQuerySet(models.QuerySet["Region"]):
    def under(self, code: str) -> RegionQuerySet:
        """The region with this code and every region below it."""
        return self.filter(region_q("code", code))

    def visible_to(self, user: User) -> RegionQuerySet:
        scope = user.scope_code if user.is_authenticated else None
        if not scope:
            return self.none()
        return self.under(scope)


class Region(models.Model):
    code = models.CharField(_("Kemendagri code"), max_length=13, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """Names as people write them: "Kabupaten Malang", not the registry's "KAB. MALANG"."""
        name = self.name
        if self.level <= Level.KABUPATEN and name.isupper():
            name = name.title()
            for short, long in (("Kab. ", "Kabupaten "), ("Kota ", "Kota "), ("Adm. ", "Administrasi ")):
                name = name.replace(short, long)
        return name

    @property
    def code_nodot(self) -> str:
        return self.code.replace(".", "")


class RegionBoundary(models.Model):
    """A region's polygon, when boundaries are loaded (``awas regions boundaries FILE``).

    In a table of its own, not on the region row: a desa's or a kecamatan's polygon is kilobytes
    of GeoJSON, and every list that names a case's, a person's or an activity's region joins the
    region row; only the maps read this table.
    """

    region = models.OneToOneField(
        Region, on_delete=models.CASCADE, primary_key=True, related_name="boundary", verbose_name=_("region")
    )
    # GeoJSON geometry: a Polygon or MultiPolygon, WGS84 [lng, lat].
    geometry = models.JSONField(_("geometry"))

    class Meta:
        verbose_name = _("region boundary")
        verbose_name_plural = _("region boundaries")

    def __str__(self) -> str:
        return str(self.region_id)


class Tps(models.Model):
    """A polling station (Tempat Pemungutan Suara) in one desa/kelurahan."""

    desa = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="tps_set", limit_choices_to={"level": Level.DESA}
    )
    number = models.PositiveIntegerField(_("TPS number"))
    address = models.CharField(_("address"), max_length=255, blank=True)
    registered_voters = models.PositiveIntegerField(_("registered voters (DPT)"), default=0)
    is_demo = models.BooleanField(
        _("demo data"), default=False, help_text=_("Generated for the demo, not an official record.")
    )

    objects: Any = ScopedQuerySet.as_manager()
    scope_region_field = "desa"
    scope_tps_field = "pk"

    class Meta:
        ordering = ["desa_id", "number"]
        verbose_name = _("TPS")
        verbose_name_plural = _("TPS")
        constraints = [models.UniqueConstraint(fields=["desa", "number"], name="tps_unique_number_in_desa")]

    def __str__(self) -> str:
        return f"TPS {self.number:03d} {self.desa.name}"

    @property
    def label(self) -> str:
        return f"TPS {self.number:03d}"
