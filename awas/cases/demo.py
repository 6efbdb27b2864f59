"""Demo cases for ``awas demo``: one of each stage a Pilkada case goes through, so that a newcomer
finds the case list, the deadlines at risk, the overdue follow-ups, the reminders and the
tracking page filled.

Every case is made by the services the office uses (the public intake, staff recording,
requirements, clarification, kajian, plenary, referral), dated back from today, with made-up
people and events. They are marked: the public filings by an idempotency key starting
``DEMO_KEY``, the others by ``source_ref = "demo"``; a second run adds nothing.

The services stamp a step with the moment they run, so a month of an office's work recorded in
one second would read as done tonight (a case decided in October registered in November, its
number after a newer one's). Each step is therefore dated (``_dated``): the history, the check
and the registration number's month are moved to the day the step stands for, and the cases are
made oldest first, so their numbers follow the order they were received in. The audit log, which
is never edited, keeps the moment the demo ran.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from PIL import Image, ImageDraw

from awas.cases.formatting import local, today_local
from awas.cases.models import Case, CaseKind, DecisionOutcome, ReferralBody, RequirementCheck, StatusChange
from awas.cases.services import intake, workflow
from awas.cases.services.common import ROMAN_MONTHS, ReporterData, WitnessData
from awas.cases.services.reminders import reminders_create
from awas.cases.services.workflow import CaseFacts
from awas.core.models.deadlines import ElectionType
from awas.core.services.deadlines import (
    DayType,
    add_days,
    holiday_dates,
    is_working_day,
    office_election_types,
    office_timezone,
)
from awas.regions.models import Region

DEMO_KEY = "awas-demo-case-"
DEMO_SOURCE = "demo"
ALL_MET = dict.fromkeys((*RequirementCheck.FORMAL, *RequirementCheck.MATERIAL), True)


def demo_cases_exist() -> bool:
    return Case.objects.filter(Q(idempotency_key__startswith=DEMO_KEY) | Q(source_ref=DEMO_SOURCE)).exists()


def demo_election_type() -> str:
    """The election every demo case is of: Pilkada, whose bupati race the stories tell, while the
    office handles it; else the office's only one (Pemilu). One for all eight, named on each: left
    to the services, the two online filings took the first election the office lists and the rest
    Pilkada: a Pemilu office showed Pilkada cases, and one handling both a demo of two elections."""
    elections = office_election_types()
    return ElectionType.PILKADA if ElectionType.PILKADA in elections else elections[0]


def _photo(caption: str) -> SimpleUploadedFile:
    """A small PNG saying what it stands for (a demo has no real photographs)."""
    image = Image.new("RGB", (480, 270), (226, 232, 240))
    ImageDraw.Draw(image).text((24, 120), f"CONTOH BUKTI - {caption}", fill=(30, 41, 59))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile(f"{caption.lower().replace(' ', '-')}.png", buffer.getvalue(), "image/png")


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """``day`` at that hour, office time; never later than now (a demo made at 06.00 has no
    laporan received at 08.12 today)."""
    moment = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=office_timezone())
    return min(moment, timezone.now() - dt.timedelta(minutes=1))


def _day(days_ago: int) -> dt.date:
    return today_local() - dt.timedelta(days=days_ago)


def _working_day(day: dt.date, step: int = 1) -> dt.date:
    """``day`` if the office works then, else the next (``step=1``) or previous (``-1``) day it does:
    a letter is not dated on a Sunday."""
    holidays = holiday_dates(day - dt.timedelta(days=31))
    while not is_working_day(day, holidays):
        day += dt.timedelta(days=step)
    return day


@contextmanager
def _dated(case: Case, when: dt.datetime) -> Iterator[None]:
    """Date what the step inside does to ``case`` at ``when`` instead of now (module docstring)."""
    started = timezone.now()
    number = case.registration_number
    yield
    StatusChange.objects.filter(case=case, at__gte=started).update(at=when)
    RequirementCheck.objects.filter(case=case, checked_at__gte=started).update(checked_at=when)
    case.refresh_from_db()
    if case.registration_number and case.registration_number != number:
        head, _month, _year = case.registration_number.rsplit("/", 2)
        month = local(when)
        case.registration_number = f"{head}/{ROMAN_MONTHS[month.month - 1]}/{month.year}"
        case.save(update_fields=["registration_number"])


def demo_cases_create(*, desa_code: str, other_kecamatan_code: str, staff: Any, chair: Any) -> int:
    """Make the demo cases in ``desa_code`` (and its kecamatan) and in ``other_kecamatan_code``,
    recorded by ``staff`` and decided by ``chair``; none when they exist. Returns how many."""
    if demo_cases_exist():
        return 0
    desa = Region.objects.get(code=desa_code)
    neighbours = list(
        Region.objects.filter(parent_id=desa.parent_id).exclude(code=desa_code).order_by("code")[:3]
    )
    elsewhere = Region.objects.filter(parent_id=other_kecamatan_code).order_by("code").first()
    if len(neighbours) < 3 or elsewhere is None:
        return 0
    steps: list[Callable[[], Any]] = [  # oldest first: registration and letter numbers in that order
        lambda: _referred_to_bkn_unanswered(elsewhere, staff, chair),
        lambda: _closed_after_kpu(desa, staff, chair),
        lambda: _closed_no_violation(neighbours[0], staff, chair),
        # Not in ``desa``: two of the same desa days apart are offered for merging on both case
        # pages (``related_for_page``), and a teacher's pose is no kepala desa's speech.
        lambda: _clarification_tomorrow(neighbours[2], staff),
        lambda: _waiting_for_completion(neighbours[1], staff),
        lambda: _tip_online(neighbours[0]),
        lambda: _received_online(desa),
        lambda: _temuan_draft(elsewhere, staff),
    ]
    with transaction.atomic():
        for step in steps:
            step()
    # The reminders the daily ``awas cases remind`` would have written this morning: without them
    # the Pengingat page stood empty beside a deadline due tomorrow and an overdue answer. The
    # demo's people have no e-mail address, so nothing is sent.
    reminders_create()
    return len(steps)


def _received_online(desa: Region) -> Case:
    return intake.case_intake(
        intake.Intake(
            kind=CaseKind.LAPORAN,
            election_type=demo_election_type(),
            idempotency_key=DEMO_KEY + "laporan-posyandu",
            title="Kepala desa mengajak warga memilih pasangan calon di kegiatan posyandu",
            region=desa,
            chronology=(
                "Saat posyandu di balai dusun, kepala desa berpidato dan meminta ibu-ibu yang hadir "
                "memilih pasangan calon nomor urut 2. Beberapa warga merekam dengan ponsel."
            ),
            event_place="Balai Dusun Krajan",
            event_date=_day(2),
            known_date=_day(2),
            terlapor_name="Sugeng Riyadi (contoh)",
            terlapor_position="Kepala Desa",
            # No e-mail address: a demo on a server whose mail is set up writes to no one.
            reporter=ReporterData(
                name="Dewi Lestari (contoh)",
                birth_place="Malang",
                birth_date=dt.date(1990, 4, 12),
                sex="P",
                occupation="Ibu rumah tangga",
                address="Jl. Mawar 3, RT 02 RW 01",
                phone="081200000001",
            ),
            witnesses=[WitnessData(name="Ratna (contoh)", address="RT 02 RW 01")],
        ),
        now=_at(today_local(), 8, 12),
    ).case


def _tip_online(desa: Region) -> Case:
    return intake.case_intake(
        intake.Intake(
            kind=CaseKind.INFORMASI_AWAL,
            election_type=demo_election_type(),
            idempotency_key=DEMO_KEY + "informasi-sembako",
            title="Paket sembako bergambar pasangan calon dibagikan dari rumah ke rumah",
            region=desa,
            chronology="Malam hari, dua orang membagikan paket sembako dengan stiker pasangan calon.",
            event_place="Dusun Sumberejo",
            event_date=_day(1),
            known_date=_day(1),
        ),
        now=_at(today_local(), 6, 40),
    ).case


def _recorded(
    region: Region,
    staff: Any,
    *,
    received_on: dt.date,
    title: str,
    chronology: str,
    terlapor: tuple[str, str],
    reporter: str,
) -> Case:
    """A laporan brought to the office on ``received_on`` at 10.00, known the day before, marked
    as the demo's (recorded by staff, it has no intake key: the marker keeps a second run from
    adding more)."""
    case = workflow.case_record_in_person(
        facts=CaseFacts(
            region=region,
            title=title,
            chronology=chronology,
            event_place=f"Desa {region.name.title()}",
            event_date=received_on - dt.timedelta(days=1),
            known_date=received_on - dt.timedelta(days=1),
            terlapor_name=terlapor[0],
            terlapor_position=terlapor[1],
            election_type=demo_election_type(),
        ),
        reporter=ReporterData(name=reporter, address=f"Desa {region.name.title()}", phone="081200000002"),
        witnesses=[WitnessData(name="Saksi (contoh)")],
        evidence=[_photo(title.split()[0])],
        received_at=_at(received_on, 10),
        actor=staff,
    )
    Case.objects.filter(pk=case.pk).update(source_ref=DEMO_SOURCE)
    case.refresh_from_db()
    return case


def _waiting_for_completion(desa: Region, staff: Any) -> Case:
    received_on = _day(1)
    case = _recorded(
        desa,
        staff,
        received_on=received_on,
        title="Spanduk pasangan calon dipasang di pagar sekolah dasar",
        chronology="Spanduk dipasang di pagar SD negeri pada jam pelajaran.",
        terlapor=("Tim kampanye paslon 1 (contoh)", "Tim kampanye"),
        reporter="Bambang Hermanto (contoh)",
    )
    with _dated(case, _at(received_on, 13)):
        workflow.requirements_check(
            case=case,
            checks={**ALL_MET, "formal_signature": False},
            notes="Formulir laporan belum ditandatangani pelapor.",
            actor=staff,
            today=received_on,
        )
    return case


def _clarification_tomorrow(desa: Region, staff: Any) -> Case:
    received_on = _day(2)
    case = _recorded(
        desa,
        staff,
        received_on=received_on,
        title="Guru PNS berfoto dengan pose jari pasangan calon di panggung kampanye",
        chronology="Foto terlapor bersama calon bupati beredar di grup WhatsApp wali murid.",
        terlapor=("Wahyuni (contoh)", "Guru PNS sekolah dasar negeri"),
        reporter="Ahmad Fauzi (contoh)",
    )
    with _dated(case, _at(received_on, 13)):
        workflow.requirements_check(case=case, checks=ALL_MET, actor=staff, today=received_on)
    tomorrow = today_local() + dt.timedelta(days=1)
    with _dated(case, _at(today_local(), 9)):
        workflow.clarification_schedule(
            case=case,
            invitee_name="Wahyuni (contoh)",
            invitee_role="terlapor",
            scheduled_at=dt.datetime.combine(tomorrow, dt.time(9), tzinfo=office_timezone()),
            place="Kantor Bawaslu Kabupaten Malang",
            actor=staff,
        )
    return case


def _decided(
    region: Region,
    staff: Any,
    chair: Any,
    *,
    plenary_on: dt.date,
    outcome: str,
    title: str,
    terlapor: tuple[str, str],
    article: str = "",
) -> Case:
    """Received two days before the plenary of ``plenary_on`` and registered that day, studied
    the day after, decided in that plenary."""
    received_on = plenary_on - dt.timedelta(days=2)
    case = _recorded(
        region,
        staff,
        received_on=received_on,
        title=title,
        chronology=f"{title}. Pelapor melampirkan foto.",
        terlapor=terlapor,
        reporter="Sri Wahyuningsih (contoh)",
    )
    with _dated(case, _at(received_on, 13)):
        workflow.requirements_check(case=case, checks=ALL_MET, actor=staff, today=received_on)
    with _dated(case, _at(received_on + dt.timedelta(days=1), 15)):
        workflow.study_save(
            case=case,
            facts="Keterangan pelapor, saksi dan terlapor serta foto saling bersesuaian.",
            analysis="Perbuatan terlapor dinilai terhadap unsur pasal yang disangkakan.",
            article_violated=article,
            conclusion=str(DecisionOutcome(outcome).label),
            actor=staff,
        )
    with _dated(case, _at(plenary_on, 16)):
        workflow.decision_record(
            case=case,
            outcome=outcome,
            reasons="Diputuskan dalam rapat pleno berdasarkan kajian.",
            plenary_date=plenary_on,
            actor=chair,
        )
    return case


def _referred_to_bkn_unanswered(desa: Region, staff: Any, chair: Any) -> Case:
    bkn = ReferralBody.objects.get(code="bkn")
    # The latest working day whose letter's answer was expected at least three days ago, however
    # many holidays (a Lebaran's cuti bersama) the office's calendar holds: overdue on any day.
    sent_on = _working_day(_day(14), step=-1)
    while workflow.answer_expected_on(bkn, sent_on) > _day(3):
        sent_on = _working_day(sent_on - dt.timedelta(days=1), step=-1)
    plenary_on = _working_day(sent_on - dt.timedelta(days=1), step=-1)
    case = _decided(
        desa,
        staff,
        chair,
        plenary_on=plenary_on,
        outcome=DecisionOutcome.LAINNYA,
        title="Camat menghadiri deklarasi dukungan pasangan calon",
        terlapor=("Drs. Hariyanto (contoh)", "Camat (ASN)"),
        article="UU 5/2014 Pasal 9 ayat (2)",
    )
    with _dated(case, _at(sent_on, 10)):
        workflow.referral_create(case=case, body=bkn, sent_on=sent_on, actor=staff)
    return case


def _temuan_draft(desa: Region, staff: Any) -> Case:
    case = workflow.temuan_create(
        facts=CaseFacts(
            region=desa,
            title="Alat peraga kampanye dipaku di pohon perindang jalan kabupaten",
            chronology="Ditemukan saat patroli pengawasan: 14 APK dipaku di pohon sepanjang jalan raya.",
            event_place="Jalan Raya Kepanjen",
            event_date=_day(1),
            known_date=_day(1),
            terlapor_name="Tim kampanye paslon 2 (contoh)",
            election_type=demo_election_type(),
        ),
        source_ref=DEMO_SOURCE,
        evidence=[_photo("APK")],
        actor=staff,
    )
    # Typed in the morning after the patrol, not whenever the demo happens to run.
    recorded_at = _at(today_local(), 9, 30)
    Case.objects.filter(pk=case.pk).update(received_at=recorded_at)
    StatusChange.objects.filter(case=case).update(at=recorded_at)
    return case


def _closed_no_violation(desa: Region, staff: Any, chair: Any) -> Case:
    return _decided(
        desa,
        staff,
        chair,
        plenary_on=_day(10),
        outcome=DecisionOutcome.BUKAN_PELANGGARAN,
        title="Perangkat desa membagikan kalender bergambar calon",
        terlapor=("Joko (contoh)", "Warga, bukan perangkat desa"),
    )


def _closed_after_kpu(desa: Region, staff: Any, chair: Any) -> Case:
    plenary_on = _working_day(_day(14), step=-1)
    case = _decided(
        desa,
        staff,
        chair,
        plenary_on=plenary_on,
        outcome=DecisionOutcome.ADMINISTRASI,
        title="Daftar pemilih tetap ditempel tidak lengkap di TPS",
        terlapor=("KPPS TPS 004 (contoh)", "Ketua KPPS"),
        article="PKPU 7/2024",
    )
    sent_on = _working_day(plenary_on + dt.timedelta(days=1))
    with _dated(case, _at(sent_on, 10)):
        referral = workflow.referral_create(
            case=case, body=ReferralBody.objects.get(code="kpu-kab-malang"), sent_on=sent_on, actor=staff
        )
    # KPU answered within its 7 days, on a working day.
    answered_on = _working_day(add_days(sent_on, 5, DayType.CALENDAR), step=-1)
    with _dated(case, _at(answered_on, 14)):
        workflow.referral_record_response(
            referral=referral,
            response="KPU memerintahkan KPPS menempel ulang DPT secara lengkap.",
            sanction="Teguran tertulis kepada KPPS",
            responded_on=answered_on,
            actor=staff,
        )
    return case
