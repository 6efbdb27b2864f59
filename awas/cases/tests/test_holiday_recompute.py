"""Holiday edits in the admin reach the due dates stored on open cases (UU 7/2017 Pasal 454:
Pemilu clocks count hari kerja, which skip every libur nasional and cuti bersama)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from awas.cases.models import Case, CaseStatus, DecisionOutcome
from awas.cases.services import workflow
from awas.cases.services.deadlines import open_case_deadlines_recompute
from awas.cases.tests.staff_helpers import (  # noqa: F401 (_quick_argon2 is an autouse fixture)
    ALL_MET,
    _quick_argon2,
    decided_case,
    record_laporan,
    registered_laporan,
)
from awas.conftest import KAB_MALANG, PUTAT_KIDUL, TEST_PASSWORD, verified_client
from awas.core.models import AuditEntry, Holiday, HolidayKind
from awas.core.models.deadlines import DayType, DeadlineRule, ElectionType
from awas.core.roles import Role
from awas.core.services.deadlines import add_days, deadline_rules_load, holiday_dates, is_working_day
from awas.core.services.users import user_create

PEMILU = ElectionType.PEMILU
DUE_FIELDS = ("filing_due", "completion_due", "decision_due")


@pytest.fixture
def staf(malang, make_user):
    return make_user(Role.STAF_PP, KAB_MALANG, username="staf")


@pytest.fixture
def admin_client(malang):
    admin = user_create(username="admin", password=TEST_PASSWORD, role=Role.ADMIN, scope_region=malang)
    return admin, verified_client(admin)


def _dates(case: Case) -> tuple[dt.date | None, ...]:
    case.refresh_from_db()
    return tuple(getattr(case, name) for name in DUE_FIELDS)


def _next_working_day(after: dt.date) -> dt.date:
    holidays = holiday_dates()
    day = after + dt.timedelta(days=1)
    while not is_working_day(day, holidays):
        day += dt.timedelta(days=1)
    return day


def test_a_holiday_declared_by_the_admin_moves_open_pemilu_clocks_and_keeps_closed_ones(staf, admin_client):
    admin, client = admin_client
    registered = registered_laporan(staf, PUTAT_KIDUL, election_type=PEMILU, title="Terdaftar")
    incomplete = record_laporan(staf, PUTAT_KIDUL, election_type=PEMILU, evidence=[], title="Kurang")
    workflow.requirements_check(case=incomplete, checks={**ALL_MET, "material_evidence": False}, actor=staf)
    closed = decided_case(
        staf, PUTAT_KIDUL, DecisionOutcome.BUKAN_PELANGGARAN, election_type=PEMILU, evidence=[]
    )
    waiting = decided_case(  # decided, its referral not yet sent: the decision clock has stopped
        staf, PUTAT_KIDUL, DecisionOutcome.ADMINISTRASI, election_type=PEMILU, evidence=[], title="Menunggu"
    )
    pilkada = registered_laporan(staf, PUTAT_KIDUL, evidence=[], title="Pilkada")
    assert _dates(incomplete)[0] is not None and incomplete.status == CaseStatus.INCOMPLETE
    assert closed.status == CaseStatus.CLOSED
    before = {case.pk: _dates(case) for case in (registered, incomplete, closed, waiting, pilkada)}

    # The government declares the next working day a cuti bersama: it lies inside every clock
    # that started today, so each working-day due date moves to the next working day.
    holiday = _next_working_day(timezone.localdate())
    response = client.post(
        "/admin/core/holiday/add/",
        {
            "date": holiday.isoformat(),
            "name": "Cuti bersama tambahan",
            "kind": HolidayKind.CUTI_BERSAMA,
            "source": "uji",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    # The admin is told what the edit did to running clocks.
    told = client.get(response["Location"]).content.decode()
    assert "Tenggat 2 perkara berjalan dihitung ulang dengan kalender ini." in told

    old_decision, new_decision = before[registered.pk][2], _dates(registered)[2]
    assert old_decision is not None and holiday <= old_decision
    assert new_decision == add_days(old_decision, 1, DayType.WORKING, holiday_dates())
    assert new_decision == _next_working_day(old_decision)
    old_completion, new_completion = before[incomplete.pk][1], _dates(incomplete)[1]
    assert old_completion is not None and new_completion == _next_working_day(old_completion)
    assert _dates(closed) == before[closed.pk]  # the history of a closed case is not rewritten
    assert _dates(waiting) == before[waiting.pk]
    assert _dates(pilkada) == before[pilkada.pk]  # calendar days never looked at holidays

    entry = AuditEntry.objects.get(action="deadlines.recomputed")
    assert entry.actor_id == admin.pk
    assert (entry.after or {})["count"] == 2
    assert {int(pk) for pk in (entry.after or {})["cases"]} == {registered.pk, incomplete.pk}
    assert (entry.after or {})["cases"][str(registered.pk)]["decision_due"] == [
        old_decision.isoformat(),
        new_decision.isoformat(),
    ]
    assert (entry.after or {})["holidays"] == [holiday.isoformat()]

    # Deleting it again puts the office's dates back; the pelapor keeps the later date they were
    # told for completing their laporan (it never moves earlier).
    added = Holiday.objects.get(date=holiday)
    assert client.post(f"/admin/core/holiday/{added.pk}/delete/", {"post": "yes"}).status_code == 302
    assert _dates(registered) == before[registered.pk]
    assert _dates(incomplete)[1] == new_completion
    assert AuditEntry.objects.filter(action="deadlines.recomputed").count() == 2


def test_a_holiday_after_every_due_date_changes_nothing_and_writes_no_entry(staf, admin_client):
    case = registered_laporan(staf, PUTAT_KIDUL, election_type=PEMILU)
    far = timezone.localdate() + dt.timedelta(days=400)
    _admin, client = admin_client
    response = client.post(
        "/admin/core/holiday/add/",
        {"date": far.isoformat(), "name": "Jauh", "kind": HolidayKind.LIBUR_NASIONAL, "source": "uji"},
    )
    assert response.status_code == 302
    assert (
        "Tidak ada tenggat perkara berjalan yang berubah."
        in client.get(response["Location"]).content.decode()
    )
    assert open_case_deadlines_recompute(dates={far}) == 0
    assert not AuditEntry.objects.filter(action="deadlines.recomputed").exists()
    assert _dates(case)[2] == case.decision_due


def test_a_changed_rule_recomputes_open_cases(staf):
    case = registered_laporan(staf, PUTAT_KIDUL, election_type=PEMILU)
    good = _dates(case)
    # Someone changed the table by hand; loading the file puts the rule back and the dates with it.
    DeadlineRule.objects.filter(election_type=PEMILU, key="decision").update(days=1)
    Case.objects.filter(pk=case.pk).update(decision_due=timezone.localdate())
    deadline_rules_load()
    assert _dates(case) == good
    assert AuditEntry.objects.filter(action="deadlines.recomputed").exists()


def test_the_deadlines_command_gives_cases_from_before_a_new_clock_their_dates(staf, capsys):
    from django.core.management import call_command

    case = record_laporan(staf, PUTAT_KIDUL, election_type=PEMILU, evidence=[])
    assert case.review_due is not None
    # As a laporan received before the kajian awal clock existed (migration 0007) was left.
    Case.objects.filter(pk=case.pk).update(review_due=None)
    call_command("cases", "deadlines")
    assert "1 open case(s) got new due dates." in capsys.readouterr().out
    assert Case.objects.get(pk=case.pk).review_due == case.review_due
    entry = AuditEntry.objects.get(action="deadlines.recomputed")
    assert (entry.after or {})["reason"] == "awas cases deadlines"
    call_command("cases", "deadlines")  # nothing left to move: no second entry
    assert "0 open case(s)" in capsys.readouterr().out
    assert AuditEntry.objects.filter(action="deadlines.recomputed").count() == 1


def test_an_imported_year_moves_the_open_pemilu_clocks_it_reaches_once(staf, admin_client):
    admin, client = admin_client
    case = registered_laporan(staf, PUTAT_KIDUL, election_type=PEMILU, title="Terdaftar")
    before = _dates(case)
    inside = _next_working_day(timezone.localdate())  # a day every clock started today counts
    after = _next_working_day(inside)
    lines = f"{inside.isoformat()}; cuti bersama; Cuti bersama\n{after.isoformat()}; libur nasional; Libur"
    response = client.post("/admin/core/holiday/import/", {"lines": lines, "source": "SKB uji"})
    assert response.status_code == 302
    assert "Tenggat 1 perkara berjalan dihitung ulang" in client.get(response["Location"]).content.decode()
    old_decision = before[2]
    assert old_decision is not None
    assert _dates(case)[2] == add_days(old_decision, 2, DayType.WORKING, holiday_dates())
    entry = AuditEntry.objects.get(action="deadlines.recomputed")  # one entry for the whole import
    assert entry.actor_id == admin.pk and (entry.after or {})["reason"] == "holidays imported"
    assert (entry.after or {})["holidays"] == [inside.isoformat(), after.isoformat()]


def test_upgrading_with_awas_migrate_brings_a_changed_rule_file_to_the_clocks(staf, capsys):
    """The rule file wins: a release that changes a clock takes effect on 'awas migrate'."""
    from django.core.management import call_command

    case = registered_laporan(staf, PUTAT_KIDUL, election_type=PEMILU)
    good = _dates(case)
    # The table as an older release left it: the Pemilu decision clock at 5 working days.
    DeadlineRule.objects.filter(election_type=PEMILU, key="decision").update(days=5)
    Case.objects.filter(pk=case.pk).update(
        decision_due=add_days(timezone.localdate(), 5, DayType.WORKING, holiday_dates())
    )
    call_command("migrate", verbosity=1)
    assert "0 added, 1 changed" in capsys.readouterr().out
    assert DeadlineRule.objects.get(election_type=PEMILU, key="decision").days == 7
    assert _dates(case) == good
    assert AuditEntry.objects.filter(action="deadline_rule.loaded").count() == 1
    assert AuditEntry.objects.filter(action="deadlines.recomputed").count() == 1
    call_command("migrate", verbosity=1)  # nothing changed since: nothing said, nothing written
    assert "Deadline rules" not in capsys.readouterr().out
    assert AuditEntry.objects.filter(action="deadline_rule.loaded").count() == 1
