"""The demo's cases: a newcomer running ``make demo`` finds each stage of a case filled in."""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils import timezone

from awas.cases import selectors
from awas.cases.demo import demo_cases_create
from awas.cases.formatting import local, today_local
from awas.cases.models import Case, CaseKind, CaseStatus, Referral, Reminder
from awas.cases.services import workflow
from awas.cases.services.common import ROMAN_MONTHS
from awas.cases.tests.staff_helpers import _quick_argon2, seed_bodies  # noqa: F401 (autouse fixture)
from awas.conftest import GONDANGLEGI, KEPANJEN, PUTAT_KIDUL, verified_client
from awas.core.models.deadlines import ElectionType
from awas.core.roles import Role
from awas.core.services.deadlines import holiday_dates, is_working_day


def test_the_demo_fills_every_stage_and_each_list_once(malang, make_user, client):
    seed_bodies()
    staff = make_user(Role.STAF_PP, "35.07", username="staf.pp")
    chair = make_user(Role.PIMPINAN, "35.07", username="pimpinan")
    made = demo_cases_create(desa_code=PUTAT_KIDUL, other_kecamatan_code=KEPANJEN, staff=staff, chair=chair)
    assert made == Case.objects.count() == 8
    assert set(Case.objects.values_list("status", flat=True)) >= {
        CaseStatus.RECEIVED,
        CaseStatus.INCOMPLETE,
        CaseStatus.CLARIFICATION,
        CaseStatus.REFERRED,
        CaseStatus.CLOSED,
    }
    assert set(Case.objects.values_list("kind", flat=True)) == set(CaseKind.values)
    # The lists the menu counts are not empty: a clarification due tomorrow, BKN late to answer.
    assert selectors.deadlines_at_risk(staff).exists()
    [overdue] = selectors.overdue_follow_ups(staff)
    assert overdue.body.code == "bkn"
    home = verified_client(staff, client).get(reverse("core:home")).content.decode()
    assert re.search(r'data-menu="cases:follow_ups">1<', home)
    # So is the reminders page: what the daily job would have written this morning.
    reminders = client.get(reverse("cases:reminders")).content.decode()
    assert "Tidak ada pengingat" not in reminders
    assert Reminder.objects.filter(user=staff, case__status=CaseStatus.CLARIFICATION).exists()
    # The Panwascam of Gondanglegi sees its kecamatan's cases, not Kepanjen's.
    panwascam = make_user(Role.PANWASCAM, GONDANGLEGI, username="pcam")
    visible = set(Case.objects.visible_to(panwascam).values_list("region__parent_id", flat=True))
    assert visible == {GONDANGLEGI}
    # The public can follow the online laporan with its code.
    online = Case.objects.get(kind=CaseKind.LAPORAN, channel="web")
    page = client.get(reverse("public:track_detail", args=[online.tracking_code]))
    assert page.status_code == 200 and "Diterima" in page.content.decode()

    assert (
        demo_cases_create(desa_code=PUTAT_KIDUL, other_kecamatan_code=KEPANJEN, staff=staff, chair=chair) == 0
    )
    assert Case.objects.count() == 8


def test_the_demo_cases_read_like_a_months_work_done_on_its_days(malang, make_user):
    seed_bodies()
    staff = make_user(Role.STAF_PP, "35.07", username="staf.pp")
    chair = make_user(Role.PIMPINAN, "35.07", username="pimpinan")
    demo_cases_create(desa_code=PUTAT_KIDUL, other_kecamatan_code=KEPANJEN, staff=staff, chair=chair)
    now = timezone.now()
    for case in Case.objects.all():
        history = list(case.history.values_list("at", flat=True))
        # Each step on its own day, in order, none before the case came in nor after now: a case
        # decided three weeks ago was not registered tonight.
        assert history == sorted(history) and history[0] == case.received_at <= history[-1] <= now, case
        if case.status in {CaseStatus.REFERRED, CaseStatus.CLOSED} and case.kind == CaseKind.LAPORAN:
            assert local(history[-1]).date() < today_local(), case
    # Registration numbers in the order the laporan came in, each with the month it was registered.
    registered = Case.objects.filter(registration_number__isnull=False).order_by("received_at")
    numbers = [str(case.registration_number) for case in registered]
    assert [number[:3] for number in numbers] == [f"{n:03d}" for n in range(1, len(numbers) + 1)]
    for case, number in zip(registered, numbers, strict=True):
        when = local(case.history.get(to_status=CaseStatus.REGISTERED).at)
        assert number.endswith(f"/{ROMAN_MONTHS[when.month - 1]}/{when.year}"), case
    # Letters leave on working days; BKN's answer, in hari kerja, is overdue.
    holidays = holiday_dates()
    for referral in Referral.objects.all():
        assert is_working_day(referral.sent_on, holidays), referral.sent_on
    bkn = Referral.objects.get(body__code="bkn")
    assert bkn.responded_on is None and bkn.follow_up_due < today_local()
    assert bkn.follow_up_due == workflow.answer_expected_on(bkn.body, bkn.sent_on)


def test_the_demo_cases_are_all_of_one_election_the_office_handles(malang, make_user, settings):
    """An office handling both elections gets the Pilkada stories as Pilkada cases, the online ones
    too; an office handling only the Pemilu gets no Pilkada case it could not have received."""
    seed_bodies()
    staff = make_user(Role.STAF_PP, "35.07", username="staf.pp")
    chair = make_user(Role.PIMPINAN, "35.07", username="pimpinan")
    settings.AWAS_ELECTION_TYPE = "pemilu,pilkada"
    demo_cases_create(desa_code=PUTAT_KIDUL, other_kecamatan_code=KEPANJEN, staff=staff, chair=chair)
    assert set(Case.objects.values_list("election_type", flat=True)) == {ElectionType.PILKADA}

    Case.objects.all().delete()
    settings.AWAS_ELECTION_TYPE = "pemilu"
    assert (
        demo_cases_create(desa_code=PUTAT_KIDUL, other_kecamatan_code=KEPANJEN, staff=staff, chair=chair) == 8
    )
    assert set(Case.objects.values_list("election_type", flat=True)) == {ElectionType.PEMILU}


def test_no_demo_case_is_offered_for_merging_with_another(malang, make_user):
    """Eight different events: no case page proposes merging two of them (same desa, days apart)."""
    seed_bodies()
    staff = make_user(Role.STAF_PP, "35.07", username="staf.pp")
    chair = make_user(Role.PIMPINAN, "35.07", username="pimpinan")
    demo_cases_create(desa_code=PUTAT_KIDUL, other_kecamatan_code=KEPANJEN, staff=staff, chair=chair)
    for case in Case.objects.all():
        assert selectors.related_for_page(staff, case) == [], case
    # The PKD of Putat Kidul still finds a laporan in their desa, online and closed.
    assert Case.objects.filter(region_id=PUTAT_KIDUL).count() == 2
