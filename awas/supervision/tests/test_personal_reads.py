"""Reading the pelaku and the saksi of a Form A is in the audit log (UU 27/2022), as reading a case's
pelapor and saksi is: the office can say who read whose personal data, and when."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from awas.conftest import verified_client
from awas.core.models import AuditEntry
from awas.regions.models import Region
from awas.supervision import services
from awas.supervision.tests import samples
from awas.supervision.tests.samples import created


def _reads_of(report, user) -> list[str]:
    entries = AuditEntry.objects.filter(
        action="form_a.personal_viewed", object_id=str(report.pk), actor=user
    ).order_by("pk")
    return [str((entry.after or {}).get("read")) for entry in entries]


def test_the_pelaku_and_saksi_read_on_the_page_and_in_the_printout_are_logged(ptps, pkd, panwascam):
    report = services.form_a_create(
        actor=ptps,
        location=services.Location(region=Region.objects.get(code=ptps.scope_region_id), tps_number=1),
        data=samples.ASN_VALUES,  # names a pelaku (Budi Santoso) and two saksi
    )
    client = verified_client(panwascam)
    for _reload in range(3):
        assert "Budi Santoso" in client.get(reverse("supervision:detail", args=[report.pk])).content.decode()
    client.get(reverse("supervision:pdf", args=[report.pk]))
    # The page once a day however often it is opened; every printout.
    assert _reads_of(report, panwascam) == ["page", "pdf"]

    # A PKD is shown neither, and leaves no entry.
    pkd_client = verified_client(pkd)
    assert (
        "Budi Santoso" not in pkd_client.get(reverse("supervision:detail", args=[report.pk])).content.decode()
    )
    pkd_client.get(reverse("supervision:pdf", args=[report.pk]))
    assert _reads_of(report, pkd) == []


def test_every_download_of_the_original_file_is_logged(pkd, panwascam, staf_pencegahan):
    pdf = samples.html_pdf(
        samples.paragraphs(
            ["I. DATA PENGAWAS", "Nama : Siti Aminah", "III. URAIAN SINGKAT HASIL PENGAWASAN", "Aman."]
        )
    )
    (result,) = services.form_a_upload(actor=pkd, files=[SimpleUploadedFile("a.pdf", pdf)])
    report = created(result)
    url = reverse("supervision:source_file", args=[report.pk])
    client = verified_client(panwascam)
    for _download in range(2):
        assert client.get(url).status_code == 200
    assert _reads_of(report, panwascam) == ["source_file", "source_file"]
    # Refused, so nothing read and nothing logged.
    assert verified_client(staf_pencegahan).get(url).status_code == 403
    assert _reads_of(report, staf_pencegahan) == []
