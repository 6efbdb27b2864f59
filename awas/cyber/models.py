"""Classifier model versions: what each was trained on, how it scored on its held-out set, and
which one is active. The model files live under ``settings.DATA_DIR / "models"``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ClassifierModel(models.Model):
    name = models.CharField(_("name"), max_length=100, help_text=_("The task, e.g. 'cyber'."))
    version = models.PositiveIntegerField(_("version"))
    labels = models.JSONField(_("labels"), default=list)
    training_source = models.JSONField(_("training source"), default=dict)
    metrics = models.JSONField(_("held-out metrics"), default=dict)
    path = models.CharField(_("folder"), max_length=500, help_text=_("Relative to DATA_DIR/models."))
    sha256 = models.CharField(_("SHA-256 of the model files"), max_length=64)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_active = models.BooleanField(_("active"), default=False)
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The model that was active when this one was activated (for rollback)."),
    )

    class Meta:
        verbose_name = _("classifier model")
        verbose_name_plural = _("classifier models")
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="cyber_model_name_version_unique"),
            models.UniqueConstraint(
                fields=["name"], condition=Q(is_active=True), name="cyber_model_one_active_per_name"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    @property
    def heldout_score(self) -> float | None:
        value = self.metrics.get("mean_macro_f1") if isinstance(self.metrics, dict) else None
        return float(value) if value is not None else None
