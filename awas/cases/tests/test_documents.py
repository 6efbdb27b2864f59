"""Official letters: undangan klarifikasi (PDF and DOCX), penerusan, pemberitahuan status."""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from awas.cases import documents
from awas.cases.formatting import hari_tanggal, hari_tanggal_terbilang, pukul, tanggal
from awas.cases.models import CaseEvidence, Clarification, DecisionOutcome
from awas.cases.services import workflow
from awas.cases.services.common import ROMAN_MONTHS
from awas.cases.tests.staff_helpers import (  # noqa: F401 (_quick_argon2 is an autouse fixture)
    _quick_argon2,
    body,
    decided_case,
    facts,
    pdf,
    record_laporan,
    registered_laporan,
)
from awas.conftest import KAB_MALANG, PUTAT_KIDUL, verified_client
from awas.core.models import AuditEntry
from awas.core.models.deadlines import ElectionType
from awas.core.roles import Role

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")


@pytest.fixture
def staf(malang, make_user):
    return make_user(Role.STAF_PP, KAB_MALANG, username="staf")


def meeting_day() -> dt.date:
    """An invitation is dated today and invites for a day not before it."""
    return timezone.localdate() + dt.timedelta(days=2)


def invite_sutrisno(staf, scheduled_at=None):
    """Invited for ``scheduled_at``; without it, for now (after the laporan came in)."""
    case = registered_laporan(staf, PUTAT_KIDUL, title="Kades membagikan uang")
    return workflow.clarification_schedule(
        case=case,
        invitee_name="Sutrisno",
        invitee_role="terlapor",
        scheduled_at=scheduled_at or timezone.now(),
        place="Kantor Bawaslu Kabupaten Malang, Kepanjen",
        actor=staf,
    )


@pytest.fixture
def clarification(staf):
    """Invited for the day after tomorrow: the letter is out, the meeting still ahead."""
    return invite_sutrisno(staf, dt.datetime.combine(meeting_day(), dt.time(10, 0), tzinfo=WIB))


@pytest.fixture
def clarification_today(staf):
    """Invited for now: its berita acara can be recorded (not before the day it was invited for)."""
    return invite_sutrisno(staf)


def test_indonesian_dates_in_wib():
    assert tanggal(dt.date(2026, 11, 26)) == "26 November 2026"
    assert tanggal(dt.date(2026, 8, 1)) == "1 Agustus 2026"
    assert hari_tanggal(dt.date(2026, 11, 26)) == "Kamis, 26 November 2026"
    # A berita acara writes it in words.
    assert hari_tanggal_terbilang(dt.date(2026, 11, 27)) == (
        "Jumat tanggal dua puluh tujuh bulan November tahun dua ribu dua puluh enam"
    )
    assert hari_tanggal_terbilang(dt.date(2027, 1, 1)).startswith(
        "Jumat tanggal satu bulan Januari tahun dua ribu"
    )
    # 17.30 UTC on the 25th is already the 26th in WIB.
    late = dt.datetime(2026, 11, 25, 17, 30, tzinfo=dt.UTC)
    assert tanggal(late) == "26 November 2026" and pukul(late) == "00.30 WIB"


def test_invitation_pdf_and_its_text(clarification):
    html = documents.invitation_html(clarification)
    for expected in (
        "BADAN PENGAWAS PEMILIHAN UMUM",
        "KABUPATEN MALANG",
        clarification.letter_number,
        "Undangan Klarifikasi",
        "Sdr. Sutrisno",
        hari_tanggal(meeting_day()),
        "10.00 WIB",
        "Kantor Bawaslu Kabupaten Malang, Kepanjen",
        "Ketua Bawaslu Kabupaten Malang",
        f"Malang, {tanggal(timezone.localdate())}",
    ):
        assert expected in html, expected
    pdf = documents.invitation_pdf(clarification)
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert len(pdf) > 2000


