"""The follow-up of a referral as the office works it: the overdue list, and a referral recorded in
error taken back."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone

from awas.cases.formatting import tanggal, today_local
from awas.cases.models import CaseStatus, DecisionOutcome, Referral
from awas.cases.services import workflow
from awas.cases.tests.staff_helpers import (  # noqa: F401 (_quick_argon2 is an autouse fixture)
    _quick_argon2,
    body,
    decided_case,
)
from awas.conftest import KAB_MALANG, PUTAT_KIDUL, verified_client
from awas.core.models import AuditEntry
from awas.core.roles import Role


@pytest.fixture
def staf(malang, make_user):
    return make_user(Role.STAF_PP, KAB_MALANG, username="staf")


def test_the_overdue_list_says_since_when_the_letter_went_out(staf):
    # "Which body, since when": the letter's date, not only its number (whose month is all it gives).
    sent = today_local() - dt.timedelta(days=30)
    case = decided_case(staf, PUTAT_KIDUL, DecisionOutcome.ADMINISTRASI, days_ago=30)
    workflow.referral_create(case=case, body=body("kpu-kab-malang"), sent_on=sent, actor=staf)
    page = verified_client(staf).get(reverse("cases:follow_ups")).content.decode()
    assert f'data-testid="sent-on">dikirim {tanggal(sent)}<' in page


def test_the_plenary_form_of_a_temuan_asks_for_no_reason_for_a_pelapor(staf):
    # A temuan is the office's own finding: "Alasan untuk pelapor" (for the tracking page and the
    # status notice) had nobody to read it, and what was typed there went nowhere.
    from awas.cases.tests.staff_helpers import facts, registered_laporan

    client = verified_client(staf)
    temuan = workflow.temuan_create(facts=facts(PUTAT_KIDUL), actor=staf)
    workflow.case_register(case=temuan, actor=staf, established_on=today_local())
    laporan = registered_laporan(staf, PUTAT_KIDUL)
    for case in (temuan, laporan):
        workflow.study_save(case=case, facts="F.", analysis="A.", conclusion="K.", actor=staf)
    asked = 'name="public_reason"'
    assert asked not in client.get(reverse("cases:detail", args=[temuan.pk])).content.decode()
    assert asked in client.get(reverse("cases:detail", args=[laporan.pk])).content.decode()

    client.post(
        reverse("cases:decision", args=[temuan.pk]),
        {
            "outcome": "bukan_pelanggaran",
            "reasons": "Tidak terbukti.",
            "plenary_date": today_local().isoformat(),
        },
    )
    temuan.refresh_from_db()
    assert temuan.status == CaseStatus.CLOSED
    page = client.get(reverse("cases:detail", args=[temuan.pk])).content.decode()
    assert 'name="correction"' in page and asked not in page  # nor in its correction


def invited_yesterday_s_laporan(staf, name: str = "Sutrisno", role: str = "terlapor"):
    """A laporan received yesterday and registered, with ``name`` invited to the office for now."""
    from awas.cases.tests.staff_helpers import registered_laporan

    case = registered_laporan(staf, PUTAT_KIDUL, received_at=timezone.now() - dt.timedelta(days=1))
    invitation = workflow.clarification_schedule(
        case=case,
        invitee_name=name,
        invitee_role=role,
        scheduled_at=timezone.now(),
        place="Kantor",
        actor=staf,
    )
    return case, invitation


def test_an_invitation_typed_wrong_is_withdrawn_and_the_plenary_decides_without_a_berita_acara_for_it(staf):
    # Invited for 22.00 instead of 10.00 (or the wrong person): the letter is not sent, a new one
    # is. The wrong invitation no longer asks for a berita acara of a meeting never held.
    from awas.cases.models import Clarification

    client = verified_client(staf)
    case, wrong = invited_yesterday_s_laporan(staf)
    workflow.study_save(case=case, facts="F.", analysis="A.", conclusion="K.", actor=staf)
    decided = {"outcome": "bukan_pelanggaran", "reasons": "R.", "plenary_date": today_local().isoformat()}
    page = client.post(reverse("cases:decision", args=[case.pk]), decided).content.decode()
    assert f"(undangan {wrong.letter_number}, {tanggal(today_local())}) belum ada" in " ".join(page.split())

    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Batalkan undangan yang tercatat keliru" in page
    response = client.post(
        reverse("cases:clarification_cancel", args=[case.pk]),
        {"clarification": wrong.pk, "reason": "Jam salah ketik."},
        follow=True,
    )
    assert "Undangan dibatalkan." in response.content.decode()
    assert not Clarification.objects.filter(pk=wrong.pk).exists()
    entry = AuditEntry.objects.get(action="case.clarification_cancelled", object_id=str(case.pk))
    assert entry.before is not None and entry.before["letter_number"] == wrong.letter_number
    # The case page still accounts for the void number: which, when, by whom and why.
    withdrawn = re.search(r'data-testid="withdrawn-invitations">(.*?)</ul>', response.content.decode(), re.S)
    assert withdrawn, "the withdrawn invitation is not listed"
    assert wrong.letter_number in withdrawn.group(1) and "Terlapor" in withdrawn.group(1)
    assert f"dibatalkan {date_filter(timezone.localtime(entry.created_at), 'j F Y H.i')} WIB oleh {staf}" in (
        withdrawn.group(1)
    )
    assert "Jam salah ketik." in withdrawn.group(1)
    assert "Sutrisno" not in withdrawn.group(1)  # the name is not kept in the log

    client.post(reverse("cases:decision", args=[case.pk]), decided)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


def test_a_held_clarification_keeps_its_invitation(staf):
    client = verified_client(staf)
    case, held = invited_yesterday_s_laporan(staf)
    workflow.clarification_record(clarification=held, statement="Hadir.", held_at=timezone.now(), actor=staf)
    with pytest.raises(workflow.WorkflowError):
        workflow.clarification_cancel(clarification=held, reason="Keliru", actor=staf)
    page = client.post(
        reverse("cases:clarification_cancel", args=[case.pk]), {"clarification": held.pk, "reason": "Keliru"}
    ).content.decode()
    assert "Tidak ada yang disimpan" in page
    assert case.clarifications.filter(pk=held.pk).exists()


def test_the_berita_acara_names_the_files_handed_over_in_indonesian(staf):
    # Read and signed by the saksi: "gambar JPEG", "dokumen PDF", not "image/jpeg", "application/pdf".
    import io

    from pypdf import PdfReader

    from awas.cases.tests.staff_helpers import jpeg, pdf

    case, invited = invited_yesterday_s_laporan(staf, "Kusnadi", "saksi")
    workflow.clarification_record(
        clarification=invited,
        statement="Saksi menyerahkan foto dan surat pernyataan.",
        held_at=timezone.now(),
        attachments=[jpeg("foto amplop.jpg"), pdf("pernyataan.pdf")],
        actor=staf,
    )
    response = verified_client(staf).get(reverse("cases:berita_acara_pdf", args=[case.pk, invited.pk]))
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).split())
    assert "gambar JPEG," in text and "dokumen PDF," in text
    assert "image/" not in text and "application/" not in text


def kades_case_sent_to_kemendagri(staf, client):
    """A kepala desa's case meant for the Bupati, recorded as sent to Kemendagri (the next body
    offered for a kepala desa) ten days ago: its answer is overdue."""
    sent = today_local() - dt.timedelta(days=20)
    case = decided_case(
        staf, PUTAT_KIDUL, DecisionOutcome.LAINNYA, days_ago=20, terlapor_position="Kepala desa"
    )
    client.post(
        reverse("cases:referral", args=[case.pk]),
        {"body": body("kemendagri").pk, "sent_on": sent.isoformat()},
    )
    return case, Referral.objects.get(case=case)


def test_a_referral_to_the_wrong_body_is_withdrawn_then_sent_to_the_right_one(
    staf, django_capture_on_commit_callbacks
):
    client = verified_client(staf)
    case, wrong = kades_case_sent_to_kemendagri(staf, client)
    assert wrong.letter_number in client.get(reverse("cases:follow_ups")).content.decode()
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Batalkan penerusan yang tercatat keliru" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("cases:referral_cancel", args=[case.pk]),
            {"referral": wrong.pk, "reason": "Salah pilih instansi: kepala desa ke Bupati."},
            follow=True,
        )
    assert "Penerusan dibatalkan." in response.content.decode()
    case.refresh_from_db()
    # Back to waiting for its referral; the mistaken one is no longer awaited nor overdue.
    assert case.status == CaseStatus.DECIDED and not case.referrals.exists()
    assert wrong.letter_number not in client.get(reverse("cases:follow_ups")).content.decode()
    # The pelapor, told it went to Kemendagri, is told that was withdrawn (page and e-mail).
    told = (
        f"Penerusan kepada Kementerian Dalam Negeri (Kemendagri) tanggal {tanggal(wrong.sent_on)} "
        "tercatat keliru dan telah dibatalkan. Perkara akan diteruskan kepada instansi yang berwenang."
    )
    tracking = client.get(reverse("public:track_detail", args=[case.tracking_code])).content.decode()
    assert told in tracking
    assert [m.to for m in mail.outbox] == [["pelapor@example.id"]] and told in mail.outbox[0].body
    # The void number and why stay on record.
    entry = AuditEntry.objects.get(action="case.referral_cancelled", object_id=str(case.pk))
    assert entry.before is not None and entry.after is not None
    assert entry.before["letter_number"] == wrong.letter_number and entry.after["reason"]
    assert case.history.last().reason == (
        f"Surat penerusan {wrong.letter_number} dibatalkan: Salah pilih instansi: kepala desa ke Bupati."
    )

    client.post(
        reverse("cases:referral", args=[case.pk]),
        {"body": body("pemkab-malang").pk, "sent_on": today_local().isoformat()},
    )
    case.refresh_from_db()
    right = case.referrals.get()
    assert case.status == CaseStatus.REFERRED and right.body.code == "pemkab-malang"
    assert right.letter_number != wrong.letter_number


def test_a_referral_the_body_reported_progress_on_is_not_withdrawn(staf):
    client = verified_client(staf)
    case, referral = kades_case_sent_to_kemendagri(staf, client)
    workflow.referral_record_progress(
        referral=referral, note="Diteruskan ke Inspektorat.", reported_on=today_local(), actor=staf
    )
    page = client.post(
        reverse("cases:referral_cancel", args=[case.pk]),
        {"referral": referral.pk, "reason": "Salah pilih instansi"},
    ).content.decode()
    assert "sehingga penerusan tidak dapat dibatalkan" in page
    assert "Salah pilih instansi</textarea>" in page  # what was typed is shown again
    assert Referral.objects.filter(pk=referral.pk, responded_on__isnull=True).exists()


def test_a_withdrawal_needs_its_reason(staf):
    client = verified_client(staf)
    case, referral = kades_case_sent_to_kemendagri(staf, client)
    page = client.post(
        reverse("cases:referral_cancel", args=[case.pk]), {"referral": referral.pk, "reason": " "}
    ).content.decode()
    assert "Tidak ada yang disimpan" in page
    assert Referral.objects.filter(pk=referral.pk).exists()


def test_withdrawing_a_second_referral_leaves_the_case_as_the_first_one_left_it(staf):
    # Answered by the Bupati (closed), then sent to Kemendagri by mistake: withdrawn, it is closed
    # again; with the Bupati's answer still awaited, it stays with the Bupati.
    for answered, status in ((True, CaseStatus.CLOSED), (False, CaseStatus.REFERRED)):
        case = decided_case(
            staf, PUTAT_KIDUL, DecisionOutcome.LAINNYA, days_ago=5, terlapor_position="Kepala desa"
        )
        first = workflow.referral_create(case=case, body=body("pemkab-malang"), actor=staf)
        if answered:
            workflow.referral_record_response(
                referral=first, response="Kades diberi teguran.", responded_on=today_local(), actor=staf
            )
        case.refresh_from_db()
        second = workflow.referral_create(case=case, body=body("kemendagri"), actor=staf)
        workflow.referral_cancel(referral=second, reason="Tidak perlu ke Kemendagri.", actor=staf)
        case.refresh_from_db()
        assert case.status == status
        assert list(case.referrals.all()) == [first]


def test_a_referral_to_bkn_withdrawn_takes_back_the_forwarding_of_the_asn_link(staf):
    # The ASN register counted the teacher's link as at BKN from the referral's date; the referral
    # was a mistake (a kepala desa's case, not an ASN's): the link is not forwarded after all.
    from awas.asn.models import SanctionFollowUp
    from awas.asn.tests.test_case_page_and_bkn_referral import guru_pns_case, link_to

    case = guru_pns_case(staf)
    link = link_to(case, staf)
    referral = workflow.referral_create(case=case, body=body("bkn"), actor=staf)
    assert SanctionFollowUp.objects.get(link=link).forwarded_on == referral.sent_on

    workflow.referral_cancel(referral=referral, reason="Salah pilih perkara.", actor=staf)

    assert SanctionFollowUp.objects.get(link=link).forwarded_on is None
    entry = AuditEntry.objects.filter(action="asn.follow_up_saved").latest("pk")
    assert entry.after is not None and "withdrawn" in entry.after["reason"]


def test_a_letter_printed_again_after_the_body_moved_its_answer_date_says_what_was_sent(staf):
    # The Sentra Gakkumdu reports the case went on to penyidikan and answers later: the follow-up
    # moves, but letter 001/TL printed again for the file still asks for the answer by the day the
    # signed letter gave, not by a date it never named.
    from awas.cases import documents

    case = decided_case(staf, PUTAT_KIDUL, DecisionOutcome.PIDANA, days_ago=2)
    referral = workflow.referral_create(case=case, body=body("gakkumdu-kab-malang"), actor=staf)
    asked = referral.follow_up_due
    later = asked + dt.timedelta(days=30)
    workflow.referral_record_progress(
        referral=referral,
        note="Naik ke penyidikan.",
        reported_on=today_local(),
        answer_expected_by=later,
        actor=staf,
    )
    referral.refresh_from_db()
    assert referral.follow_up_due == later  # the overdue list and reminders follow the new date
    client = verified_client(staf)
    for name in ("cases:referral_letter", "cases:referral_letter_docx"):
        client.get(reverse(name, args=[case.pk, referral.pk]))  # the download still works
    html = documents.referral_letter_html(referral)
    assert f"paling lambat tanggal {tanggal(asked)}" in " ".join(html.split())
    assert tanggal(later) not in html
    assert f"paling lambat tanggal {tanggal(asked)}" in documents_docx_text(
        documents.referral_letter_docx(referral)
    )


def documents_docx_text(content: bytes) -> str:
    import io

    from docx import Document

    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def test_the_upgrade_gives_referrals_already_sent_the_date_their_letter_asked_for(staf):
    import importlib

    from django.apps import apps

    fill = importlib.import_module("awas.cases.migrations.0019_referral_letter_answer_due").letter_dates_fill
    case = decided_case(staf, PUTAT_KIDUL, DecisionOutcome.PIDANA, days_ago=2)
    moved = workflow.referral_create(case=case, body=body("gakkumdu-kab-malang"), actor=staf)
    asked = moved.follow_up_due
    for days in (30, 60):  # reported twice: the letter's date is the one before the first report
        workflow.referral_record_progress(
            referral=moved,
            note="Penyidikan berjalan.",
            reported_on=today_local(),
            answer_expected_by=asked + dt.timedelta(days=days),
            actor=staf,
        )
    other = decided_case(staf, PUTAT_KIDUL, DecisionOutcome.ADMINISTRASI, days_ago=2)
    untouched = workflow.referral_create(case=other, body=body("kpu-kab-malang"), actor=staf)
    Referral.objects.update(letter_answer_due=None)  # as before the upgrade

    fill(apps, None)

    moved.refresh_from_db()
    untouched.refresh_from_db()
    assert (moved.letter_answer_due, moved.follow_up_due) == (asked, asked + dt.timedelta(days=60))
    assert untouched.letter_answer_due == untouched.follow_up_due
