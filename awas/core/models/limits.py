"""Counts of attempts per client address and purpose, shared by every server process."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AttemptWindow(models.Model):
    """How many times one address tried one thing (say, a wrong tracking code) in a window.

    In the database, not in a process's memory: ``awas serve`` runs several worker processes,
    and a limit kept per process would be that many times higher and lifted by every restart.
    ``key`` is a keyed hash of the purpose and the address, never the address itself: the public's
    addresses are not kept (UU 27/2022 Pasal 16).
    """

    key = models.CharField(max_length=64, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("attempt window")
        verbose_name_plural = _("attempt windows")

    def __str__(self) -> str:
        return f"{self.key[:12]}… {self.count}"
