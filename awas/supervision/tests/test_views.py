"""The Form A pages as field supervisors and office staff use them."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from awas.conftest import GONDANGLEGI, PUTAT_KIDUL, verified_client
from awas.core.models import AuditEntry
from awas.ikp.models import Kejadian
from awas.regions.models import Region
from awas.supervision import services
from awas.supervision.models import FormA, FormAStatus
from awas.supervision.tests import samples
from awas.supervision.tests.conftest import PUTAT_LOR
from awas.supervision.tests.samples import created


def post_data(values: dict, **extra) -> dict:
    data = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in values.items()}
    data.update(extra)
    return data


def file_form(actor, region_code=PUTAT_KIDUL, values=None, **location):
    return services.form_a_create(
        actor=actor,
        location=services.Location(region=Region.objects.get(code=region_code), **location),
        data=values or samples.ASN_VALUES,
    )


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_a_pkd_writes_a_form_a_for_its_desa_and_goes_on_to_the_indicators(pkd):
    client = verified_client(pkd)
    page = client.get(reverse("supervision:create"))
    assert page.status_code == 200
    assert "Putat Kidul" in page.content.decode()
    photo = SimpleUploadedFile("foto.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, content_type="image/png")
    response = client.post(
        reverse("supervision:create"),
        post_data(
            samples.ASN_VALUES, region=GONDANGLEGI, lampiran=[photo]
        ),  # a PKD cannot pick another place
    )
    report = FormA.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "supervision:review", args=[report.pk]
    )
    assert report.region_id == PUTAT_KIDUL and report.status == FormAStatus.FILED
    assert report.number == "001/LHP/PM.01.02/35.07.10.2001/10/2024"
    assert report.attachments.get().evidence.original_name == "foto.png"


def test_the_form_shows_what_was_typed_again_after_an_error(pkd):
    client = verified_client(pkd)
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    response = client.post(
        reverse("supervision:create"),
        post_data(samples.ASN_VALUES, kegiatan_tanggal=future, uraian="Ketikan saya yang panjang"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ketikan saya yang panjang" in html
    assert samples.ASN_VALUES["pelaksana_nama"] in html
    assert f'value="{future}"' in html
    assert not FormA.objects.exists()


def test_a_ptps_reports_for_its_own_tps(ptps):
    response = verified_client(ptps).post(
        reverse("supervision:create"), post_data(samples.ASN_VALUES, tps_number="7")
    )
    assert response.status_code == 302
    report = FormA.objects.get()
    assert (report.region_id, report.tps_id, report.tps_number) == (PUTAT_KIDUL, ptps.scope_tps_id, 1)


def test_a_panwascam_may_file_a_kecamatan_recap_but_not_a_desa_recap(panwascam):
    client = verified_client(panwascam)
    response = client.post(
        reverse("supervision:create"), post_data(samples.ASN_VALUES, region=PUTAT_KIDUL, is_rekap="on")
    )
    assert response.status_code == 200 and not FormA.objects.exists()
    response = client.post(
        reverse("supervision:create"), post_data(samples.ASN_VALUES, region=GONDANGLEGI, is_rekap="on")
    )
    assert response.status_code == 302
    assert FormA.objects.get().is_rekap


def test_the_printed_form_a_is_a_valid_pdf_in_the_official_layout(pkd, ptps):
    report = file_form(pkd)
    response = verified_client(pkd).get(reverse("supervision:pdf", args=[report.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF-")
    text = text_of(pdf)
    assert "FORMULIR MODEL A — LAPORAN HASIL PENGAWASAN PEMILIHAN" in text
    for heading in (
        "I. DATA PENGAWAS",
        "II. KEGIATAN PENGAWASAN",
        "III. URAIAN SINGKAT HASIL PENGAWASAN",
        "IV. INFORMASI DUGAAN PELANGGARAN",
        "V. INFORMASI POTENSI SENGKETA",
    ):
        assert heading in text
    assert "Putat Kidul, 16 Oktober 2024" in text  # signature block, Indonesian date
    assert "Pengawas Pemilihan," in text
    assert report.number in text
    assert "Budi Santoso" in text  # the author sees what they wrote


def test_the_page_names_each_section_in_the_interface_s_language_and_dates_in_words(pkd):
    report = file_form(pkd)
    client = verified_client(pkd)
    indonesian = client.get(reverse("supervision:detail", args=[report.pk])).content.decode()
    assert "Informasi dugaan pelanggaran" in indonesian
    assert re.search(r"Tanggal pengawasan</dt>\s*<dd>16 Oktober 2024</dd>", indonesian)
    client.cookies["django_language"] = "en"
    english = client.get(reverse("supervision:detail", args=[report.pk])).content.decode()
    # The section titles stayed Indonesian in the English interface; the date read "Oct. 16, 2024".
    for heading in (
        "Details of the supervisor",
        "Supervision activity",
        "Information on an alleged violation",
    ):
        assert heading in english
    assert "Informasi dugaan pelanggaran" not in english
    assert re.search(r"Date of the supervision</dt>\s*<dd>16 October 2024</dd>", english)


def test_personal_data_only_for_handling_roles(ptps, pkd, panwascam, staf_pencegahan):
    report = file_form(ptps)  # written by the PTPS
    for user, sees in ((ptps, True), (pkd, False), (panwascam, True), (staf_pencegahan, False)):
        client = verified_client(user)
        detail = client.get(reverse("supervision:detail", args=[report.pk])).content.decode()
        pdf = text_of(client.get(reverse("supervision:pdf", args=[report.pk])).content)
        assert ("Budi Santoso" in detail) is sees, user.role
        assert ("Budi Santoso" in pdf) is sees, user.role
        assert ("Ahmad Fauzi" in detail) is sees, user.role
        assert "ASN berkampanye" in detail  # the event itself is not personal data


def test_a_pkd_sees_only_the_form_a_of_its_desa(pkd, pkd_lor, panwascam):
    mine = file_form(pkd)
    theirs = file_form(pkd_lor, PUTAT_LOR)
    recap = file_form(panwascam, GONDANGLEGI, is_rekap=True)
    client = verified_client(pkd)
    listing = client.get(reverse("supervision:list")).content.decode()
    assert reverse("supervision:detail", args=[mine.pk]) in listing
    assert reverse("supervision:detail", args=[theirs.pk]) not in listing
    assert reverse("supervision:detail", args=[recap.pk]) not in listing
    for other in (theirs, recap):
        assert client.get(reverse("supervision:detail", args=[other.pk])).status_code == 404
        assert client.get(reverse("supervision:pdf", args=[other.pk])).status_code == 404
    panwascam_listing = verified_client(panwascam).get(reverse("supervision:list")).content.decode()
    assert all(reverse("supervision:detail", args=[r.pk]) in panwascam_listing for r in (mine, theirs, recap))


def test_upload_page_lists_every_file_with_its_outcome(pkd, malang, monkeypatch):
    from awas.supervision import parsing

    monkeypatch.setattr(
        parsing, "ocr_status", lambda: (False, "program OCR (tesseract) tidak terpasang di server")
    )
    pdf = samples.awas_template_pdf(samples.form_a_unsaved(Region.objects.get(code=PUTAT_KIDUL)))
    client = verified_client(pkd)
    files = [
        SimpleUploadedFile("LHP_Gondanglegi_Putat Kidul_TPS01.pdf", pdf, content_type="application/pdf"),
        SimpleUploadedFile(
            "scan.pdf", samples.scanned_pdf(["I. DATA PENGAWAS"]), content_type="application/pdf"
        ),
    ]
    response = client.post(reverse("supervision:upload"), {"reports": files})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-outcome="created"' in html and 'data-outcome="refused"' in html
    assert "tidak memiliki lapisan teks" in html
    report = FormA.objects.get()
    assert reverse("supervision:edit", args=[report.pk]) in html
    again = client.post(
        reverse("supervision:upload"),
        {"reports": [SimpleUploadedFile("lagi.pdf", pdf, content_type="application/pdf")]},
    )
    assert 'data-outcome="duplicate"' in again.content.decode()
    assert reverse("supervision:detail", args=[report.pk]) in again.content.decode()

    # The draft's review page shows what was read; saving files it.
    edit = client.get(reverse("supervision:edit", args=[report.pk])).content.decode()
    assert "Siti Aminah" in edit and "LHP_Gondanglegi_Putat Kidul_TPS01.pdf" in edit
    response = client.post(
        reverse("supervision:edit", args=[report.pk]), post_data(samples.ASN_VALUES, tps_number="1")
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == FormAStatus.FILED and report.number == "001/LHP/PM.01.02/35.07.10.2001/10/2024"
    assert response["Location"] == reverse("supervision:review", args=[report.pk])


def test_review_page_records_the_chosen_indicators(pkd):
    report = file_form(pkd)
    client = verified_client(pkd)
    page = client.get(reverse("supervision:review", args=[report.pk])).content.decode()
    suggestions = list(report.suggestions.all())
    assert any(s.suggested_indicator == 12 for s in suggestions)
    assert 'data-indicator="12"' in page
    data: dict = {}
    for s in suggestions:
        data[f"s{s.pk}-decision"] = "keep" if s.suggested_indicator == 12 else "remove"
        data[f"s{s.pk}-indicator"] = s.suggested_indicator
        data[f"s{s.pk}-severity"] = 2
        data[f"s{s.pk}-date"] = "2024-10-16"
        data[f"s{s.pk}-desa"] = PUTAT_KIDUL
    incomplete = {k: v for k, v in data.items() if not k.endswith("-decision")}
    response = client.post(reverse("supervision:review", args=[report.pk]), incomplete)
    assert response.status_code == 200 and not Kejadian.objects.exists()
    response = client.post(reverse("supervision:review", args=[report.pk]), data)
    assert response.status_code == 302
    kejadian = Kejadian.objects.get()
    assert (kejadian.indicator_number, kejadian.region_id, kejadian.severity, kejadian.counted) == (
        12,
        PUTAT_KIDUL,
        2,
        True,
    )
    # Reviewed once: the page now sends the reviewer back to the report.
    assert client.get(reverse("supervision:review", args=[report.pk])).status_code == 302


def test_a_ptps_cannot_review_its_own_suggestions(ptps):
    report = file_form(ptps)
    assert verified_client(ptps).get(reverse("supervision:review", args=[report.pk])).status_code == 403


def test_the_temuan_step_starts_from_the_election_the_office_is_handling(pkd, staf_pp, settings):
    from awas.cases.models import Case

    # While the office handles Pemilu 2029, a Form A turned into a temuan is a Pemilu one unless the
    # officer says otherwise: an oversight must not give it Pilkada's calendar-day clocks.
    settings.AWAS_ELECTION_TYPE = "pemilu"
    report = file_form(pkd)
    client = verified_client(staf_pp)
    page = client.get(reverse("supervision:detail", args=[report.pk])).content.decode()
    assert re.search(r'value="pemilu" checked', page) and not re.search(r'value="pilkada" checked', page)
    client.post(reverse("supervision:temuan", args=[report.pk]))  # a form sent without the choice
    assert Case.objects.get().election_type == "pemilu"


def test_with_both_elections_the_temuan_step_refuses_to_go_on_until_the_officer_chooses(
    pkd, staf_pp, settings
):
    from awas.cases.models import Case

    # Handling Pemilu and Pilkada at once, the Form A says under neither law: nothing is chosen
    # beforehand (a preselected one kept by an oversight would count the wrong clock), and a draft
    # sent without a choice is not made, the officer told why.
    settings.AWAS_ELECTION_TYPE = "pemilu,pilkada"
    report = file_form(pkd)
    client = verified_client(staf_pp)
    page = client.get(reverse("supervision:detail", args=[report.pk])).content.decode()
    radios = re.findall(r'<input type="radio" name="election_type"[^>]*>', page)
    assert len(radios) == 2 and not any("checked" in radio for radio in radios)
    refused = client.post(reverse("supervision:temuan", args=[report.pk]), follow=True)
    assert "Pilih pemilihan yang dimaksud." in refused.content.decode()
    assert not Case.objects.exists()
    client.post(reverse("supervision:temuan", args=[report.pk]), {"election_type": "pilkada"})
    assert Case.objects.get().election_type == "pilkada"


def test_staff_turn_section_iv_into_a_temuan_draft(pkd, staf_pp):
    from awas.cases.models import Case

    report = file_form(pkd)
    photo = SimpleUploadedFile("foto-kaos.png", b"\x89PNG\r\n\x1a\n" + b"\x01" * 64, content_type="image/png")
    (lampiran,) = services._attach(report, [photo], actor=pkd)
    client = verified_client(staf_pp)
    assert (
        reverse("supervision:temuan", args=[report.pk])
        in client.get(reverse("supervision:detail", args=[report.pk])).content.decode()
    )
    response = client.post(reverse("supervision:temuan", args=[report.pk]), {"election_type": "pemilu"})
    case = Case.objects.get()
    assert case.election_type == "pemilu"  # the officer says under which law: its clocks count working days
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[case.pk])
    assert case.source_ref == f"form_a:{report.pk}"
    # The Form A's lampiran is the temuan's evidence: the same stored file, the same hash.
    (evidence,) = case.evidence.all()
    assert evidence.evidence_id == lampiran.evidence_id and evidence.name == "foto-kaos.png"
    added = AuditEntry.objects.get(action="case.evidence_added", object_id=str(case.pk))
    assert added.actor == staf_pp and (added.after or {})["sha256"] == lampiran.evidence.sha256
    page = client.get(response["Location"]).content.decode()
    assert lampiran.evidence.sha256 in page
    assert f'href="{reverse("supervision:detail", args=[report.pk])}" data-testid="source-form-a"' in page
    assert case.kind == "temuan" and case.region_id == PUTAT_KIDUL
    assert case.terlapor_name == "Budi Santoso"
    report.refresh_from_db()
    assert report.temuan == case
    assert verified_client(pkd).post(reverse("supervision:temuan", args=[report.pk])).status_code == 403


def test_a_second_click_on_make_a_temuan_draft_leads_to_the_one_made(pkd, panwascam):
    # It answered 403 Forbidden: an officer who double-clicked, or a colleague a moment later, was
    # told they may not, though the draft had just been made.
    from awas.cases.models import Case

    report = file_form(pkd)
    client = verified_client(panwascam)
    first = client.post(reverse("supervision:temuan", args=[report.pk]), {"election_type": "pilkada"})
    again = client.post(
        reverse("supervision:temuan", args=[report.pk]), {"election_type": "pilkada"}, follow=True
    )
    case = Case.objects.get()  # one draft, not two
    assert first["Location"] == reverse("cases:detail", args=[case.pk])
    assert again.status_code == 200 and again.redirect_chain == [(first["Location"], 302)]
    page = again.content.decode()
    assert f"Draf temuan sudah dibuat dari Form A ini ({case.tracking_code})." in page
    # The Form A's page leads to it too, for whoever may open cases.
    detail = verified_client(pkd).get(reverse("supervision:detail", args=[report.pk])).content.decode()
    assert f'<a href="{first["Location"]}">{case.tracking_code}</a>' in detail


def test_the_temuan_draft_carries_all_of_section_iv_and_who_reported_it(pkd, panwascam):
    # The title kept the event's first line and the rest was lost; the hour of the event, and who
    # wrote the report, reached the temuan nowhere; and the saksi's names stood in the chronology,
    # which the PKD of the desa reads, though the Form A shows them only to the handling roles.
    from awas.cases.models import Case

    values = {
        **samples.ASN_VALUES,
        "pelanggaran_peristiwa": (
            "ASN berkampanye untuk paslon 01\nIa juga membagikan stiker paslon 01 kepada warga."
        ),
        "pelanggaran_waktu": "Rabu, 16 Oktober 2024 pukul 09.30 WIB",
        "saksi": "1. Ahmad Fauzi\n2) Rina Wati",
    }
    report = file_form(pkd, values=values)
    verified_client(panwascam).post(
        reverse("supervision:temuan", args=[report.pk]), {"election_type": "pilkada"}
    )
    case = Case.objects.get()
    assert case.title == "ASN berkampanye untuk paslon 01"
    assert "Ia juga membagikan stiker paslon 01 kepada warga." in case.chronology
    assert "Waktu kejadian: Rabu, 16 Oktober 2024 pukul 09.30 WIB" in case.chronology
    assert case.chronology.endswith(
        f"Dari Formulir Model A Nomor {report.number}, dilaporkan oleh Siti Aminah, "
        "Panwaslu Kelurahan/Desa Putat Kidul."
    )
    assert sorted(case.witnesses.values_list("name", flat=True)) == ["Ahmad Fauzi", "Rina Wati"]
    url = reverse("cases:detail", args=[case.pk])
    assert "Rina Wati" in verified_client(panwascam).get(url).content.decode()
    pkd_page = verified_client(pkd).get(url).content.decode()
    assert "Ia juga membagikan stiker" in pkd_page and "Rina Wati" not in pkd_page


def test_no_saksi_said_nihil_makes_no_saksi():
    assert services.form_a_witnesses("Nihil") == services.form_a_witnesses(" - ") == ()
    assert services.form_a_witnesses("- Ahmad Fauzi\n\n• Rina Wati\n3. -") == ("Ahmad Fauzi", "Rina Wati")


def test_temuan_fields_are_plain_values(pkd):
    fields = services.form_a_temuan_fields(file_form(pkd))
    assert fields.pop("witnesses") == ("Ahmad Fauzi", "Rina Wati")
    assert fields["region_code"] == PUTAT_KIDUL
    assert fields["title"] == "ASN berkampanye untuk paslon 01"
    assert fields["event_date"] == dt.date(2024, 10, 16)
    assert fields["event_place"] == "Balai Dusun Krajan, Desa Putat Kidul"
    files = fields.pop("evidence")
    assert all(isinstance(v, str | int | dt.date | type(None)) for v in fields.values())
    assert all(isinstance(f.evidence_id, int) and f.name for f in files)


def test_the_original_file_is_for_those_who_may_see_personal_data(pkd, pkd_lor, staf_pencegahan, panwascam):
    pdf = samples.html_pdf(
        samples.paragraphs(
            ["I. DATA PENGAWAS", "Nama : Siti Aminah", "III. URAIAN SINGKAT HASIL PENGAWASAN", "Aman."]
        )
    )
    (result,) = services.form_a_upload(actor=pkd, files=[SimpleUploadedFile("a.pdf", pdf)])
    url = reverse("supervision:source_file", args=[created(result).pk])
    response = verified_client(pkd).get(url)
    assert response.status_code == 200 and response.getvalue() == pdf
    assert verified_client(panwascam).get(url).status_code == 200
    assert verified_client(staf_pencegahan).get(url).status_code == 403
    assert verified_client(pkd_lor).get(url).status_code == 404


def test_a_draft_can_be_set_aside(pkd):
    pdf = samples.html_pdf(
        samples.paragraphs(
            ["I. DATA PENGAWAS", "Nama : Siti Aminah", "III. URAIAN SINGKAT HASIL PENGAWASAN", "Aman."]
        )
    )
    (result,) = services.form_a_upload(actor=pkd, files=[SimpleUploadedFile("a.pdf", pdf)])
    response = verified_client(pkd).post(
        reverse("supervision:discard", args=[created(result).pk]), {"reason": "bukan LHP"}
    )
    assert response.status_code == 302
    created(result).refresh_from_db()
    assert created(result).status == FormAStatus.DISCARDED


@pytest.mark.parametrize("role_fixture,status", [("admin_user", 200), ("staf_pencegahan", 200), ("pkd", 403)])
def test_statistics_page(request, role_fixture, status, pkd):
    report = file_form(pkd)
    items = [
        services.ReviewItem(
            s,
            s.suggested_indicator == 12,
            services.KejadianChoice(12, 1, dt.date(2024, 10, 16), report.region)
            if s.suggested_indicator == 12
            else None,
        )
        for s in report.suggestions.all()
    ]
    services.kejadian_review(form=report, actor=pkd, items=items)
    user = request.getfixturevalue(role_fixture)
    response = verified_client(user).get(reverse("supervision:stats"))
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert 'data-indicator="12"' in html
        assert "100%" in html
