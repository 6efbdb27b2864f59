"""Staff pages: scope, roles, personal data, forms that keep what was typed, the Excel export."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from openpyxl import load_workbook

from awas.cases import selectors
from awas.cases.formatting import tanggal, today_local
from awas.cases.models import Case, CaseStatus, DecisionOutcome, Reminder, Reporter
from awas.cases.services import workflow
from awas.cases.services.common import case_compute_deadlines
from awas.cases.services.reminders import reminders_create
from awas.cases.tests.staff_helpers import (  # noqa: F401 (_quick_argon2 is an autouse fixture)
    ALL_MET,
    _quick_argon2,
    another_desa,
    body,
    decided_case,
    facts,
    informasi_awal,
    jpeg,
    pdf,
    record_laporan,
    registered_laporan,
)
from awas.conftest import GONDANGLEGI, KAB_MALANG, KEPANJEN, PUTAT_KIDUL, verified_client
from awas.core.models import AuditEntry
from awas.core.roles import Role
from awas.core.services.deadlines import holiday_dates, is_working_day


@pytest.fixture
def staf(malang, make_user):
    return make_user(Role.STAF_PP, KAB_MALANG, username="staf")


@pytest.fixture
def two_cases(staf):
    """One laporan in Gondanglegi (Putat Kidul), one in Kepanjen."""
    gondanglegi = record_laporan(staf, PUTAT_KIDUL, title="Amplop di Putat Kidul", terlapor_name="Sutrisno")
    kepanjen = record_laporan(
        staf, another_desa(KEPANJEN), title="Baliho di sekolah Kepanjen", terlapor_name="Wahyudi", evidence=[]
    )
    return gondanglegi, kepanjen


def client_for(make_user, role, scope, **kwargs):
    return verified_client(make_user(role, scope, **kwargs))


# --- scope and roles -------------------------------------------------------------------------------


def test_panwascam_sees_only_its_kecamatan(make_user, two_cases):
    gondanglegi, kepanjen = two_cases
    client = client_for(make_user, Role.PANWASCAM, GONDANGLEGI)

    page = client.get(reverse("cases:list")).content.decode()
    assert "Amplop di Putat Kidul" in page and "Baliho di sekolah Kepanjen" not in page

    assert client.get(reverse("cases:detail", args=[gondanglegi.pk])).status_code == 200
    assert client.get(reverse("cases:detail", args=[kepanjen.pk])).status_code == 404
    assert client.get(reverse("cases:related", args=[kepanjen.pk])).status_code == 404
    # Acting on another kecamatan's case is a 404 too, not a 403 that confirms it exists.
    response = client.post(reverse("cases:requirements", args=[kepanjen.pk]), ALL_MET)
    assert response.status_code == 404
    assert Case.objects.get(pk=kepanjen.pk).status == CaseStatus.RECEIVED


def test_pkd_sees_the_case_but_not_the_pelapor(make_user, two_cases):
    case, _ = two_cases
    pkd = client_for(make_user, Role.PKD, PUTAT_KIDUL)
    page = pkd.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Amplop di Putat Kidul" in page
    for personal in ("Siti Aminah", "081234567890", "pelapor@example.id", "Jl. Melati", "Saksi 0"):
        assert personal not in page
    assert pkd.get(reverse("cases:evidence", args=[case.pk, case.evidence.get().pk])).status_code == 403
    assert pkd.get(reverse("cases:status_notice", args=[case.pk])).status_code == 403

    staff_page = client_for(make_user, Role.STAF_PP, KAB_MALANG, username="staf2").get(
        reverse("cases:detail", args=[case.pk])
    )
    assert "Siti Aminah" in staff_page.content.decode() and "Saksi 0" in staff_page.content.decode()


def test_opening_the_pelapor_s_identity_is_in_the_audit_log_once_a_day(make_user, two_cases):
    """The case page shows a handling role the pelapor and the saksi: a disclosure of personal data
    (UU 27/2022), logged once a day per user and case; a PKD, who sees neither, leaves no entry."""
    case, _ = two_cases
    panwascam = make_user(Role.PANWASCAM, GONDANGLEGI, username="pcam")
    client = verified_client(panwascam)
    for _reload in range(3):
        assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    viewed = AuditEntry.objects.filter(action="case.personal_viewed", object_id=str(case.pk))
    (entry,) = viewed
    assert entry.actor == panwascam and entry.after == {"shown": ["pelapor", "saksi"]}
    client_for(make_user, Role.PKD, PUTAT_KIDUL).get(reverse("cases:detail", args=[case.pk]))
    assert viewed.count() == 1

    # The correction page (the terlapor's contacts) first does not hide the pelapor seen after it.
    Case.objects.filter(pk=case.pk).update(terlapor_phone="081211112222")
    staf2 = make_user(Role.STAF_PP, KAB_MALANG, username="staf2")
    client = verified_client(staf2)
    client.get(reverse("cases:correct", args=[case.pk]))
    client.get(reverse("cases:detail", args=[case.pk]))
    client.get(reverse("cases:detail", args=[case.pk]))
    shown = [(entry.after or {})["shown"] for entry in viewed.filter(actor=staf2).order_by("pk")]
    assert shown == [["terlapor"], ["pelapor", "saksi", "terlapor"]]


def test_pkd_does_not_read_the_pelapor_in_the_kajian_decision_or_answer(make_user, staf):
    """The kajian, the reasons and the body's answer quote the pelapor and the saksi: a PKD sees
    the outcome and the statuses, not that text (UU 27/2022), on the page and in the export."""
    case = registered_laporan(staf, PUTAT_KIDUL, title="Amplop untuk warga")
    workflow.study_save(
        case=case,
        facts="Saksi Budi Santoso (0812 7777 1111) melihat amplop dibagikan.",
        analysis="Keterangan pelapor Siti Aminah sesuai.",
        conclusion="Terbukti.",
        actor=staf,
    )
    workflow.decision_record(
        case=case,
        outcome=DecisionOutcome.LAINNYA,
        reasons="Keterangan Budi Santoso dan bukti foto.",
        plenary_date=today_local(),
        actor=staf,
    )
    workflow.referral_create(case=case, body=body("bkn"), actor=staf)
    workflow.referral_record_response(
        referral=case.referrals.get(),
        response="Sdr. Sutrisno NIP 198001012005011001 diperiksa.",
        sanction="Teguran tertulis kepada NIP 198001012005011001",
        responded_on=today_local(),
        actor=staf,
    )
    pkd = client_for(make_user, Role.PKD, PUTAT_KIDUL)
    page = pkd.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Pelanggaran peraturan perundang-undangan lainnya" in page  # the outcome is shown
    for quoted in ("Budi Santoso", "0812 7777 1111", "Siti Aminah", "198001012005011001"):
        assert quoted not in page
    sheet = load_workbook(io.BytesIO(pkd.get(reverse("cases:export")).content))["Perkara"]
    header = [c.value for c in sheet[1]]
    assert "Sanksi" not in header and "Pelapor" not in header
    assert not any("198001012005011001" in str(c.value) for row in sheet.iter_rows() for c in row)

    staff_page = verified_client(staf).get(reverse("cases:detail", args=[case.pk])).content.decode()
    for quoted in ("Budi Santoso", "Siti Aminah", "Teguran tertulis kepada NIP 198001012005011001"):
        assert quoted in staff_page


@pytest.mark.parametrize(
    ("role", "scope", "url_name", "expected"),
    [
        (Role.PANWASCAM, GONDANGLEGI, "cases:decision", 403),
        (Role.PANWASCAM, GONDANGLEGI, "cases:referral", 403),
        (Role.PIMPINAN, KAB_MALANG, "cases:clarification_schedule", 403),
        (Role.PKD, PUTAT_KIDUL, "cases:requirements", 403),
        (Role.STAF_PENCEGAHAN, KAB_MALANG, "cases:detail", 403),
        (Role.TIM_SIBER, KAB_MALANG, "cases:list", 403),
    ],
)
def test_roles_are_refused_what_they_may_not_do(make_user, two_cases, role, scope, url_name, expected):
    case, _ = two_cases
    client = client_for(make_user, role, scope)
    url = reverse(url_name, args=[case.pk]) if url_name != "cases:list" else reverse(url_name)
    assert client.post(url, {}).status_code == expected


def test_a_step_the_status_does_not_allow_is_refused_with_a_message(staf, two_cases):
    case, _ = two_cases
    client = verified_client(staf)
    response = client.post(
        reverse("cases:decision", args=[case.pk]),
        {"outcome": DecisionOutcome.PIDANA, "reasons": "x", "plenary_date": "2026-01-01"},
        follow=True,
    )
    assert response.status_code == 200
    assert not hasattr(Case.objects.get(pk=case.pk), "decision")


# --- pages and forms --------------------------------------------------------------------------------


def test_chronology_with_a_script_is_escaped(staf):
    case = record_laporan(staf, PUTAT_KIDUL, chronology="<script>alert(1)</script>", evidence=[])
    page = verified_client(staf).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def _laporan_post(**overrides):
    data = {
        "channel": "langsung",
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "election_type": "pilkada",
        "pelapor_name": "Siti Aminah",
        "pelapor_address": "Jl. Melati 5",
        "pelapor_nationality": "Indonesia",
        "pelapor_email": "siti@example.id",
        "region": PUTAT_KIDUL,
        "title": "Pembagian sembako oleh tim sukses",
        "chronology": "Tim sukses membagikan sembako di balai desa.",
        "event_date": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        "known_date": timezone.localdate().isoformat(),
        "terlapor_name": "Joko",
        "saksi-TOTAL_FORMS": "3",
        "saksi-INITIAL_FORMS": "0",
        "saksi-MIN_NUM_FORMS": "0",
        "saksi-MAX_NUM_FORMS": "10",
        "saksi-0-name": "Budi Saksi",
    }
    data.update(overrides)
    return data


def test_recording_a_laporan_in_person(staf):
    client = verified_client(staf)
    assert client.get(reverse("cases:record")).status_code == 200
    response = client.post(reverse("cases:record"), {**_laporan_post(), "evidence": [jpeg(), pdf()]})
    case = Case.objects.get(title="Pembagian sembako oleh tim sukses")
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[case.pk])
    assert case.channel == "langsung" and case.reporter.email == "siti@example.id"
    assert list(case.witnesses.values_list("name", flat=True)) == ["Budi Saksi"]
    assert case.evidence.count() == 2
    page = client.get(response["Location"]).content.decode()
    for item in case.evidence.select_related("evidence"):
        assert item.evidence.sha256 in page


def test_a_form_with_errors_keeps_what_was_typed(staf):
    client = verified_client(staf)
    response = client.post(
        reverse("cases:record"), _laporan_post(pelapor_name="", title="Ketik ulang jangan hilang")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Ketik ulang jangan hilang"' in page and "Budi Saksi" in page
    assert "errorlist" in page
    assert not Case.objects.filter(title="Ketik ulang jangan hilang").exists()


def test_a_rejected_evidence_file_is_explained_and_nothing_is_saved(staf):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = verified_client(staf)
    bad = SimpleUploadedFile("x.html", b"<html><script>alert(1)</script></html>", content_type="text/html")
    response = client.post(
        reverse("cases:record"), {**_laporan_post(title="Dengan berkas buruk"), "evidence": [bad]}
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not Case.objects.filter(title="Dengan berkas buruk").exists()


def test_steps_through_the_pages(staf, make_user):
    client = verified_client(staf)
    case = record_laporan(staf, PUTAT_KIDUL, evidence=[])
    detail = reverse("cases:detail", args=[case.pk])

    # Incomplete checklist, posted from the page.
    no_witness = {name: "on" for name in ALL_MET if name != "material_witness"}
    response = client.post(reverse("cases:requirements", args=[case.pk]), no_witness)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.INCOMPLETE
    client.post(reverse("cases:requirements", args=[case.pk]), {name: "on" for name in ALL_MET})
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED

    # A clarification with a typing error is shown again as typed.
    bad = client.post(
        reverse("cases:clarification_schedule", args=[case.pk]),
        {
            "invitee_name": "Joko Terlapor",
            "invitee_role": "terlapor",
            "scheduled_at": "bukan tanggal",
            "place": "Kantor",
        },
    )
    assert bad.status_code == 200 and 'value="Joko Terlapor"' in bad.content.decode()
    when = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    client.post(
        reverse("cases:clarification_schedule", args=[case.pk]),
        {
            "invitee_name": "Joko Terlapor",
            "invitee_role": "terlapor",
            "scheduled_at": when,
            "place": "Kantor",
        },
    )
    clarification = case.clarifications.get()
    held = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    client.post(
        reverse("cases:clarification_record", args=[case.pk]),
        {
            "clarification": clarification.pk,
            "held_at": held,
            "statement": "Terlapor membantah.",
            "attachments": [pdf("ba.pdf", salt=b"ba")],
        },
    )
    attachment = clarification.attachments.select_related("evidence").get()
    page = client.get(detail).content.decode()
    assert attachment.evidence.sha256 in page and "Terlapor membantah." in page

    client.post(
        reverse("cases:study", args=[case.pk]),
        {"facts": "F", "analysis": "A", "article_violated": "Pasal 71", "conclusion": "K"},
    )
    pimpinan = client_for(make_user, Role.PIMPINAN, KAB_MALANG)
    pimpinan.post(
        reverse("cases:decision", args=[case.pk]),
        {
            "outcome": DecisionOutcome.LAINNYA,
            "reasons": "Terbukti.",
            "plenary_date": timezone.localdate().isoformat(),
        },
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED
    # The kades of this case is suggested to the Pemkab first.
    page = client.get(detail).content.decode()
    pemkab = body("pemkab-malang")
    assert f'<option value="{pemkab.pk}" selected>' in page
    # A slip of the select: the KPU does not handle this kind of decision. Caught, nothing sent.
    kpu = body("kpu-kab-malang")
    slip = client.post(
        reverse("cases:referral", args=[case.pk]),
        {"body": kpu.pk, "sent_on": timezone.localdate().isoformat()},
    )
    assert "tidak menangani putusan jenis ini" in slip.content.decode()
    assert not case.referrals.exists()
    client.post(
        reverse("cases:referral", args=[case.pk]),
        {"body": pemkab.pk, "sent_on": timezone.localdate().isoformat()},
    )
    referral = case.referrals.get()
    client.post(
        reverse("cases:referral_response", args=[case.pk]),
        {
            "referral": referral.pk,
            "response": "Teguran.",
            "sanction": "",
            "responded_on": timezone.localdate().isoformat(),
        },
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


def test_take_up_from_the_page_opens_the_new_temuan(staf):
    from awas.cases.tests.staff_helpers import informasi_awal

    tip = informasi_awal(PUTAT_KIDUL)
    response = verified_client(staf).post(
        reverse("cases:take_up", args=[tip.pk]),
        {"reason": "Ditelusuri.", "found_on": today_local().isoformat()},
    )
    temuan = Case.objects.get(source_ref=f"informasi_awal:{tip.pk}")
    assert response["Location"] == reverse("cases:detail", args=[temuan.pk])


def test_each_side_of_a_take_up_names_the_other_the_right_way_round(staf):
    # The informasi awal's page named the temuan it became "Ditindaklanjuti dari" (taken up from).
    tip = informasi_awal(PUTAT_KIDUL)
    temuan = workflow.informasi_awal_take_up(tip=tip, reason="Dua warga membenarkan.", actor=staf)
    client = verified_client(staf)

    tip_page = client.get(reverse("cases:detail", args=[tip.pk])).content.decode()
    assert f'Ditindaklanjuti sebagai: <a href="{reverse("cases:detail", args=[temuan.pk])}"' in tip_page
    assert "Ditindaklanjuti dari:" not in tip_page

    temuan_page = client.get(reverse("cases:detail", args=[temuan.pk])).content.decode()
    assert f'Ditindaklanjuti dari: <a href="{reverse("cases:detail", args=[tip.pk])}"' in temuan_page


def test_the_temuan_form_says_the_found_date_starts_the_establishing_deadline(staf):
    # It said "Awal hitungan batas 7 hari penyampaian laporan": a temuan is not filed by anyone.
    page = verified_client(staf).get(reverse("cases:temuan_new")).content.decode()
    assert (
        "Awal hitungan batas penetapan temuan oleh pleno: 7 hari untuk Pilkada, 7 hari kerja untuk Pemilu."
        in page
    )
    assert "penyampaian laporan" not in page


def test_a_panwascam_opening_a_tip_is_told_who_takes_it_up(make_user, staf):
    # The page ended without a next step: the Panwascam could not tell whether to act or whom to tell.
    tip = informasi_awal(PUTAT_KIDUL)
    panwascam = client_for(make_user, Role.PANWASCAM, GONDANGLEGI)
    page = panwascam.get(reverse("cases:detail", args=[tip.pk])).content.decode()
    assert 'data-testid="tip-decided-by"' in page
    assert "staf penanganan pelanggaran Bawaslu kabupaten/kota" in page
    assert "Tambahkan hasil penelusuran Anda di bawah" in page
    assert (
        'data-testid="tip-decided-by"'
        not in verified_client(staf).get(reverse("cases:detail", args=[tip.pk])).content.decode()
    )  # staff see the steps themselves


def test_only_a_panwascam_is_asked_to_send_its_penelusuran_of_a_tip(malang, make_user):
    # The note told the pimpinan, who have no step on a tip either, to send "what your penelusuran
    # found" to the staf penanganan pelanggaran: the pimpinan run no penelusuran.
    tip = informasi_awal(PUTAT_KIDUL)
    pimpinan = client_for(make_user, Role.PIMPINAN, KAB_MALANG)
    page = pimpinan.get(reverse("cases:detail", args=[tip.pk])).content.decode()
    assert 'data-testid="tip-decided-by"' not in page


def test_the_list_takes_a_fixed_number_of_queries(staf, django_assert_max_num_queries):
    for i in range(30):
        record_laporan(
            staf, PUTAT_KIDUL if i % 2 else another_desa(KEPANJEN), evidence=[], title=f"Kasus {i}"
        )
    client = verified_client(staf)
    client.get(reverse("cases:list"))  # warm the session and the menu
    with django_assert_max_num_queries(12):
        response = client.get(reverse("cases:list"), {"kind": "laporan"})
    assert response.content.decode().count('href="/perkara/') >= 30


def test_the_list_reads_only_what_it_shows_and_labels_each_row(staf, two_cases):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    from awas.cases.models import CaseKind

    gondanglegi, _kepanjen = two_cases
    client = verified_client(staf)
    client.get(reverse("cases:list"))
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("cases:list")).content.decode()

    [rows_query] = [q["sql"] for q in queries.captured_queries if '"cases_case"."title"' in q["sql"]]
    assert "chronology" not in rows_query and "boundary" not in rows_query
    with translation.override("id"):
        status_label = str(CaseStatus(gondanglegi.status).label)
        kind_label = str(CaseKind(gondanglegi.kind).label)
    assert f'<span class="tag status-{gondanglegi.status}">{status_label}</span>' in page
    assert f'<td class="small" data-label="Jenis">{kind_label}</td>' in page


def test_the_list_count_is_the_count_of_what_the_user_may_see(make_user, staf, two_cases):
    from awas.cases import selectors

    users = [staf, make_user(Role.PKD, PUTAT_KIDUL), make_user(Role.PANWASCAM, GONDANGLEGI)]

    def counts_match() -> None:
        for user in users:
            for filters in ({}, {"kind": "laporan"}, {"kecamatan": KEPANJEN}, {"q": "Amplop"}):
                assert selectors.case_count(user, filters) == selectors.case_list(user, filters).count()

    counts_match()  # no case outside the kabupaten: counted without the scope condition
    assert selectors.case_count(staf, {}) == Case.objects.count()

    # A case outside the kabupaten (recorded at the province): not counted for a kabupaten user.
    Case.objects.create(
        kind="laporan",
        tracking_code="AWS-PROV-2222",
        region_id="35",
        title="Di provinsi",
        received_at=timezone.now(),
    )
    counts_match()
    assert selectors.case_count(staf, {}) == Case.objects.count() - 1
    page = verified_client(staf).get(reverse("cases:list")).content.decode()
    assert "Di provinsi" not in page


def test_list_filters(staf, two_cases):
    gondanglegi, _kepanjen = two_cases
    client = verified_client(staf)
    page = client.get(reverse("cases:list"), {"kecamatan": GONDANGLEGI}).content.decode()
    assert "Amplop di Putat Kidul" in page and "Baliho di sekolah Kepanjen" not in page
    page = client.get(reverse("cases:list"), {"terlapor": "wahyu"}).content.decode()
    assert "Baliho di sekolah Kepanjen" in page and "Amplop di Putat Kidul" not in page
    page = client.get(reverse("cases:list"), {"q": gondanglegi.tracking_code}).content.decode()
    assert "Amplop di Putat Kidul" in page and "Baliho" not in page


def test_a_bad_filter_value_is_shown_and_never_widens_the_list(staf, two_cases):
    client = verified_client(staf)
    # A stale link: the kind is unknown, the kecamatan filter still applies.
    response = client.get(reverse("cases:list"), {"kecamatan": GONDANGLEGI, "kind": "bogus"})
    page = response.content.decode()
    assert 'data-testid="filter-errors"' in page
    assert "Amplop di Putat Kidul" in page and "Baliho di sekolah Kepanjen" not in page
    # Nor is a file exported with fewer filters than asked for: back to the list and its error.
    export = client.get(reverse("cases:export"), {"kecamatan": GONDANGLEGI, "kind": "bogus"})
    assert export.status_code == 302 and export["Location"].startswith(reverse("cases:list") + "?")
    assert client.get(reverse("cases:export"), {"kecamatan": GONDANGLEGI}).status_code == 200


# --- export ----------------------------------------------------------------------------------------


def _rows(response):
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    # A read-only sheet ends a row at its last cell with a value: pad to the header's width.
    return [row + (None,) * (len(rows[0]) - len(row)) for row in rows]


def test_export_has_the_filtered_rows_and_pelapor_only_for_handling_roles(make_user, staf, two_cases):
    gondanglegi, kepanjen = two_cases
    record_laporan(staf, PUTAT_KIDUL, title='=HYPERLINK("http://x")', evidence=[])

    response = verified_client(staf).get(reverse("cases:export"), {"kecamatan": GONDANGLEGI})
    rows = _rows(response)
    header, body_rows = rows[0], rows[1:]
    assert "Pelapor" in header
    assert {r[0] for r in body_rows} == set(
        Case.objects.filter(region__code__startswith=GONDANGLEGI).values_list("tracking_code", flat=True)
    )
    assert kepanjen.tracking_code not in {r[0] for r in body_rows}
    assert "Siti Aminah" in {r[header.index("Pelapor")] for r in body_rows}
    titles = {r[header.index("Peristiwa")] for r in body_rows}
    # Shown as typed, stored as quote-prefixed text: never run as a formula, even once edited.
    assert '=HYPERLINK("http://x")' in titles
    sheet = load_workbook(io.BytesIO(response.content)).active
    column = sheet.cell(row=1, column=header.index("Peristiwa") + 1).column_letter
    (cell,) = [c for c in sheet[column] if c.value == '=HYPERLINK("http://x")']
    assert cell.data_type == "s" and cell.quotePrefix

    pkd_rows = _rows(client_for(make_user, Role.PKD, PUTAT_KIDUL).get(reverse("cases:export")))
    assert "Pelapor" not in pkd_rows[0]
    flat = {str(value) for row in pkd_rows for value in row}
    assert "Siti Aminah" not in flat and "pelapor@example.id" not in flat
    # The same rows, without the tracking codes (the pelapor's key to the tracking page).
    assert {r[pkd_rows[0].index("Peristiwa")] for r in pkd_rows[1:]} == {
        gondanglegi.title,
        '=HYPERLINK("http://x")',
    }
    assert {r[0] for r in pkd_rows[1:]} == {None}


# --- deadlines, follow-ups, reminders -----------------------------------------------------------------


def test_deadline_pages(staf, make_user):
    at_risk = record_laporan(
        staf, PUTAT_KIDUL, received_at=timezone.now() - dt.timedelta(days=2), title="Hampir lewat"
    )
    record_laporan(staf, PUTAT_KIDUL, evidence=[], title="Masih lama")
    record_laporan(
        staf, PUTAT_KIDUL, evidence=[], received_at=timezone.now() - dt.timedelta(days=5), title="Sudah lewat"
    )
    decided = decided_case(
        staf, PUTAT_KIDUL, DecisionOutcome.ADMINISTRASI, evidence=[], title="Menunggu KPU", days_ago=30
    )
    workflow.referral_create(
        case=decided,
        body=body("kpu-kab-malang"),
        sent_on=timezone.localdate() - dt.timedelta(days=30),
        actor=staf,
    )
    client = verified_client(staf)

    page = client.get(reverse("cases:at_risk")).content.decode()
    assert "Hampir lewat" in page and "Masih lama" not in page
    # Pilkada: a decision 3 calendar days after receipt (Pasal 134(5)); said in words, not as -2.
    days = re.findall(r'data-testid="days-left">(?:<span data-testid="overdue">)?\s*([^<]*?)\s*<', page)
    assert sorted(days) == ["1 hari", "terlambat 2 hari"]
    filtered = client.get(reverse("cases:list"), {"deadline": "at_risk"}).content.decode()
    assert "Hampir lewat" in filtered and "Masih lama" not in filtered

    page = client.get(reverse("cases:follow_ups")).content.decode()
    assert "Menunggu KPU" in page and "KPU Kabupaten Malang" in page

    reminders_create()
    page = client.get(reverse("cases:reminders")).content.decode()
    assert str(at_risk) in page
    reminder = Reminder.objects.get(user=staf, case=at_risk)
    client.post(reverse("cases:reminder_read", args=[reminder.pk]))
    reminder.refresh_from_db()
    assert reminder.read_at is not None


def test_detail_shows_due_dates_with_legal_basis(staf):
    case = registered_laporan(staf, PUTAT_KIDUL, evidence=[])
    page = verified_client(staf).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Pasal 134 ayat (5)" in page and "Pasal 134 ayat (4)" in page


def test_related_page_links_and_merges(staf):
    first = registered_laporan(staf, PUTAT_KIDUL, received_at=timezone.now() - dt.timedelta(hours=5))
    second = record_laporan(staf, PUTAT_KIDUL, evidence=[jpeg(salt=b"x")])
    client = verified_client(staf)
    page = client.get(reverse("cases:related", args=[second.pk])).content.decode()
    assert f'value="{first.pk}"' in page
    response = client.post(
        reverse("cases:link", args=[second.pk]), {"other": first.pk, "mode": "merge", "reason": ""}
    )
    assert Case.objects.get(pk=second.pk).status == CaseStatus.RECEIVED  # a merge needs a reason
    response = client.post(
        reverse("cases:link", args=[second.pk]), {"other": first.pk, "mode": "merge", "reason": "Sama."}
    )
    assert response["Location"] == reverse("cases:detail", args=[first.pk])
    assert Case.objects.get(pk=second.pk).status == CaseStatus.MERGED


def test_export_stops_at_the_limit_and_says_so(staf, two_cases, monkeypatch):
    from awas.cases import exports

    monkeypatch.setattr(exports, "EXPORT_LIMIT", 1)
    response = verified_client(staf).get(reverse("cases:export"))
    assert response["X-Awas-Truncated"] == "1"
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert len(list(workbook["Perkara"].iter_rows(values_only=True))) == 2  # header and one row
    about = {row[0]: row[1] for row in workbook["Keterangan"].iter_rows(values_only=True)}
    assert about["Jumlah baris"] == 1 and "Terpotong" in about


@pytest.mark.parametrize(
    ("role", "scope", "sees"),
    [
        (Role.ADMIN, KAB_MALANG, True),
        (Role.PIMPINAN, KAB_MALANG, True),
        (Role.STAF_PP, KAB_MALANG, True),
        (Role.PANWASCAM, GONDANGLEGI, True),
        (Role.PANWASCAM, KEPANJEN, False),  # another kecamatan: out of scope
        (Role.PKD, PUTAT_KIDUL, False),
        (Role.STAF_PENCEGAHAN, KAB_MALANG, False),
        (Role.TIM_SIBER, KAB_MALANG, False),
        (Role.KADER, KAB_MALANG, False),
    ],
)
def test_reporter_for_only_the_handling_roles_in_scope(make_user, two_cases, role, scope, sees):
    from awas.cases.selectors import reporter_for, witnesses_for

    case, _ = two_cases
    user = make_user(role, scope, username=f"u-{role}-{scope}")
    reporter = reporter_for(user, case)
    assert (reporter is not None) is sees
    assert bool(witnesses_for(user, case)) is sees
    if sees:
        assert reporter is not None and reporter.name == "Siti Aminah"


def test_a_request_for_more_information_shows_on_the_case_and_warns_when_nobody_was_emailed(staf, client):
    case = registered_laporan(staf, PUTAT_KIDUL, email="")
    staff = verified_client(staf)
    asked = "Mohon bawa foto amplop dan nama warga yang menerima."
    response = staff.post(reverse("cases:more_info", args=[case.pk]), {"what": asked}, follow=True)
    page = response.content.decode()
    assert "tidak memberikan alamat surel" in page  # nobody was told: the officer must call or write
    shown = re.search(r'data-testid="more-info-request">(.*?)</div>\s*</div>', page, re.S)
    assert shown is not None
    assert "Keterangan tambahan diminta" in shown.group(1) and "Mohon bawa foto amplop" in shown.group(1)

    # The tracking page says that something was asked, never what (it may name people).
    tracking = client.get(f"/lapor/lacak/{case.tracking_code}/").content.decode()
    assert 'data-testid="more-info-asked"' in tracking and "meminta keterangan tambahan" in tracking
    assert "foto amplop" not in tracking
    # Once decided, the request is history: the page no longer says the decision time is extended.
    workflow.study_save(case=case, facts="F.", analysis="A.", conclusion="K.", actor=staf)
    workflow.decision_record(
        case=case, outcome=DecisionOutcome.DIHENTIKAN, reasons="R.", plenary_date=today_local(), actor=staf
    )
    assert (
        'data-testid="more-info-asked"'
        not in client.get(f"/lapor/lacak/{case.tracking_code}/").content.decode()
    )


def test_the_case_page_shows_the_pelapor_and_terlapor_details_taken_at_intake(staf):
    case = record_laporan(staf, PUTAT_KIDUL, terlapor_phone="085799990000")
    Reporter.objects.filter(case=case).update(sex="P", nationality="Indonesia")
    page = verified_client(staf).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "085799990000" in page and "Perempuan" in page and "Kewarganegaraan" in page


def test_a_late_laporan_check_says_what_to_do_next(staf):
    case = record_laporan(staf, PUTAT_KIDUL)
    ticked = {name: "on" for name, met in ALL_MET.items() if met and name != "formal_in_time"}
    response = verified_client(staf).post(reverse("cases:requirements", args=[case.pk]), ticked, follow=True)
    page = response.content.decode()
    assert "setelah batas waktu" in page and "tidak diregistrasi" in page.lower()
    assert re.search(r'<details class="step" id="not-registered" open>', page)
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED and case.completion_due is None


def test_export_reads_like_the_office_report(staf):
    decided = decided_case(staf, PUTAT_KIDUL, DecisionOutcome.LAINNYA, evidence=[], title="ASN berkampanye")
    workflow.referral_create(case=decided, body=body("bkn"), actor=staf)
    referral = decided.referrals.get()
    workflow.referral_record_response(
        referral=referral,
        response="Diproses.",
        sanction="Teguran tertulis",
        responded_on=today_local(),
        actor=staf,
    )
    response = verified_client(staf).get(reverse("cases:export"), {"status": CaseStatus.CLOSED.value})
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["Perkara"]
    header = [c.value for c in sheet[1]]
    row = {title: cell for title, cell in zip(header, sheet[2], strict=True)}
    assert row["Peristiwa"].value == "ASN berkampanye"
    assert row["Putusan pleno"].value == "Pelanggaran peraturan perundang-undangan lainnya"
    assert "Badan Kepegawaian Negara" in row["Diteruskan kepada"].value
    assert row["Surat penerusan"].value == referral.letter_number
    assert row["Jawaban ditunggu paling lambat"].value is None  # answered: nothing awaited
    assert "Teguran tertulis" in row["Sanksi"].value
    assert row["Tanggal pleno"].number_format == "DD/MM/YYYY"
    assert row["Diterima (WIB)"].number_format == "DD/MM/YYYY HH:MM"
    assert row["Batas putusan"].value is None  # closed: no stale deadline
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}2"
    about = {r[0].value: r[1].value for r in workbook["Keterangan"].iter_rows()}
    assert about["Filter"] == "Status: Selesai"

    # The workbook is the office's report: in Indonesian even for a user reading the pages in English.
    client = verified_client(staf)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = load_workbook(io.BytesIO(client.get(reverse("cases:export")).content))["Perkara"]
    assert english.cell(2, header.index("Status") + 1).value == "Selesai"


def test_export_shows_when_an_awaited_answer_is_due(staf):
    decided = decided_case(staf, PUTAT_KIDUL, DecisionOutcome.LAINNYA, evidence=[], title="Menunggu jawaban")
    workflow.referral_create(case=decided, body=body("bkn"), actor=staf)
    referral = decided.referrals.get()
    response = verified_client(staf).get(reverse("cases:export"))
    sheet = load_workbook(io.BytesIO(response.content))["Perkara"]
    header = [c.value for c in sheet[1]]
    (row,) = [
        {title: cell for title, cell in zip(header, line, strict=True)}
        for line in sheet.iter_rows(min_row=2)
        if line[header.index("Peristiwa")].value == "Menunggu jawaban"
    ]
    assert row["Jawaban ditunggu paling lambat"].value.date() == referral.follow_up_due
    assert row["Jawaban ditunggu paling lambat"].number_format == "DD/MM/YYYY"


def test_export_names_the_election_the_known_date_and_the_case_merged_into(make_user, staf):
    from awas.cases.formatting import local

    known = today_local() - dt.timedelta(days=3)
    received = timezone.now().replace(microsecond=654321) - dt.timedelta(hours=2)
    kept = registered_laporan(staf, PUTAT_KIDUL, evidence=[], title="Amplop pertama", received_at=received)
    duplicate = record_laporan(
        staf, PUTAT_KIDUL, evidence=[], title="Amplop kedua", event_date=known, known_date=known
    )
    workflow.case_merge(case=duplicate, other=kept, reason="Peristiwa sama.", actor=staf)
    record_laporan(staf, PUTAT_KIDUL, evidence=[], title="Baliho pemilu", election_type="pemilu")

    def rows_of(client):
        rows = _rows(client.get(reverse("cases:export")))
        header = rows[0]
        return {row[header.index("Peristiwa")]: dict(zip(header, row, strict=True)) for row in rows[1:]}

    rows = rows_of(verified_client(staf))
    assert rows["Amplop kedua"]["Digabung ke"] == kept.registration_number
    assert rows["Amplop pertama"]["Digabung ke"] is None
    # The other case is named by its number, never by its tracking code (the other pelapor's key).
    assert kept.tracking_code not in {str(value) for value in rows["Amplop kedua"].values()}
    assert rows["Amplop kedua"]["Tanggal diketahui/ditemukan"].date() == known  # starts the filing clock
    assert rows["Amplop pertama"]["Jenis pemilihan"] == "Pilkada"
    assert rows["Baliho pemilu"]["Jenis pemilihan"] == "Pemilu"
    # Received as the office's clock said it, to the second: no microseconds in the cell.
    assert rows["Amplop pertama"]["Diterima (WIB)"] == local(received).replace(tzinfo=None, microsecond=0)

    # A PKD reads the merge the same way: a registration number, no tracking code.
    pkd_rows = rows_of(client_for(make_user, Role.PKD, PUTAT_KIDUL))
    assert pkd_rows["Amplop kedua"]["Digabung ke"] == kept.registration_number
    assert pkd_rows["Amplop kedua"]["Kode pelacakan"] is None


def test_the_export_reads_its_rows_in_one_query(staf):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    kept = registered_laporan(
        staf, PUTAT_KIDUL, evidence=[], received_at=timezone.now() - dt.timedelta(hours=2)
    )
    for _ in range(3):
        workflow.case_merge(
            case=record_laporan(staf, PUTAT_KIDUL, evidence=[]), other=kept, reason="Sama.", actor=staf
        )
    client = verified_client(staf)
    client.get(reverse("cases:export"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("cases:export")).status_code == 200
    case_reads = [q["sql"] for q in queries.captured_queries if 'FROM "cases_case"' in q["sql"]]
    assert len(case_reads) == 1


def test_the_list_searches_the_account_and_shows_the_clock_that_runs(staf):
    incomplete = record_laporan(
        staf, PUTAT_KIDUL, evidence=[], title="Baliho di sekolah", chronology="Spanduk paslon di pagar SD."
    )
    workflow.requirements_check(case=incomplete, checks={**ALL_MET, "material_evidence": False}, actor=staf)
    incomplete.refresh_from_db()
    record_laporan(staf, PUTAT_KIDUL, evidence=[], title="Amplop di balai desa")
    client = verified_client(staf)

    page = client.get(reverse("cases:list"), {"q": "spanduk"}).content.decode()
    assert "Baliho di sekolah" in page and "Amplop di balai desa" not in page
    running = re.search(r'data-testid="running-deadline">([^<]*)<br><span class="muted">([^<]*)<', page)
    assert running is not None
    assert running.group(2) == "kelengkapan oleh pelapor"
    assert incomplete.completion_due is not None and str(incomplete.completion_due.year) in running.group(1)


def test_the_list_shows_a_temuan_s_finding_clock_and_reads_no_more_for_more_rows(staf):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    found = today_local() - dt.timedelta(days=6)  # established within 7 days: due tomorrow
    workflow.temuan_create(
        facts=facts(PUTAT_KIDUL, event_date=found, known_date=found, title="Kaos paslon dibagikan"),
        actor=staf,
    )
    client = verified_client(staf)
    page = client.get(reverse("cases:list")).content.decode()
    running = re.search(r'data-testid="running-deadline">([^<]*)<br><span class="muted">([^<]*)<', page)
    assert running is not None and running.group(2) == "penetapan temuan"
    with translation.override("id"):
        assert date_format(found + dt.timedelta(days=7), "j M Y") in running.group(1)

    with CaptureQueriesContext(connection) as one_row:
        client.get(reverse("cases:list"))
    for n in range(3):
        case = record_laporan(staf, PUTAT_KIDUL, evidence=[], title=f"Laporan {n}")
        workflow.requirements_check(case=case, checks={**ALL_MET, "material_evidence": False}, actor=staf)
    with CaptureQueriesContext(connection) as four_rows:
        client.get(reverse("cases:list"))
    assert len(four_rows) == len(one_row)

    # The export gives the same clock, in its own column.
    header, *rows = _rows(client.get(reverse("cases:export"), {"kind": "temuan"}))
    (temuan,) = [dict(zip(header, row, strict=False)) for row in rows]  # trailing empty cells are left out
    assert temuan["Batas penetapan temuan"].date() == found + dt.timedelta(days=7)
    assert temuan["Batas kelengkapan"] is None


def test_with_pelapor_email_switched_off_the_warning_says_so(staf, settings):
    settings.AWAS_NOTIFY_PELAPOR = False
    case = registered_laporan(staf, PUTAT_KIDUL, email="pelapor@example.id")
    response = verified_client(staf).post(
        reverse("cases:more_info", args=[case.pk]), {"what": "Mohon bawa saksi kedua."}, follow=True
    )
    page = response.content.decode()
    assert "tidak mengirim surel kepada pelapor" in page and "tidak memberikan alamat" not in page


def test_unread_reminders_come_first_and_only_of_cases_in_the_users_area(make_user, staf):
    panwascam = make_user(Role.PANWASCAM, GONDANGLEGI, username="pcam")
    own = record_laporan(staf, PUTAT_KIDUL, evidence=[])
    moved_away = record_laporan(staf, another_desa(KEPANJEN), evidence=[])
    today = today_local()
    Reminder.objects.create(
        user=panwascam,
        case=own,
        deadline="decision_due",
        due=today,
        message="Sudah dibaca",
        read_at=timezone.now(),
    )
    assert own.decision_due is not None
    Reminder.objects.create(
        user=panwascam, case=own, deadline="decision_due", due=own.decision_due, message="Belum dibaca"
    )
    Reminder.objects.create(  # from before the Panwascam was moved to Gondanglegi
        user=panwascam, case=moved_away, deadline="decision_due", due=today, message="Kecamatan lama"
    )
    client = verified_client(panwascam)
    page = client.get(reverse("cases:reminders")).content.decode()
    assert page.index("Belum dibaca") < page.index("Sudah dibaca")
    assert "Kecamatan lama" not in page
    # The menu counts what is unread, on every page.
    home = client.get(reverse("core:home")).content.decode()
    assert re.search(r'data-menu="cases:reminders">1<', home)
    unread = Reminder.objects.get(message="Belum dibaca")
    client.post(reverse("cases:reminder_read", args=[unread.pk]))
    assert 'data-menu="cases:reminders"' not in client.get(reverse("core:home")).content.decode()


def test_the_menu_counts_the_deadlines_at_risk_and_the_overdue_follow_ups_in_the_users_area(staf, make_user):
    due_today = record_laporan(staf, PUTAT_KIDUL, evidence=[], title="Diputus hari ini")
    Case.objects.filter(pk=due_today.pk).update(decision_due=today_local())
    record_laporan(staf, PUTAT_KIDUL, evidence=[], title="Masih lama")  # 3 days left: not at risk
    referred = decided_case(staf, PUTAT_KIDUL, DecisionOutcome.ADMINISTRASI, days_ago=20, title="KPU")
    workflow.referral_create(
        case=referred, body=body("kpu-kab-malang"), sent_on=today_local() - dt.timedelta(days=20), actor=staf
    )

    def badges(user):
        home = verified_client(user).get(reverse("core:home")).content.decode()
        return dict(re.findall(r'data-menu="([\w:]+)">(\d+)<', home))

    assert badges(staf) == {"cases:at_risk": "1", "cases:follow_ups": "1"}
    # A Panwascam elsewhere has neither in its kecamatan: no badge, not a zero.
    assert badges(make_user(Role.PANWASCAM, KEPANJEN, username="pcam-kepanjen")) == {}
    workflow.referral_record_response(
        referral=referred.referrals.get(), response="Ditindaklanjuti.", responded_on=today_local(), actor=staf
    )
    assert badges(staf) == {"cases:at_risk": "1"}


def test_reminders_are_unread_first_then_soonest_due_then_newest(staf):
    today = today_local()
    now = timezone.now()

    def reminder(message, *, due, minutes_ago, read=False):
        """A reminder of a laporan's decision deadline, due in ``due`` days."""
        case = record_laporan(staf, PUTAT_KIDUL, evidence=[])
        Case.objects.filter(pk=case.pk).update(decision_due=today + dt.timedelta(days=due))
        made = Reminder.objects.create(
            user=staf,
            case=case,
            deadline="decision_due",
            due=today + dt.timedelta(days=due),
            message=message,
            read_at=now if read else None,
        )
        Reminder.objects.filter(pk=made.pk).update(created_at=now - dt.timedelta(minutes=minutes_ago))
        return case

    reminder("Senin, diingatkan Jumat", due=3, minutes_ago=50)
    reminder("Sudah dibaca, hari ini", due=0, minutes_ago=1, read=True)
    reminder("Hari ini, lama", due=0, minutes_ago=40)
    reminder("Besok", due=1, minutes_ago=5)
    reminder("Hari ini, baru", due=0, minutes_ago=10)
    reminder("Sudah dibaca, besok", due=1, minutes_ago=30, read=True)
    # Not read, but its case moved on (here: not registered): settled, with the read ones.
    settled = reminder("Tidak diregistrasi", due=0, minutes_ago=20)
    workflow.case_not_registered(case=settled, reason="Di luar wewenang.", by_decision=True, actor=staf)

    page = verified_client(staf).get(reverse("cases:reminders")).content.decode()
    shown = sorted(
        Reminder.objects.values_list("message", flat=True), key=lambda message: page.index(message)
    )
    assert shown == [
        "Hari ini, baru",
        "Hari ini, lama",
        "Besok",
        "Senin, diingatkan Jumat",
        "Sudah dibaca, hari ini",
        "Tidak diregistrasi",
        "Sudah dibaca, besok",
    ]
    assert page.count('data-testid="reminder-settled"') == 1
    # The menu counts the four still due, not the settled one.
    home = verified_client(staf).get(reverse("core:home")).content.decode()
    assert re.search(r'data-menu="cases:reminders">4<', home)


