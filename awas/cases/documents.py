"""Official documents of violation handling, generated from templates.

* Undangan klarifikasi: PDF (WeasyPrint) and DOCX (python-docx, for offices that edit letters
  in a word processor before signing).
* Surat penerusan pelanggaran to a referral body (for a pelanggaran administrasi, the
  rekomendasi to KPU): PDF and DOCX.
* Pemberitahuan status laporan to the pelapor: PDF.
* Berita acara klarifikasi (with the files handed over and their SHA-256) and the kajian (with
  the plenary's decision once there is one): PDF, to sign and to attach to the referral letter.

Letters follow the usual Indonesian government layout: the kop (the office's name in capitals,
its address), a rule, Nomor / Sifat / Lampiran / Perihal on the left and the place and date on
the right (in the PDF on a line of their own above the Nomor, so that neither wraps), the
addressee, the "Dasar" (the rules the letter acts under, per the case's election type: see
``legal_basis``), the body, and the signature block of the Ketua, kept on one page with the
closing words. A letter about a case of the usual size prints on one A4 sheet. They are always in
Indonesian (UU 24/2009 Pasal 33), dates in office time (WIB) with Indonesian month names.

The form codes of the Pilkada lampiran (A.x) are unverified (DOMAIN.md Addendum A.2), so no code
is printed. The office's address and the signatory's name come from the settings
``AWAS_OFFICE_ADDRESS`` and ``AWAS_OFFICE_HEAD_NAME`` (read, with the town, by
``awas.core.documents.office_letterhead``, as for the office's imbauan letters); without them
the letter leaves a dotted line to fill in by hand. The status notice has no running number:
the secretariat numbers it in its letter register.

WeasyPrint is given a URL fetcher that refuses everything: a letter never loads anything from
outside, whatever a text field contains (template autoescaping already keeps markup out).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils import translation

from awas.cases.formatting import (
    hari_tanggal,
    hari_tanggal_terbilang,
    local,
    office_province_name,
    office_region_name,
    pukul,
    tanggal,
    today_local,
)
from awas.cases.models import Case, CaseKind, Clarification, DecisionOutcome, Referral, Study
from awas.cases.services.intake import tracking_public
from awas.core.documents import docx_bytes, docx_new, docx_paragraph, docx_rule_below, office_letterhead
from awas.core.models.deadlines import ElectionType
from awas.core.services.evidence import DOCX, XLSX
from awas.core.text import printable_all

KOP_TITLE = "BADAN PENGAWAS PEMILIHAN UMUM"
DOTS = "...................................."

INVITEE_ROLES = {
    "pelapor": "Pelapor",
    "terlapor": "Terlapor",
    "saksi": "Saksi",
    "ahli": "Ahli",
    "lainnya": "Pihak Terkait",
}


def election_word(case: Case) -> str:
    """What the letters call the election: "Pemilihan" in the Pilkada law (UU 10/2016 uses it for
    the election of kepala daerah), "Pemilu" in the general election law (UU 7/2017)."""
    return "Pemilu" if case.election_type == ElectionType.PEMILU else "Pemilihan"


# "Pemilihan" in these is the Pilkada word: ``_in_words`` puts the case's own in its place.
# A pelanggaran administrasi is not passed on but goes to KPU as Bawaslu's rekomendasi, on which
# KPU decides (DOMAIN.md §2.3, routing: "Administrasi | Bawaslu recommendation to KPU"; KPU's 7
# days run from receiving the recommendation, see seed.py). The other outcomes are penerusan.
REFERRAL_SUBJECTS = {
    DecisionOutcome.ADMINISTRASI: "Rekomendasi atas Pelanggaran Administrasi Pemilihan",
    DecisionOutcome.PIDANA: "Penerusan Dugaan Tindak Pidana Pemilihan",
    DecisionOutcome.KODE_ETIK: "Penerusan Dugaan Pelanggaran Kode Etik Penyelenggara Pemilihan",
    DecisionOutcome.LAINNYA: "Penerusan Pelanggaran Peraturan Perundang-undangan Lainnya",
}
OUTCOME_WORDS = {
    DecisionOutcome.ADMINISTRASI: "pelanggaran administrasi Pemilihan",
    DecisionOutcome.PIDANA: "dugaan tindak pidana Pemilihan",
    DecisionOutcome.KODE_ETIK: "dugaan pelanggaran kode etik penyelenggara Pemilihan",
    DecisionOutcome.LAINNYA: "pelanggaran peraturan perundang-undangan lainnya",
    DecisionOutcome.BUKAN_PELANGGARAN: "bukan pelanggaran",
    DecisionOutcome.DIHENTIKAN: "dihentikan",
}


# --- the rules a letter acts under ("Dasar") -----------------------------------------------------
# Only the laws and articles DOMAIN.md gives (§2.1, §2.2, Addendum A.1 and A.3; for UU 7/2017
# Pasal 454 also ANCHORS.md §0). Left out on purpose:
# * an article for the klarifikasi itself: DOMAIN.md names none in Perbawaslu 8/2020, 9/2024 or
#   7/2022, so the invitation, the berita acara and the kajian cite the law and the Perbawaslu only;
# * the form codes (A.6, A.7, ... for Pilkada: unverified, Addendum A.2);
# * the Peraturan Bersama on Sentra Gakkumdu (14/2016, 01/2016, 013/JA/11/2016, §2.3): whether it
#   still governs Pilkada 2024 is not in DOMAIN.md, so a penerusan to Gakkumdu does not cite it;
# * UU 1/2015 Pasal 140 (KPU's 7 days on a rekomendasi, seed.py): not in DOMAIN.md.
# The Pilkada texts are cited by number: their full titles ("tentang Penetapan Peraturan Pemerintah
# Pengganti Undang-Undang Nomor 1 Tahun 2014 tentang Pemilihan Gubernur, Bupati, dan Walikota
# menjadi Undang-Undang"; "tentang Penanganan Pelanggaran Pemilihan Gubernur dan Wakil Gubernur,
# Bupati dan Wakil Bupati, serta Wali Kota dan Wakil Wali Kota") take eight lines, and a letter with
# them no longer fits on one sheet. A shortened title would misquote the law, so there is none.
# "Peraturan Bawaslu" is the name the Perbawaslu texts themselves use for one another.
# UU 1/2015 in the order of its amendments (DOMAIN.md §2.1: UU 8/2015, UU 10/2016, UU 6/2020).
UU_PEMILIHAN = (
    "Undang-Undang Nomor 1 Tahun 2015 sebagaimana telah diubah dengan Undang-Undang Nomor 8 Tahun 2015, "
    "Undang-Undang Nomor 10 Tahun 2016, dan terakhir dengan Undang-Undang Nomor 6 Tahun 2020"
)
PERBAWASLU_PEMILIHAN = (
    "Peraturan Bawaslu Nomor 8 Tahun 2020 sebagaimana telah diubah dengan Peraturan Bawaslu Nomor 9 "
    "Tahun 2024"
)
# UU 7/2017 has been amended since; DOMAIN.md does not name the amending law, so neither does the
# letter ("beserta perubahannya", as the office's imbauan letters say of UU 1/2015).
UU_PEMILU = "Undang-Undang Nomor 7 Tahun 2017 tentang Pemilihan Umum beserta perubahannya"
PERBAWASLU_PEMILU = (
    "Peraturan Bawaslu Nomor 7 Tahun 2022 tentang Penanganan Temuan dan Laporan Pelanggaran Pemilihan Umum"
)


def legal_basis(case: Case, *, follow_up: bool = False) -> list[str]:
    """The "Dasar" of a case document: the election law, then the Perbawaslu on handling violations,
    per the case's election type. ``follow_up``: the document follows up a case found proven (the
    penerusan or rekomendasi), so the law is cited at the article that orders it: UU 7/2017 Pasal
    454 ayat (7) for a temuan or laporan in a Pemilu (ANCHORS.md §0), UU 1/2015 Pasal 134 ayat (5)
    for a laporan in a Pilkada (DOMAIN.md §2.1, Addendum A.3). Pasal 134 speaks of laporan only and
    DOMAIN.md gives no article for following up a Pilkada temuan: that cites the law alone."""
    if case.election_type == ElectionType.PEMILU:
        article = "Pasal 454 ayat (7) " if follow_up else ""
        return [f"{article}{UU_PEMILU}", PERBAWASLU_PEMILU]
    article = "Pasal 134 ayat (5) " if follow_up and case.kind == CaseKind.LAPORAN else ""
    return [f"{article}{UU_PEMILIHAN}", PERBAWASLU_PEMILIHAN]


# How a name typed with its own form of address begins: the letter does not add "Sdr." to it.
ADDRESSED = re.compile(r"^(sdr|sdri|saudara|saudari|bapak|bpk|ibu|tuan|nyonya|ny)\b\.?", re.IGNORECASE)


def addressed(name: str) -> str:
    """``Sdr. Sutrisno``; a name typed as "Bapak Kusnadi" stays as typed (not "Sdr. Bapak ...")."""
    return name if ADDRESSED.match(name.strip()) else f"Sdr. {name}"


def _in_words(case: Case, text: str) -> str:
    return text.replace("Pemilihan", election_word(case))


# --- the parts every letter shares --------------------------------------------------------------


@dataclass(frozen=True)
class Letterhead:
    office: str  # "Kabupaten Malang"
    title_lines: tuple[str, str]  # ("BADAN PENGAWAS PEMILIHAN UMUM", "KABUPATEN MALANG")
    address: str
    city: str  # where the letter is signed: "Malang"
    head_title: str  # "Ketua Bawaslu Kabupaten Malang"
    head_name: str

    @property
    def bawaslu(self) -> str:
        return f"Bawaslu {self.office}"


def letterhead(case: Case) -> Letterhead:
    office = office_region_name(case)
    own = office_letterhead(office)  # the same address and town as the office's other letters
    return Letterhead(
        office=office,
        title_lines=(KOP_TITLE, office.upper()),
        address=own.address,
        city=own.city,
        head_title=f"Ketua Bawaslu {office}",
        head_name=own.head_name,
    )


def case_label(case: Case) -> str:
    """``Laporan Nomor 001/LP/PL/Kab/35.07/XI/2026`` (or the tracking code before registration)."""
    kind = "Temuan" if case.kind == CaseKind.TEMUAN else "Laporan"
    if case.registration_number:
        return f"{kind} Nomor {case.registration_number}"
    return f"{kind} dengan kode {case.tracking_code}"


def event_when(case: Case) -> str:
    """When it happened, as every case document writes it: the date or, for a temuan taken up from
    an informasi awal whose sender did not know the day, roughly when in their words; "" if neither."""
    if case.event_date is not None:
        return tanggal(case.event_date)
    if case.event_time_note:
        return f"tanggal pastinya tidak diketahui (kira-kira: {case.event_time_note})"
    return ""


def event_place(case: Case) -> str:
    """Where it happened, as every case document writes it: the place the filer typed, then the
    desa (with its kecamatan), so a letter still says where when the place was left empty."""
    region = case.region.name.title()
    if case.region.parent is not None and case.region.level == 4:
        region += f", Kecamatan {case.region.parent.name.title()}"
    return ", ".join(p for p in (case.event_place, region) if p)


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"letters load nothing from outside ({url[:60]})")


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    pdf = HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()
    if pdf is None:  # pragma: no cover - write_pdf without a target always returns bytes
        raise RuntimeError("WeasyPrint returned no PDF")
    return bytes(pdf)


# --- undangan klarifikasi ------------------------------------------------------------------------


def _invitation_context(clarification: Clarification) -> dict[str, Any]:
    case = clarification.case
    head = letterhead(case)
    return {
        "head": head,
        "nomor": clarification.letter_number or DOTS,
        "sifat": "Segera",
        "lampiran": "-",
        "perihal": "Undangan Klarifikasi",
        "dasar": legal_basis(case),
        "election_word": election_word(case),
        "place_date": f"{head.city}, {tanggal(clarification.letter_date or today_local())}",
        "invitee": clarification.invitee_name,
        "invitee_addressed": addressed(clarification.invitee_name),
        "invitee_role": INVITEE_ROLES.get(clarification.invitee_role, "Pihak Terkait"),
        "case_label": case_label(case),
        "case_title": case.title,
        "hari_tanggal": hari_tanggal(clarification.scheduled_at),
        "pukul": pukul(clarification.scheduled_at),
        "tempat": clarification.place,
        "dots": DOTS,
    }


def invitation_html(clarification: Clarification) -> str:
    return render_to_string("cases/documents/invitation.html", _invitation_context(clarification))


def invitation_pdf(clarification: Clarification) -> bytes:
    return html_to_pdf(invitation_html(clarification))


def _letter_docx(
    ctx: dict[str, Any],
    *,
    to: str,
    to_place: str,
    write_body: Callable[[Any], None],
    title: str,
    copies: list[str] | None = None,
) -> bytes:
    """A case letter as DOCX, for the officer to edit in Word: the kop, the head table (Nomor, Sifat,
    Lampiran, Perihal and the place and date), "Kepada Yth.", the body ``write_body(document)``
    writes, the Ketua's signature and the tembusan."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    head: Letterhead = ctx["head"]
    document = docx_new("A4", (2, 2, 2.5, 2))

    def paragraph(text: str = "", **style: Any) -> Any:
        return docx_paragraph(document, text, **style)

    for line in head.title_lines:
        paragraph(line, bold=True, center=True, size=14)
    kop_end = paragraph(head.address or DOTS, center=True, size=10)
    docx_rule_below(kop_end)
    paragraph()

    # As on the PDF: the place and date on a line of their own, so that neither they nor a long
    # letter number wrap.
    paragraph(ctx["place_date"]).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    table = document.add_table(rows=4, cols=2)
    rows = (
        ("Nomor", ctx["nomor"]),
        ("Sifat", ctx["sifat"]),
        ("Lampiran", ctx["lampiran"]),
        ("Perihal", ctx["perihal"]),
    )
    for row, (label, value) in zip(table.rows, rows, strict=True):
        row.cells[0].text = label
        row.cells[1].text = f": {value}"
        row.cells[0].width, row.cells[1].width = Cm(2.5), Cm(14)
    paragraph()
    paragraph("Kepada Yth.")
    paragraph(to, bold=True)
    paragraph("di –")
    for line in (to_place or "Tempat").splitlines():
        paragraph(f"        {line}")
    paragraph()
    if ctx.get("dasar"):
        _dasar_docx(document, ctx["dasar"])
    write_body(document)
    # The closing words and the signature stay on one page (keep with next, as the PDF's
    # unbreakable block): a Ketua's signature alone on a page signs nothing.
    document.paragraphs[-1].paragraph_format.keep_with_next = True
    paragraph().paragraph_format.keep_with_next = True
    for text in (f"{head.head_title},", "", "", ""):
        line = paragraph(text)
        line.paragraph_format.left_indent = Cm(9)
        line.paragraph_format.keep_with_next = True
    signer = paragraph(head.head_name or f"({DOTS})", bold=bool(head.head_name))
    signer.paragraph_format.left_indent = Cm(9)
    if copies:
        paragraph()
        paragraph("Tembusan:")
        for number, copy in enumerate(copies, start=1):
            paragraph(f"{number}. {copy}")

    document.core_properties.title = title
    document.core_properties.author = head.bawaslu
    return docx_bytes(document)


