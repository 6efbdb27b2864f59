"""What a clerk types wrong, or does twice, on the staff side: a clear word, nothing lost or overwritten."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from awas.cases import documents
from awas.cases.models import Case, CaseStatus
from awas.cases.services import workflow
from awas.cases.tests.staff_helpers import (  # noqa: F401 (_quick_argon2 is an autouse fixture)
    _quick_argon2,
    facts,
    informasi_awal,
    jpeg,
    record_laporan,
    registered_laporan,
)
from awas.cases.tests.test_staff_views import _laporan_post
from awas.conftest import KAB_MALANG, PUTAT_KIDUL, verified_client
from awas.core.roles import Role

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")


@pytest.fixture
def staf(malang, make_user):
    return make_user(Role.STAF_PP, KAB_MALANG, username="staf")


def invite(staf, case, at):
    """The terlapor Sutrisno invited to the office for ``at``, by a letter of that day (for a time
    already past: just after midnight WIB, three hours ago is yesterday)."""
    return workflow.clarification_schedule(
        case=case,
        invitee_name="Sutrisno",
        invitee_role="terlapor",
        scheduled_at=at,
        place="Kantor",
        actor=staf,
        letter_date=min(timezone.localtime(at).date(), timezone.localdate()),
    )


def test_a_year_typed_with_two_digits_is_caught_and_nothing_breaks(staf):
    client = verified_client(staf)
    for received_at in ("0026-11-27T09:00", "0001-01-01T00:00"):
        response = client.post(
            reverse("cases:record"),
            _laporan_post(title="Tahun salah ketik", received_at=received_at, known_date="0026-11-26"),
        )
        assert response.status_code == 200  # not a 500, not saved
        page = response.content.decode()
        assert "Periksa tahunnya" in page and 'value="Tahun salah ketik"' in page
    assert not Case.objects.filter(title="Tahun salah ketik").exists()
    # Said at the top of the page too, where the clerk is looking.
    assert '<ul class="messages"><li class="error">Tidak ada yang disimpan.' in page


def test_a_laporan_received_by_e_mail_keeps_the_address_it_came_from(staf):
    # Without it the pelapor, never at the desk, heard nothing: no tracking code, no status.
    from awas.core.models.mail import OutgoingMail

    client = verified_client(staf)
    sent = _laporan_post(channel="email", title="Dikirim lewat surel", pelapor_email="")
    response = client.post(reverse("cases:record"), sent)
    page = response.content.decode()
    assert response.status_code == 200 and not Case.objects.filter(title="Dikirim lewat surel").exists()
    assert "Diterima melalui surel: isi alamat pengirimnya." in page
    assert 'value="Dikirim lewat surel"' in page  # nothing typed is lost
    client.post(reverse("cases:record"), {**sent, "pelapor_email": "siti@example.id"})
    case = Case.objects.get(title="Dikirim lewat surel")
    (first,) = OutgoingMail.objects.filter(recipients=["siti@example.id"])
    assert case.tracking_code in first.body
    # At the desk the pelapor takes the tanda terima home: an address stays optional.
    client.post(reverse("cases:record"), _laporan_post(title="Datang ke kantor", pelapor_email=""))
    assert Case.objects.filter(title="Datang ke kantor").exists()


def test_a_birth_date_in_the_future_and_a_witness_without_a_name_are_refused(staf):
    response = verified_client(staf).post(
        reverse("cases:record"),
        _laporan_post(
            title="Saksi tanpa nama",
            pelapor_birth_date="2030-01-01",
            **{"saksi-1-phone": "0812 3333 4444"},
        ),
    )
    page = response.content.decode()
    assert response.status_code == 200 and not Case.objects.filter(title="Saksi tanpa nama").exists()
    assert "Tanggal lahir harus di masa lalu." in page
    assert "Isi nama saksi, atau kosongkan barisnya." in page
    assert 'value="0812 3333 4444"' in page  # the number typed is still there


def test_a_refused_file_is_named(staf):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile(
        "catatan.html", b"<html><script>alert(1)</script></html>", content_type="text/html"
    )
    response = verified_client(staf).post(
        reverse("cases:record"), {**_laporan_post(title="Berkas ditolak"), "evidence": [jpeg(), bad]}
    )
    assert response.status_code == 200 and "catatan.html:" in response.content.decode()


def test_a_temuan_invites_no_pelapor(staf):
    # The office's own finding has no pelapor: the invitation offers terlapor, saksi and the others,
    # not a role nobody holds (a laporan still offers it).
    found = timezone.localdate() - dt.timedelta(days=1)
    temuan = workflow.temuan_create(facts=facts(PUTAT_KIDUL, event_date=found, known_date=found), actor=staf)
    workflow.case_register(case=temuan, actor=staf)
    laporan = registered_laporan(staf, PUTAT_KIDUL)
    client = verified_client(staf)

    def roles_offered(case: Case) -> list[str]:
        page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
        select = re.search(r'<select name="invitee_role".*?</select>', page, re.S)
        assert select, "no invitation form"
        return re.findall(r'<option value="([^"]+)"', select.group(0))

    assert "pelapor" not in roles_offered(temuan) and "terlapor" in roles_offered(temuan)
    assert "pelapor" in roles_offered(laporan)
    response = client.post(
        reverse("cases:clarification_schedule", args=[temuan.pk]),
        {
            "invitee_name": "Sutrisno",
            "invitee_role": "pelapor",
            "scheduled_at": (timezone.localdate() + dt.timedelta(days=1)).isoformat() + "T10:00",
            "place": "Kantor",
        },
    )
    assert response.status_code == 200 and not temuan.clarifications.exists()
    assert "Sebagai: Masukkan pilihan yang valid. pelapor bukan salah satu" in response.content.decode()


def test_a_clarification_years_ahead_is_refused(staf):
    case = registered_laporan(staf, PUTAT_KIDUL)
    response = verified_client(staf).post(
        reverse("cases:clarification_schedule", args=[case.pk]),
        {
            "invitee_name": "Sutrisno",
            "invitee_role": "terlapor",
            "scheduled_at": "9999-12-31T10:00",
            "place": "Kantor",
        },
    )
    assert response.status_code == 200 and not case.clarifications.exists()
    assert "lebih dari setahun" in response.content.decode()


def test_the_public_form_catches_the_year_too(malang, client):
    page = client.get("/lapor/informasi/").content.decode()
    key = page.split('name="idempotency_key" value="')[1].split('"')[0]
    response = client.post(
        "/lapor/informasi/",
        {"idempotency_key": key, "title": "Baliho", "kecamatan": PUTAT_KIDUL[:8], "event_date": "0026-11-20"},
    )
    assert response.status_code == 200 and "Periksa tahunnya" in response.content.decode()


def test_a_berita_acara_once_recorded_is_not_rewritten(staf):
    case = registered_laporan(staf, PUTAT_KIDUL, received_at=timezone.now() - dt.timedelta(days=1))
    invited = invite(staf, case, timezone.now() - dt.timedelta(hours=3))
    held = timezone.now() - dt.timedelta(hours=2)
    workflow.clarification_record(
        clarification=invited, statement="Keterangan pertama.", held_at=held, actor=staf
    )
    client = verified_client(staf)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:clarification_record", args=[case.pk]) not in page  # nothing left to record
    response = client.post(
        reverse("cases:clarification_record", args=[case.pk]),
        {
            "clarification": invited.pk,
            "held_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "statement": "Lain.",
        },
    )
    assert response.status_code == 200
    invited.refresh_from_db()
    assert invited.statement == "Keterangan pertama." and invited.held_at == held
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.clarification_record(
            clarification=invited, statement="Lain.", held_at=timezone.now(), actor=staf
        )
    assert refused.value.code == "recorded"


def test_a_pemilu_laporan_is_not_merged_into_a_pilkada_case(staf):
    pilkada = registered_laporan(staf, PUTAT_KIDUL, received_at=timezone.now() - dt.timedelta(days=1))
    pemilu = registered_laporan(staf, PUTAT_KIDUL, election_type="pemilu", evidence=[jpeg(salt=b"p")])
    problem = workflow.merge_problem(pemilu, pilkada)
    assert problem is not None and problem.code == "election_type"
    with pytest.raises(workflow.WorkflowError):
        workflow.case_merge(case=pemilu, other=pilkada, reason="Sama.", actor=staf)
    assert Case.objects.get(pk=pemilu.pk).status == CaseStatus.REGISTERED
    # A tip has no clock: it joins the case that takes it up, whatever the election.
    tip = informasi_awal(PUTAT_KIDUL)
    assert workflow.merge_problem(tip, pemilu) is None


def test_letters_of_a_pemilu_case_say_pemilu_and_the_kop_has_the_address(staf, settings):
    case = registered_laporan(staf, PUTAT_KIDUL, election_type="pemilu", title="Kampanye di sekolah")
    in_two_days = dt.datetime.combine(timezone.localdate() + dt.timedelta(days=2), dt.time(10), tzinfo=WIB)
    invited = invite(staf, case, in_two_days)
    html = documents.invitation_html(invited)
    assert "dugaan pelanggaran Pemilu atas" in html and "Pemilihan atas" not in html
    assert '<p class="addr">' + documents.DOTS in html  # a line to write the address on
    settings.AWAS_OFFICE_ADDRESS = "Jl. Trunojoyo Kav. 4, Kepanjen"
    assert "Jl. Trunojoyo Kav. 4, Kepanjen" in documents.invitation_html(invited)
    pilkada = registered_laporan(staf, PUTAT_KIDUL, evidence=[jpeg(salt=b"k")])
    assert "dugaan pelanggaran Pemilihan atas" in documents.invitation_html(
        invite(staf, pilkada, in_two_days)
    )


def test_a_name_typed_with_its_form_of_address_is_not_addressed_twice():
    assert documents.addressed("Sutrisno") == "Sdr. Sutrisno"
    assert documents.addressed("Bapak Kusnadi") == "Bapak Kusnadi"
    assert documents.addressed("Sdri. Aminah") == "Sdri. Aminah"
    assert documents.addressed("Ibu Sari") == "Ibu Sari"
    assert documents.addressed("Ibnu Hajar") == "Sdr. Ibnu Hajar"  # a name, not "Ibu"


def test_link_and_merge_forms_carry_a_case_number_above_999_unformatted():
    # Indonesian number formatting writes 12345 as "12.345": a hidden field so written would be
    # refused as "not a whole number" once the office holds a thousand cases.
    from types import SimpleNamespace

    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("id"):
        html = render_to_string(
            "cases/_link_actions.html", {"case": SimpleNamespace(pk=7), "other": SimpleNamespace(pk=12345)}
        )
    assert html.count('name="other" value="12345"') == 2 and "12.345" not in html