def test_the_reminders_page_says_which_deadlines_it_holds(staf):
    client = verified_client(staf)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("cases:reminders")).content.decode()
    assert "due the next day" not in page
    assert "due today or tomorrow" in page and "on the next working day" in page


def test_the_at_risk_page_reads_no_more_for_more_rows(staf):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = verified_client(staf)
    two_days_ago = timezone.now() - dt.timedelta(days=2)

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    record_laporan(staf, PUTAT_KIDUL, received_at=two_days_ago, evidence=[])  # decision due tomorrow
    one = queries(reverse("cases:at_risk"))
    for _ in range(3):
        record_laporan(staf, another_desa(KEPANJEN), received_at=two_days_ago, evidence=[])
    page = client.get(reverse("cases:at_risk")).content.decode()
    assert page.count('data-testid="days-left"') == 4
    assert queries(reverse("cases:at_risk")) == one


def test_an_extension_asked_after_the_decision_deadline_says_it_was_late(staf):
    case = registered_laporan(staf, PUTAT_KIDUL, received_at=timezone.now() - dt.timedelta(days=5))
    passed = case.decision_due
    assert passed is not None and passed < today_local()
    response = verified_client(staf).post(
        reverse("cases:more_info", args=[case.pk]), {"what": "Saksi kedua."}, follow=True
    )
    page = response.content.decode()
    assert "Batas putusan sudah lewat pada" in page and tanggal(passed) in page


