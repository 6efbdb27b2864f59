"""A temuan's finding clock (UU 10/2016 Pasal 134 ayat (4); UU 7/2017 Pasal 454 ayat (5)) is a
running deadline like the others: at-risk list, overdue filter, dashboard and reminders."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from awas.cases import selectors
from awas.cases.formatting import tanggal, today_local
from awas.cases.models import Reminder
from awas.cases.services import workflow
from awas.cases.services.common import ROMAN_MONTHS
from awas.cases.services.reminders import reminders_create
from awas.cases.tests.staff_helpers import facts
from awas.conftest import GONDANGLEGI, KAB_MALANG, verified_client
from awas.core.models.deadlines import ElectionType
from awas.core.roles import Role
from awas.core.services.deadlines import due_date


@pytest.fixture
def staf(malang, make_user):
    user = make_user(Role.STAF_PP, KAB_MALANG, username="staf")
    user.email = "staf@bawaslu-malang.example"
    user.save(update_fields=["email"])
    return user


def _temuan_found(staf, days_ago: int):
    found = today_local() - dt.timedelta(days=days_ago)
    return workflow.temuan_create(facts=facts(GONDANGLEGI, event_date=found, known_date=found), actor=staf)


def test_a_temuan_to_be_established_tomorrow_is_at_risk_and_its_officers_are_reminded(staf, mailoutbox):
    today = today_local()
    tomorrow = today + dt.timedelta(days=1)
    temuan = _temuan_found(staf, days_ago=6)  # Pilkada: 7 calendar days from the finding
    assert temuan.filing_due == tomorrow
    assert temuan.decision_due is None  # it starts when the plenary establishes the temuan

    rows = list(selectors.deadlines_at_risk(staf, today))
    # ``clock`` and ``clock_due`` are annotations of the selector.
    assert [(c.pk, getattr(c, "clock"), getattr(c, "clock_due")) for c in rows] == [  # noqa: B009
        (temuan.pk, "finding", tomorrow)
    ]
    page = verified_client(staf).get(reverse("cases:at_risk")).content.decode()
    assert "Penetapan temuan" in page and temuan.title in page

    result = reminders_create(today=today)
    assert result.created == 1
    reminder = Reminder.objects.get(user=staf, case=temuan)
    assert reminder.deadline == "filing_due" and reminder.due == tomorrow
    assert [m.to for m in mailoutbox] == [[staf.email]]
    assert "harus ditetapkan" in mailoutbox[0].body and "besok" in mailoutbox[0].body

    # Registered (ditetapkan) today: the finding clock stops, and only the decision clock is left.
    workflow.case_register(case=temuan, actor=staf)
    assert not selectors.deadlines_at_risk(staf, today).filter(pk=temuan.pk).exists()
    Reminder.objects.all().delete()
    assert reminders_create(today=today).created == 0


def test_an_unregistered_temuan_past_its_finding_deadline_is_overdue(staf):
    late = _temuan_found(staf, days_ago=9)
    in_time = _temuan_found(staf, days_ago=1)
    overdue = selectors.case_list(staf, {"deadline": "overdue"}, today=today_local())
    assert set(overdue.values_list("pk", flat=True)) == {late.pk}
    assert in_time.pk not in set(selectors.deadlines_at_risk(staf).values_list("pk", flat=True))


def test_a_temuan_registered_late_in_the_system_is_measured_on_the_plenary_that_established_it(staf):
    # Found 9 days ago (Pilkada: to be established within 7), established by the plenary 3 days
    # ago, typed in today: established in time, and numbered in the plenary's month.
    today = today_local()
    plenary = today - dt.timedelta(days=3)
    temuan = _temuan_found(staf, days_ago=9)
    client = verified_client(staf)
    response = client.post(
        reverse("cases:register", args=[temuan.pk]), {"established_on": plenary.isoformat()}
    )
    assert response.status_code == 302
    temuan.refresh_from_db()
    assert temuan.established_on == plenary
    assert temuan.registration_number.endswith(f"/{ROMAN_MONTHS[plenary.month - 1]}/{plenary.year}")
    [finding] = [row for row in selectors.case_deadlines(temuan) if row.key == "finding"]
    assert (finding.done_on, finding.days_late) == (plenary, 0)
    page = client.get(reverse("cases:detail", args=[temuan.pk])).content.decode()
    assert f"selesai tepat waktu ({tanggal(plenary)})" in page
    assert f'data-testid="established-on">{tanggal(plenary)}<' in page
    assert f"Temuan ditetapkan dalam rapat pleno tanggal {tanggal(plenary)}." in page  # the history
    # The register exported to Excel carries the plenary's date as a date.
    sheet = load_workbook(io.BytesIO(client.get(reverse("cases:export")).content)).worksheets[0]
    header, row = (list(r) for r in sheet.iter_rows(min_row=1, max_row=2, values_only=True))
    assert row[header.index("Tanggal penetapan temuan")].date() == plenary


def test_the_establishing_plenary_is_neither_in_the_future_nor_before_the_finding(staf):
    temuan = _temuan_found(staf, days_ago=2)
    client = verified_client(staf)
    for day, error in (
        (today_local() + dt.timedelta(days=1), "tidak boleh melewati hari ini"),
        (today_local() - dt.timedelta(days=3), "tidak boleh sebelum tanggal temuan ditemukan"),
    ):
        page = client.post(reverse("cases:register", args=[temuan.pk]), {"established_on": day.isoformat()})
        text = page.content.decode()
        assert page.status_code == 200 and error in text, error
        assert f'value="{day.isoformat()}"' in text  # what was typed is shown again
        temuan.refresh_from_db()
        assert not temuan.registration_number and temuan.established_on is None


def test_a_pemilu_temuan_counts_its_decision_clock_from_the_establishing_plenary(staf):
    found = today_local() - dt.timedelta(days=6)
    temuan = workflow.temuan_create(
        facts=facts(GONDANGLEGI, event_date=found, known_date=found, election_type=ElectionType.PEMILU),
        actor=staf,
    )
    plenary = today_local() - dt.timedelta(days=2)
    workflow.case_register(case=temuan, established_on=plenary, actor=staf)
    temuan.refresh_from_db()
    # UU 7/2017 Pasal 454 ayat (7): 7 hari kerja from the registration, i.e. the plenary's day.
    assert temuan.decision_due == due_date(ElectionType.PEMILU, "decision", plenary).due_date
    # Nor can its decision be dated before it was established.
    workflow.study_save(case=temuan, facts="F.", analysis="A.", conclusion="K.", actor=staf)
    with pytest.raises(workflow.WorkflowError):
        workflow.decision_record(
            case=temuan,
            outcome="bukan_pelanggaran",
            reasons="Tidak terbukti.",
            plenary_date=plenary - dt.timedelta(days=1),
            actor=staf,
        )


def test_a_registered_temuan_cannot_be_corrected_to_a_finding_after_its_establishing(staf):
    # Found 9 days ago, established 3 days ago: a finding corrected to yesterday would have the
    # plenary establish it before it was found (and its finding clock "done" before it started).
    temuan = _temuan_found(staf, days_ago=9)
    plenary = today_local() - dt.timedelta(days=3)
    workflow.case_register(case=temuan, established_on=plenary, actor=staf)
    temuan.refresh_from_db()
    yesterday = today_local() - dt.timedelta(days=1)
    with pytest.raises(workflow.WorkflowError, match="tidak boleh sebelum tanggal temuan ditemukan"):
        workflow.case_correct(
            case=temuan,
            facts=facts(GONDANGLEGI, event_date=yesterday, known_date=yesterday),
            reason="Salah tanggal.",
            actor=staf,
        )
    temuan.refresh_from_db()
    assert temuan.known_date == today_local() - dt.timedelta(days=9)
    # On the plenary's own day, or before it, the correction stands.
    workflow.case_correct(
        case=temuan,
        facts=facts(GONDANGLEGI, event_date=plenary, known_date=plenary),
        reason="Ralat.",
        actor=staf,
    )
    temuan.refresh_from_db()
    assert temuan.known_date == plenary


@pytest.mark.parametrize(
    ("election_type", "length", "extension"),
    [(ElectionType.PILKADA, "3 hari", "2 hari"), (ElectionType.PEMILU, "7 hari kerja", "7 hari kerja")],
)
def test_a_draft_temuan_page_says_when_its_decision_clock_will_start(staf, election_type, length, extension):
    # The draft has no decision date (it starts when the plenary establishes the temuan); the
    # page says so in the deadlines table rather than leaving the officer to wonder where it is.
    found = today_local() - dt.timedelta(days=1)
    temuan = workflow.temuan_create(
        facts=facts(GONDANGLEGI, event_date=found, known_date=found, election_type=election_type), actor=staf
    )
    client = verified_client(staf)
    page = client.get(reverse("cases:detail", args=[temuan.pk])).content.decode()
    assert 'data-testid="pending-clock"' in page
    assert f"{length} sejak hari pleno menetapkan temuan" in page
    # ... and by how much the plenary may extend it (UU 10/2016 Pasal 134 (6); UU 7/2017 Pasal 454 (8)).
    assert f"dapat diperpanjang paling lama {extension} bila diperlukan keterangan tambahan" in page
    # Once established, the dated decision row takes its place.
    workflow.case_register(case=temuan, actor=staf)
    page = client.get(reverse("cases:detail", args=[temuan.pk])).content.decode()
    assert 'data-testid="pending-clock"' not in page
    assert "sejak hari pleno menetapkan temuan" not in page
