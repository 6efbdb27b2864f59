"""Versioned IKP indicator frameworks: dimension -> sub-dimension -> indicator, weights, severity
levels (tingkat kejadian), normalisation and category rule (design/DOMAIN.md §1.1 and
"What this means for the software" point 4).

A framework is edited only as a draft; publishing freezes it so that scores computed against it can
be reproduced. The framework Awas ships (IKP 2024, ``frameworks/ikp2024.yaml``) is also read-only:
copy it to change anything. All writes go through ``awas.ikp.services``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from awas.core.roles import Level
from awas.core.scope import ScopedQuerySet


class Framework(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    class Normalisation(models.TextChoices):
        MINMAX = "minmax", _("min-max (0-100)")
        PERCENTILE = "percentile", _("percentile rank (0-100)")

    class CategoryMethod(models.TextChoices):
        MEAN_SD = "mean_sd", _("mean ± standard deviations")
        CUTOFFS = "cutoffs", _("fixed cut-offs")

    code = models.SlugField(
        _("code"), max_length=50, help_text=_("Names the framework family, e.g. ikp2024.")
    )
    name = models.CharField(_("name"), max_length=200)
    version = models.CharField(_("version"), max_length=50)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    read_only = models.BooleanField(
        _("read-only"), default=False, help_text=_("Shipped with Awas; copy it to make changes.")
    )
    based_on = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("based on"),
    )
    normalisation = models.CharField(
        _("normalisation"), max_length=12, choices=Normalisation.choices, default=Normalisation.MINMAX
    )
    category_method = models.CharField(
        _("category rule"), max_length=10, choices=CategoryMethod.choices, default=CategoryMethod.MEAN_SD
    )
    sd_multiplier = models.FloatField(_("standard deviations"), default=1.0)
    cutoff_sedang = models.FloatField(_("sedang from"), default=13.47)
    cutoff_tinggi = models.FloatField(_("tinggi from"), default=49.33)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["code", "-created_at"]
        verbose_name = _("IKP framework")
        verbose_name_plural = _("IKP frameworks")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="ikp_framework_code_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"

    @property
    def editable(self) -> bool:
        return self.status == self.Status.DRAFT and not self.read_only


class Dimension(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="dimensions")
    number = models.PositiveSmallIntegerField(_("number"))
    code = models.SlugField(_("code"), max_length=50)
    name = models.CharField(_("name"), max_length=200)
    weight = models.FloatField(_("weight"), default=1.0)

    class Meta:
        ordering = ["framework", "number"]
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="ikp_dimension_number_unique"),
            models.UniqueConstraint(fields=["framework", "code"], name="ikp_dimension_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class SubDimension(models.Model):
    """A grouping of indicators inside a dimension; weights live on indicators and dimensions."""

    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="subdimensions")
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["dimension", "number"]
        verbose_name = _("sub-dimension")
        verbose_name_plural = _("sub-dimensions")
        constraints = [
            models.UniqueConstraint(fields=["dimension", "number"], name="ikp_subdimension_number_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    # The framework is stored on the indicator too, so "indicator number n of this framework" is
    # unique and found without joins (kejadian carry the number, as in the Kab. Malang tools).
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="indicators")
    subdimension = models.ForeignKey(SubDimension, on_delete=models.CASCADE, related_name="indicators")
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=300)
    weight = models.FloatField(_("weight"), default=1.0)

    class Meta:
        ordering = ["framework", "number"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="ikp_indicator_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class SeverityLevel(models.Model):
    """A tingkat kejadian: each kejadian counts with its level's weight (DOMAIN.md §1.1)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="severity_levels")
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    level = models.PositiveSmallIntegerField(_("level"))
    weight = models.FloatField(_("weight"))

    class Meta:
        ordering = ["framework", "level"]
        verbose_name = _("severity level")
        verbose_name_plural = _("severity levels")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="ikp_severity_code_unique"),
            models.UniqueConstraint(fields=["framework", "level"], name="ikp_severity_level_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Tahapan(models.TextChoices):
    """Stages of the election the supervisors report on (Pilkada 2024 calendar, DOMAIN.md §4)."""

    PEMUTAKHIRAN_DATA = "pemutakhiran_data", _("Voter list update")
    PENCALONAN = "pencalonan", _("Candidacy")
    KAMPANYE = "kampanye", _("Campaign")
    MASA_TENANG = "masa_tenang", _("Quiet period")
    PUNGUT_HITUNG = "pungut_hitung", _("Voting and counting")
    REKAPITULASI = "rekapitulasi", _("Recapitulation")
    LAINNYA = "lainnya", _("Other")


class Kejadian(models.Model):
    """One occurrence of an IKP indicator in one desa on one day: what the index counts.

    Indicators are referred to by their number (1–61), which every version of a framework keeps,
    so a kejadian recorded once is scored by whichever version the office chooses. Severity is the
    tingkat kejadian level (1 = rendah … 3 = tinggi); its weight comes from the framework scoring it.
    ``source_ref`` names where it came from (e.g. ``form_a:12``) without ikp importing that app.
    """

    indicator_number = models.PositiveSmallIntegerField(_("indicator number"), db_index=True)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("desa/kelurahan"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("date"), db_index=True)
    tahapan = models.CharField(_("stage"), max_length=20, choices=Tahapan.choices, default=Tahapan.LAINNYA)
    severity = models.PositiveSmallIntegerField(_("severity level"), default=1)
    note = models.TextField(_("note"), blank=True)
    source_ref = models.CharField(_("source"), max_length=100, blank=True, db_index=True)
    # A kecamatan recap repeats what its desa reported: kept for the record, not counted again.
    counted = models.BooleanField(_("counted in the index"), default=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects: Any = ScopedQuerySet.as_manager()
    scope_region_field = "region"

    class Meta:
        ordering = ["-date", "id"]
        verbose_name = _("kejadian (incident)")
        verbose_name_plural = _("kejadian")
        indexes = [models.Index(fields=["date", "tahapan"])]

    def __str__(self) -> str:
        return f"#{self.indicator_number} {self.region_id} {self.date}"


class ScoreRun(models.Model):
    """One computation of IKP scores, stored so that every score shown or printed can be traced.

    A run is fixed by its inputs: the (published, hence frozen) framework, the level and the area
    whose regions of that level were scored together, the period and tahapan of the kejadian, and
    a hash of the kejadian rows themselves (``data_hash``). ``key`` hashes all of these, so the same
    question on the same data finds the stored run instead of computing a new one, and a kejadian
    added or changed since makes the next request compute (and keep) a new run.

    ``results`` holds the per-region outcome compactly (parallel lists in region-code order; see
    ``awas.ikp.services.score_run_get_or_create``), ``parameters`` what the engine was given.
    """

    framework = models.ForeignKey(
        Framework, on_delete=models.PROTECT, related_name="score_runs", verbose_name=_("framework")
    )
    framework_version = models.CharField(_("framework version"), max_length=50)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    area = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("area scored")
    )
    date_from = models.DateField(_("from"), null=True, blank=True)
    date_to = models.DateField(_("to"), null=True, blank=True)
    tahapan = models.CharField(_("stage"), max_length=20, choices=Tahapan.choices, blank=True)
    parameters = models.JSONField(_("parameters"), default=dict)
    results = models.JSONField(_("results"), default=dict)
    data_hash = models.CharField(max_length=64)
    key = models.CharField(max_length=64, unique=True)
    n_regions = models.PositiveIntegerField(_("regions"), default=0)
    n_kejadian = models.PositiveIntegerField(_("kejadian counted"), default=0)
    created_at = models.DateTimeField(_("computed"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("IKP score run")
        verbose_name_plural = _("IKP score runs")
        indexes = [models.Index(fields=["level", "area", "framework", "created_at"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.framework_version} L{self.level} {self.area_id}"


class SensitivityRun(models.Model):
    """A Monte Carlo sensitivity analysis of one score run (``awas.ikp.sensitivity``)."""

    score_run = models.ForeignKey(ScoreRun, on_delete=models.CASCADE, related_name="sensitivity_runs")
    key = models.CharField(max_length=64)
    parameters = models.JSONField(_("parameters"), default=dict)
    results = models.JSONField(_("results"), default=dict)
    created_at = models.DateTimeField(_("computed"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("sensitivity analysis")
        verbose_name_plural = _("sensitivity analyses")
        constraints = [
            models.UniqueConstraint(fields=["score_run", "key"], name="ikp_sensitivity_run_key_unique"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} of score run {self.score_run_id}"
