"""Demo cases for ``awas demo``: one of each stage a Pilkada case goes through, so that a newcomer
finds the case list, the deadlines at risk, the overdue follow-ups and the tracking page filled.

Every case is made by the services the office uses (the public intake, staff recording,
requirements, clarification, kajian, plenary, referral), dated back from today, with made-up
people and events. They are marked: the public filings by an idempotency key starting
``DEMO_KEY``, the others by ``source_ref = "demo"``; a second run adds nothing.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from PIL import Image, ImageDraw

from awas.cases.models import Case, CaseKind, DecisionOutcome, ReferralBody
from awas.cases.services import intake, workflow
from awas.cases.services.common import ReporterData, WitnessData
from awas.cases.services.workflow import CaseFacts
from awas.core.services.deadlines import office_timezone
from awas.regions.models import Region

DEMO_KEY = "awas-demo-case-"
DEMO_SOURCE = "demo"
ALL_MET = {
    "formal_identity": True,
    "formal_terlapor": True,
    "formal_in_time": True,
    "formal_signature": True,
    "material_event": True,
    "material_place_time": True,
    "material_witness": True,
    "material_evidence": True,
}


def demo_cases_exist() -> bool:
    return Case.objects.filter(Q(idempotency_key__startswith=DEMO_KEY) | Q(source_ref=DEMO_SOURCE)).exists()


def _photo(caption: str) -> SimpleUploadedFile:
    """A small PNG saying what it stands for (a demo has no real photographs)."""
    image = Image.new("RGB", (480, 270), (226, 232, 240))
    ImageDraw.Draw(image).text((24, 120), f"CONTOH BUKTI - {caption}", fill=(30, 41, 59))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile(f"{caption.lower().replace(' ', '-')}.png", buffer.getvalue(), "image/png")


def _at(days_ago: int, hour: int, minute: int = 0) -> dt.datetime:
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=office_timezone())


def _day(days_ago: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days_ago)


def demo_cases_create(*, desa_code: str, other_kecamatan_code: str, staff: Any, chair: Any) -> int:
    """Make the demo cases in ``desa_code`` (and its kecamatan) and in ``other_kecamatan_code``,
    recorded by ``staff`` and decided by ``chair``; none when they exist. Returns how many."""
    if demo_cases_exist():
        return 0
    desa = Region.objects.get(code=desa_code)
    neighbours = list(
        Region.objects.filter(parent_id=desa.parent_id).exclude(code=desa_code).order_by("code")[:2]
    )
    elsewhere = Region.objects.filter(parent_id=other_kecamatan_code).order_by("code").first()
    if len(neighbours) < 2 or elsewhere is None:
        return 0
    steps: list[Callable[[], Any]] = [
        lambda: _received_online(desa),
        lambda: _tip_online(neighbours[0]),
        lambda: _waiting_for_completion(neighbours[1], staff),
        lambda: _clarification_tomorrow(desa, staff),
        lambda: _referred_to_bkn_unanswered(elsewhere, staff, chair),
        lambda: _temuan_draft(elsewhere, staff),
        lambda: _closed_no_violation(neighbours[0], staff, chair),
        lambda: _closed_after_kpu(desa, staff, chair),
    ]
    with transaction.atomic():
        for step in steps:
            step()
    return len(steps)


def _received_online(desa: Region) -> Case:
    return intake.case_intake(
        intake.Intake(
            kind=CaseKind.LAPORAN,
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
            reporter=ReporterData(
                name="Dewi Lestari (contoh)",
                birth_place="Malang",
                birth_date=dt.date(1990, 4, 12),
                sex="P",
                occupation="Ibu rumah tangga",
                address="Jl. Mawar 3, RT 02 RW 01",
                phone="081200000001",
                email="dewi.contoh@example.id",
            ),
            witnesses=[WitnessData(name="Ratna (contoh)", address="RT 02 RW 01")],
        ),
        now=_at(0, 8, 12),
    ).case


def _tip_online(desa: Region) -> Case:
    return intake.case_intake(
        intake.Intake(
            kind=CaseKind.INFORMASI_AWAL,
            idempotency_key=DEMO_KEY + "informasi-sembako",
            title="Paket sembako bergambar pasangan calon dibagikan dari rumah ke rumah",
            region=desa,
            chronology="Malam hari, dua orang membagikan paket sembako dengan stiker pasangan calon.",
            event_place="Dusun Sumberejo",
            event_date=_day(1),
            known_date=_day(1),
        ),
        now=_at(0, 6, 40),
    ).case


def _recorded(
    region: Region,
    staff: Any,
    *,
    days_ago: int,
    title: str,
    chronology: str,
    terlapor: tuple[str, str],
    reporter: str,
) -> Case:
    """A laporan brought to the office ``days_ago`` days ago at 10.00, known the day before."""
    return workflow.case_record_in_person(
        facts=CaseFacts(
            region=region,
            title=title,
            chronology=chronology,
            event_place=f"Desa {region.name.title()}",
            event_date=_day(days_ago + 1),
            known_date=_day(days_ago + 1),
            terlapor_name=terlapor[0],
            terlapor_position=terlapor[1],
        ),
        reporter=ReporterData(name=reporter, address=f"Desa {region.name.title()}", phone="081200000002"),
        witnesses=[WitnessData(name="Saksi (contoh)")],
        evidence=[_photo(title.split()[0])],
        received_at=_at(days_ago, 10),
        actor=staff,
    )


def _demo_marked(case: Case) -> Case:
    # Recorded by staff, so no intake key: the marker that keeps a second run from adding more.
    Case.objects.filter(pk=case.pk).update(source_ref=DEMO_SOURCE)
    case.refresh_from_db()
    return case


def _waiting_for_completion(desa: Region, staff: Any) -> Case:
    case = _demo_marked(
        _recorded(
            desa,
            staff,
            days_ago=1,
            title="Spanduk pasangan calon dipasang di pagar sekolah dasar",
            chronology="Spanduk dipasang di pagar SD negeri pada jam pelajaran.",
            terlapor=("Tim kampanye paslon 1 (contoh)", "Tim kampanye"),
            reporter="Bambang Hermanto (contoh)",
        )
    )
    workflow.requirements_check(
        case=case,
        checks={**ALL_MET, "formal_signature": False},
        notes="Formulir laporan belum ditandatangani pelapor.",
        actor=staff,
    )
    return case


def _clarification_tomorrow(desa: Region, staff: Any) -> Case:
    case = _demo_marked(
        _recorded(
            desa,
            staff,
            days_ago=2,
            title="Guru PNS berfoto dengan pose jari pasangan calon di panggung kampanye",
            chronology="Foto terlapor bersama calon bupati beredar di grup WhatsApp wali murid.",
            terlapor=("Wahyuni (contoh)", "Guru PNS SDN Putat Kidul 02"),
            reporter="Ahmad Fauzi (contoh)",
        )
    )
    workflow.requirements_check(case=case, checks=ALL_MET, actor=staff)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
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
    days_ago: int,
    outcome: str,
    title: str,
    terlapor: tuple[str, str],
    article: str = "",
) -> Case:
    """Received ``days_ago`` days ago, registered, studied and decided in plenary two days later."""
    case = _demo_marked(
        _recorded(
            region,
            staff,
            days_ago=days_ago,
            title=title,
            chronology=f"{title}. Pelapor melampirkan foto.",
            terlapor=terlapor,
            reporter="Sri Wahyuningsih (contoh)",
        )
    )
    workflow.requirements_check(case=case, checks=ALL_MET, actor=staff)
    workflow.study_save(
        case=case,
        facts="Keterangan pelapor, saksi dan terlapor serta foto saling bersesuaian.",
        analysis="Perbuatan terlapor dinilai terhadap unsur pasal yang disangkakan.",
        article_violated=article,
        conclusion=str(DecisionOutcome(outcome).label),
        actor=staff,
    )
    workflow.decision_record(
        case=case,
        outcome=outcome,
        reasons="Diputuskan dalam rapat pleno berdasarkan kajian.",
        plenary_date=_day(days_ago - 2),
        actor=chair,
    )
    case.refresh_from_db()
    return case


def _referred_to_bkn_unanswered(desa: Region, staff: Any, chair: Any) -> Case:
    case = _decided(
        desa,
        staff,
        chair,
        days_ago=30,
        outcome=DecisionOutcome.LAINNYA,
        title="Camat menghadiri deklarasi dukungan pasangan calon",
        terlapor=("Drs. Hariyanto (contoh)", "Camat (ASN)"),
        article="UU 5/2014 Pasal 9 ayat (2)",
    )
    # Sent 27 days ago: BKN's 14 hari kerja have passed without an answer.
    workflow.referral_create(
        case=case, body=ReferralBody.objects.get(code="bkn"), sent_on=_day(27), actor=staff
    )
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
        ),
        source_ref=DEMO_SOURCE,
        evidence=[_photo("APK")],
        actor=staff,
    )
    return case


def _closed_no_violation(desa: Region, staff: Any, chair: Any) -> Case:
    return _decided(
        desa,
        staff,
        chair,
        days_ago=12,
        outcome=DecisionOutcome.BUKAN_PELANGGARAN,
        title="Perangkat desa membagikan kalender bergambar calon",
        terlapor=("Joko (contoh)", "Warga, bukan perangkat desa"),
    )


def _closed_after_kpu(desa: Region, staff: Any, chair: Any) -> Case:
    case = _decided(
        desa,
        staff,
        chair,
        days_ago=16,
        outcome=DecisionOutcome.ADMINISTRASI,
        title="Daftar pemilih tetap ditempel tidak lengkap di TPS",
        terlapor=("KPPS TPS 004 (contoh)", "Ketua KPPS"),
        article="PKPU 7/2024",
    )
    referral = workflow.referral_create(
        case=case, body=ReferralBody.objects.get(code="kpu-kab-malang"), sent_on=_day(13), actor=staff
    )
    workflow.referral_record_response(
        referral=referral,
        response="KPU memerintahkan KPPS menempel ulang DPT secara lengkap.",
        sanction="Teguran tertulis kepada KPPS",
        responded_on=_day(8),
        actor=staff,
    )
    return case
