"""Which day the decision clock starts from, per election type and kind (DOMAIN.md §2.1)."""

import datetime as dt
from zoneinfo import ZoneInfo

from awas.cases.services import common, workflow
from awas.cases.tests.staff_helpers import _quick_argon2, facts, registered_laporan  # noqa: F401
from awas.conftest import GONDANGLEGI, PUTAT_KIDUL
from awas.core.models.deadlines import ElectionType
from awas.core.roles import Role

WIB = ZoneInfo("Asia/Jakarta")


def test_a_pilkada_laporan_counts_from_receipt_not_registration(malang, make_user):
    # Received Monday 4 Nov 2024; Pilkada: 3 calendar days from receipt (UU 10/2016 Pasal 134(5))
    # → Thursday 7 Nov, whenever it is registered.
    staff = make_user(Role.STAF_PP, "35.07")
    case = registered_laporan(staff, PUTAT_KIDUL, received_at=dt.datetime(2024, 11, 4, 9, tzinfo=WIB))
    assert case.registration_number
    assert case.decision_due == dt.date(2024, 11, 7)


def test_a_pemilu_laporan_counts_from_registration(malang, make_user):
    # Pemilu: 7 working days from receipt *and registration* (UU 7/2017 Pasal 454(7)). A laporan
    # received long ago but registered today is due 7 working days after today, not after receipt.
    staff = make_user(Role.STAF_PP, "35.07")
    case = registered_laporan(
        staff,
        PUTAT_KIDUL,
        received_at=dt.datetime(2024, 1, 8, 9, tzinfo=WIB),
        election_type=ElectionType.PEMILU,
    )
    registered_on = case.history.get(to_status="diregistrasi").at.astimezone(WIB).date()
    assert case.decision_due is not None
    assert case.decision_due >= registered_on + dt.timedelta(days=9)  # 7 working days span ≥ 9 days


def test_a_temuan_has_no_decision_clock_until_the_plenary_establishes_it(malang, make_user):
    # A draft found yesterday: only its finding clock runs (7 days to be established); a decision
    # clock from the draft would fall due before the temuan may even be established. Established
    # on Monday 2 Dec 2024 (Pilkada): decided by Thursday 5 Dec.
    staff = make_user(Role.STAF_PP, "35.07")
    for election_type in (ElectionType.PILKADA, ElectionType.PEMILU):
        found = dt.date(2024, 11, 28)
        temuan = workflow.temuan_create(
            facts=facts(GONDANGLEGI, election_type=election_type, event_date=found, known_date=found),
            actor=staff,
        )
        assert temuan.decision_due is None and temuan.filing_due is not None
        assert not workflow.decision_clock_runs(temuan)
        workflow.case_register(case=temuan, established_on=dt.date(2024, 12, 2), actor=staff)
        temuan.refresh_from_db()
        assert workflow.decision_clock_runs(temuan)
        if election_type == ElectionType.PILKADA:
            assert temuan.decision_due == dt.date(2024, 12, 5)
        else:  # 7 hari kerja from Monday 2 December 2024: Wednesday 11 December
            assert temuan.decision_due == dt.date(2024, 12, 11)


def test_the_upgrade_clears_the_decision_date_of_temuan_drafts_only(malang, make_user):
    import importlib

    from django.apps import apps as django_apps

    from awas.cases.models import Case

    staff = make_user(Role.STAF_PP, "35.07")
    draft = workflow.temuan_create(facts=facts(GONDANGLEGI), actor=staff)
    Case.objects.filter(pk=draft.pk).update(decision_due=dt.date(2024, 11, 7))  # as the old rule left it
    laporan = registered_laporan(staff, PUTAT_KIDUL)
    migration = importlib.import_module("awas.cases.migrations.0014_temuan_decision_clock_from_establishing")
    migration.clear(django_apps, None)
    draft.refresh_from_db()
    assert draft.decision_due is None
    assert Case.objects.get(pk=laporan.pk).decision_due == laporan.decision_due


def test_the_upgrade_counts_an_open_pilkada_temuan_from_its_establishing(malang, make_user):
    # Drafted 5 days ago and registered today under the old rule, a Pilkada temuan was due 2 days
    # ago (3 from the draft): overdue the day it was registered. The upgrade counts it from its
    # establishing, as a correction or a request for more information would recount it anyway.
    import importlib

    from django.apps import apps as django_apps
    from django.utils import timezone

    from awas.cases.formatting import today_local
    from awas.cases.models import Case, CaseStatus

    staff = make_user(Role.STAF_PP, "35.07")
    today = today_local()
    drafted = timezone.now() - dt.timedelta(days=5)
    migration = importlib.import_module("awas.cases.migrations.0014_temuan_decision_clock_from_establishing")
    cases = {}
    for election_type, status in (
        (ElectionType.PILKADA, CaseStatus.REGISTERED),
        (ElectionType.PEMILU, CaseStatus.REGISTERED),
        (ElectionType.PILKADA, CaseStatus.DECIDED),
    ):
        found = today - dt.timedelta(days=5)
        temuan = workflow.temuan_create(
            facts=facts(GONDANGLEGI, election_type=election_type, event_date=found, known_date=found),
            actor=staff,
        )
        workflow.case_register(case=temuan, actor=staff)
        old_due = today - dt.timedelta(days=2)
        Case.objects.filter(pk=temuan.pk).update(received_at=drafted, decision_due=old_due, status=status)
        cases[(election_type, status)] = temuan.pk
    migration.restart_from_establishing(django_apps, None)
    due = dict(Case.objects.filter(pk__in=cases.values()).values_list("pk", "decision_due"))
    assert due[cases[(ElectionType.PILKADA, CaseStatus.REGISTERED)]] == today + dt.timedelta(days=3)
    assert due[cases[(ElectionType.PEMILU, CaseStatus.REGISTERED)]] == today - dt.timedelta(days=2)
    assert due[cases[(ElectionType.PILKADA, CaseStatus.DECIDED)]] == today - dt.timedelta(days=2)
    # What the services compute for it now is the same day: its next edit does not move it.
    case = Case.objects.get(pk=cases[(ElectionType.PILKADA, CaseStatus.REGISTERED)])
    common.case_compute_deadlines(case)
    assert case.decision_due == today + dt.timedelta(days=3)


def test_an_unregistered_pemilu_laporan_s_decision_date_says_it_is_provisional(malang, make_user):
    # Until registered, a Pemilu laporan's decision date is counted from receipt and moves at
    # registration (Pasal 454 ayat (7)): the page says so, so nobody plans on the earlier date.
    from django.urls import reverse

    from awas.cases.tests.staff_helpers import ALL_MET, record_laporan
    from awas.conftest import verified_client

    staff = make_user(Role.STAF_PP, "35.07")
    client = verified_client(staff)
    pemilu = record_laporan(staff, PUTAT_KIDUL, election_type=ElectionType.PEMILU)
    pilkada = record_laporan(staff, PUTAT_KIDUL)

    def provisional(case) -> bool:
        page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
        return "sementara: dihitung dari hari diterima, dan dihitung ulang dari hari registrasi" in page

    assert provisional(pemilu)
    assert not provisional(pilkada)  # Pilkada counts from receipt for good (Pasal 134 ayat (5))
    workflow.requirements_check(case=pemilu, checks=ALL_MET, actor=staff)
    assert not provisional(pemilu)
