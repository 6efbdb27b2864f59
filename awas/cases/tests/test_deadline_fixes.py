"""The deadline clocks per kind and election type (DOMAIN.md §2.1, §2.4, A.3, A.5):

* every rule the code asks for exists for every election type staff can choose;
* an incomplete Pemilu laporan gets its completion clock (Perbawaslu 7/2022) instead of a 500;
* an informasi awal carries no clock: not at risk, not overdue, no reminder, no decision date;
* a temuan is measured by the finding rule (UU 7/2017 Pasal 454 ayat (5)), not the laporan's
  filing rule (ayat (6)).
"""

from __future__ import annotations

import ast
import datetime as dt
import importlib
import re
import zoneinfo
from pathlib import Path

import pytest
import time_machine
from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from awas.cases import selectors
from awas.cases.formatting import today_local
from awas.cases.forms import CaseFactsForm
from awas.cases.models import Case, CaseKind, CaseStatus, DecisionOutcome, Reminder
from awas.cases.services import workflow
from awas.cases.services.common import KNOWN_DATE_RULES, case_compute_deadlines
from awas.cases.services.intake import Intake, case_intake
from awas.cases.services.reminders import reminders_create
from awas.cases.tests.staff_helpers import (  # noqa: F401 (_quick_argon2 is an autouse fixture)
    ALL_MET,
    _quick_argon2,
    decided_case,
    facts,
    informasi_awal,
    record_laporan,
)
from awas.conftest import GONDANGLEGI, KAB_MALANG, PUTAT_KIDUL, verified_client
from awas.core.models.deadlines import DayType, ElectionType
from awas.core.roles import Role
from awas.core.services.deadlines import add_days, holiday_dates, read_seed, rule_get
from awas.regions.models import Region

AWAS = Path(__file__).resolve().parents[2]
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
# The clock functions that take (election_type, rule key, ...), with the position of ``extended``.
CLOCK_CALLS = {"due_date": 3, "rule_get": None, "_legal_basis": 2}


@pytest.fixture
def staf(malang, make_user):
    return make_user(Role.STAF_PP, KAB_MALANG, username="staf")


# --- 1. every rule the code asks for exists -----------------------------------------------------


def _truthy(node: ast.expr | None) -> bool:
    return node is not None and not (isinstance(node, ast.Constant) and not node.value)


def rule_keys_used_by_the_code() -> set[str]:
    """The rule keys passed as literals to the clock functions anywhere in awas (tests and
    migrations aside), with ``<key>_extension`` where an extension may be asked for, and the
    per-kind rules of ``KNOWN_DATE_RULES``."""
    keys = set(KNOWN_DATE_RULES.values())
    for path in AWAS.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts or ".venv" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in CLOCK_CALLS or len(node.args) < 2:
                continue
            key = node.args[1]
            if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
                continue
            keys.add(key.value)
            position = CLOCK_CALLS[name]
            extended = node.args[position] if position is not None and len(node.args) > position else None
            extended = next((k.value for k in node.keywords if k.arg == "extended"), extended)
            if _truthy(extended):
                keys.add(f"{key.value}_extension")
    return keys


def test_every_rule_the_code_uses_exists_for_every_election_type_offered(db):
    used = rule_keys_used_by_the_code()
    # The scan itself works: it finds the clocks of filing, finding, completion and decision.
    assert {"report_filing", "finding", "completion", "decision", "decision_extension"} <= used
    offered = [value for value, _label in CaseFactsForm.base_fields["election_type"].choices]  # type: ignore[attr-defined]
    assert set(offered) == set(ElectionType.values)
    in_file = {(r.election_type, r.key) for r in read_seed().rules}
    missing = sorted(
        (election, key) for election in offered for key in used if (election, key) not in in_file
    )
    assert missing == [], f"deadline_rules.yaml lacks {missing}"
    for election in offered:
        for key in used:
            assert rule_get(election, key).legal_basis  # in the table too, each with its article


