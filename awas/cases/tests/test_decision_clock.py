"""Which day the decision clock starts from, per election type and kind (DOMAIN.md §2.1)."""

import datetime as dt
from zoneinfo import ZoneInfo

from awas.cases.services import workflow
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