def test_the_case_page_corrects_a_decision_and_keeps_what_was_typed_when_refused(staf):
    case = decided_case(staf, PUTAT_KIDUL, DecisionOutcome.DIHENTIKAN, evidence=[])
    client = verified_client(staf)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:decision_correct", args=[case.pk]) in page
    typed = {
        "outcome": DecisionOutcome.ADMINISTRASI.value,
        "reasons": "Notula pleno: pelanggaran administrasi oleh PPS.",
        "plenary_date": today_local().isoformat(),
        "correction": "",
    }
    refused = client.post(reverse("cases:decision_correct", args=[case.pk]), typed)
    assert (
        refused.status_code == 200
        and "Notula pleno: pelanggaran administrasi oleh PPS." in refused.content.decode()
    )
    case.refresh_from_db()
    assert case.decision.outcome == DecisionOutcome.DIHENTIKAN
    done = client.post(
        reverse("cases:decision_correct", args=[case.pk]), {**typed, "correction": "Salah pilih."}
    )
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.decision.outcome == DecisionOutcome.ADMINISTRASI and case.status == CaseStatus.DECIDED


def test_a_follow_up_reminder_is_settled_by_its_own_referral_s_answer(staf):
    """Pemkab and BKN both answer within 14 days: the Pemkab's answer settles the Pemkab's
    reminder, not the BKN's, and the other way round."""
    case = decided_case(staf, PUTAT_KIDUL, DecisionOutcome.LAINNYA, evidence=[])
    pemkab = workflow.referral_create(case=case, body=body("pemkab-malang"), actor=staf)
    bkn = workflow.referral_create(case=case, body=body("bkn"), actor=staf)
    for referral in (pemkab, bkn):
        referral.refresh_from_db()
        Reminder.objects.create(
            user=staf,
            case=case,
            deadline=f"follow_up:{referral.pk}",
            due=referral.follow_up_due,
            message=str(referral),
        )
    workflow.referral_record_response(
        referral=pemkab, response="Dibina.", responded_on=today_local(), actor=staf
    )
    pending = {r.message: getattr(r, "pending") for r in selectors.reminders_for(staf)}  # noqa: B009 (annotated)
    assert pending == {str(pemkab): False, str(bkn): True}


