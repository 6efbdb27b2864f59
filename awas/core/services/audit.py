"""Writing and verifying the audit log.

``audit_record`` must run inside the same transaction as the change it describes, so that either
both the change and its entry are stored or neither is.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
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


# Secrets (an authenticator's key, a password hash) are never written, not even in part. By model:
# a deadline rule's or a counter's "key" is a name, not a secret.
SECRET_FIELDS = {"otp_totp.TOTPDevice": frozenset({"key"}), "core.User": frozenset({"password"})}


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


def text_digest(text: str) -> dict[str, Any]:
    """A long text as the log keeps it: its SHA-256 and length. It proves what was written (hash
    the record's text to compare) without the names, NIKs and statements in it, which a log that
    can never be edited would otherwise keep for ever (UU 27/2022)."""
    return {"sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(), "chars": len(text)}


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The instance's concrete field values for the audit log: personal data masked, secrets
    hidden, and the model's ``audit_digest_fields`` (free text that quotes people) as a digest."""
    personal = PERSONAL_FIELD_NAMES | set(getattr(instance, "personal_fields", ()))
    digested = set(getattr(instance, "audit_digest_fields", ()))
    secret = SECRET_FIELDS.get(instance._meta.label, frozenset())
    data: dict[str, Any] = {}
    wanted = set(fields) if fields is not None else None
    for field in instance._meta.concrete_fields:
        if wanted is not None and field.name not in wanted:
            continue
        value = getattr(instance, field.attname)
        if field.name in secret:
            data[field.attname] = "***" if value else value
        elif field.name in digested and value:
            data[field.attname] = text_digest(str(value))
        else:
            data[field.attname] = mask_value(value) if field.name in personal else _plain(value)
    return data


def changed(before: dict[str, Any] | None, after: dict[str, Any] | None) -> tuple[dict, dict]:
    """Only the keys whose values differ, to keep entries readable."""
    before = before or {}
    after = after or {}
    keys = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    return {k: before.get(k) for k in keys if k in before}, {k: after.get(k) for k in keys if k in after}


def _region_of(obj: models.Model | None, actor: Any) -> str:
    """The region an entry belongs to: the record's (a case's, a kejadian's, a TPS's desa, an
    account's scope, a region itself), else the scope of whoever acted; none for a record every
    office shares (``audit_region_global``: the holidays, the deadline rules, the referral bodies)."""
    if getattr(obj, "audit_region_global", False):
        return ""
    if obj is not None:
        field = getattr(obj, "scope_region_field", None)
        code = getattr(obj, f"{field}_id", None) if field else None
        if obj._meta.label == "regions.Region":
            code = obj.pk
        code = code or getattr(obj, "scope_region_id", None)
        if code:
            return str(code)
    return str(getattr(actor, "scope_region_id", None) or "")


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
    """Add one entry, unsealed. Call inside the transaction that makes the change.

    The entry is stored with the change or not at all; it is chained (sealed) right after the
    commit, by ``audit_seal``. Nothing is locked here, so concurrent requests do not queue.
    """
    context = current_request.get()
    signed_in = (
        context.user if context is not None and getattr(context.user, "is_authenticated", False) else None
    )
    if actor is None and signed_in is not None:
        actor = signed_in
    if ip_address is None and context is not None and signed_in is not None:
        # The address of staff at work. Never that of the public: a tipster who gave no name (or a
        # pelapor) is not traced through the log, which can never be edited (UU 27/2022 Pasal 16:
        # collect no more than the purpose needs). Failed logins pass theirs explicitly.
        ip_address = context.ip_address
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_id = object_id or str(obj.pk)
        # An account's str() is the person's full name (personal data); the log names it by username.
        object_repr = object_repr or (obj.get_username() if hasattr(obj, "get_username") else str(obj))[:255]
    region_code = _region_of(obj, actor)
    # The address in the form the database keeps (IPv6 is normalised on save).
    ip_address = AuditEntry._meta.get_field("ip_address").get_prep_value(ip_address)
    entry = AuditEntry(
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
        region_code=region_code,
    )
    batch = _batch.get()
    if batch is not None:
        batch.append(entry)  # inserted with the others at the end of the ``audit_batch`` block
        return entry
    entry.save()
    _seal_after_commit()
    return entry


_batch: ContextVar[list[AuditEntry] | None] = ContextVar("awas_audit_batch", default=None)


@contextmanager
def audit_batch() -> Iterator[None]:
    """Entries recorded in the block are inserted together when it ends (one INSERT for a
    filing's several entries). Use it inside the transaction, around the changes: if the block
    raises, its entries are dropped with the transaction's changes."""
    if _batch.get() is not None:  # nested: the outer block inserts them
        yield
        return
    entries: list[AuditEntry] = []
    token = _batch.set(entries)
    try:
        yield
    finally:
        _batch.reset(token)
    if entries:
        AuditEntry.without_sealing.bulk_create(entries)
        _seal_after_commit()


# --- sealing -------------------------------------------------------------------------------------

SEAL_BATCH = 500  # entries hashed and updated per round
SEAL_ROUNDS = 3  # rounds one caller does at most after a commit (a request must not loop on others' work)


def _seal_after_commit() -> None:
    """Seal once this transaction commits (at once outside a transaction); once per transaction."""
    connection = transaction.get_connection()
    # Django keeps the callbacks of the open transaction in ``run_on_commit``; one seal is enough
    # for all the entries of a transaction (and a rolled-back savepoint drops its own callback).
    pending = getattr(connection, "run_on_commit", [])
    if connection.in_atomic_block and any(item[1] is _seal_committed for item in pending):
        return
    transaction.on_commit(_seal_committed, robust=True)


def _seal_committed() -> None:
    audit_seal(wait=False, known_pending=True)


def _pending() -> bool:
    return AuditEntry.without_sealing.filter(seq__isnull=True).exists()


def _lock_head(*, wait: bool) -> AuditChainHead | None:
    """The chain head, locked until this transaction ends; None if another sealer holds it."""
    if not wait:
        head = AuditChainHead.objects.select_for_update(skip_locked=True).filter(id=1).first()
        if head is not None:
            return head
        if AuditChainHead.objects.filter(id=1).exists():
            return None  # locked: that sealer looks again for pending entries after its commit
    # Waiting, or the very first entry of the chain (the head row does not exist yet).
    created, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
    return created


def _write_seals(rows: list[tuple[int, str, str, int]]) -> None:
    """The one update an entry may get (the PostgreSQL trigger allows nothing else): ``rows`` of
    (seq, prev_hash, entry_hash, id)."""
    connection = transaction.get_connection()
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One statement for the batch: planned once, not once per entry.
            values = ", ".join(["(%s::bigint, %s, %s, %s::bigint)"] * len(rows))
            # The table name is the model's and every value a parameter: no injection (S608).
            cursor.execute(
                f"UPDATE {table} AS e SET seq = v.seq, prev_hash = v.prev_hash, entry_hash = v.entry_hash "  # noqa: S608
                f"FROM (VALUES {values}) AS v(seq, prev_hash, entry_hash, id) "
                "WHERE e.id = v.id AND e.seq IS NULL",
                [value for row in rows for value in row],
            )
        else:
            cursor.executemany(
                f"UPDATE {table} SET seq = %s, prev_hash = %s, entry_hash = %s WHERE id = %s AND seq IS NULL",  # noqa: S608
                rows,
            )
        if cursor.rowcount != len(rows):  # cannot happen under the head's lock; never chain past it
            raise RuntimeError(f"sealed {cursor.rowcount} audit entries of {len(rows)}")


def _seal_round(*, wait: bool) -> int | None:
    """One locked round: chain up to SEAL_BATCH unsealed entries in id order. None if skipped."""
    with transaction.atomic():
        head = _lock_head(wait=wait)
        if head is None:
            return None
        # Read after the lock: this statement sees every entry committed before the lock was ours.
        entries = list(AuditEntry.without_sealing.filter(seq__isnull=True).order_by("id")[:SEAL_BATCH])
        if not entries:
            return 0
        rows = []
        seq, last_hash = head.last_seq, head.last_hash
        for entry in entries:
            seq += 1
            entry.seq, entry.prev_hash = seq, last_hash
            # Hashed from the row as the database returned it, as ``audit_verify`` reads it.
            entry.entry_hash = last_hash = entry.compute_hash()
            rows.append((entry.seq, entry.prev_hash, entry.entry_hash, entry.pk))
        _write_seals(rows)
        head.last_seq, head.last_hash = seq, last_hash
        head.save(update_fields=["last_seq", "last_hash"])
    return len(entries)


# One sealer at a time per process: a request that commits while another thread of this process
# seals leaves its entries to that thread (which looks again after it lets go), without a query.
_sealing_here = threading.Lock()


def audit_seal(*, wait: bool = True, known_pending: bool = False) -> int:
    """Chain every committed unsealed entry (and, inside a transaction, this one's own). Returns
    how many were sealed.

    ``wait=False`` (right after a commit) never waits: when another thread of this process, or
    another process, is sealing, it leaves the work to that sealer, which looks for pending
    entries again after letting go of its lock, so every committed entry is sealed by someone.
    It does at most SEAL_ROUNDS rounds (a request must not go on sealing others' entries for
    long); what is left then is sealed by the next commit, by any read of the log, or by
    ``awas audit seal``. ``known_pending``: the caller has just committed entries (the first look
    for them is saved). ``wait=True`` (verify, backup, reads) waits for the lock and seals all.
    """
    sealed = rounds = 0
    while wait or rounds < SEAL_ROUNDS:
        # Every look after the first is the check after letting go that the protocol relies on.
        if not (known_pending and rounds == 0) and not _pending():
            break
        rounds += 1
        if wait:
            count = _seal_round(wait=True)
        else:
            if not _sealing_here.acquire(blocking=False):
                break
            try:
                count = _seal_round(wait=False)
            finally:
                _sealing_here.release()
        if not count:  # None: another process holds the head; 0: nothing was left
            break
        sealed += count
    return sealed


def audit_seal_for_read() -> None:
    """Seal before the log is read, unless the reading transaction cannot write (a backup's
    read-only snapshot): then the few entries committed a moment ago are read as pending."""
    if not _pending():
        return
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('transaction_read_only')")
            if cursor.fetchone()[0] == "on":
                return
    audit_seal(wait=True)


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    reason: str


def audit_verify(entries: Iterator[AuditEntry] | None = None) -> ChainProblem | None:
    """The first entry that breaks the chain, or None when the whole chain holds.

    Entries still unsealed are sealed first (when ``entries`` is not given); any committed since
    are not part of the chain yet and are skipped.
    """
    if entries is None:
        audit_seal()
    # The head is read before the entries: whatever is sealed meanwhile only adds entries after it.
    head = AuditChainHead.objects.filter(id=1).first()
    previous_hash = GENESIS_HASH
    expected_seq = 1
    rows = (
        entries
        if entries is not None
        else AuditEntry.without_sealing.filter(seq__isnull=False).order_by("seq").iterator(chunk_size=2000)
    )
    for entry in rows:
        if entry.seq is None:
            continue  # pending: committed after the seal above
        if entry.seq != expected_seq:
            return ChainProblem(expected_seq, f"entry #{expected_seq} is missing")
        if entry.prev_hash != previous_hash:
            return ChainProblem(entry.seq, "does not link to the entry before it")
        if entry.compute_hash() != entry.entry_hash:
            return ChainProblem(entry.seq, "content does not match its hash (altered)")
        previous_hash = entry.entry_hash
        expected_seq += 1
    if head is not None and head.last_seq > expected_seq - 1:
        return ChainProblem(expected_seq, f"entries after #{expected_seq - 1} are missing")
    return None