def test_the_rules_cite_the_articles_domain_gives():
    rules = {(r.election_type, r.key): r for r in read_seed().rules}
    completion = rules[(ElectionType.PEMILU, "completion")]
    assert (completion.days, completion.day_type) == (3, DayType.WORKING)
    assert "Perbawaslu 7/2022" in completion.legal_basis
    assert "Pasal 454 ayat (5)" in rules[(ElectionType.PEMILU, "finding")].legal_basis
    pilkada_finding = rules[(ElectionType.PILKADA, "finding")]
    assert (pilkada_finding.days, pilkada_finding.day_type) == (7, DayType.CALENDAR)
    assert "Pasal 134 ayat (4)" in pilkada_finding.legal_basis


def test_an_incomplete_pemilu_laporan_gets_its_completion_clock_not_a_500(staf):
    case = record_laporan(staf, PUTAT_KIDUL, election_type=ElectionType.PEMILU)
    client = verified_client(staf)
    response = client.post(
        reverse("cases:requirements", args=[case.pk]), {**ALL_MET, "material_witness": "", "notes": ""}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.INCOMPLETE
    today = timezone.localdate()
    assert case.completion_due == add_days(today, 3, DayType.WORKING, holiday_dates())
    rows = {row.key: row for row in selectors.case_deadlines(case)}
    assert "Perbawaslu 7/2022" in rows["completion"].legal_basis and rows["completion"].running


# --- 2. an informasi awal has no clock ------------------------------------------------------------


def _tip(known: dt.date) -> Case:
    intake = Intake(
        kind=CaseKind.INFORMASI_AWAL,
        region=Region.objects.get(code=PUTAT_KIDUL),
        title="Ada pembagian sembako",
        chronology="Warga melihat pembagian sembako bergambar calon.",
        idempotency_key="k" * 32,
        event_date=known,
        known_date=known,
    )
    return case_intake(intake).case


def test_an_informasi_awal_has_no_due_dates_and_is_never_at_risk(staf, mailoutbox):
    tip = _tip(timezone.localdate() - dt.timedelta(days=3))
    assert (tip.decision_due, tip.filing_due) == (None, None)
    assert selectors.case_deadlines(tip) == []

    # A tip stored before the fix, with the phantom 3-day date due tomorrow, is still left out.
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    old_tip = informasi_awal(PUTAT_KIDUL, title="Tip lama")
    Case.objects.filter(pk=old_tip.pk).update(decision_due=tomorrow)
    laporan = record_laporan(staf, PUTAT_KIDUL, received_at=timezone.now() - dt.timedelta(days=2))
    assert laporan.decision_due == tomorrow

    at_risk = set(selectors.deadlines_at_risk(staf).values_list("pk", flat=True))
    assert at_risk == {laporan.pk}
    listed = set(selectors.case_list(staf, {"deadline": "at_risk"}).values_list("pk", flat=True))
    assert listed == {laporan.pk}
    Case.objects.filter(pk=old_tip.pk).update(decision_due=tomorrow - dt.timedelta(days=5))
    assert not selectors.case_list(staf, {"deadline": "overdue"}).filter(pk=old_tip.pk).exists()
    Case.objects.filter(pk=old_tip.pk).update(decision_due=tomorrow)
    reminders_create()
    assert set(Reminder.objects.values_list("case_id", flat=True)) == {laporan.pk}


def test_taking_up_a_tip_starts_the_temuan_clocks(staf):
    # The finding clock runs from the day the penelusuran found it (today unless typed), not from
    # the day the sender says they learned of it.
    known = timezone.localdate() - dt.timedelta(days=1)
    tip = _tip(known)
    temuan = workflow.informasi_awal_take_up(tip=tip, reason="Penelusuran menemukan bukti.", actor=staf)
    found = temuan.known_date
    assert found == today_local()
    assert temuan.filing_due == found + dt.timedelta(days=7)  # Pilkada finding: 7 calendar days
    assert temuan.decision_due is None  # it starts when the plenary establishes the temuan
    tip.refresh_from_db()
    assert tip.decision_due is None


def test_the_migration_clears_the_phantom_dates_of_tips_only(staf):
    tip = informasi_awal(PUTAT_KIDUL)
    Case.objects.filter(pk=tip.pk).update(
        decision_due=dt.date(2024, 11, 30), filing_due=dt.date(2024, 11, 20)
    )
    laporan = record_laporan(staf, PUTAT_KIDUL)
    migration = importlib.import_module("awas.cases.migrations.0004_informasi_awal_without_clocks")
    migration.clear(django_apps, None)
    tip.refresh_from_db()
    assert (tip.decision_due, tip.filing_due) == (None, None)
    kept = Case.objects.get(pk=laporan.pk)
    assert kept.decision_due == laporan.decision_due and kept.filing_due == laporan.filing_due


def _list_row(html: str, case: Case) -> str:
    label = case.registration_number or case.tracking_code
    rows = [row for row in re.split(r"<tr>", html) if f">{label}</a>" in row]
    assert len(rows) == 1, label
    return rows[0]


def test_the_case_list_shows_the_decision_date_only_while_its_clock_runs(staf):
    running = record_laporan(staf, PUTAT_KIDUL, title="Masih berjalan")
    closed = decided_case(
        staf, PUTAT_KIDUL, DecisionOutcome.BUKAN_PELANGGARAN, evidence=[], title="Sudah selesai"
    )
    assert closed.status == CaseStatus.CLOSED and closed.decision_due is not None
    html = verified_client(staf).get(reverse("cases:list")).content.decode()

    def shown(day: dt.date) -> str:
        with translation.override("id"):  # "1 Des 2026": the page's month, not strftime's English
            return date_format(day, "j M Y")

    assert running.decision_due is not None
    assert shown(running.decision_due) in _list_row(html, running)
    row = _list_row(html, closed)
    assert shown(closed.decision_due) not in row and "—</td>\n    </tr>" in row


# --- 3. a temuan is measured by the finding rule --------------------------------------------------


def test_a_pemilu_temuan_is_measured_by_pasal_454_ayat_5_not_the_laporan_rule(staf):
    found = dt.date(2025, 5, 9)  # a Friday; 13 May 2025 is a cuti bersama (Waisak)
    temuan = workflow.temuan_create(
        facts=facts(GONDANGLEGI, election_type=ElectionType.PEMILU, event_date=found, known_date=found),
        actor=staf,
    )
    assert temuan.filing_due == add_days(found, 7, DayType.WORKING, holiday_dates())
    rows = {row.key: row for row in selectors.case_deadlines(temuan)}
    assert "filing" not in rows
    finding = rows["finding"]
    assert "Pasal 454 ayat (5)" in finding.legal_basis and "ayat (6)" not in finding.legal_basis
    assert finding.running  # until the temuan is registered (ditetapkan)
    page = verified_client(staf).get(reverse("cases:detail", args=[temuan.pk])).content.decode()
    assert "filed late" not in page and "filed in time" not in page

    workflow.case_register(case=temuan, actor=staf)
    temuan.refresh_from_db()
    assert not {row.key: row for row in selectors.case_deadlines(temuan)}["finding"].running

    laporan = record_laporan(staf, PUTAT_KIDUL, election_type=ElectionType.PEMILU)
    filing = {row.key: row for row in selectors.case_deadlines(laporan)}["filing"]
    assert "Pasal 454 ayat (6)" in filing.legal_basis


def test_a_pilkada_temuan_counts_7_calendar_days_from_the_finding(staf):
    found = timezone.localdate() - dt.timedelta(days=2)
    temuan = workflow.temuan_create(facts=facts(GONDANGLEGI, known_date=found), actor=staf)
    assert temuan.filing_due == found + dt.timedelta(days=7)
    finding = {row.key: row for row in selectors.case_deadlines(temuan)}["finding"]
    assert "Pasal 134 ayat (4)" in finding.legal_basis


def test_compute_deadlines_clears_what_a_kind_does_not_have():
    case = Case(
        kind=CaseKind.INFORMASI_AWAL,
        election_type=ElectionType.PILKADA,
        status=CaseStatus.RECEIVED,
        known_date=dt.date(2024, 11, 1),
        received_at=timezone.now(),
        filing_due=dt.date(2024, 11, 8),
        decision_due=dt.date(2024, 11, 4),
    )
    case_compute_deadlines(case)
    assert (case.filing_due, case.decision_due) == (None, None)
    assert workflow.decision_clock_runs(case) is False


def test_a_pemilu_laporan_has_its_kajian_awal_clock_and_a_pilkada_one_none(staf):
    """Perbawaslu 7/2022 Pasal 15 ayat (1): the kajian awal within 2 (working) days of receipt."""
    friday = dt.datetime(2026, 11, 20, 10, 0, tzinfo=WIB)
    monday, tuesday = dt.date(2026, 11, 23), dt.date(2026, 11, 24)
    pemilu = record_laporan(staf, PUTAT_KIDUL, election_type=ElectionType.PEMILU, received_at=friday)
    pilkada = record_laporan(staf, PUTAT_KIDUL, received_at=friday, evidence=[])
    assert pemilu.review_due == tuesday and pilkada.review_due is None

    rows = {row.key: row for row in selectors.case_deadlines(pemilu, today=monday)}
    assert rows["review"].running and "Perbawaslu 7/2022 Pasal 15 ayat (1)" in rows["review"].legal_basis
    at_risk = {c.pk: getattr(c, "clock") for c in selectors.deadlines_at_risk(staf, monday)}  # noqa: B009
    assert at_risk[pemilu.pk] == "review"
    reminders_create(today=monday)
    assert Reminder.objects.filter(case=pemilu, deadline="review_due", due=tuesday).exists()

    workflow.requirements_check(case=pemilu, checks=ALL_MET, actor=staf)  # checked: registered
    pemilu.refresh_from_db()
    rows = {row.key: row for row in selectors.case_deadlines(pemilu, today=monday)}
    assert not rows["review"].running
    at_risk = {c.pk: getattr(c, "clock") for c in selectors.deadlines_at_risk(staf, monday)}  # noqa: B009
    assert at_risk.get(pemilu.pk) != "review"


def test_once_checked_the_kajian_awal_row_says_whether_it_was_in_time(staf):
    """Received on Friday 20 November 2026, the kajian awal is due on Tuesday 24 (2 hari kerja,
    Perbawaslu 7/2022 Pasal 15 ayat (1)). Checked, the row read "tidak berjalan" whether the check
    was on Monday or a day late: it now says which, as the decision's row does."""
    friday = dt.datetime(2026, 11, 20, 10, 0, tzinfo=WIB)
    in_time = record_laporan(staf, PUTAT_KIDUL, election_type=ElectionType.PEMILU, received_at=friday)
    late = record_laporan(staf, PUTAT_KIDUL, election_type=ElectionType.PEMILU, received_at=friday)
    with time_machine.travel(dt.datetime(2026, 11, 23, 9, tzinfo=WIB), tick=False):  # Monday
        workflow.requirements_check(case=in_time, checks=ALL_MET, actor=staf)
    with time_machine.travel(dt.datetime(2026, 11, 25, 9, tzinfo=WIB), tick=False):  # Wednesday
        workflow.requirements_check(case=late, checks=ALL_MET, actor=staf)

    client = verified_client(staf)
    for case, said in (
        (in_time, "selesai tepat waktu (23 November 2026)"),
        (late, "selesai terlambat 1 hari kerja (25 November 2026)"),
    ):
        page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
        review = page.split("Perbawaslu 7/2022 Pasal 15 ayat (1)")[1].split("</tr>")[0]
        assert said in review and "tidak berjalan" not in review, review


def test_a_pemilu_temuan_can_take_the_extension_a_pilkada_one_cannot(staf, mailoutbox):
    """UU 7/2017 Pasal 454 ayat (8) extends the handling of "temuan dan laporan"; UU 10/2016
    Pasal 134 ayat (6) only a laporan's, for the pelapor's keterangan tambahan."""
    pilkada = workflow.temuan_create(facts=facts(PUTAT_KIDUL), actor=staf)
    workflow.case_register(case=pilkada, actor=staf)
    assert "more_info" not in workflow.available_actions(pilkada)

    pemilu = workflow.temuan_create(facts=facts(PUTAT_KIDUL, election_type=ElectionType.PEMILU), actor=staf)
    workflow.case_register(case=pemilu, actor=staf)
    pemilu.refresh_from_db()
    assert "more_info" in workflow.available_actions(pemilu)
    first_due = pemilu.decision_due
    assert first_due is not None

    client = verified_client(staf)
    page = client.get(reverse("cases:detail", args=[pemilu.pk])).content.decode()
    assert "perpanjang batas putusan" in page and "Minta keterangan tambahan dari pelapor" not in page
    response = client.post(
        reverse("cases:more_info", args=[pemilu.pk]), {"what": "Keterangan kepala dinas."}, follow=True
    )
    page = response.content.decode()
    pemilu.refresh_from_db()
    assert pemilu.decision_extended and pemilu.decision_due == add_days(
        first_due, 7, DayType.WORKING, holiday_dates(first_due)
    )
    assert "pelapor" not in page.split('data-testid="more-info-request"')[1].split("</div>")[0]
    assert mailoutbox == []


def test_a_pemilu_deadline_on_monday_is_at_risk_on_friday_with_one_working_day_left(staf):
    """Counted in working days, Monday's deadline is at risk on Friday (the reminder already
    goes out then), and the case page says one working day is left, not only three days."""
    friday, monday = dt.date(2026, 12, 4), dt.date(2026, 12, 7)
    assert friday.weekday() == 4 and monday.weekday() == 0
    pemilu = record_laporan(staf, PUTAT_KIDUL, evidence=[], election_type=ElectionType.PEMILU)
    pilkada = record_laporan(staf, PUTAT_KIDUL, evidence=[])
    Case.objects.filter(pk__in=[pemilu.pk, pilkada.pk]).update(decision_due=monday, review_due=None)
    at_risk = {case.pk for case in selectors.deadlines_at_risk(staf, friday)}
    assert at_risk == {pemilu.pk}  # calendar days: Monday is three days away, not at risk yet
    listed = selectors.case_list(staf, {"deadline": "at_risk"}, today=friday)
    assert set(listed.values_list("pk", flat=True)) == {pemilu.pk}
    pemilu.refresh_from_db()
    (decision,) = [row for row in selectors.case_deadlines(pemilu, friday) if row.key == "decision"]
    assert decision.at_risk and decision.days_left == 3 and decision.working_days_left == 1
    pilkada.refresh_from_db()
    (decision,) = [row for row in selectors.case_deadlines(pilkada, friday) if row.key == "decision"]
    assert not decision.at_risk and decision.working_days_left is None


@pytest.mark.parametrize(
    ("election_type", "limit", "basis"),
    [
        (ElectionType.PEMILU, "7 hari kerja", "UU 7/2017 Pasal 454 ayat (6)"),
        (ElectionType.PILKADA, "7 hari", "UU 1/2015 jo. UU 10/2016 Pasal 134 ayat (4)"),
    ],
)
def test_the_receipt_of_a_late_laporan_gives_the_filing_limit_of_its_own_election(
    staf, election_type, limit, basis
):
    """The tanda terima says what the tracking page and the first e-mail say: a late Pemilu
    laporan missed 7 hari kerja (Pasal 454 ayat (6)), not the Pilkada's 7 days of Pasal 134."""
    known = timezone.localdate() - dt.timedelta(days=30)
    case = record_laporan(staf, PUTAT_KIDUL, election_type=election_type, event_date=known, known_date=known)
    page = verified_client(staf).get(reverse("cases:receipt", args=[case.pk])).content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert case.filing_due is not None
    due = date_format(case.filing_due, "j F Y")
    assert f"Batas waktu pelaporan ({limit}) {due} — dikirim setelah batas waktu" in text
    assert (
        f"Laporan ini dikirim setelah batas waktu pelaporan {limit} ({due}). Laporan ini tidak "
        f"dapat diregistrasi sebagai laporan ({basis});" in text
    )