def test_a_body_s_progress_moves_its_referral_off_the_overdue_list_until_the_new_date(make_user, staf):
    """Sentra Gakkumdu writes that the case went on to investigation: the officer records it with
    the date the answer is now expected, and the referral is no longer shown as overdue."""
    # Sent 44 days ago: overdue whatever today is. Gakkumdu's 14 hari kerja span up to 30 calendar
    # days around Lebaran's cuti bersama (19 days ago was not yet overdue on 1 January 2027).
    case = decided_case(staf, PUTAT_KIDUL, DecisionOutcome.PIDANA, days_ago=45, evidence=[])
    referral = workflow.referral_create(
        case=case, body=body("gakkumdu-kab-malang"), sent_on=today_local() - dt.timedelta(days=44), actor=staf
    )
    referral.refresh_from_db()
    old_due = referral.follow_up_due
    Reminder.objects.create(
        user=staf, case=case, deadline=f"follow_up:{referral.pk}", due=old_due, message=str(referral)
    )
    client = verified_client(staf)
    assert referral.letter_number in client.get(reverse("cases:follow_ups")).content.decode()
    url = reverse("cases:referral_progress", args=[case.pk])
    typed = {
        "referral": referral.pk,
        "note": "Naik ke penyidikan; saksi Budi Santoso diperiksa penyidik.",
        "reported_on": today_local().isoformat(),
        "answer_expected_by": today_local().isoformat(),  # not after the report: refused
    }

    refused = client.post(url, typed)

    assert refused.status_code == 200
    html = refused.content.decode()
    assert "Naik ke penyidikan; saksi Budi Santoso diperiksa penyidik." in html  # kept as typed
    with translation.override("id"):
        assert str(workflow.EXPECTED_AFTER_REPORT) in html
    new_due = today_local() + dt.timedelta(days=30)
    done = client.post(url, {**typed, "answer_expected_by": new_due.isoformat()})

    assert done.status_code == 302
    referral.refresh_from_db()
    assert referral.follow_up_due == new_due and referral.responded_on is None
    assert referral.letter_number not in client.get(reverse("cases:follow_ups")).content.decode()
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Naik ke penyidikan; saksi Budi Santoso" in page and tanggal(new_due) in page
    settled = next(iter(selectors.reminders_for(staf)))
    assert not getattr(settled, "pending")  # noqa: B009 (annotated): the old date's reminder is settled
    entry = AuditEntry.objects.get(action="case.referral_progress")
    assert entry.before == {"follow_up_due": old_due.isoformat()}
    assert entry.after is not None and entry.after["follow_up_due"] == new_due.isoformat()
    assert "Budi Santoso" not in str(entry.after)  # the note is kept as a digest
    # A PKD sees the referral, not what the body wrote about the saksi.
    pkd = client_for(make_user, Role.PKD, PUTAT_KIDUL).get(reverse("cases:detail", args=[case.pk]))
    assert referral.letter_number in pkd.content.decode() and "Budi Santoso" not in pkd.content.decode()
    # Once answered, the referral takes no more progress.
    workflow.referral_record_response(
        referral=referral, response="P21.", responded_on=today_local(), actor=staf
    )
    late = client.post(url, {**typed, "answer_expected_by": ""})
    assert late.status_code == 302 and referral.progress.count() == 1


