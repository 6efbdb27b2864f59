"""The statutory clock's data: deadline rules per election type, and the holiday calendar.

Rules come from ``awas/core/deadline_rules.yaml`` (the law lives in version control, each rule with
its article); holidays are seeded from the same file and then belong to the administrator, who
corrects them in the Django admin. Computation lives in ``awas.core.services.deadlines``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ElectionType(models.TextChoices):
    PILKADA = "pilkada", _("Pilkada (regional head election)")
    PEMILU = "pemilu", _("Pemilu (general election)")


class DayType(models.TextChoices):
    CALENDAR = "calendar", _("calendar days (hari kalender)")
    WORKING = "working", _("working days (hari kerja)")


class HolidayKind(models.TextChoices):
    LIBUR_NASIONAL = "libur_nasional", _("national holiday (libur nasional)")
    CUTI_BERSAMA = "cuti_bersama", _("collective leave (cuti bersama)")


class Holiday(models.Model):
    """A day the office is closed besides Saturday and Sunday; working-day clocks skip it."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=HolidayKind.choices)
    source = models.CharField(
        _("source"),
        max_length=255,
        blank=True,
        help_text=_("The decree that sets the day, e.g. SKB 3 Menteri."),
    )

    # Every office's clocks read it: its changes belong in every office's audit log.
    audit_region_global = True

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name}"


class DeadlineRule(models.Model):
    """One statutory time limit: N calendar or working days after a start event.

    A rule whose key ends in ``_extension`` adds its days to the rule it extends (``decision`` and
    ``decision_extension``); both count from the same start event.
    """

    election_type = models.CharField(_("election type"), max_length=10, choices=ElectionType.choices)
    key = models.SlugField(_("key"), max_length=50)
    label = models.CharField(_("label"), max_length=200)
    days = models.PositiveSmallIntegerField(_("days"))
    day_type = models.CharField(_("day type"), max_length=10, choices=DayType.choices)
    start_event = models.CharField(_("clock starts at"), max_length=255)
    legal_basis = models.CharField(_("legal basis"), max_length=255)
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    note = models.TextField(_("note"), blank=True)

    # Every office's clocks read it: its changes belong in every office's audit log.
    audit_region_global = True

    class Meta:
        ordering = ["election_type", "key"]
        constraints = [
            models.UniqueConstraint(fields=["election_type", "key"], name="core_deadlinerule_unique_key"),
        ]
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")

    def __str__(self) -> str:
        return f"{self.election_type}/{self.key}: {self.days} {self.day_type} ({self.legal_basis})"
