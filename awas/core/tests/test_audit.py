"""The audit log: written with the change it records, personal data masked, append-only, hash-chained."""

from __future__ import annotations

import io
import itertools
import json
import re
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from awas.conftest import KAB_MALANG, TEST_PASSWORD, database_vendor, verified_client
from awas.core.models import AuditEntry, Holiday, User
from awas.core.models.audit import GENESIS_HASH, AppendOnlyError
from awas.core.roles import Role
from awas.core.services.audit import audit_batch, audit_record, audit_seal
from awas.core.services.users import user_create


def _create_user(malang, username: str = "staf-baru", **kwargs) -> User:
    return user_create(
        username=username, password=TEST_PASSWORD, role=Role.STAF_PP, scope_region=malang, **kwargs
    )


def _entries_of(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("seq"))


def _alter(sql: str, params: list) -> None:
    """Tamper with the table behind the application's back, as someone with database access could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The trigger refuses this; a tamperer with superuser rights switches it off first
            # (after settling this transaction's deferred foreign-key checks, which ALTER TABLE needs).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE core_auditentry DISABLE TRIGGER awas_audit_append_only")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditentry ENABLE TRIGGER awas_audit_append_only")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


# --- written with the change --------------------------------------------------------------------


def test_a_change_and_its_entry_are_stored_together(malang):
    admin = user_create(username="admin", password=TEST_PASSWORD, role=Role.ADMIN, scope_region=malang)

    user = _create_user(malang, actor=admin)

    [entry] = [e for e in _entries_of("user.created") if e.object_id == str(user.pk)]
    assert entry.actor == admin
    assert entry.actor_name == "admin"
    assert entry.object_type == "core.User"
    assert entry.after is not None
    assert entry.after["username"] == "staf-baru"
    assert entry.after["role"] == Role.STAF_PP


def test_a_change_rolled_back_leaves_no_entry(malang):
    entries_before = AuditEntry.objects.count()

    with pytest.raises(RuntimeError, match="gagal"), transaction.atomic():
        _create_user(malang)
        raise RuntimeError("gagal setelah menyimpan")

    assert not User.objects.filter(username="staf-baru").exists()
    assert AuditEntry.objects.count() == entries_before
    # The chain goes on without a gap where the rolled-back entry would have been.
    _create_user(malang, username="staf-berikutnya")
    call_command("audit", "verify", stdout=io.StringIO())


def test_a_change_whose_entry_cannot_be_written_is_not_kept(malang, monkeypatch):
    def broken_save(self, *args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(AuditEntry, "save", broken_save)

    with pytest.raises(DatabaseError):
        _create_user(malang)

    assert not User.objects.filter(username="staf-baru").exists()


def test_login_entry_records_the_client_address(malang, make_user, client):
    user = make_user(Role.KADER, KAB_MALANG, username="kader1")

    response = client.post(
        "/masuk/", {"username": "kader1", "password": TEST_PASSWORD}, REMOTE_ADDR="198.51.100.23"
    )

    assert response.status_code == 302
    [entry] = _entries_of("auth.login")
    assert entry.actor == user
    assert entry.ip_address == "198.51.100.23"


def test_an_ipv6_client_does_not_break_the_chain(malang, make_user, client):
    """The database keeps IPv6 addresses normalised; the hash must cover what it keeps."""
    make_user(Role.KADER, KAB_MALANG, username="kader1")

    client.post("/masuk/", {"username": "kader1", "password": TEST_PASSWORD}, REMOTE_ADDR="2001:DB8:0::7")

    [entry] = _entries_of("auth.login")
    assert entry.ip_address == "2001:db8::7"
    call_command("audit", "verify", stdout=io.StringIO())


def test_failed_login_is_recorded_with_the_address(malang, make_user, client):
    make_user(Role.KADER, KAB_MALANG, username="kader1")

    client.post("/masuk/", {"username": "kader1", "password": "salah-sekali"}, REMOTE_ADDR="198.51.100.24")

    [entry] = _entries_of("auth.login_failed")
    assert entry.object_repr == "kader1"
    assert entry.actor is None
    assert entry.ip_address == "198.51.100.24"


def test_a_name_that_is_no_account_is_kept_only_in_outline(malang, client):
    """Typed into the username field, it may be a password: the permanent log keeps its outline."""
    client.post("/masuk/", {"username": "Rahasia#2026!", "password": "x"}, REMOTE_ADDR="198.51.100.25")
    [entry] = _entries_of("auth.login_failed")
    assert entry.object_repr == "R***!" and "Rahasia" not in json.dumps(entry.after or {})


def test_a_wrong_authenticator_code_is_logged(malang, make_user):
    from django.test import Client

    user = make_user(Role.STAF_PP, KAB_MALANG, username="staf.otp")
    client = Client()
    client.post("/masuk/", {"username": "staf.otp", "password": TEST_PASSWORD})
    client.post("/akun/2fa/", {"token": "000000"}, REMOTE_ADDR="198.51.100.26")
    [entry] = _entries_of("auth.otp_failed")
    assert entry.actor == user and entry.ip_address == "198.51.100.26"


def test_every_admin_page_that_changes_data_writes_the_audit_log(malang):
    """The admin's own views included: a password set for someone else, an authenticator device
    added for them (their second factor), a lock-out deleted. A page that changes nothing (the
    log itself, the deadline rules) needs no entry."""
    from django.contrib import admin
    from django.test import RequestFactory
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from awas.core.admin import AuditedModelAdmin

    admin_user = user_create(username="admin", password=TEST_PASSWORD, role=Role.ADMIN, scope_region=malang)
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    for model, model_admin in admin.site._registry.items():
        writes = (
            model_admin.has_add_permission(request)
            or model_admin.has_change_permission(request)
            or model_admin.has_delete_permission(request)
        )
        assert not writes or isinstance(model_admin, AuditedModelAdmin), model._meta.label

    client = verified_client(admin_user)
    staf = _create_user(malang, "staf.lain")
    new_password = "kata-sandi-baru-yang-panjang-2026"
    response = client.post(
        f"/admin/core/user/{staf.pk}/password/",
        {"password1": new_password, "password2": new_password, "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    [entry] = _entries_of("admin.password_set")
    assert entry.actor == admin_user and entry.object_id == str(staf.pk)

    added = client.post(
        "/admin/otp_totp/totpdevice/add/",
        {
            "user": staf.pk,
            "name": "ponsel",
            "confirmed": "on",
            "key": "3132333435363738393031323334353637383930",
            "step": 30,
            "t0": 0,
            "digits": 6,
            "tolerance": 1,
            "drift": 0,
            "last_t": -1,
            "throttling_failure_count": 0,
        },
    )
    assert added.status_code == 302, re.findall(r"errorlist[^>]*>(.*?)</ul>", added.content.decode(), re.S)
    device = TOTPDevice.objects.get(user=staf, name="ponsel")
    [entry] = [e for e in _entries_of("admin.added") if e.object_type == "otp_totp.TOTPDevice"]
    assert entry.object_id == str(device.pk) and entry.actor == admin_user
    assert "3132333435" not in json.dumps(entry.after)  # the secret key is never written
    # ... nor shown: the admin page of the device hides it (and its QR code).
    assert "3132333435" not in client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").content.decode()
    # A deadline rule's "key" is its name, not a secret: it stays readable in the log.
    from awas.core.models import DeadlineRule
    from awas.core.services.audit import snapshot

    rule = DeadlineRule.objects.first()
    assert rule is not None and snapshot(rule)["key"] == rule.key


def test_rows_of_an_admin_inline_are_audited_with_what_they_were(malang):
    """A cadre's trainings are edited inside the cadre's admin page: each row added, changed or
    deleted there gets its entry, a change with its before."""
    import datetime as dt

    from django.contrib import admin
    from django.forms import inlineformset_factory
    from django.test import RequestFactory

    from awas.outreach.models import Cadre, CadreTraining

    admin_user = user_create(username="admin", password=TEST_PASSWORD, role=Role.ADMIN, scope_region=malang)
    cadre = Cadre.objects.create(kind="skpp", name="Kader Uji", region=malang)
    kept = CadreTraining.objects.create(cadre=cadre, name="SKPP 2023", start_date=dt.date(2023, 5, 1))
    dropped = CadreTraining.objects.create(cadre=cadre, name="Bimtek lama", start_date=dt.date(2022, 1, 1))
    Trainings: Any = inlineformset_factory(Cadre, CadreTraining, fields=["name", "start_date"], extra=1)
    data = {
        "trainings-TOTAL_FORMS": "3",
        "trainings-INITIAL_FORMS": "2",
        "trainings-0-id": str(kept.pk),
        "trainings-0-name": "SKPP 2024",
        "trainings-0-start_date": "2024-05-01",
        "trainings-1-id": str(dropped.pk),
        "trainings-1-name": "Bimtek lama",
        "trainings-1-start_date": "2022-01-01",
        "trainings-1-DELETE": "on",
        "trainings-2-name": "Bimtek Pengawasan Partisipatif",
        "trainings-2-start_date": "2024-08-01",
    }
    formset = Trainings(data, instance=cadre, prefix="trainings")
    assert formset.is_valid(), formset.errors
    request = RequestFactory().post("/admin/")
    request.user = admin_user
    admin.site._registry[Cadre].save_formset(request, None, formset, change=True)
    entries = AuditEntry.objects.filter(object_type="outreach.CadreTraining")
    changed = entries.get(action="admin.changed")
    assert (changed.before or {})["name"] == "SKPP 2023" and (changed.after or {})["name"] == "SKPP 2024"
    deleted = entries.get(action="admin.deleted")
    assert deleted.object_id == str(dropped.pk) and (deleted.before or {})["name"] == "Bimtek lama"
    assert entries.filter(action="admin.added").count() == 1


def test_a_service_called_from_a_page_records_who_and_where(malang, make_user):
    """The service is not told the address; the request context middleware supplies it."""
    user = make_user(Role.STAF_PP, KAB_MALANG, username="staf1")
    client = verified_client(user)

    response = client.post(
        "/akun/kata-sandi/",
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "Baru-Awas-2025!",
            "new_password2": "Baru-Awas-2025!",
        },
        REMOTE_ADDR="203.0.113.7",
    )

    assert response.status_code == 302
    [entry] = _entries_of("user.password_changed")
    assert entry.actor == user
    assert entry.ip_address == "203.0.113.7"


def test_personal_data_is_masked(malang):
    admin = user_create(username="admin", password=TEST_PASSWORD, role=Role.ADMIN, scope_region=malang)
    user = _create_user(
        malang, first_name="Siti", last_name="Rahmawati", email="siti.rahmawati@example.org", actor=admin
    )

    [entry] = [e for e in _entries_of("user.created") if e.object_id == str(user.pk)]
    stored = json.dumps([entry.before, entry.after, entry.object_repr])
    assert "Rahmawati" not in stored
    assert "siti.rahmawati" not in stored
    assert "example.org" not in stored
    assert user.password not in stored
    # Masked, not dropped: an auditor still sees that the field was filled in.
    assert entry.after is not None
    assert entry.after["first_name"] not in ("", None, "Siti")
    assert entry.after["email"] not in ("", None)
    assert entry.after["username"] == "staf-baru"

    # Nor does the audit log page show the person's name.
    page = verified_client(admin).get("/audit/").content.decode()
    assert "staf-baru" in page
    assert "Rahmawati" not in page


# --- append-only --------------------------------------------------------------------------------


@pytest.fixture
def entries(db) -> list[AuditEntry]:
    """Five entries, sealed (the test's transaction never commits, so nothing seals them on its own)."""
    written = [audit_record(action=f"test.{n}", object_type="test", object_id=str(n)) for n in range(1, 6)]
    assert audit_seal() == 5
    return written


def test_saving_an_existing_entry_is_refused(entries):
    entry = AuditEntry.objects.get(seq=2)
    entry.action = "test.rewritten"
    with pytest.raises(AppendOnlyError):
        entry.save()
    assert AuditEntry.objects.get(seq=2).action == "test.2"


def test_deleting_an_entry_is_refused(entries):
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.get(seq=2).delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(seq__gte=3).delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.count() == 5


def test_updating_entries_through_a_queryset_is_refused(entries):
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(seq=2).update(action="test.rewritten")
    entry = AuditEntry.objects.get(seq=3)
    entry.action = "test.rewritten"
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.bulk_update([entry], ["action"])
    assert set(AuditEntry.objects.values_list("action", flat=True)) == {f"test.{n}" for n in range(1, 6)}


@pytest.mark.postgres_only
@pytest.mark.skipif(
    database_vendor() != "postgresql", reason="the append-only trigger exists on PostgreSQL only"
)
def test_database_refuses_raw_update_and_delete(entries):
    for sql in (
        "UPDATE core_auditentry SET action = 'test.rewritten' WHERE seq = 2",
        "DELETE FROM core_auditentry WHERE seq = 2",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as c,
        ):
            c.execute(sql)
    assert AuditEntry.objects.get(seq=2).action == "test.2"


# --- hash chain ----------------------------------------------------------------------------------


def test_each_entry_links_to_the_one_before(entries):
    chain = list(AuditEntry.objects.order_by("seq"))
    assert [e.seq for e in chain] == [1, 2, 3, 4, 5]
    assert chain[0].prev_hash == GENESIS_HASH
    for previous, entry in itertools.pairwise(chain):
        assert entry.prev_hash == previous.entry_hash
    assert len({e.entry_hash for e in chain}) == 5


def test_verify_passes_on_an_intact_chain(entries):
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert re.search(r"\b5\b", out.getvalue()), "the report gives the number of entries checked"


def test_verify_names_an_altered_entry(entries):
    _alter("UPDATE core_auditentry SET object_id = %s WHERE seq = %s", ["999", 3])

    with pytest.raises(CommandError, match=r"#3\b"):
        call_command("audit", "verify", stdout=io.StringIO())


def test_verify_names_an_entry_whose_hash_was_recomputed(entries):
    """Rewriting an entry together with its own hash still breaks the link from the next one."""
    entry = AuditEntry.objects.get(seq=3)
    entry.object_id = "999"
    _alter(
        "UPDATE core_auditentry SET object_id = %s, entry_hash = %s WHERE seq = %s",
        ["999", entry.compute_hash(), 3],
    )

    with pytest.raises(CommandError, match=r"#4\b"):
        call_command("audit", "verify", stdout=io.StringIO())


def test_verify_finds_a_deleted_entry_in_the_middle(entries):
    _alter("DELETE FROM core_auditentry WHERE seq = %s", [3])

    with pytest.raises(CommandError, match=r"#3\b.*missing"):
        call_command("audit", "verify", stdout=io.StringIO())


def test_verify_finds_deleted_entries_at_the_end(entries):
    _alter("DELETE FROM core_auditentry WHERE seq >= %s", [4])

    with pytest.raises(CommandError, match=r"#3\b.*missing"):
        call_command("audit", "verify", stdout=io.StringIO())


# --- sealed after the commit ---------------------------------------------------------------------


def _row(entry: AuditEntry) -> AuditEntry:
    """The stored row as it is, without the sealing that reading through ``objects`` does."""
    return AuditEntry.without_sealing.get(pk=entry.pk)


def test_an_entry_is_unsealed_until_its_transaction_commits_then_chained(transactional_db):
    with transaction.atomic():
        first = audit_record(action="test.one", object_type="test")
        second = audit_record(action="test.two", object_type="test")
        # Nothing is locked or chained inside the business transaction.
        assert _row(first).seq is None and _row(first).entry_hash == "" and _row(first).prev_hash == ""

    first, second = _row(first), _row(second)
    assert (first.seq, second.seq) == (1, 2)
    assert first.prev_hash == GENESIS_HASH and second.prev_hash == first.entry_hash
    assert second.entry_hash == second.compute_hash()
    assert not AuditEntry.without_sealing.filter(seq__isnull=True).exists()
    call_command("audit", "verify", stdout=io.StringIO())


def test_a_rolled_back_transaction_leaves_no_entry_and_no_gap(transactional_db):
    audit_record(action="test.before", object_type="test")  # outside a transaction: sealed at once
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(action="test.rolled_back", object_type="test")
        raise RuntimeError("gagal")
    audit_record(action="test.after", object_type="test")

    chain = list(AuditEntry.without_sealing.order_by("seq"))
    assert [(e.seq, e.action) for e in chain] == [(1, "test.before"), (2, "test.after")]
    call_command("audit", "verify", stdout=io.StringIO())


def test_reading_the_log_seals_first(db):
    """Within a transaction (as here: the test's), a read of the log chains what it is about to show."""
    entry = audit_record(action="test.read", object_type="test")
    assert _row(entry).seq is None

    [read] = AuditEntry.objects.filter(action="test.read")

    assert read.seq == 1 and read.entry_hash == read.compute_hash()


def test_the_seal_command_chains_pending_entries(db):
    audit_record(action="test.pending", object_type="test")
    out = io.StringIO()

    call_command("audit", "seal", stdout=out)

    assert "1 audit entries sealed" in out.getvalue()
    assert _row(AuditEntry.without_sealing.get(action="test.pending")).seq == 1


def test_verify_seals_pending_entries_and_counts_them(db):
    for n in range(3):
        audit_record(action=f"test.{n}", object_type="test")
    out = io.StringIO()

    call_command("audit", "verify", stdout=out)

    assert re.search(r"\b3\b", out.getvalue())
    assert not AuditEntry.without_sealing.filter(seq__isnull=True).exists()


@pytest.mark.postgres_only
@pytest.mark.skipif(database_vendor() != "postgresql", reason="concurrent transactions need PostgreSQL")
def test_concurrent_transactions_do_not_wait_for_each_other_and_both_are_chained(transactional_db):
    """A transaction holding an unsealed entry open does not hold up another one's entry."""
    import threading

    from django.db import connections

    entered, other_done = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def slow_request() -> None:
        try:
            with transaction.atomic():
                audit_record(action="test.slow", object_type="test")
                entered.set()
                # Stays open until the other request has committed; with the chain locked from
                # here to the commit (the old way) the other one could never finish: a deadlock.
                if not other_done.wait(timeout=60):
                    raise AssertionError("the other request waited for this one's transaction")
        except BaseException as error:  # reported to the test thread
            errors.append(error)
        finally:
            connections.close_all()

    def quick_request() -> None:
        try:
            entered.wait(timeout=60)
            with transaction.atomic():
                audit_record(action="test.quick", object_type="test")
            other_done.set()
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=slow_request), threading.Thread(target=quick_request)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors

    # Chained in commit order: the quick one committed first.
    chain = list(AuditEntry.without_sealing.order_by("seq"))
    assert [(e.seq, e.action) for e in chain] == [(1, "test.quick"), (2, "test.slow")]
    call_command("audit", "verify", stdout=io.StringIO())


