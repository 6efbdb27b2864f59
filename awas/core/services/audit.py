"""Writing and verifying the audit log.

``audit_record`` must run inside the same transaction as the change it describes, so that either
both the change and its entry are stored or neither is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from awas.core.models.audit import GENESIS_HASH, AuditChainHead, AuditEntry
from awas.core.request_context import current_request

# Field names that hold personal data on any model (UU 27/2022): masked in the audit log.
PERSONAL_FIELD_NAMES = frozenset(
    {
        "password",
        "first_name",
        "last_name",
        "name_full",
        "email",
        "phone",
        "nik",
        "nip",
        "address",
        "alamat",
        "birth_place",
        "birth_date",
        "tempat_lahir",
        "tanggal_lahir",
    }
)


def mask_value(value: Any) -> Any:
    """Keep enough to tell entries apart, never enough to identify a person."""
    if value is None or value == "":
        return value
    text = str(value)
    if len(text) <= 4:
        return "***"
    return f"{text[0]}***{text[-1]}"


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict | list | str | int | float | bool) or value is None:
        return value
    return str(value)


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The instance's concrete field values for the audit log, personal data masked."""
    personal = PERSONAL_FIELD_NAMES | set(getattr(instance, "personal_fields", ()))
    data: dict[str, Any] = {}
    wanted = set(fields) if fields is not None else None
    for field in instance._meta.concrete_fields:
        if wanted is not None and field.name not in wanted:
            continue
        value = getattr(instance, field.attname)
        data[field.attname] = mask_value(value) if field.name in personal else _plain(value)
    return data


def changed(before: dict[str, Any] | None, after: dict[str, Any] | None) -> tuple[dict, dict]:
    """Only the keys whose values differ, to keep entries readable."""
    before = before or {}
    after = after or {}
    keys = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    return {k: before.get(k) for k in keys if k in before}, {k: after.get(k) for k in keys if k in after}


def audit_record(
    *,
    action: str,
    obj: models.Model | None = None,
    actor: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    ip_address: str | None = None,
) -> AuditEntry:
    """Append one entry to the chain. Call inside the transaction that makes the change."""
    context = current_request.get()
    if actor is None and context is not None and getattr(context.user, "is_authenticated", False):
        actor = context.user
    if ip_address is None and context is not None:
        ip_address = context.ip_address
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_id = object_id or str(obj.pk)
        # An account's str() is the person's full name (personal data); the log names it by username.
        object_repr = object_repr or (obj.get_username() if hasattr(obj, "get_username") else str(obj))[:255]
    # Hash the address in the form the database keeps (IPv6 is normalised on save), or verify fails.
    ip_address = AuditEntry._meta.get_field("ip_address").get_prep_value(ip_address)
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
        entry = AuditEntry(
            seq=head.last_seq + 1,
            created_at=timezone.now(),
            actor=actor if getattr(actor, "pk", None) else None,
            actor_name=(actor.get_username() if getattr(actor, "pk", None) else "system"),
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_repr=object_repr,
            before=before,
            after=after,
            ip_address=ip_address,
            prev_hash=head.last_hash,
        )
        entry.entry_hash = entry.compute_hash()
        entry.save()
        head.last_seq = entry.seq
        head.last_hash = entry.entry_hash
        head.save(update_fields=["last_seq", "last_hash"])
    return entry


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    reason: str


def audit_verify(entries: Iterator[AuditEntry] | None = None) -> ChainProblem | None:
    """The first entry that breaks the chain, or None when the whole chain holds."""
    previous_hash = GENESIS_HASH
    expected_seq = 1
    rows = entries if entries is not None else AuditEntry.objects.order_by("seq").iterator(chunk_size=2000)
    for entry in rows:
        if entry.seq != expected_seq:
            return ChainProblem(expected_seq, f"entry #{expected_seq} is missing")
        if entry.prev_hash != previous_hash:
            return ChainProblem(entry.seq, "does not link to the entry before it")
        if entry.compute_hash() != entry.entry_hash:
            return ChainProblem(entry.seq, "content does not match its hash (altered)")
        previous_hash = entry.entry_hash
        expected_seq += 1
    head = AuditChainHead.objects.filter(id=1).first()
    if head is not None and head.last_seq != expected_seq - 1:
        return ChainProblem(expected_seq, f"entries after #{expected_seq - 1} are missing")
    return None
