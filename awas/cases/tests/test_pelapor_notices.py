"""What the pelapor reads in the e-mails about their laporan, step by step: where to follow it
and where to reach the office, in words a pelapor without the office's web address can use."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from awas.cases.formatting import tanggal
from awas.cases.models import CaseStatus, DecisionOutcome
from awas.cases.services import workflow
from awas.cases.tests.staff_helpers import (  # noqa: F401 (_quick_argon2 is an autouse fixture)
    ALL_MET,
    _quick_argon2,
    body,
    decide,
    record_laporan,
)
from awas.conftest import KAB_MALANG, PUTAT_KIDUL
from awas.core.roles import Role

PELAPOR = "pelapor@example.id"


@pytest.fixture
def staf(malang, make_user):
    return make_user(Role.STAF_PP, KAB_MALANG, username="staf.budi")


def to_pelapor(mailoutbox) -> list:
    return [mail for mail in mailoutbox if mail.to == [PELAPOR]]


def test_without_the_public_address_the_status_email_says_how_to_find_the_tracking_page(
    staf, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.AWAS_PUBLIC_URL = ""
    with django_capture_on_commit_callbacks(execute=True):
        case = record_laporan(staf, PUTAT_KIDUL, email=PELAPOR)
    [received] = to_pelapor(mailoutbox)
    assert case.tracking_code in received.subject
    # Not just "the tracking page": the end of its address and the code to type in.
    assert (
        "Perkembangannya dapat diikuti di halaman pelacakan laporan (alamatnya berakhiran /lapor/lacak/) "
        f"dengan kode pelacakan {case.tracking_code}, atau ditanyakan ke kantor."
    ) in received.body
    assert "http" not in received.body

    settings.AWAS_PUBLIC_URL = "https://lapor.example.id/"
    with django_capture_on_commit_callbacks(execute=True):
        workflow.requirements_check(case=case, checks=ALL_MET, actor=staf)
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED
    registered = to_pelapor(mailoutbox)[-1]
    assert (
        "Perkembangannya dapat diikuti di halaman pelacakan laporan: "
        f"https://lapor.example.id/lapor/lacak/{case.tracking_code}/"
    ) in registered.body
    assert "alamatnya berakhiran" not in registered.body


def test_the_notices_that_ask_the_pelapor_to_come_say_where_the_office_is_and_its_phone(
    staf, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.AWAS_OFFICE_ADDRESS = "Jl. Panji 158, Kepanjen"
    settings.AWAS_OFFICE_PHONE = "0341-000000"
    signature = "Bawaslu Kabupaten Malang\nJl. Panji 158, Kepanjen\nTelepon 0341-000000"
    case = record_laporan(staf, PUTAT_KIDUL, email=PELAPOR)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.requirements_check(case=case, checks={**ALL_MET, "formal_signature": False}, actor=staf)
    incomplete = to_pelapor(mailoutbox)[-1]
    assert "Lengkapi di kantor paling lambat" in incomplete.body
    assert incomplete.body.endswith(signature)  # which office, where, and whom to call

    with django_capture_on_commit_callbacks(execute=True):
        workflow.requirements_check(case=case, checks=ALL_MET, actor=staf)
        workflow.request_more_information(case=case, what="Rekaman video aslinya.", actor=staf)
    asked = to_pelapor(mailoutbox)[-1]
    assert asked.subject == f"Keterangan tambahan diperlukan untuk laporan {case.tracking_code}"
    assert "dibawa atau dikirim ke kantor" in asked.body and asked.body.endswith(signature)

    # An office that set neither signs with its name alone.
    settings.AWAS_OFFICE_ADDRESS = settings.AWAS_OFFICE_PHONE = ""
    with django_capture_on_commit_callbacks(execute=True):
        workflow.study_save(
            case=case, facts="Fakta.", analysis="Analisis.", conclusion="Simpulan.", actor=staf
        )
    assert to_pelapor(mailoutbox)[-1].body.endswith("orang lain.\n\nBawaslu Kabupaten Malang")


def test_the_pelapor_of_a_merged_laporan_reads_what_the_plenary_decided_but_not_its_reason(
    staf, client, mailoutbox, django_capture_on_commit_callbacks
):
    first = record_laporan(staf, PUTAT_KIDUL, email="pertama@example.id")
    workflow.requirements_check(case=first, checks=ALL_MET, actor=staf)
    second = record_laporan(staf, PUTAT_KIDUL, email=PELAPOR)
    workflow.case_merge(case=second, other=first, reason="Peristiwa sama.", actor=staf)
    mailoutbox.clear()
    plenary = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        decide(
            first,
            DecisionOutcome.BUKAN_PELANGGARAN,
            staf,
            plenary_date=plenary,
            reasons="Tidak terbukti.",
            public_reason="Saksi yang diajukan Siti Aminah tidak hadir.",  # written to the first pelapor
        )
    decided = (
        f"Rapat pleno tanggal {tanggal(plenary)} memutuskan: Bukan pelanggaran. Penanganan laporan selesai."
    )
    mail = to_pelapor(mailoutbox)[-1]
    assert second.tracking_code in mail.subject and mail.subject.endswith(": Selesai")
    assert decided in mail.body  # not only "Status perkara gabungan itu kini: Selesai"
    assert "Siti Aminah" not in mail.body and "Saksi yang diajukan" not in mail.body
    assert first.tracking_code not in mail.body

    page = client.get(reverse("public:track_detail", args=[second.tracking_code])).content.decode()
    assert decided in page and "Siti Aminah" not in page
    # Its kajian step reads as before: the label alone.
    assert "Pengawas sedang melakukan kajian" not in page


def test_a_merged_pelapor_hears_a_violation_is_referred_and_then_only_once_of_the_decision(
    staf, client, mailoutbox, django_capture_on_commit_callbacks
):
    first = record_laporan(staf, PUTAT_KIDUL, email="pertama@example.id")
    workflow.requirements_check(case=first, checks=ALL_MET, actor=staf)
    second = record_laporan(staf, PUTAT_KIDUL, email=PELAPOR)
    workflow.case_merge(case=second, other=first, reason="Peristiwa sama.", actor=staf)
    plenary = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        decide(first, DecisionOutcome.ADMINISTRASI, staf, plenary_date=plenary)
        referral = workflow.referral_create(
            case=first, body=body("kpu-kab-malang"), sent_on=plenary, actor=staf
        )
        workflow.referral_record_response(
            referral=referral, response="Ditindaklanjuti.", responded_on=plenary, actor=staf
        )
    decided = f"Rapat pleno tanggal {tanggal(plenary)} memutuskan: Pelanggaran administrasi."
    bodies = [mail.body for mail in to_pelapor(mailoutbox)]
    assert [decided in text for text in bodies] == [False, True, False, False]  # kajian, diputus, ...
    page = client.get(reverse("public:track_detail", args=[second.tracking_code])).content.decode()
    assert page.count(decided) == 1


def test_a_laporan_brought_to_the_desk_after_the_limit_is_told_so_in_its_election_s_terms(
    staf, mailoutbox, django_capture_on_commit_callbacks
):
    # A Pemilu laporan counts hari kerja under UU 7/2017 Pasal 454 ayat (6); in time, the usual note.
    import datetime as dt

    from awas.cases.formatting import today_local
    from awas.cases.services.notify import LAPORAN_RECEIVED_NOTE

    known = today_local() - dt.timedelta(days=20)
    with django_capture_on_commit_callbacks(execute=True):
        late = record_laporan(
            staf, PUTAT_KIDUL, email=PELAPOR, election_type="pemilu", event_date=known, known_date=known
        )
        in_time = record_laporan(staf, PUTAT_KIDUL, email=PELAPOR, title="Baliho di masjid")
    late_mail, in_time_mail = to_pelapor(mailoutbox)
    assert late.tracking_code in late_mail.subject
    assert (
        "Laporan ini disampaikan setelah lewat batas waktu pelaporan, yaitu 7 hari kerja sejak kejadiannya "
        f"diketahui (UU 7/2017 Pasal 454 ayat (6)): Anda mengetahuinya pada {tanggal(known)}, sehingga "
        f"batasnya {tanggal(late.filing_due)}. Kantor akan memeriksa laporan ini dan memberitahukan "
        "hasilnya kepada Anda."
    ) in late_mail.body
    assert "dilengkapi" not in late_mail.body
    assert late.history.get().public_note in late_mail.body  # the tracking page reads the same
    assert in_time.tracking_code in in_time_mail.subject and LAPORAN_RECEIVED_NOTE in in_time_mail.body