def test_a_stopped_clock_says_whether_its_step_was_done_in_time(staf):
    """After the plenary the decision row says when it was decided against the due date, not just
    that the clock no longer runs."""
    on_time = decided_case(staf, PUTAT_KIDUL, DecisionOutcome.ADMINISTRASI, evidence=[])
    late = registered_laporan(staf, PUTAT_KIDUL, received_at=timezone.now() - dt.timedelta(days=10))
    workflow.study_save(case=late, facts="F.", analysis="A.", conclusion="K.", actor=staf)
    workflow.decision_record(
        case=late,
        outcome=DecisionOutcome.BUKAN_PELANGGARAN,
        reasons="Tidak terbukti.",
        plenary_date=today_local(),
        actor=staf,
    )
    late.refresh_from_db()
    client = verified_client(staf)

    def decision_cell(case: Case) -> str:
        page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
        # The decision's row: a Pemilu laporan's kajian awal row says it too (2 hari kerja).
        found = re.search(r'data-testid="deadline-done" data-clock="decision">([^<]*)<', page)
        assert found, "the decision row says when the step was done"
        return found.group(1)

    assert decision_cell(on_time) == f"selesai tepat waktu ({tanggal(today_local())})"
    assert late.decision_due is not None
    days = (today_local() - late.decision_due).days
    assert decision_cell(late) == f"selesai terlambat {days} hari ({tanggal(today_local())})"

    # A Pemilu clock counts working days, and so does its lateness.
    pemilu = registered_laporan(
        staf, PUTAT_KIDUL, received_at=timezone.now() - dt.timedelta(days=20), election_type="pemilu"
    )
    pemilu.history.filter(to_status=CaseStatus.REGISTERED).update(at=timezone.now() - dt.timedelta(days=19))
    case_compute_deadlines(pemilu)
    pemilu.save(update_fields=["decision_due"])
    workflow.study_save(case=pemilu, facts="F.", analysis="A.", conclusion="K.", actor=staf)
    workflow.decision_record(
        case=pemilu, outcome=DecisionOutcome.DIHENTIKAN, reasons="R.", plenary_date=today_local(), actor=staf
    )
    pemilu.refresh_from_db()
    assert pemilu.decision_due is not None
    holidays = holiday_dates()
    span = range(1, (today_local() - pemilu.decision_due).days + 1)
    working = sum(1 for n in span if is_working_day(pemilu.decision_due + dt.timedelta(days=n), holidays))
    assert 0 < working < len(span)
    assert decision_cell(pemilu) == f"selesai terlambat {working} hari kerja ({tanggal(today_local())})"