@pytest.mark.postgres_only
@pytest.mark.skipif(
    database_vendor() != "postgresql", reason="the append-only trigger exists on PostgreSQL only"
)
def test_database_allows_only_the_one_sealing_update(db):
    entry = audit_record(action="test.unsealed", object_type="test", object_id="1")
    seal = "UPDATE core_auditentry SET seq = %s, prev_hash = %s, entry_hash = %s"

    # Sealing that also changes the content is refused, as is any other update of an unsealed row.
    refused: list[tuple[str, list[Any]]] = [
        (seal + ", object_id = '2' WHERE id = %s", [1, GENESIS_HASH, "a" * 64, entry.pk]),
        ("UPDATE core_auditentry SET object_id = '2' WHERE id = %s", [entry.pk]),
        ("DELETE FROM core_auditentry WHERE id = %s", [entry.pk]),
    ]
    for sql, params in refused:
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as c,
        ):
            c.execute(sql, params)

    assert audit_seal() == 1
    sealed = _row(entry)
    assert sealed.seq == 1

    # Once sealed, not even the chain fields may change again.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as c:
        c.execute(seal + " WHERE id = %s", [1, GENESIS_HASH, sealed.compute_hash(), entry.pk])
    assert _row(entry).entry_hash == sealed.entry_hash
    call_command("audit", "verify", stdout=io.StringIO())


