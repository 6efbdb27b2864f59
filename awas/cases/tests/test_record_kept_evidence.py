"""The staff recording forms and their evidence files: a refused file is named with the other
mistakes at once, and a form sent back keeps the files it received (the officer does not choose
the pelapor's photos again from the flash disk)."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from awas.cases.models import Case
from awas.cases.tests.staff_helpers import _quick_argon2, jpeg  # noqa: F401 (an autouse fixture)
from awas.cases.tests.test_staff_views import _laporan_post
from awas.conftest import KAB_MALANG, PUTAT_KIDUL, verified_client
from awas.core.roles import Role


@pytest.fixture
def staf(malang, make_user):
    return make_user(Role.STAF_PP, KAB_MALANG, username="staf")


def web_page() -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "catatan.html", b"<html><script>alert(1)</script></html>", content_type="text/html"
    )


def kept_tokens(page: str) -> list[str]:
    return re.findall(r'name="kept" value="([^"]+)"', page)


def test_a_refused_file_is_named_with_the_other_mistakes_and_the_good_one_is_kept(staf):
    client = verified_client(staf)
    photo = jpeg("foto-amplop.jpg")
    first = client.post(
        reverse("cases:record"),
        {**_laporan_post(title="Amplop di balai desa", pelapor_name=""), "evidence": [photo, web_page()]},
    )
    page = first.content.decode()
    assert first.status_code == 200 and not Case.objects.exists()
    # Both at once: the refused file was named only after the missing name had been typed in.
    assert "Nama pelapor: Kolom ini wajib diisi." in page
    assert "catatan.html: " in page
    # The photo that passed is listed as received, ticked, and not asked for again.
    assert 'data-testid="kept-evidence"' in page and "foto-amplop.jpg" in page
    assert "pilih berkas sekali lagi" not in page
    tokens = kept_tokens(page)
    assert len(tokens) == 1

    second = client.post(
        reverse("cases:record"), {**_laporan_post(title="Amplop di balai desa"), "kept": tokens}
    )
    case = Case.objects.get(title="Amplop di balai desa")
    assert second.status_code == 302
    assert list(case.evidence.values_list("name", flat=True)) == ["foto-amplop.jpg"]


def test_a_kept_file_unticked_is_left_out_and_a_new_one_joins_the_kept(staf):
    client = verified_client(staf)
    first = client.post(
        reverse("cases:record"),
        {**_laporan_post(title="Baliho di sekolah", pelapor_name=""), "evidence": [jpeg("baliho.jpg")]},
    )
    assert kept_tokens(first.content.decode())
    client.post(
        reverse("cases:record"),
        {**_laporan_post(title="Baliho di sekolah"), "evidence": [jpeg("ganti.jpg", salt=b"2")]},
    )  # the token not sent: unticked
    case = Case.objects.get(title="Baliho di sekolah")
    assert list(case.evidence.values_list("name", flat=True)) == ["ganti.jpg"]


def test_an_altered_token_is_refused_with_a_reason(staf):
    response = verified_client(staf).post(
        reverse("cases:record"), {**_laporan_post(title="Token diubah"), "kept": ["bukan-token"]}
    )
    assert response.status_code == 200 and not Case.objects.exists()
    assert "tidak dapat disimpan" in response.content.decode()


def test_the_temuan_form_keeps_its_files_too(staf):
    client = verified_client(staf)
    data = {
        "election_type": "pilkada",
        "region": PUTAT_KIDUL,
        "title": "",  # forgotten
        "known_date": _laporan_post()["known_date"],
        "chronology": "Spanduk paslon di pagar sekolah.",
    }
    first = client.post(reverse("cases:temuan_new"), {**data, "evidence": [jpeg("spanduk.jpg")]})
    tokens = kept_tokens(first.content.decode())
    assert first.status_code == 200 and len(tokens) == 1
    client.post(reverse("cases:temuan_new"), {**data, "title": "Spanduk di sekolah", "kept": tokens})
    case = Case.objects.get(title="Spanduk di sekolah")
    assert list(case.evidence.values_list("name", flat=True)) == ["spanduk.jpg"]
