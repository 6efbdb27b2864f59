"""The append-only, hash-chained audit log.

Each entry's hash covers its own content and the previous entry's hash, so altering, deleting or
inserting a row anywhere breaks the chain from that point on (``awas audit verify`` finds it).
The ORM refuses updates and deletes; on PostgreSQL a trigger refuses them too.

An entry is written in two steps. The business transaction inserts it *unsealed* (no ``seq``,
empty ``prev_hash`` and ``entry_hash``), so concurrent requests never wait on one another for the
chain. Right after the commit, a short separate transaction *seals* every committed unsealed entry
under the chain head's lock: it gives each its place (``seq``) and links its hash to the one
before. Sealing is the only update an entry ever gets (the PostgreSQL trigger allows exactly that
one: the three chain fields from empty to set, nothing else), and reading the log through
``AuditEntry.objects`` seals first, so what anyone reads is chained.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit entry."""


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Audit entries cannot be updated.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit entries cannot be deleted.")

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise AppendOnlyError("Audit entries cannot be updated.")


class SealingManager(models.Manager["AuditEntry"]):
    """The default manager: committed entries are sealed before any read of the log."""

    def get_queryset(self) -> AuditQuerySet:
        # Imported here: the services module imports this one.
        from awas.core.services.audit import audit_seal_for_read

        audit_seal_for_read()
        return AuditQuerySet(self.model, using=self._db)


class AuditEntry(models.Model):
    # Null until the entry is sealed (see the module docstring): the place in the chain is given
    # in commit order, which only a step after the commit knows.
    seq = models.BigIntegerField(_("sequence"), unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(_("actor"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=100, blank=True)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    # Where the entry belongs (the record's region, else the actor's scope), so that an office
    # reads only its own area's log when several share one server. Empty: nowhere in particular.
    # A database default too: a process of the previous version still writing during an upgrade
    # leaves the column out.
    region_code = models.CharField(
        _("region"), max_length=32, blank=True, default="", db_default="", db_index=True
    )
    prev_hash = models.CharField(max_length=64, blank=True)  # empty until sealed
    entry_hash = models.CharField(max_length=64, blank=True)  # empty until sealed; unique once set

    objects = SealingManager()
    # Every entry, without sealing first: for the sealing step itself. Still append-only.
    without_sealing = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        constraints = [
            models.UniqueConstraint(
                fields=["entry_hash"], condition=~models.Q(entry_hash=""), name="core_audit_entry_hash_unique"
            ),
        ]
        indexes = [
            # The sealing step looks for unsealed entries on every commit: a tiny partial index.
            models.Index(fields=["id"], condition=models.Q(seq__isnull=True), name="core_audit_unsealed"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq or '-'} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit entries cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit entries cannot be deleted.")

    @property
    def sealed(self) -> bool:
        return self.seq is not None and bool(self.entry_hash)

    def canonical(self) -> bytes:
        """The bytes the hash covers: every field but the hash itself, in a fixed form."""
        payload = {
            "seq": self.seq,
            "created_at": self.created_at.isoformat(timespec="microseconds"),
            "actor": self.actor_id,
            "actor_name": self.actor_name,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "before": self.before,
            "after": self.after,
            "ip_address": self.ip_address,
            "prev_hash": self.prev_hash,
        }
        # Covered only when set: the entries written before it existed keep the hash they were
        # sealed with.
        if self.region_code:
            payload["region_code"] = self.region_code
        return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()

    def compute_hash(self) -> str:
        return hashlib.sha256(self.canonical()).hexdigest()


class AuditChainHead(models.Model):
    """One row holding the chain's tip; locked while an entry is appended so the chain stays linear."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"#{self.last_seq} {self.last_hash[:12]}"
