"""The staff recording forms and their evidence files: a refused file is named with the other
mistakes at once, and a form sent back keeps the files it received (the officer does not choose
the pelapor's photos again from the flash disk)."""

from __future__ import annotations

import hashlib
import io
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


def _age_stored_files(tmp_path, days: int) -> None:
    import os
    import time

    then = time.time() - days * 24 * 3600
    for path in (tmp_path / "evidence").rglob("*"):
        if path.is_file():
            os.utime(path, (then, then))


@pytest.mark.real_clock  # file times are the real clock
def test_the_files_of_a_form_never_sent_again_are_pruned(staf, tmp_path):
    # The pelapor's photos of a form sent back and then left (the pelapor went home, the officer
    # typed the laporan again from scratch) were kept for ever as evidence records that no case
    # points to: 'awas evidence prune' deletes only bytes without a record.
    from django.core.management import call_command

    from awas.core.models import EvidenceFile

    client = verified_client(staf)
    first = client.post(
        reverse("cases:record"),
        {**_laporan_post(title="Ditinggalkan", pelapor_name=""), "evidence": [jpeg("wajah-saksi.jpg")]},
    )
    tokens = kept_tokens(first.content.decode())
    assert len(tokens) == 1
    _age_stored_files(tmp_path, days=4)
    call_command("evidence", "prune", stdout=io.StringIO())
    assert not EvidenceFile.objects.exists()
    assert not [p for p in (tmp_path / "evidence").rglob("*") if p.is_file()]

    # A form sent with that file after all is told so, rather than recorded without the photo.
    late = client.post(reverse("cases:record"), {**_laporan_post(title="Ditinggalkan"), "kept": tokens})
    assert late.status_code == 200 and not Case.objects.exists()
    assert "tidak dapat disimpan" in late.content.decode()


def test_a_kept_file_is_attached_from_the_bytes_received(staf):
    # The kept file's record is made with the laporan, from the bytes the form received, with
    # the name the pelapor's device gave it and the officer as its uploader.
    client = verified_client(staf)
    first = client.post(
        reverse("cases:record"),
        {**_laporan_post(title="Dua kali", pelapor_name=""), "evidence": [jpeg("amplop.jpg")]},
    )
    client.post(
        reverse("cases:record"),
        {**_laporan_post(title="Dua kali"), "kept": kept_tokens(first.content.decode())},
    )
    item = Case.objects.get(title="Dua kali").evidence.select_related("evidence").get()
    assert item.name == "amplop.jpg" and item.evidence.uploaded_by == staf
    assert item.evidence.sha256 == hashlib.sha256(jpeg("amplop.jpg").read()).hexdigest()


def test_a_token_naming_another_case_s_evidence_is_refused(staf):
    # Only the office's signature makes a token: one written by hand for the hash of another
    # case's file (seen on its page) attaches nothing.
    from django.core import signing

    from awas.cases.forms_public import KEPT_SALT
    from awas.cases.services import workflow
    from awas.cases.tests.staff_helpers import facts

    other = workflow.temuan_create(facts=facts(PUTAT_KIDUL), evidence=[jpeg("rahasia.jpg")], actor=staf)
    stored = other.evidence.select_related("evidence").get().evidence
    forged = [
        signing.dumps([stored.sha256, "x.jpg", stored.size], salt="another-salt"),
        signing.dumps([stored.sha256, "x.jpg", stored.size], salt=KEPT_SALT, key="not-the-secret-key"),
    ]
    response = verified_client(staf).post(
        reverse("cases:record"), {**_laporan_post(title="Curian"), "kept": forged}
    )
    assert response.status_code == 200 and not Case.objects.filter(title="Curian").exists()
    assert "tidak dapat disimpan" in response.content.decode()


@pytest.mark.parametrize("form", ["cases:record", "cases:temuan_new"])
def test_a_kept_file_goes_on_only_from_the_officer_who_sent_it(staf, make_user, form):
    # The token is in the page's source (a page forwarded, a shared computer): in another officer's
    # form it attached the pelapor's photo to their case. Now it attaches nothing and names nothing.
    data = {
        "cases:record": _laporan_post(title="Amplop di pasar"),
        "cases:temuan_new": {
            "election_type": "pilkada",
            "region": PUTAT_KIDUL,
            "title": "Amplop di pasar",
            "known_date": _laporan_post()["known_date"],
            "chronology": "Amplop dibagikan di pasar.",
        },
    }[form]
    other = make_user(Role.STAF_PP, KAB_MALANG, username="staf.lain")
    mine = verified_client(staf)
    first = mine.post(reverse(form), {**data, "title": "", "evidence": [jpeg("wajah-pelapor.jpg")]})
    tokens = kept_tokens(first.content.decode())
    assert len(tokens) == 1

    theirs = verified_client(other).post(reverse(form), {**data, "kept": tokens})
    page = theirs.content.decode()
    assert theirs.status_code == 200 and not Case.objects.exists()
    assert "tidak dapat disimpan" in page
    assert "wajah-pelapor.jpg" not in page and 'data-testid="kept-evidence"' not in page

    # The officer who sent it, signed in again (a new CSRF secret): still theirs.
    again = verified_client(staf)
    assert again.post(reverse(form), {**data, "kept": tokens}).status_code == 302
    case = Case.objects.get(title="Amplop di pasar")
    assert list(case.evidence.values_list("name", flat=True)) == ["wajah-pelapor.jpg"]
