"""The deadline clock: worked examples computed by hand, properties, the rule file and the admin.

Convention under test (awas/core/services/deadlines.py): the start day is day 0, the deadline is
the end (23:59:59 WIB) of day N; calendar days count every day; working days skip Saturdays,
Sundays, libur nasional and cuti bersama, and day 1 is the first working day after the start.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from awas.conftest import verified_client
from awas.core.models import AuditEntry, DayType, DeadlineRule, ElectionType, Holiday, HolidayKind
from awas.core.roles import Role
from awas.core.services.deadlines import (
    Deadline,
    RuleSpec,
    UnknownRule,
    add_days,
    days_after,
    days_remaining,
    deadline_for,
    deadline_rules_load,
    due_date,
    holiday_dates,
    holidays_seed,
    is_at_risk,
    is_overdue,
    is_working_day,
    read_seed,
    reminder_due,
)
from awas.core.services.users import user_create

D = dt.date
WIB = ZoneInfo("Asia/Jakarta")
CAL, WORK = DayType.CALENDAR, DayType.WORKING
PILKADA, PEMILU = ElectionType.PILKADA, ElectionType.PEMILU
SEED = read_seed()
SEEDED_HOLIDAYS = frozenset(h.date for h in SEED.holidays)
RULES = {(r.election_type, r.key): r for r in SEED.rules}
# Maulid Nabi 2020 was moved to Thursday 29 Oct, with cuti bersama on Wed 28 and Fri 30 Oct (SKB 2020
# as revised); not seeded, only used to show that a Pilkada calendar-day clock ignores holidays.
OCT_2020_HOLIDAYS = frozenset({D(2020, 10, 28), D(2020, 10, 29), D(2020, 10, 30)})


# --- worked examples ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_laporan_received_on_the_friday_before_the_waisak_long_weekend_2025():
    # Received Friday 9 May 2025. Mon 12 May: Hari Raya Waisak (libur nasional); Tue 13 May: cuti
    # bersama Waisak. Then Kenaikan Yesus Kristus on Thu 29 May, cuti bersama Fri 30 May, and Hari
    # Lahir Pancasila on Sunday 1 June.
    friday = D(2025, 5, 9)
    assert friday.weekday() == 4

    # Pilkada, calendar days (Pasal 134(5)+(6)): 9 May + 3 = Mon 12 May, although it is a holiday;
    # with the 2 extra days: 9 May + 5 = Wed 14 May.
    pilkada = due_date(PILKADA, "decision", friday)
    assert pilkada.due_date == D(2025, 5, 12)
    assert due_date(PILKADA, "decision", friday, extended=True).due_date == D(2025, 5, 14)

    # Pemilu, working days (Pasal 454(7)): Sat 10, Sun 11, Mon 12 (Waisak) and Tue 13 (cuti bersama)
    # do not count. Wed 14 = 1, Thu 15 = 2, Fri 16 = 3, Mon 19 = 4, Tue 20 = 5, Wed 21 = 6,
    # Thu 22 = 7: due Thursday 22 May 2025.
    pemilu = due_date(PEMILU, "decision", friday)
    assert pemilu.due_date == D(2025, 5, 22)
    # Extended to 14 working days (Pasal 454(8)): Fri 23 = 8, Mon 26 = 9, Tue 27 = 10, Wed 28 = 11,
    # (Thu 29 Kenaikan, Fri 30 cuti bersama, Sat 31, Sun 1 Jun Pancasila) Mon 2 Jun = 12,
    # Tue 3 = 13, Wed 4 Jun = 14.
    assert due_date(PEMILU, "decision", friday, extended=True).due_date == D(2025, 6, 4)

    # The same Friday as the day the violation became known: Pilkada 7 calendar days = Fri 16 May;
    # Pemilu 7 working days = Thu 22 May (the same count as above).
    assert due_date(PILKADA, "report_filing", friday).due_date == D(2025, 5, 16)
    assert due_date(PEMILU, "report_filing", friday).due_date == D(2025, 5, 22)

    # The deadline is the end of the due date, in WIB.
    assert pemilu.due_at == dt.datetime(2025, 5, 22, 23, 59, 59, tzinfo=WIB)
    assert pemilu.due_at.utcoffset() == dt.timedelta(hours=7)
    assert pemilu.legal_basis == "UU 7/2017 Pasal 454 ayat (7)"
    assert pilkada.legal_basis == "UU 1/2015 jo. UU 10/2016 Pasal 134 ayat (5)"


@pytest.mark.django_db
def test_laporan_received_on_the_friday_before_the_imlek_long_weekend_2026():
    # Friday 13 Feb 2026; Mon 16 Feb cuti bersama Imlek, Tue 17 Feb Tahun Baru Imlek 2577.
    friday = D(2026, 2, 13)
    # Pilkada: 13 + 3 = Mon 16 Feb (a cuti bersama, not moved).
    assert due_date(PILKADA, "decision", friday).due_date == D(2026, 2, 16)
    # Pemilu: Wed 18 = 1, Thu 19 = 2, Fri 20 = 3, Mon 23 = 4, Tue 24 = 5, Wed 25 = 6, Thu 26 = 7.
    assert due_date(PEMILU, "decision", friday).due_date == D(2026, 2, 26)


@pytest.mark.django_db
def test_violation_known_on_a_sunday_under_pemilu_2024():
    # Known Sunday 4 Feb 2024, ten days before the Pemilu 2024 vote. Day 1 is Monday:
    # Mon 5 = 1, Tue 6 = 2, Wed 7 = 3, (Thu 8 Isra Mikraj, Fri 9 cuti bersama Imlek, Sat 10 Imlek,
    # Sun 11) Mon 12 = 4, Tue 13 = 5, (Wed 14 polling day, Keppres 10/2024) Thu 15 = 6, Fri 16 = 7.
    sunday = D(2024, 2, 4)
    assert sunday.weekday() == 6
    deadline = due_date(PEMILU, "report_filing", sunday)
    assert deadline.due_date == D(2024, 2, 16)
    assert deadline.legal_basis == "UU 7/2017 Pasal 454 ayat (6)"
    # The start day is never counted: known on Friday 2 Feb, Saturday 3 Feb or Sunday 4 Feb, day 1
    # is the same Monday, so the deadline is the same.
    for start in (D(2024, 2, 2), D(2024, 2, 3)):
        assert due_date(PEMILU, "report_filing", start).due_date == D(2024, 2, 16)
    # Under Pilkada the same Sunday gives Sunday 11 Feb (calendar days).
    assert due_date(PILKADA, "report_filing", sunday).due_date == D(2024, 2, 11)


def test_a_sunday_start_counts_from_monday_without_holidays():
    # Sunday 2 Mar 2025 (no holidays passed): Mon 3 = 1 ... Fri 7 = 5, Mon 10 = 6, Tue 11 = 7.
    assert add_days(D(2025, 3, 2), 7, WORK, frozenset()) == D(2025, 3, 11)


def test_kota_pasuruan_pilkada_2020():
    # DOMAIN.md A.3: laporan received Sunday 25 Oct 2020; a letter on Wednesday asked the pelapor to
    # complete the requirements within 2x24 hours; the status was conveyed on Saturday.
    received = D(2020, 10, 25)
    assert received.weekday() == 6
    decision = RULES[(PILKADA, "decision")]
    # 3 calendar days: Mon 26 = 1, Tue 27 = 2, Wed 28 = 3. The 2020 Maulid holiday and its cuti
    # bersama (28-30 Oct) do not move a calendar-day clock.
    deadline = deadline_for(decision, received, OCT_2020_HOLIDAYS)
    assert deadline.due_date == D(2020, 10, 28)
    assert deadline.due_at == dt.datetime(2020, 10, 28, 23, 59, 59, tzinfo=WIB)
    # With the 2 extra days of Pasal 134(6): Fri 30 Oct.
    extension = RULES[(PILKADA, "decision_extension")]
    assert deadline_for(decision, received, OCT_2020_HOLIDAYS, extension=extension).due_date == D(
        2020, 10, 30
    )
    # The completion clock from the Wednesday letter: 3 days (the seeded rule) ends Saturday 31 Oct,
    # the day the status was conveyed, about 6 calendar days after receipt; 2x24 hours would have
    # ended on Friday 30 Oct.
    letter = D(2020, 10, 28)
    completion = deadline_for(RULES[(PILKADA, "completion")], letter)
    assert completion.due_date == D(2020, 10, 31)
    assert (completion.due_date - received).days == 6
    assert add_days(letter, 2, CAL) == D(2020, 10, 30)
    # Had the decision clock been working days, the cuti bersama would have pushed it to Mon 2 Nov:
    # Mon 26 = 1, Tue 27 = 2, (Wed 28, Thu 29, Fri 30 off, weekend) Mon 2 Nov = 3.
    assert add_days(received, 3, WORK, OCT_2020_HOLIDAYS) == D(2020, 11, 2)


@pytest.mark.django_db
def test_year_end_with_natal_cuti_bersama_and_new_year():
    # Pemilu laporan received Tuesday 23 Dec 2025: Wed 24 = 1, (Thu 25 Natal, Fri 26 cuti bersama,
    # weekend) Mon 29 = 2, Tue 30 = 3, Wed 31 = 4, (Thu 1 Jan 2026 Tahun Baru) Fri 2 = 5,
    # Mon 5 = 6, Tue 6 Jan 2026 = 7.
    received = D(2025, 12, 23)
    assert due_date(PEMILU, "decision", received).due_date == D(2026, 1, 6)
    # Pilkada: 23 + 3 = Fri 26 Dec, the cuti bersama itself (calendar days are not moved).
    assert due_date(PILKADA, "decision", received).due_date == D(2025, 12, 26)
    # Year-end 2024 across the seeded years: Mon 23 Dec 2024: Tue 24 = 1, (Wed 25 Natal, Thu 26
    # cuti bersama) Fri 27 = 2, Mon 30 = 3, Tue 31 = 4, (Wed 1 Jan 2025) Thu 2 = 5, Fri 3 = 6, Mon 6 = 7.
    assert due_date(PEMILU, "decision", D(2024, 12, 23)).due_date == D(2025, 1, 6)


def test_zero_and_negative_days():
    saturday = D(2025, 5, 10)
    assert add_days(saturday, 0, CAL) == saturday
    # Zero working days from a non-working day: the next working day (Mon 12 and Tue 13 are off).
    assert add_days(saturday, 0, WORK, SEEDED_HOLIDAYS) == D(2025, 5, 14)
    with pytest.raises(ValueError):
        add_days(saturday, -1, CAL)
    with pytest.raises(ValueError):
        add_days(saturday, 1, "fortnight")


# --- status of a deadline -----------------------------------------------------------------------


def _deadline() -> Deadline:
    # Pemilu decision from Fri 9 May 2025 with the seeded holidays: due Thu 22 May 2025.
    return deadline_for(RULES[(PEMILU, "decision")], D(2025, 5, 9), SEEDED_HOLIDAYS)


def test_days_remaining_risk_and_reminder():
    deadline = _deadline()
    assert deadline.due_date == D(2025, 5, 22)
    assert days_remaining(deadline, D(2025, 5, 20)) == 2
    assert days_remaining(deadline, D(2025, 5, 22)) == 0
    assert days_remaining(deadline, D(2025, 5, 24)) == -2

    assert reminder_due(deadline, D(2025, 5, 21))
    assert not reminder_due(deadline, D(2025, 5, 20))
    assert not reminder_due(deadline, D(2025, 5, 22))

    def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
        return dt.datetime(2025, 5, day, hour, minute, tzinfo=WIB)

    assert not is_at_risk(deadline, at(20, 23, 59))
    assert is_at_risk(deadline, at(21, 0, 0))  # the day before
    assert is_at_risk(deadline, at(22, 12))  # the due date
    assert is_at_risk(deadline, at(23, 8))  # overdue
    assert is_at_risk(deadline, at(19, 9), threshold_days=3)
    assert not is_overdue(deadline, at(22, 23, 59))
    assert is_overdue(deadline, at(23, 0, 0))
    # "now" in UTC is read in WIB: 17:30 UTC on 21 May is 00:30 WIB on 22 May, the due date.
    assert days_remaining(deadline, dt.datetime(2025, 5, 21, 17, 30, tzinfo=dt.UTC)) == 0
    with pytest.raises(ValueError, match="aware"):
        is_at_risk(deadline, dt.datetime(2025, 5, 21, 12))


# --- properties ---------------------------------------------------------------------------------

starts = st.dates(min_value=D(2023, 1, 1), max_value=D(2027, 12, 31))
counts = st.integers(min_value=0, max_value=40)
offsets = st.frozensets(st.integers(min_value=0, max_value=90), max_size=25)


def _near(start: dt.date, days: frozenset[int]) -> frozenset[dt.date]:
    """Holidays placed near the start, where they can matter."""
    return frozenset(start + dt.timedelta(days=d) for d in days)


@given(start=starts, n=counts, holiday_offsets=offsets)
def test_working_day_deadline_is_never_earlier_than_calendar_day_deadline(start, n, holiday_offsets):
    holidays = _near(start, holiday_offsets) | SEEDED_HOLIDAYS
    assert add_days(start, n, WORK, holidays) >= add_days(start, n, CAL, holidays)


@given(start=starts, n=counts, holiday_offsets=offsets, day_type=st.sampled_from([CAL, WORK]))
def test_due_date_is_monotone_in_n(start, n, holiday_offsets, day_type):
    holidays = _near(start, holiday_offsets)
    assert add_days(start, n, day_type, holidays) <= add_days(start, n + 1, day_type, holidays)
    if n >= 1:
        assert add_days(start, n, day_type, holidays) < add_days(start, n + 1, day_type, holidays)


@given(
    start=starts,
    later_by=st.integers(min_value=0, max_value=20),
    n=counts,
    holiday_offsets=offsets,
    day_type=st.sampled_from([CAL, WORK]),
)
def test_due_date_is_monotone_in_the_start_date(start, later_by, n, holiday_offsets, day_type):
    holidays = _near(start, holiday_offsets)
    later = start + dt.timedelta(days=later_by)
    assert add_days(start, n, day_type, holidays) <= add_days(later, n, day_type, holidays)


@given(
    start=starts,
    n=st.integers(min_value=1, max_value=40),
    holiday_offsets=offsets,
    day_type=st.sampled_from([CAL, WORK]),
)
def test_days_after_counts_back_what_add_days_counted_forward(start, n, holiday_offsets, day_type):
    # How late an answer is ("terlambat N hari kerja") is the same arithmetic read backwards.
    holidays = _near(start, holiday_offsets)
    due = add_days(start, n, day_type, holidays)
    assert days_after(start, due, day_type, holidays) == n
    assert days_after(due, start, day_type, holidays) == 0  # never negative


@given(week=st.integers(min_value=0, max_value=520))
def test_five_working_days_from_a_monday_is_the_next_monday_without_holidays(week):
    monday = D(2022, 1, 3) + dt.timedelta(weeks=week)
    assert monday.weekday() == 0
    assert add_days(monday, 5, WORK, frozenset()) == monday + dt.timedelta(days=7)


@given(start=starts, n=counts, holiday_offsets=offsets)
def test_working_day_due_date_is_a_working_day(start, n, holiday_offsets):
    holidays = _near(start, holiday_offsets) | SEEDED_HOLIDAYS
    assert is_working_day(add_days(start, n, WORK, holidays), holidays)


@given(start=starts, n=counts, holiday_offsets=offsets, extra=st.integers(min_value=0, max_value=90))
def test_adding_a_holiday_never_makes_a_working_day_deadline_earlier(start, n, holiday_offsets, extra):
    holidays = _near(start, holiday_offsets)
    more = holidays | {start + dt.timedelta(days=extra)}
    assert add_days(start, n, WORK, more) >= add_days(start, n, WORK, holidays)


@given(start=starts, a=counts, b=counts, holiday_offsets=offsets)
def test_an_extension_counts_from_the_same_start(start, a, b, holiday_offsets):
    # a + b days from the start equals b more days from the first deadline (for a >= 1, whose due
    # date is a working day), so the extension neither gains nor loses a day.
    holidays = _near(start, holiday_offsets)
    if a >= 1:
        first = add_days(start, a, WORK, holidays)
        assert add_days(start, a + b, WORK, holidays) == add_days(first, b, WORK, holidays)
    assert add_days(start, a + b, CAL) == add_days(add_days(start, a, CAL), b, CAL)


# --- the rule file and the database ------------------------------------------------------------

CITED = {
    (PILKADA, "report_filing"): ("Pasal 134 ayat (4)", 7, CAL),
    (PILKADA, "decision"): ("Pasal 134 ayat (5)", 3, CAL),
    (PILKADA, "decision_extension"): ("Pasal 134 ayat (6)", 2, CAL),
    (PILKADA, "completion"): ("Perbawaslu 8/2020", 3, CAL),
    (PEMILU, "report_filing"): ("UU 7/2017 Pasal 454 ayat (6)", 7, WORK),
    (PEMILU, "decision"): ("UU 7/2017 Pasal 454 ayat (7)", 7, WORK),
    (PEMILU, "decision_extension"): ("UU 7/2017 Pasal 454 ayat (8)", 7, WORK),
}


@pytest.mark.django_db
def test_rules_loaded_from_the_data_file_cite_their_articles():
    rows = {(r.election_type, r.key): r for r in DeadlineRule.objects.all()}  # seeded by migration 0003
    assert set(CITED) <= set(rows)
    for key, (article, days, day_type) in CITED.items():
        rule = rows[key]
        assert article in rule.legal_basis, key
        assert (rule.days, rule.day_type) == (days, day_type), key
        assert rule.start_event and rule.label, key
    for rule in rows.values():
        assert rule.legal_basis.strip(), rule.key
        assert ("Pasal" in rule.legal_basis) or ("Perbawaslu" in rule.legal_basis), rule.key
    # The disputed completion clock says so.
    assert "2x24 hours" in rows[(PILKADA, "completion")].note
    # Pemilu: 7 + 7 = the 14 hari kerja of Pasal 454(8); Pilkada: 3 + 2 calendar days.
    assert rows[(PEMILU, "decision")].days + rows[(PEMILU, "decision_extension")].days == 14
    assert rows[(PILKADA, "decision")].days + rows[(PILKADA, "decision_extension")].days == 5


@pytest.mark.django_db
def test_deadline_rules_load_is_idempotent_and_restores_the_file():
    assert deadline_rules_load().created == 0  # the migration already loaded them
    again = deadline_rules_load()
    assert (again.created, again.updated) == (0, 0)
    DeadlineRule.objects.filter(election_type=PILKADA, key="decision").update(days=30)
    before = AuditEntry.objects.count()
    assert deadline_rules_load().updated == 1
    assert DeadlineRule.objects.get(election_type=PILKADA, key="decision").days == 3
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.order_by("-seq")[0]
    assert entry.action == "deadline_rule.loaded"
    assert (entry.before, entry.after) == ({"days": 30}, {"days": 3})  # only what changed


@pytest.mark.django_db
def test_rules_are_loaded_on_first_use_when_missing():
    DeadlineRule.objects.all().delete()
    assert due_date(PILKADA, "decision", D(2024, 11, 27)).due_date == D(2024, 11, 30)
    assert DeadlineRule.objects.count() == len(SEED.rules)


@pytest.mark.django_db
def test_unknown_rule_or_extension_is_refused():
    with pytest.raises(UnknownRule):
        due_date(PILKADA, "no_such_rule", D(2024, 11, 1))
    with pytest.raises(UnknownRule):
        due_date(PEMILU, "report_filing", D(2024, 11, 1), extended=True)


@pytest.mark.django_db
def test_holidays_are_seeded_for_2024_to_2026_and_seeding_keeps_admin_edits():
    dates = holiday_dates()
    assert dates >= SEEDED_HOLIDAYS
    assert {d.year for d in SEEDED_HOLIDAYS} == {2024, 2025, 2026}
    assert Holiday.objects.get(date=D(2025, 5, 13)).kind == HolidayKind.CUTI_BERSAMA
    assert Holiday.objects.get(date=D(2025, 5, 12)).kind == HolidayKind.LIBUR_NASIONAL
    for year, national, cuti in ((2024, 17, 10), (2025, 17, 11), (2026, 17, 8)):
        in_year = Holiday.objects.filter(date__year=year, source__startswith="SKB")
        assert in_year.filter(kind=HolidayKind.LIBUR_NASIONAL).count() == national, year
        assert in_year.filter(kind=HolidayKind.CUTI_BERSAMA).count() == cuti, year
    Holiday.objects.filter(date=D(2025, 5, 13)).update(name="Renamed by the admin")
    assert holidays_seed() == 0
    assert Holiday.objects.get(date=D(2025, 5, 13)).name == "Renamed by the admin"


@pytest.mark.django_db
def test_the_admin_changing_a_holiday_changes_the_next_due_date(malang):
    admin = user_create(username="admin", password="uji-Awas-2024!", role=Role.ADMIN, scope_region=malang)
    client = verified_client(admin)
    friday = D(2025, 5, 9)
    assert due_date(PEMILU, "decision", friday).due_date == D(2025, 5, 22)

    # The government adds a cuti bersama on Wednesday 21 May: 21 no longer counts, due Fri 23 May.
    response = client.post(
        "/admin/core/holiday/add/",
        {
            "date": "2025-05-21",
            "name": "Cuti bersama tambahan",
            "kind": HolidayKind.CUTI_BERSAMA,
            "source": "uji",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    added = Holiday.objects.get(date=D(2025, 5, 21))
    assert due_date(PEMILU, "decision", friday).due_date == D(2025, 5, 23)
    assert AuditEntry.objects.filter(action="admin.added", object_id=str(added.pk)).exists()

    # The admin corrects it to Saturday 24 May (no effect on working days): due Thu 22 May again.
    response = client.post(
        f"/admin/core/holiday/{added.pk}/change/",
        {
            "date": "2025-05-24",
            "name": "Cuti bersama tambahan",
            "kind": HolidayKind.CUTI_BERSAMA,
            "source": "uji",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert due_date(PEMILU, "decision", friday).due_date == D(2025, 5, 22)
    changed = AuditEntry.objects.get(action="admin.changed", object_id=str(added.pk))
    assert (changed.before or {}).get("date") == "2025-05-21"
    assert (changed.after or {}).get("date") == "2025-05-24"

    # Deleting the Waisak cuti bersama (Tue 13 May) makes it count: due Wed 21 May.
    waisak_cuti = Holiday.objects.get(date=D(2025, 5, 13))
    response = client.post(f"/admin/core/holiday/{waisak_cuti.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert due_date(PEMILU, "decision", friday).due_date == D(2025, 5, 21)
    # Pilkada's calendar clock never looked at holidays.
    assert due_date(PILKADA, "decision", friday).due_date == D(2025, 5, 12)


@pytest.mark.django_db
def test_deadline_rules_are_read_only_in_the_admin(malang):
    admin = user_create(username="admin", password="uji-Awas-2024!", role=Role.ADMIN, scope_region=malang)
    client = verified_client(admin)
    page = client.get("/admin/core/deadlinerule/")
    assert page.status_code == 200
    assert "Pasal 454" in page.content.decode()
    rule = DeadlineRule.objects.get(election_type=PEMILU, key="decision")
    assert client.post(f"/admin/core/deadlinerule/{rule.pk}/change/", {"days": 1}).status_code == 403
    assert DeadlineRule.objects.get(pk=rule.pk).days == 7
    assert client.get("/admin/core/holiday/").status_code == 200


def test_rule_spec_round_trips_through_the_model():
    spec = RULES[(PEMILU, "decision")]
    row = DeadlineRule(election_type=spec.election_type, key=spec.key, **spec.as_fields())
    assert RuleSpec.from_model(row) == spec


# --- the per-process cache of rules and holidays ----------------------------------------------


def _pemilu_review(start: dt.date) -> dt.date:
    return due_date(ElectionType.PEMILU, "initial_review", start).due_date


def test_the_cache_serves_reads_outside_a_transaction_and_forgets_on_an_edit(
    transactional_db, django_assert_num_queries
):
    from awas.core.services import deadlines

    deadlines.deadline_cache_clear()
    monday = D(2025, 6, 2)
    before = _pemilu_review(monday)  # fills the cache (outside a transaction)
    with django_assert_num_queries(0):
        assert _pemilu_review(monday) == before

    # An administrator's edit in this process is seen at once: the Tuesday becomes a holiday.
    Holiday.objects.create(date=D(2025, 6, 3), name="Libur uji", kind=HolidayKind.LIBUR_NASIONAL)
    assert _pemilu_review(monday) > before

    Holiday.objects.filter(date=D(2025, 6, 3)).delete()
    assert _pemilu_review(monday) == before

    rule = DeadlineRule.objects.get(election_type=ElectionType.PEMILU, key="initial_review")
    rule.days += 2
    rule.save()
    assert _pemilu_review(monday) > before
    deadline_rules_load()  # back to the file
    assert _pemilu_review(monday) == before


def test_inside_a_transaction_the_cache_is_not_filled_with_what_may_be_rolled_back(transactional_db):
    from django.db import transaction

    from awas.core.services import deadlines

    monday = D(2025, 6, 2)
    deadlines.deadline_cache_clear()
    before = _pemilu_review(monday)
    with pytest.raises(RuntimeError), transaction.atomic():
        Holiday.objects.create(date=D(2025, 6, 3), name="Libur uji", kind=HolidayKind.LIBUR_NASIONAL)
        assert _pemilu_review(monday) > before  # this transaction sees its own edit
        raise RuntimeError("batal")

    assert _pemilu_review(monday) == before
    assert deadlines.holiday_dates(since=monday) == frozenset(
        Holiday.objects.filter(date__gte=monday).values_list("date", flat=True)
    )


def test_the_home_page_warns_when_the_holiday_calendar_ends_too_soon(malang, make_user):
    from django.utils import timezone

    from awas.core.selectors import holiday_years_missing

    Holiday.objects.filter(date__year__gte=2026).delete()
    Holiday.objects.create(date=dt.date(2026, 12, 25), name="Natal", kind=HolidayKind.LIBUR_NASIONAL)
    assert holiday_years_missing(dt.date(2026, 5, 4)) == []  # next year's SKB is not out yet
    assert holiday_years_missing(dt.date(2026, 11, 27)) == [2027]
    assert holiday_years_missing(dt.date(2027, 2, 1)) == [2027]
    Holiday.objects.create(date=dt.date(2027, 1, 1), name="Tahun Baru", kind=HolidayKind.LIBUR_NASIONAL)
    assert holiday_years_missing(dt.date(2026, 11, 27)) == []

    Holiday.objects.filter(date__year__gte=timezone.localdate().year).delete()
    staf = verified_client(make_user(Role.STAF_PP, "35.07", username="staf"))
    warned = staf.get("/").content.decode()
    assert 'data-testid="holiday-calendar-missing"' in warned
    # The year as a year ("2026"), not as a number with a thousands separator ("2.026").
    assert f"tahun {timezone.localdate().year}:" in warned
    kader = verified_client(make_user(Role.KADER, "35.07", username="kader"))
    assert 'data-testid="holiday-calendar-missing"' not in kader.get("/").content.decode()