def test_deciding_before_an_invited_clarification_asks_the_officer_to_say_so(staf):
    """The terlapor is invited for tomorrow; the plenary decides today. The decision is not taken
    silently without hearing them: the officer ticks that the plenary decided without it."""
    case = registered_laporan(staf, PUTAT_KIDUL, received_at=timezone.now() - dt.timedelta(days=1))
    tomorrow = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0) + dt.timedelta(days=1)
    invitation = workflow.clarification_schedule(
        case=case,
        invitee_name="Sutrisno",
        invitee_role="terlapor",
        scheduled_at=tomorrow,
        place="Kantor",
        actor=staf,
    )
    workflow.study_save(case=case, facts="F.", analysis="A.", conclusion="K.", actor=staf)
    client = verified_client(staf)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'name="without_pending"' in page
    typed = {
        "outcome": DecisionOutcome.PIDANA,
        "reasons": "Unsur politik uang terpenuhi menurut kajian.",
        "plenary_date": today_local().isoformat(),
    }

    refused = client.post(reverse("cases:decision", args=[case.pk]), typed)

    html = refused.content.decode()
    assert refused.status_code == 200 and "Unsur politik uang terpenuhi menurut kajian." in html
    assert invitation.letter_number in html and "Sutrisno" in html
    case.refresh_from_db()
    assert case.status == CaseStatus.STUDY
    done = client.post(reverse("cases:decision", args=[case.pk]), {**typed, "without_pending": "on"})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED
    entry = AuditEntry.objects.get(action="case.decided", object_id=str(case.pk))
    assert entry.after is not None and entry.after["without_invited"] == [invitation.letter_number]