def _dasar_docx(document: Any, items: list[str]) -> None:
    """The "Dasar:" and the numbered rules under it, each hanging after its number, as in the PDF."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    docx_paragraph(document, "Dasar:")
    for number, item in enumerate(items, start=1):
        end = "." if number == len(items) else ";"
        line = docx_paragraph(document, f"{number}.\t{item}{end}")
        line.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        line.paragraph_format.left_indent = Cm(0.75)
        line.paragraph_format.first_line_indent = Cm(-0.75)
        line.paragraph_format.tab_stops.add_tab_stop(Cm(0.75))
    docx_paragraph(document, "")


def _justified(document: Any, text: str) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph = document.add_paragraph(text)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    return paragraph


def _facts_table(document: Any, rows: list[tuple[str, str]], label_cm: float) -> None:
    from docx.shared import Cm

    table = document.add_table(rows=len(rows), cols=2)
    for row, (label, value) in zip(table.rows, rows, strict=True):
        row.cells[0].text = label
        row.cells[1].text = f": {value}"
        row.cells[0].width, row.cells[1].width = Cm(label_cm), Cm(16 - label_cm)


def invitation_docx(clarification: Clarification) -> bytes:
    ctx = printable_all(_invitation_context(clarification))
    head: Letterhead = ctx["head"]

    def write_body(document: Any) -> None:
        _justified(
            document,
            f"Dalam rangka penanganan dugaan pelanggaran {ctx['election_word']} atas {ctx['case_label']} "
            f"perihal “{ctx['case_title']}”, {head.bawaslu} mengundang Saudara sebagai {ctx['invitee_role']} "
            "untuk memberikan keterangan/klarifikasi pada:",
        )
        _facts_table(
            document,
            [("Hari/Tanggal", ctx["hari_tanggal"]), ("Pukul", ctx["pukul"]), ("Tempat", ctx["tempat"])],
            3.5,
        )
        docx_paragraph(document, "")
        _justified(
            document,
            "Mengingat pentingnya keterangan Saudara, kehadiran tepat waktu sangat diharapkan dengan membawa "
            "kartu tanda penduduk elektronik (KTP-el) serta dokumen dan bukti yang berkaitan. Demikian "
            "undangan ini disampaikan; atas perhatian Saudara diucapkan terima kasih.",
        )

    return _letter_docx(
        ctx,
        to=ctx["invitee_addressed"],
        to_place="",
        write_body=write_body,
        title=f"Undangan Klarifikasi {ctx['nomor']}",
    )


# --- surat penerusan pelanggaran ---------------------------------------------------------------


def _referral_context(referral: Referral) -> dict[str, Any]:
    case = referral.case
    head = letterhead(case)
    decision = getattr(case, "decision", None)
    study = getattr(case, "study", None)
    outcome = decision.outcome if decision else DecisionOutcome.LAINNYA
    recommendation = outcome == DecisionOutcome.ADMINISTRASI  # see REFERRAL_SUBJECTS
    return {
        "head": head,
        "nomor": referral.letter_number,
        "sifat": "Segera",
        "lampiran": "1 (satu) berkas hasil kajian",
        "perihal": _in_words(
            case, REFERRAL_SUBJECTS.get(outcome, REFERRAL_SUBJECTS[DecisionOutcome.LAINNYA])
        ),
        "place_date": f"{head.city}, {tanggal(referral.sent_on)}",
        "dasar": legal_basis(case, follow_up=True),
        # "... bersama ini {sending} dengan keterangan ..."; "menindaklanjuti {letter_word} ini".
        "sending": (
            "kami sampaikan rekomendasi atas perkara tersebut"
            if recommendation
            else "kami teruskan perkara tersebut"
        ),
        "letter_word": "rekomendasi" if recommendation else "penerusan",
        # Who is asked to act: the head the letter is addressed to, as "Saudara" (the Sentra
        # Gakkumdu's letter goes to the head of the Polres); a body with no addressee, by its name.
        "asked": "Saudara" if referral.body.addressee else referral.body.name,
        "body": referral.body,
        "case": case,
        "case_label": case_label(case),
        "registration_number": case.registration_number or "-",
        "received": tanggal(case.received_at),
        "found": tanggal(case.known_date) if case.known_date else "",  # a temuan's "ditemukan"
        "place_time": f"{event_place(case) or '-'}, {event_when(case) or '-'}",
        "plenary_date": tanggal(decision.plenary_date) if decision else DOTS,
        "outcome_words": _in_words(case, OUTCOME_WORDS.get(outcome, "")),
        "article": (study.article_violated if study else "") or "-",
        "summary": (study.conclusion if study else "") or case.chronology,
        # What the letter asked for when it went out, not the date a body's progress moved it to.
        "follow_up_due": tanggal(referral.letter_answer_due or referral.follow_up_due),
        "province": office_province_name(case),
        "dots": DOTS,
    }


def referral_letter_html(referral: Referral) -> str:
    return render_to_string("cases/documents/referral_letter.html", _referral_context(referral))


def referral_letter_pdf(referral: Referral) -> bytes:
    return html_to_pdf(referral_letter_html(referral))


def referral_letter_docx(referral: Referral) -> bytes:
    """The same letter as ``referral_letter_html``, as DOCX for the officer to edit in Word."""
    ctx = printable_all(_referral_context(referral))
    head: Letterhead = ctx["head"]
    case: Case = ctx["case"]
    body: Any = ctx["body"]
    known = (
        ("Tanggal ditemukan", ctx["found"])
        if case.kind == CaseKind.TEMUAN and ctx["found"]
        else ("Tanggal diterima", ctx["received"])
    )
    terlapor = (case.terlapor_name or "-") + (
        f" ({case.terlapor_position})" if case.terlapor_position else ""
    )

    def write_body(document: Any) -> None:
        _justified(
            document,
            f"Berdasarkan hasil kajian dan rapat pleno {head.bawaslu} tanggal {ctx['plenary_date']} atas "
            f"{ctx['case_label']}, {head.bawaslu} menyimpulkan bahwa peristiwa tersebut merupakan "
            f"{ctx['outcome_words']}. Sehubungan dengan itu, bersama ini {ctx['sending']} "
            "dengan keterangan sebagai berikut:",
        )
        _facts_table(
            document,
            [
                ("Nomor registrasi", ctx["registration_number"]),
                known,
                ("Peristiwa", case.title),
                ("Tempat dan waktu kejadian", ctx["place_time"]),
                ("Terlapor", terlapor),
                ("Pasal yang dilanggar", ctx["article"]),
                ("Ringkasan", ctx["summary"]),
            ],
            5.0,
        )
        docx_paragraph(document, "")
        _justified(
            document,
            f"Kami mohon {ctx['asked']} menindaklanjuti {ctx['letter_word']} ini sesuai dengan ketentuan "
            f"peraturan perundang-undangan dan menyampaikan hasil tindak lanjutnya kepada {head.bawaslu} "
            f"paling lambat tanggal {ctx['follow_up_due']}. Atas perhatian dan kerja samanya diucapkan "
            "terima kasih.",
        )

    return _letter_docx(
        ctx,
        to=body.addressee or body.name,
        to_place=body.address,
        write_body=write_body,
        title=f"{ctx['perihal']} {ctx['nomor']}",
        copies=[f"Ketua Bawaslu {ctx['province'] or 'Provinsi'};", "Arsip."],
    )


# --- pemberitahuan status laporan ---------------------------------------------------------------


def _status_words(case: Case) -> str:
    """The status as the tracking page and the e-mails name it; a merged laporan's with the
    status of the case it goes on with."""
    with translation.override("id"):
        tracking = tracking_public(case)
    if tracking.merged_status_label:
        return f"{tracking.status_label} (status perkara gabungan: {tracking.merged_status_label})"
    return tracking.status_label


def _status_notice_context(case: Case) -> dict[str, Any]:
    head = letterhead(case)
    last = case.history.order_by("-at", "-pk").first()
    reporter = getattr(case, "reporter", None)
    return {
        "head": head,
        "reporter_addressed": addressed(reporter.name if reporter else "Pelapor"),
        "nomor": DOTS,
        "sifat": "Biasa",
        "lampiran": "-",
        "perihal": "Pemberitahuan Status Laporan",
        "place_date": f"{head.city}, {tanggal(today_local())}",
        "reporter_name": reporter.name if reporter else "Pelapor",
        "reporter_address": reporter.address if reporter else "",
        "case": case,
        "case_label": case_label(case),
        "received": tanggal(case.received_at),
        "status": _status_words(case),
        "status_date": tanggal(last.at) if last else "",
        "note": last.public_note if last else "",
        "dots": DOTS,
    }


def status_notice_html(case: Case) -> str:
    return render_to_string("cases/documents/status_notice.html", _status_notice_context(case))


def status_notice_pdf(case: Case) -> bytes:
    return html_to_pdf(status_notice_html(case))


# --- berita acara klarifikasi and kajian -------------------------------------------------------


def _signatory(user: Any) -> str:
    """The name under a signature: the user's full name, or dots to write it in by hand (a
    login name such as "staf.pp" is not a name to sign an official record with)."""
    name = user.get_full_name().strip() if user is not None else ""
    return name or f"({DOTS})"


# What a file handed over at a clarification is, as the berita acara says it to the one who signs
# it: in Indonesian, not as a MIME type ("application/pdf").
FILE_KINDS = {
    "application/pdf": "dokumen PDF",
    DOCX: "dokumen Word",
    XLSX: "lembar kerja Excel",
    "text/plain": "teks",
    "video/quicktime": "video MOV",
    "audio/mpeg": "rekaman suara MP3",
}
FILE_KIND_WORDS = {"image": "gambar", "video": "video", "audio": "rekaman suara"}


def file_kind(content_type: str) -> str:
    """``gambar JPEG``, ``dokumen PDF``, ``video MP4``; an unknown type as it is."""
    if content_type in FILE_KINDS:
        return FILE_KINDS[content_type]
    major, _slash, minor = content_type.partition("/")
    if major in FILE_KIND_WORDS and minor:
        return f"{FILE_KIND_WORDS[major]} {minor.removeprefix('x-').upper()}"
    return content_type


def _berita_acara_context(clarification: Clarification) -> dict[str, Any]:
    case = clarification.case
    head = letterhead(case)
    held = clarification.held_at or clarification.scheduled_at
    with translation.override("id"):  # sizes as "48,8 KB", like the rest of the letter
        files = [
            {
                "name": item.name,
                "kind": file_kind(item.evidence.content_type),
                "size": filesizeformat(item.evidence.size),
                "sha256": item.evidence.sha256,
            }
            for item in clarification.attachments.select_related("evidence").order_by("pk")
        ]
    return {
        "head": head,
        "election_word": election_word(case),
        # The rule the klarifikasi is held under: the Perbawaslu on handling violations.
        "regulation": legal_basis(case)[1],
        "title": "Berita Acara Klarifikasi",
        "doc_number": f"Nomor: {DOTS}",  # numbered by the secretariat in its register
        # In words, with the figures after it, as a berita acara is written.
        "hari_tanggal": f"{hari_tanggal_terbilang(held)} ({local(held):%d-%m-%Y})",
        "pukul": pukul(held),
        "tempat": clarification.place,
        "case_label": case_label(case),
        "case_title": case.title,
        "letter_number": clarification.letter_number or DOTS,
        "letter_date": tanggal(clarification.letter_date) or DOTS,
        "invitee": clarification.invitee_name,
        "invitee_addressed": addressed(clarification.invitee_name),
        "invitee_role": INVITEE_ROLES.get(clarification.invitee_role, "Pihak Terkait"),
        "statement": clarification.statement,
        "files": files,
        "place_date": f"{head.city}, {tanggal(held)}",
        "examiner": _signatory(clarification.recorded_by),
        "dots": DOTS,
    }


def berita_acara_html(clarification: Clarification) -> str:
    return render_to_string("cases/documents/berita_acara.html", _berita_acara_context(clarification))


def berita_acara_pdf(clarification: Clarification) -> bytes:
    return html_to_pdf(berita_acara_html(clarification))


def _kajian_context(study: Study) -> dict[str, Any]:
    case = study.case
    head = letterhead(case)
    decision = getattr(case, "decision", None)
    reporter = getattr(case, "reporter", None)
    temuan = case.kind == CaseKind.TEMUAN
    terlapor = case.terlapor_name or "-"
    if case.terlapor_position:
        terlapor += f" ({case.terlapor_position})"
    return {
        "head": head,
        "title": "Kajian Dugaan Pelanggaran",
        "doc_number": case_label(case),
        "dasar": legal_basis(case),
        "kind_word": "Temuan" if temuan else "Laporan",
        "case": case,
        "study": study,
        "registration_number": case.registration_number or "-",
        "received_label": "Tanggal ditemukan" if temuan else "Tanggal diterima",
        "received": tanggal(case.known_date if temuan and case.known_date else case.received_at),
        "reporter_name": reporter.name if reporter else "",
        "terlapor": terlapor,
        "place": event_place(case),
        "event_date": event_when(case) or "-",
        "article": study.article_violated or "-",
        "decision": decision,
        "plenary_date": tanggal(decision.plenary_date) if decision else "",
        "outcome_words": _in_words(case, OUTCOME_WORDS.get(decision.outcome, "")) if decision else "",
        "place_date": f"{head.city}, {tanggal(study.updated_at)}",
        "author": _signatory(study.author),
        "dots": DOTS,
    }


def kajian_html(study: Study) -> str:
    return render_to_string("cases/documents/kajian.html", _kajian_context(study))


def kajian_pdf(study: Study) -> bytes:
    return html_to_pdf(kajian_html(study))