def test_invitation_docx_opens_with_the_invitee_and_number(clarification):
    docx = Document(io.BytesIO(documents.invitation_docx(clarification)))
    text = "\n".join(p.text for p in docx.paragraphs)
    cells = "\n".join(cell.text for table in docx.tables for row in table.rows for cell in row.cells)
    assert "BADAN PENGAWAS PEMILIHAN UMUM" in text and "KABUPATEN MALANG" in text
    assert "Sdr. Sutrisno" in text
    assert clarification.letter_number in cells
    assert hari_tanggal(meeting_day()) in cells and "10.00 WIB" in cells
    assert "Ketua Bawaslu Kabupaten Malang," in text
    assert docx.core_properties.title == f"Undangan Klarifikasi {clarification.letter_number}"
    # Word keeps the closing words with the signature, as the PDF does: from the last paragraph of
    # the body to the Ketua's name, each paragraph is kept with the next.
    paragraphs = docx.paragraphs
    signed = next(i for i, p in enumerate(paragraphs) if p.text == "Ketua Bawaslu Kabupaten Malang,")
    closing = max(i for i, p in enumerate(paragraphs[:signed]) if p.text.strip())
    assert all(p.paragraph_format.keep_with_next for p in paragraphs[closing : signed + 4])
    # The place and date stand on their own line above the number, not squeezed beside it.
    dated = next(p for p in paragraphs if p.text.startswith("Malang, "))
    assert dated.alignment == WD_ALIGN_PARAGRAPH.RIGHT


def test_a_referral_letter_is_numbered_in_the_month_of_its_date(staf, settings):
    """Typed in today for a letter sent last month: it is last month's letter (like the invitation)."""
    case = decided_case(staf, PUTAT_KIDUL, DecisionOutcome.LAINNYA, days_ago=40, evidence=[])
    sent_on = timezone.localdate() - dt.timedelta(days=35)
    referral = workflow.referral_create(case=case, body=body("bkn"), sent_on=sent_on, actor=staf)
    assert referral.letter_number.endswith(f"/{ROMAN_MONTHS[sent_on.month - 1]}/{sent_on.year}")
    # Dated in the office's town when the office set one (Malang otherwise: see test_referral_letter).
    settings.AWAS_OFFICE_CITY = "Kepanjen"
    assert f"Kepanjen, {tanggal(sent_on)}" in documents.referral_letter_html(referral)