def test_every_field_on_the_case_page_has_an_id_of_its_own(staf):
    """The not-registered, take-up and other forms all have a "reason": each label must point at
    its own field, or a click on one label fills another form."""
    case = record_laporan(staf, PUTAT_KIDUL, evidence=[])
    page = verified_client(staf).get(reverse("cases:detail", args=[case.pk])).content.decode()
    ids = re.findall(r'\bid="(id_[^"]+)"', page)
    assert ids and len(ids) == len(set(ids))
    for target in re.findall(r'<label for="([^"]+)"', page):
        assert target in ids


def test_a_panwascam_reads_an_informasi_awal_with_its_penelusuran_as_its_only_step(make_user, staf):
    tip = informasi_awal(PUTAT_KIDUL)
    page = client_for(make_user, Role.PANWASCAM, GONDANGLEGI).get(reverse("cases:detail", args=[tip.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    steps = re.findall(r'<details class="step"[^>]*><summary>([^<]*)</summary>', html)
    assert steps == ["Tambah hasil penelusuran (bukti atau saksi)"]  # not the take-up nor the archive
    # An informasi awal has a sender, not a pelapor.
    tip.history.update(public_note="Informasi awal diterima.")
    staff_page = verified_client(staf).get(reverse("cases:detail", args=[tip.pk])).content.decode()
    assert "Untuk pengirim:" in staff_page and "Untuk pelapor:" not in staff_page


def test_the_joint_case_names_the_pelapor_of_each_laporan_merged_into_it(make_user, staf):
    kept = registered_laporan(staf, PUTAT_KIDUL)
    newer = record_laporan(staf, PUTAT_KIDUL, email="pelapor.kedua@example.id", evidence=[])
    workflow.case_merge(case=newer, other=kept, reason="Peristiwa sama.", actor=staf)
    newer.refresh_from_db()

    page = verified_client(staf).get(reverse("cases:detail", args=[kept.pk])).content.decode()

    shown = re.search(r'data-testid="merged-reporters">(.*?)</ul>', page, re.S)
    assert shown and "pelapor.kedua@example.id" in shown.group(1) and newer.tracking_code in shown.group(1)
    # Logged against the laporan that pelapor filed, where the office looks when asked.
    viewed = AuditEntry.objects.filter(action="case.personal_viewed", object_id=str(newer.pk), actor=staf)
    assert [entry.after for entry in viewed] == [{"shown": ["pelapor"]}]
    pkd = client_for(make_user, Role.PKD, PUTAT_KIDUL).get(reverse("cases:detail", args=[kept.pk]))
    assert "pelapor.kedua@example.id" not in pkd.content.decode()


def test_a_step_the_status_no_longer_allows_says_which_status_the_case_is_in(staf):
    """A page left open while a colleague moved the case on: the refusal says where it stands."""
    case = record_laporan(staf, PUTAT_KIDUL, evidence=[])
    response = verified_client(staf).post(
        reverse("cases:decision", args=[case.pk]),
        {"outcome": DecisionOutcome.DIHENTIKAN, "reasons": "R.", "plenary_date": today_local().isoformat()},
        follow=True,
    )
    said = "tidak dapat dilakukan untuk perkara ini sekarang: statusnya “Diterima”"
    assert said in response.content.decode()
    assert not Case.objects.get(pk=case.pk).history.exclude(to_status=CaseStatus.RECEIVED).exists()


def test_the_menu_counts_to_99_and_says_99_plus_beyond(staf):
    for n in range(100):
        case = record_laporan(staf, PUTAT_KIDUL, evidence=[], title=f"Laporan {n}")
        Case.objects.filter(pk=case.pk).update(decision_due=today_local())
    home = verified_client(staf).get(reverse("core:home")).content.decode()
    assert re.search(r'data-menu="cases:at_risk">99\+<', home)


def test_a_reminder_left_unread_on_a_closed_case_costs_the_menu_one_plain_query(staf):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    case = decided_case(staf, PUTAT_KIDUL, DecisionOutcome.BUKAN_PELANGGARAN)
    Reminder.objects.create(user=staf, case=case, deadline="decision_due", due=today_local(), message="Lama")
    with CaptureQueriesContext(connection) as queries:
        assert selectors.unread_reminder_count(staf) == 0
    assert len(queries) == 1  # not the full still-due test, page after page


def _chosen(page: str, select_id: str) -> list[str]:
    """The options of a <select> on the page: their text, a "*" before the one selected."""
    select = re.search(rf'<select name="\w+"[^>]*id="{select_id}"[^>]*>(.*?)</select>', page, re.S)
    assert select, select_id
    return [
        ("*" if "selected" in attrs else "") + text.strip()
        for attrs, text in re.findall(r"<option([^>]*)>([^<]*)</option>", select.group(1))
    ]


def test_the_only_invitation_or_referral_awaiting_a_record_is_already_chosen(staf):
    """With one invitation awaiting its berita acara (one referral awaiting the body), the step's
    select holds it chosen: left blank, the berita acara typed below was refused for it."""
    case = registered_laporan(staf, PUTAT_KIDUL, received_at=timezone.now() - dt.timedelta(days=2))
    invitation = workflow.clarification_schedule(
        case=case,
        invitee_name="Sutrisno",
        invitee_role="terlapor",
        scheduled_at=timezone.now() - dt.timedelta(hours=2),
        place="Kantor",
        letter_date=today_local() - dt.timedelta(days=1),
        actor=staf,
    )
    client = verified_client(staf)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert _chosen(page, "id_clarification_record_clarification") == [
        f"*{invitation.letter_number} · Terlapor · Sutrisno"
    ]

    decided = decided_case(staf, PUTAT_KIDUL, DecisionOutcome.ADMINISTRASI, days_ago=3)
    referral = workflow.referral_create(
        case=decided, body=body("kpu-kab-malang"), sent_on=today_local() - dt.timedelta(days=2), actor=staf
    )
    page = client.get(reverse("cases:detail", args=[decided.pk])).content.decode()
    for select_id in ("id_respond_referral", "id_progress_referral"):
        assert _chosen(page, select_id) == [f"*{referral.letter_number} → {referral.body.name}"]


def test_a_clarification_invited_for_after_the_decision_deadline_is_pointed_out(staf):
    """November's 2026 typed as 2027: the invitation is numbered, and the officer is told the day
    is after the decision deadline before printing it. A day within the deadline says nothing."""
    case = registered_laporan(staf, PUTAT_KIDUL)
    client = verified_client(staf)
    within = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0) + dt.timedelta(days=1)
    late = within + dt.timedelta(days=180)
    typed = {"invitee_name": "Joko Terlapor", "invitee_role": "terlapor", "place": "Kantor"}

    quiet = client.post(
        reverse("cases:clarification_schedule", args=[case.pk]),
        {**typed, "scheduled_at": within.strftime("%Y-%m-%dT%H:%M")},
        follow=True,
    )
    assert "batas waktu putusan" not in quiet.content.decode()

    warned = client.post(
        reverse("cases:clarification_schedule", args=[case.pk]),
        {**typed, "scheduled_at": late.strftime("%Y-%m-%dT%H:%M")},
        follow=True,
    )
    case.refresh_from_db()
    assert case.clarifications.count() == 2
    page = warned.content.decode()
    assert f"Klarifikasi ({tanggal(late)}) setelah batas waktu putusan ({tanggal(case.decision_due)})" in page


def test_the_case_page_leads_from_its_top_to_the_next_steps(make_user, staf):
    """The step forms come after the whole record: a button under the title jumps there. Who has
    no step on the case gets no button."""
    case = record_laporan(staf, PUTAT_KIDUL)
    page = verified_client(staf).get(reverse("cases:detail", args=[case.pk])).content.decode()
    button = re.search(r'<a [^>]*href="#steps"[^>]*>([^<]*)</a>', page)
    assert button and "Langkah berikutnya" in button.group(1)
    assert page.index('href="#steps"') < page.index("<h2>Peristiwa</h2>") < page.index('id="steps"')

    pkd = client_for(make_user, Role.PKD, PUTAT_KIDUL)
    assert 'href="#steps"' not in pkd.get(reverse("cases:detail", args=[case.pk])).content.decode()


def test_the_history_names_the_officer_by_name_with_the_account_beside(staf):
    staf.first_name, staf.last_name = "Rina", "Wulandari"
    staf.save(update_fields=["first_name", "last_name"])
    case = record_laporan(staf, PUTAT_KIDUL, evidence=[])
    page = verified_client(staf).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert re.search(r'data-testid="history-actor"><span title="staf">Rina Wulandari</span>', page)