def test_a_batch_inserts_its_entries_together_at_the_end_in_order(db):
    with audit_batch():
        for n in range(3):
            audit_record(action=f"test.batch.{n}", object_type="test")
        assert not AuditEntry.without_sealing.filter(action__startswith="test.batch").exists()

    assert [e.action for e in AuditEntry.objects.filter(action__startswith="test.batch").order_by("seq")] == [
        "test.batch.0",
        "test.batch.1",
        "test.batch.2",
    ]

    with pytest.raises(RuntimeError), transaction.atomic(), audit_batch():
        audit_record(action="test.batch.dropped", object_type="test")
        raise RuntimeError("gagal")
    assert not AuditEntry.objects.filter(action="test.batch.dropped").exists()
    call_command("audit", "verify", stdout=io.StringIO())


def test_an_office_reads_only_its_own_area_s_log(malang, make_user):
    """Two kabupaten/kota on one server: each office's log page shows its area's entries and the
    system's own, the province's shows both; the region is covered by the chain's hash."""
    from awas.regions.models import Region

    Region.objects.create(code="35.73", name="KOTA MALANG", level=2, parent_id="35")
    kab = make_user(Role.ADMIN, KAB_MALANG, username="admin.kab")
    kota = make_user(Role.ADMIN, "35.73", username="admin.kota")
    province = make_user(Role.ADMIN, "35", username="admin.jatim")
    audit_record(action="test.kota", actor=kota)
    audit_record(action="test.kab", actor=kab)
    audit_record(action="test.region", obj=Region.objects.get(code="35.07.10"), actor=province)
    audit_record(action="test.system")
    # A holiday moves every office's working-day clocks: its edit is in every office's log.
    audit_record(action="test.holiday", obj=Holiday.objects.first(), actor=kab)

    def actions_seen(user: User) -> set[str]:
        page = verified_client(user).get("/audit/", {"action": "test."}).content.decode()
        return set(re.findall(r"test\.[a-z]+", page))

    assert actions_seen(kab) == {"test.kab", "test.region", "test.system", "test.holiday"}
    assert actions_seen(kota) == {"test.kota", "test.system", "test.holiday"}
    assert actions_seen(province) == {"test.kab", "test.kota", "test.region", "test.system", "test.holiday"}
    # Moving an entry into another office's view is tampering like any other.
    call_command("audit", "verify", stdout=io.StringIO())
    seq = AuditEntry.objects.get(action="test.kota").seq
    _alter("UPDATE core_auditentry SET region_code = %s WHERE seq = %s", [KAB_MALANG, seq])
    with pytest.raises(CommandError, match=rf"#{seq}\b"):
        call_command("audit", "verify", stdout=io.StringIO())