def test_referral_letter(staf):
    case = registered_laporan(staf, PUTAT_KIDUL, terlapor_name="Bambang", terlapor_position="Guru PNS")
    workflow.study_save(
        case=case,
        facts="F",
        analysis="A",
        article_violated="UU 5/2014 Pasal 9 ayat (2)",
        conclusion="ASN berpihak.",
        actor=staf,
    )
    workflow.decision_record(
        case=case,
        outcome=DecisionOutcome.LAINNYA,
        reasons="Terbukti.",
        plenary_date=timezone.localdate(),
        actor=staf,
    )
    bkn = body("bkn")
    sent_on = timezone.localdate()
    referral = workflow.referral_create(case=case, body=bkn, sent_on=sent_on, actor=staf)
    html = documents.referral_letter_html(referral)
    # Addressed to the head of the body, in its city (a national body is not "di Tempat").
    assert "Kepada Yth.<br><strong>Kepala Badan Kepegawaian Negara</strong>" in html
    assert "di –<br>&emsp;&emsp;Jakarta</div>" in html
    for expected in (
        "Penerusan Pelanggaran Peraturan Perundang-undangan Lainnya",
        str(case.registration_number),
        referral.letter_number,
        "UU 5/2014 Pasal 9 ayat (2)",
        "Bambang (Guru PNS)",
        "pelanggaran peraturan perundang-undangan lainnya",
        f"Malang, {tanggal(sent_on)}",
        tanggal(referral.follow_up_due),  # the answer expected: BKN's 14 hari kerja later
        "Ketua Bawaslu Provinsi Jawa Timur",  # tembusan to the province above the office
    ):
        assert expected in html, expected
    assert documents.referral_letter_pdf(referral).startswith(b"%PDF-")

    # The DOCX, for the officer to edit in Word, says the same (and is downloaded, audited).
    response = verified_client(staf).get(reverse("cases:referral_letter_docx", args=[case.pk, referral.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.docx"')
    docx = Document(io.BytesIO(response.content))
    text = "\n".join(
        [p.text for p in docx.paragraphs]
        + [cell.text for table in docx.tables for row in table.rows for cell in row.cells]
    )
    for expected in (
        "Kepala Badan Kepegawaian Negara",
        "Jakarta",
        referral.letter_number,
        str(case.registration_number),
        "UU 5/2014 Pasal 9 ayat (2)",
        "Bambang (Guru PNS)",
        "pelanggaran peraturan perundang-undangan lainnya",
        f"Malang, {tanggal(sent_on)}",
        tanggal(referral.follow_up_due),
        "Ketua Bawaslu Provinsi Jawa Timur",
    ):
        assert expected in text, expected
    assert AuditEntry.objects.filter(
        action="case.document_generated", after__document="penerusan.docx"
    ).exists()


def test_status_notice(staf):
    case = registered_laporan(staf, PUTAT_KIDUL)
    html = documents.status_notice_html(case)
    assert "Pemberitahuan Status Laporan" in html and "Sdr. Siti Aminah" in html
    assert "Diregistrasi" in html and str(case.registration_number) in html
    assert documents.status_notice_pdf(case).startswith(b"%PDF-")

    # A laporan merged into it: the notice names the status as the tracking page does, and the
    # status of the case it goes on with.
    newer = record_laporan(staf, PUTAT_KIDUL, evidence=[])
    workflow.case_merge(case=newer, other=case, reason="Peristiwa sama.", actor=staf)
    newer.refresh_from_db()
    html = documents.status_notice_html(newer)
    assert "Digabungkan dengan perkara lain (status perkara gabungan: Diregistrasi)" in html


def test_text_fields_cannot_inject_markup_or_fetch(staf):
    case = registered_laporan(staf, PUTAT_KIDUL, title='<img src="http://attacker.example/x.png">')
    clarification = workflow.clarification_schedule(
        case=case,
        invitee_name="<b>X</b>",
        invitee_role="saksi",
        scheduled_at=timezone.now(),
        place="Kantor",
        actor=staf,
    )
    html = documents.invitation_html(clarification)
    assert "<img" not in html and "&lt;img" in html and "&lt;b&gt;X&lt;/b&gt;" in html
    assert documents.invitation_pdf(clarification).startswith(b"%PDF-")
    with pytest.raises(ValueError):
        documents._refuse_fetch("http://attacker.example/x.png")


def test_a_name_in_any_script_keeps_the_downloaded_file_name(staf):
    """The berita acara's file name carries the invitee's name: one outside Latin-1 is sent as
    RFC 6266 filename*, so the browser still saves a named PDF."""
    clarification = workflow.clarification_schedule(
        case=registered_laporan(staf, PUTAT_KIDUL),
        invitee_name="Ṣāliḥ 王",
        invitee_role="saksi",
        scheduled_at=timezone.now(),
        place="Kantor",
        actor=staf,
    )
    workflow.clarification_record(
        clarification=clarification, statement="Keterangan.", held_at=timezone.now(), actor=staf
    )
    response = verified_client(staf).get(
        reverse("cases:berita_acara_pdf", args=[clarification.case.pk, clarification.pk])
    )
    header = response["Content-Disposition"]
    assert header.startswith("attachment; filename*=utf-8''berita-acara-klarifikasi-")
    assert quote("Ṣāliḥ-王") in header and "=?utf-8?" not in header


def test_document_pages_for_handling_roles_only(clarification, make_user):
    case = clarification.case
    staf_client = verified_client(make_user(Role.PANWASCAM, "35.07.10", username="pcam"))
    response = staf_client.get(reverse("cases:invitation_pdf", args=[case.pk, clarification.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert 'attachment; filename="undangan-klarifikasi-' in response["Content-Disposition"]
    response = staf_client.get(reverse("cases:invitation_docx", args=[case.pk, clarification.pk]))
    assert Document(io.BytesIO(response.content)).paragraphs
    assert staf_client.get(reverse("cases:status_notice", args=[case.pk])).status_code == 200
    assert AuditEntry.objects.filter(action="case.document_generated", object_id=str(case.pk)).count() == 3

    pkd = verified_client(make_user(Role.PKD, PUTAT_KIDUL, username="pkd"))
    assert pkd.get(reverse("cases:invitation_pdf", args=[case.pk, clarification.pk])).status_code == 403


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return " ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(content)).pages)


def test_berita_acara_and_kajian_print_what_was_recorded(clarification_today, staf, make_user):
    clarification = clarification_today
    case = clarification.case
    examiner = make_user(Role.STAF_PP, KAB_MALANG, username="dewi.pemeriksa")
    examiner.first_name, examiner.last_name = "Dewi", "Lestari"
    examiner.save()
    workflow.clarification_record(
        clarification=clarification,
        statement="Terlapor mengakui membagikan amplop.\nAmplop berisi Rp50.000.",
        held_at=timezone.now(),
        attachments=[pdf("surat-pernyataan.pdf")],
        actor=examiner,  # not the officer who sent the invitation
    )
    attachment = CaseEvidence.objects.get(clarification=clarification)
    workflow.study_save(
        case=case,
        facts="Sutrisno membagikan amplop kepada warga RT 03.",
        analysis="Pemberian uang untuk memengaruhi pemilih.",
        article_violated="UU 10/2016 Pasal 187A",
        conclusion="Terdapat dugaan tindak pidana Pemilihan.",
        actor=staf,
    )
    client = verified_client(staf)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:berita_acara_pdf", args=[case.pk, clarification.pk]) in page
    assert reverse("cases:kajian_pdf", args=[case.pk]) in page

    response = client.get(reverse("cases:berita_acara_pdf", args=[case.pk, clarification.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    for expected in (
        "BERITA ACARA KLARIFIKASI",
        "Sebagai : Terlapor",
        "Terlapor mengakui membagikan amplop",
        "Pemeriksa, Sutrisno Dewi Lestari",  # the Pemeriksa signs with a name, not a login
    ):
        assert expected in " ".join(text.split()), expected
    assert "dewi.pemeriksa" not in text
    unwrapped = "".join(text.split())  # a table cell wraps long names and the hash
    assert "surat-pernyataan.pdf" in unwrapped and attachment.evidence.sha256 in unwrapped
    held = timezone.localtime(Clarification.objects.get(pk=clarification.pk).held_at)
    said = "".join(f"Pada hari ini {hari_tanggal_terbilang(held)} ({held:%d-%m-%Y})".split())
    assert said in unwrapped  # the day in words, then in figures

    response = client.get(reverse("cases:kajian_pdf", args=[case.pk]))
    text = _pdf_text(response.content)
    for expected in (
        "KAJIAN DUGAAN PELANGGARAN",
        str(case.registration_number),
        "UU 10/2016 Pasal 187A",
        "Terdapat dugaan tindak pidana",
    ):
        assert expected in text, expected
    assert AuditEntry.objects.filter(action="case.document_generated", object_id=str(case.pk)).count() == 2


def test_clarifications_recorded_before_the_pemeriksa_was_kept_get_it_from_the_audit_log(
    clarification_today, make_user
):
    clarification = clarification_today
    import importlib

    from django.apps import apps

    examiner = make_user(Role.STAF_PP, KAB_MALANG, username="pemeriksa.lama")
    workflow.clarification_record(
        clarification=clarification, statement="Keterangan.", held_at=timezone.now(), actor=examiner
    )
    Clarification.objects.filter(pk=clarification.pk).update(recorded_by=None)  # as before 0006
    backfill = importlib.import_module("awas.cases.migrations.0008_clarification_recorded_by_backfill")
    backfill.backfill(apps, None)
    clarification.refresh_from_db()
    assert clarification.recorded_by == examiner  # not the officer who sent the invitation


def test_a_temuan_is_not_worded_as_a_laporan(staf):
    """No pelapor: nothing "to the pelapor" in its history; its referral letter gives the day it
    was found (ditemukan), not a day it was received."""
    found = timezone.localdate() - dt.timedelta(days=2)
    temuan = workflow.temuan_create(facts=facts(PUTAT_KIDUL, known_date=found), actor=staf)
    workflow.case_register(case=temuan, actor=staf)
    workflow.study_save(case=temuan, facts="F.", analysis="A.", conclusion="K.", actor=staf)
    workflow.decision_record(
        case=temuan,
        outcome=DecisionOutcome.LAINNYA,
        reasons="R.",
        plenary_date=timezone.localdate(),
        actor=staf,
    )
    assert not temuan.history.exclude(public_note="").exists()
    referral = workflow.referral_create(case=temuan, body=body("bkn"), actor=staf)
    html = documents.referral_letter_html(referral)
    assert f"Tanggal ditemukan</td><td>:</td><td>{tanggal(found)}" in html and "Tanggal diterima" not in html


def _pdf_pages(content: bytes) -> list[str]:
    """Each page's text, line by line as printed."""
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages]


def _page_of(pages: list[str], text: str) -> int:
    return next(number for number, page in enumerate(pages) if text in " ".join(page.split()))


def _referral(staf, outcome: str, code: str, **facts_overrides):
    case = decided_case(staf, PUTAT_KIDUL, outcome, **facts_overrides)
    return workflow.referral_create(case=case, body=body(code), actor=staf)


def test_a_signature_never_sits_on_a_page_of_its_own(staf, clarification_today):
    """However long the text above, the closing words, the signature headings and the names
    under them come out on one page (a body of some length ends near the foot of page 1)."""
    referral = _referral(staf, DecisionOutcome.LAINNYA, "bkn")
    study = referral.case.study
    clarification = clarification_today
    workflow.clarification_record(
        clarification=clarification, statement="Keterangan.", held_at=timezone.now(), actor=staf
    )
    dated = f"Malang, {tanggal(timezone.localdate())}"
    straddled = set()
    for lines in range(8, 30, 2):
        sentence = (
            "Terlapor membagikan amplop berisi uang kepada warga pada malam hari sebelum pemungutan suara."
        )
        text = "\n".join([sentence] * lines)
        study.conclusion = text  # the referral's Ringkasan
        study.save()
        pages = _pdf_pages(documents.referral_letter_pdf(referral))
        closing, heading = _page_of(pages, "Kami mohon"), _page_of(pages, "Ketua Bawaslu Kabupaten Malang,")
        assert closing == heading == _page_of(pages, "(...."), lines  # the tembusan may follow overleaf
        if len(pages) > 1:
            straddled.add("referral")

        clarification.statement = text
        clarification.save()
        pages = _pdf_pages(documents.berita_acara_pdf(clarification))
        heading = _page_of(pages, "Pemeriksa,")
        assert heading == _page_of(pages, "Demikian berita acara") == _page_of(pages, dated), lines
        assert heading == _page_of(pages, f"Sutrisno ({documents.DOTS})"), lines
        if len(pages) > 1:
            straddled.add("berita acara")
    assert straddled == {"referral", "berita acara"}  # the texts did run onto a second page


def test_the_letter_number_and_the_date_line_are_never_broken(staf, clarification):
    """A letter number of some 40 characters and the longest month's date each stay on one line
    (in the invitation, the referral letter and the status notice)."""
    number = "0123/UND/PL.01.02/Kab/35.07/XII/2026-A"
    clarification.letter_number = number
    clarification.letter_date = dt.date(2026, 9, 30)
    clarification.save()
    referral = _referral(staf, DecisionOutcome.LAINNYA, "bkn")
    referral.letter_number = number.replace("UND", "TL")
    referral.sent_on = dt.date(2026, 9, 30)
    for pdf_bytes, nomor in (
        (documents.invitation_pdf(clarification), number),
        (documents.referral_letter_pdf(referral), referral.letter_number),
        (documents.status_notice_pdf(clarification.case), None),
    ):
        lines = [" ".join(line.split()) for line in _pdf_pages(pdf_bytes)[0].splitlines()]
        if nomor:
            assert f"Nomor : {nomor}" in lines, lines[:8]
        dated = "Malang, 30 September 2026" if nomor else f"Malang, {tanggal(timezone.localdate())}"
        assert dated in lines, lines[:8]


def _docx_text(content: bytes) -> str:
    docx = Document(io.BytesIO(content))
    return " ".join(
        " ".join(
            [p.text for p in docx.paragraphs] + [c.text for t in docx.tables for r in t.rows for c in r.cells]
        ).split()
    )


def test_the_referral_letter_says_where_it_happened_when_the_filer_left_the_place_empty(staf):
    """The desa and kecamatan come after the place typed, and stand alone when none was."""
    event_day = tanggal(timezone.localdate() - dt.timedelta(days=2))
    for typed, said in (
        ("", f"Putat Kidul, Kecamatan Gondanglegi, {event_day}"),
        ("Balai RT 03", f"Balai RT 03, Putat Kidul, Kecamatan Gondanglegi, {event_day}"),
    ):
        referral = _referral(staf, DecisionOutcome.LAINNYA, "bkn", event_place=typed)
        pdf_text = " ".join(" ".join(_pdf_pages(documents.referral_letter_pdf(referral))).split())
        assert f"Tempat dan waktu kejadian : {said}" in pdf_text
        assert f"Tempat dan waktu kejadian : {said}" in _docx_text(documents.referral_letter_docx(referral))
        assert "-, " not in pdf_text
        # The kajian names the place in the same words.
        kajian = " ".join(" ".join(_pdf_pages(documents.kajian_pdf(referral.case.study))).split())
        assert f"Tempat kejadian : {said.rsplit(', ', 1)[0]}" in kajian


def test_an_administrative_violation_goes_to_kpu_as_a_rekomendasi(staf):
    """DOMAIN.md §2.3: Bawaslu recommends, KPU decides. A criminal case is still passed on."""
    referral = _referral(staf, DecisionOutcome.ADMINISTRASI, "kpu-kab-malang")
    pdf_text = " ".join(" ".join(_pdf_pages(documents.referral_letter_pdf(referral))).split())
    docx_text = _docx_text(documents.referral_letter_docx(referral))
    for text in (pdf_text, docx_text):
        assert "Perihal : Rekomendasi atas Pelanggaran Administrasi Pemilihan" in text
        assert "bersama ini kami sampaikan rekomendasi atas perkara tersebut" in text
        # Addressed to its Ketua, who is asked to act as "Saudara", not the body beside its head.
        assert "Kami mohon Saudara menindaklanjuti rekomendasi ini" in text
        assert "enerusan" not in text and "kami teruskan" not in text

    # A Pemilu case says so.
    pemilu = _referral(
        staf, DecisionOutcome.ADMINISTRASI, "kpu-kab-malang", election_type=ElectionType.PEMILU
    )
    assert "Rekomendasi atas Pelanggaran Administrasi Pemilu<" in documents.referral_letter_html(pemilu)

    gakkumdu = _referral(staf, DecisionOutcome.PIDANA, "gakkumdu-kab-malang")
    html = documents.referral_letter_html(gakkumdu)
    assert "Penerusan Dugaan Tindak Pidana Pemilihan" in html and "menindaklanjuti penerusan ini" in html
    assert "kami teruskan perkara tersebut" in html and "rekomendasi" not in html.lower()


def test_case_documents_name_the_officer_who_signs_not_the_login(clarification_today, make_user):
    """An officer without a name on file gets a line to write it in, never the login name."""
    officer = make_user(Role.STAF_PP, KAB_MALANG, username="staf.pp")
    workflow.clarification_record(
        clarification=clarification_today, statement="Keterangan.", held_at=timezone.now(), actor=officer
    )
    workflow.study_save(
        case=clarification_today.case, facts="F.", analysis="A.", conclusion="K.", actor=officer
    )

    def signatures() -> tuple[str, str]:
        berita_acara = " ".join(" ".join(_pdf_pages(documents.berita_acara_pdf(clarification_today))).split())
        kajian = " ".join(" ".join(_pdf_pages(documents.kajian_pdf(clarification_today.case.study))).split())
        return berita_acara.split("Pemeriksa,")[1], kajian.split("Penyusun kajian,")[1]

    berita_acara, kajian = signatures()
    assert "staf.pp" not in berita_acara + kajian
    assert berita_acara == f" Sutrisno ({documents.DOTS})"
    assert kajian.startswith(f" Mengetahui, Ketua Bawaslu Kabupaten Malang, ({documents.DOTS})")

    officer.first_name, officer.last_name = "Rina", "Wulandari"
    officer.save()
    berita_acara, kajian = signatures()
    assert berita_acara == " Sutrisno Rina Wulandari"
    assert kajian == f" Mengetahui, Ketua Bawaslu Kabupaten Malang, Rina Wulandari ({documents.DOTS})"


# --- the rules a letter cites ("Dasar"), and short letters on one sheet --------------------------


def _flat(text: str) -> str:
    """Text without any whitespace: a citation wrapped across lines ("Undang-" / "Undang") still
    reads as one."""
    return "".join(text.split())


def _invitation(staf, election_type: str = ElectionType.PILKADA, scheduled_at=None, **facts_overrides):
    """Sutrisno invited as terlapor, for 10.00 the day after tomorrow unless ``scheduled_at``."""
    case = registered_laporan(staf, PUTAT_KIDUL, election_type=election_type, **facts_overrides)
    return workflow.clarification_schedule(
        case=case,
        invitee_name="Sutrisno",
        invitee_role="terlapor",
        scheduled_at=scheduled_at or dt.datetime.combine(meeting_day(), dt.time(10, 0), tzinfo=WIB),
        place="Kantor Bawaslu Kabupaten Malang, Jl. Panji No. 119, Kepanjen",
        actor=staf,
    )


# What each letter of a Pilkada and of a Pemilu case cites, and what it must not (the other law).
PILKADA_LAW = (
    "Undang-Undang Nomor 1 Tahun 2015 sebagaimana telah diubah dengan Undang-Undang Nomor 8 Tahun 2015, "
    "Undang-Undang Nomor 10 Tahun 2016, dan terakhir dengan Undang-Undang Nomor 6 Tahun 2020"
)
PILKADA_RULE = (
    "Peraturan Bawaslu Nomor 8 Tahun 2020 sebagaimana telah diubah dengan Peraturan Bawaslu Nomor 9 "
    "Tahun 2024"
)
PEMILU_LAW = "Undang-Undang Nomor 7 Tahun 2017 tentang Pemilihan Umum beserta perubahannya"
PEMILU_RULE = (
    "Peraturan Bawaslu Nomor 7 Tahun 2022 tentang Penanganan Temuan dan Laporan Pelanggaran Pemilihan Umum"
)


@pytest.mark.parametrize(
    ("election_type", "law", "rule", "article", "not_cited"),
    [
        (ElectionType.PILKADA, PILKADA_LAW, PILKADA_RULE, "Pasal 134 ayat (5)", "Nomor 7 Tahun 2017"),
        (ElectionType.PEMILU, PEMILU_LAW, PEMILU_RULE, "Pasal 454 ayat (7)", "Nomor 10 Tahun 2016"),
    ],
)
def test_the_letters_cite_the_law_of_the_case_s_election(staf, election_type, law, rule, article, not_cited):
    """The invitation and the referral letter open with a "Dasar": the election law of the case's
    election (UU 1/2015 as amended by UU 10/2016 for a Pilkada, UU 7/2017 for a Pemilu) and
    Bawaslu's rule on handling violations; the referral letter cites the law at the article that
    orders a proven laporan followed up. The PDF and the DOCX say the same."""
    clarification = _invitation(staf, election_type, scheduled_at=timezone.now())  # held today, below
    referral = _referral(staf, DecisionOutcome.LAINNYA, "bkn", election_type=election_type)
    letters = {
        "invitation": (documents.invitation_pdf(clarification), documents.invitation_docx(clarification)),
        "referral": (documents.referral_letter_pdf(referral), documents.referral_letter_docx(referral)),
    }
    for name, (pdf_bytes, docx_bytes) in letters.items():
        docx = Document(io.BytesIO(docx_bytes))
        paragraphs = [p.text for p in docx.paragraphs]
        first = f"{article} {law}" if name == "referral" else law
        for said in (" ".join(_pdf_pages(pdf_bytes)), "\n".join(paragraphs)):
            flat = _flat(said)
            # Numbered, in this order, the last one closing the list.
            assert _flat(f"Dasar: 1. {first}; 2. {rule}.") in flat, (name, said[:1500])
            assert _flat(not_cited) not in flat, name
        # In the DOCX, after the addressee and before the body, each rule a paragraph of its own.
        dasar = paragraphs.index("Dasar:")
        assert paragraphs[dasar + 1] == f"1.\t{first};" and paragraphs[dasar + 2] == f"2.\t{rule}."
        assert paragraphs.index("Kepada Yth.") < dasar
        assert paragraphs[dasar + 4].startswith(("Dalam rangka", "Berdasarkan hasil kajian"))

    # The berita acara names the rule the klarifikasi is held under; the kajian both.
    workflow.clarification_record(
        clarification=clarification, statement="Keterangan.", held_at=timezone.now(), actor=staf
    )
    berita_acara = _flat(" ".join(_pdf_pages(documents.berita_acara_pdf(clarification))))
    assert _flat(f"sesuai dengan {rule}, berdasarkan Surat Undangan Klarifikasi") in berita_acara
    kajian = _flat(" ".join(_pdf_pages(documents.kajian_pdf(referral.case.study))))
    assert _flat(f"Dasar: 1. {law}; 2. {rule}.") in kajian
    assert _flat(not_cited) not in berita_acara + kajian


def test_a_pilkada_temuan_is_followed_up_under_the_law_not_an_article_on_laporan(staf):
    """UU 1/2015 Pasal 134 is about laporan: the referral of a Pilkada temuan cites the law alone
    (DOMAIN.md gives no article for following up a temuan)."""
    temuan = workflow.temuan_create(facts=facts(PUTAT_KIDUL), actor=staf)
    workflow.case_register(case=temuan, actor=staf)
    workflow.study_save(case=temuan, facts="F.", analysis="A.", conclusion="K.", actor=staf)
    workflow.decision_record(
        case=temuan,
        outcome=DecisionOutcome.LAINNYA,
        reasons="R.",
        plenary_date=timezone.localdate(),
        actor=staf,
    )
    referral = workflow.referral_create(case=temuan, body=body("bkn"), actor=staf)
    text = _flat(" ".join(_pdf_pages(documents.referral_letter_pdf(referral))))
    assert _flat(f"Dasar: 1. {PILKADA_LAW};") in text and "Pasal134" not in text
    assert f"1.\t{PILKADA_LAW};" in [
        p.text for p in Document(io.BytesIO(documents.referral_letter_docx(referral))).paragraphs
    ]


@pytest.fixture
def office_on_file(settings):
    """An office that filled in its address (two lines of the kop) and its Ketua's name."""
    settings.AWAS_OFFICE_ADDRESS = (
        "Jl. Panji No. 119, Kepanjen, Kabupaten Malang, Jawa Timur 65163, Telepon (0341) 395100, "
        "Laman malangkab.bawaslu.go.id"
    )
    settings.AWAS_OFFICE_HEAD_NAME = "Dr. H. Muhammad Wahyudi, S.H., M.H."


@pytest.mark.parametrize("election_type", [ElectionType.PILKADA, ElectionType.PEMILU])
def test_a_typical_invitation_and_referral_letter_fit_on_one_sheet(staf, office_on_file, election_type):
    """With its Dasar, a letter about a case of the usual size (title, place, terlapor, a one-
    sentence conclusion) prints on one A4 sheet, tembusan and all: on the fonts a server has
    (DejaVu Serif, the widest of the letters' fonts) as on Liberation Serif."""
    pages = _pdf_pages(documents.invitation_pdf(_invitation(staf, election_type)))
    assert len(pages) == 1, pages
    for outcome, code in (
        (DecisionOutcome.LAINNYA, "bkn"),  # to Jakarta: the address takes the "Tempat" line
        (DecisionOutcome.LAINNYA, "pemkab-malang"),
        (DecisionOutcome.ADMINISTRASI, "kpu-kab-malang"),
        (DecisionOutcome.PIDANA, "gakkumdu-kab-malang"),
    ):
        referral = _referral(
            staf, outcome, code, election_type=election_type, terlapor_position="Kepala Desa Putat Kidul"
        )
        study = referral.case.study
        study.article_violated = "Pasal 71 ayat (1) Undang-Undang Nomor 10 Tahun 2016"  # two lines, as usual
        study.conclusion = (
            "Terlapor selaku kepala desa membagikan amplop berisi uang Rp50.000 kepada warga RT 03 "
            "menjelang pemungutan suara."
        )
        study.save()
        pages = _pdf_pages(documents.referral_letter_pdf(referral))
        assert len(pages) == 1, (code, pages[1:])
        assert "Tembusan:" in pages[0]


def test_the_longest_invitation_still_fits_on_one_sheet(staf, office_on_file):
    """Every field of an invitation at the most its column holds: still one sheet."""
    clarification = _invitation(staf, title="Kepala desa membagikan amplop berisi uang " * 6)
    clarification.place = ("Balai Desa Putat Kidul, Jl. Raya Gondanglegi, Kecamatan Gondanglegi " * 4)[:255]
    clarification.invitee_name = ("Sutrisno bin Kromo Wijoyo " * 8)[:200]
    clarification.letter_number = "0123/UND/PL.01.02/Kab/35.07/XII/2026-A"
    assert len(_pdf_pages(documents.invitation_pdf(clarification))) == 1


def test_a_long_letter_keeps_its_closing_words_with_the_signature(staf, office_on_file):
    """A referral letter whose title and chronology run it onto further pages keeps its closing
    paragraph whole, on the page of the Ketua's title and name (the tembusan may follow)."""
    chronology = "\n".join(
        f"{n}. Pada malam hari sebelum pemungutan suara terlapor mendatangi rumah warga RT 0{n % 9 + 1} "
        "dan membagikan amplop berisi uang sambil meminta warga memilih pasangan calon tertentu."
        for n in range(1, 11)
    )
    referral = _referral(
        staf,
        DecisionOutcome.LAINNYA,
        "bkn",
        title="Kepala desa membagikan amplop berisi uang kepada warga " * 4,
        chronology=chronology,
    )
    study = referral.case.study
    study.conclusion = ""  # the Ringkasan is then the chronology
    study.save()
    pushed = 0
    # A page's worth of lines, four at a time (the closing words and the signature take more than
    # eight): the foot of a page meets them in some.
    for extra in range(0, 57, 4):
        referral.case.chronology = "\n".join([chronology] + ["Warga menerima amplop."] * extra + ["Selesai."])
        referral.case.save()
        pages = _pdf_pages(documents.referral_letter_pdf(referral))
        assert len(pages) >= 2
        opening, ending = _page_of(pages, "Kami mohon"), _page_of(pages, "diucapkan terima kasih.")
        heading, name = (
            _page_of(pages, "Ketua Bawaslu Kabupaten Malang,"),
            _page_of(pages, "Muhammad Wahyudi"),
        )
        assert opening == ending == heading == name, extra
        pushed += _page_of(pages, "Selesai.") < opening  # the block went over to a page of its own
    assert pushed  # the keep-together rule was put to the test
