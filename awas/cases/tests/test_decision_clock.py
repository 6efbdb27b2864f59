"""Which day the decision clock starts from, per election type (DOMAIN.md §2.1)."""

import datetime as dt
from zoneinfo import ZoneInfo

from awas.cases.services import workflow
from awas.cases.tests.staff_helpers import facts
from awas.conftest import GONDANGLEGI
from awas.core.models.deadlines import ElectionType
from awas.core.roles import Role

WIB = ZoneInfo("Asia/Jakarta")


def _temuan(make_user, election_type: str, received: dt.datetime):
    staff = make_user(Role.STAF_PP, "35.07")
    case = workflow.temuan_create(facts=facts(GONDANGLEGI, election_type=election_type), actor=staff)
    case.received_at = received
    case.save(update_fields=["received_at"])
    return staff, case


def test_pilkada_decision_counts_from_receipt_not_registration(malang, make_user):
    # Received Monday 4 Nov 2024; Pilkada: 3 calendar days from receipt (UU 10/2016 Pasal 134(5))
    # → Thursday 7 Nov, whenever it is registered.
    staff, case = _temuan(make_user, ElectionType.PILKADA, dt.datetime(2024, 11, 4, 9, tzinfo=WIB))
    workflow.case_register(case=case, actor=staff)
    case.refresh_from_db()
    assert case.decision_due == dt.date(2024, 11, 7)


def test_pemilu_decision_counts_from_registration(malang, make_user):
    # Pemilu: 7 working days from receipt *and registration* (UU 7/2017 Pasal 454(7)). A case
    # received long ago but registered today is due 7 working days after today, not after receipt.
    staff, case = _temuan(make_user, ElectionType.PEMILU, dt.datetime(2024, 1, 8, 9, tzinfo=WIB))
    workflow.case_register(case=case, actor=staff)
    case.refresh_from_db()
    registered_on = case.history.get(to_status="diregistrasi").at.astimezone(WIB).date()
    assert case.decision_due > registered_on
    assert case.decision_due >= registered_on + dt.timedelta(days=9)  # 7 working days span ≥ 9 days
