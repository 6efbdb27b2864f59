"""The public's pages over HTTP: filing on a phone with bad input, a double tap, a late report;
the receipt and the tracking page escape what was typed and show nothing personal."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.middleware import csrf
from django.test import Client
from django.utils import timezone

from awas.cases.models import Case, CaseEvidence, CaseKind, CaseStatus, Reporter, StatusChange, Witness
from awas.cases.services.common import case_set_status
from awas.cases.services.intake import office_today
from awas.cases.tests.test_intake import SECRET_BITS, png_bytes
from awas.conftest import GONDANGLEGI, KEPANJEN, PUTAT_KIDUL
from awas.core.models import AuditEntry, EvidenceFile

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
SCRIPT = '<script>alert("xss")</script>'


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """The receipt PDF that names nobody is cached per process: start and end clean."""
    cache.clear()
    yield
    cache.clear()


def form_key(response: Any) -> str:
    found = re.search(r'name="idempotency_key" value="([^"]+)"', response.content.decode())
    assert found, "the form carries a one-time key"
    return found.group(1)


def kept_tokens(response: Any) -> list[str]:
    return re.findall(r'name="kept" value="([^"]+)"', response.content.decode())


def laporan_data(key: str, **overrides: Any) -> dict[str, Any]:
    today = office_today()
    data: dict[str, Any] = {
        "idempotency_key": key,
        "reporter_name": SECRET_BITS["reporter"],
        "birth_place": "Malang",
        "birth_date": "1990-05-17",
        "sex": "P",
        "occupation": "Guru",
        "nationality": "Indonesia",
        "address": SECRET_BITS["reporter_address"],
        "phone": SECRET_BITS["reporter_phone"],
        "email": SECRET_BITS["reporter_email"],
        "terlapor_name": SECRET_BITS["terlapor"],
        "terlapor_position": "Kepala desa",
        "terlapor_address": "Putat Kidul",
        "terlapor_phone": "",
        "title": "Pembagian amplop di balai desa",
        "kecamatan": GONDANGLEGI,
        "desa": PUTAT_KIDUL,
        "event_place": "Balai desa",
        "event_date": (today - dt.timedelta(days=2)).isoformat(),
        "known_date": (today - dt.timedelta(days=1)).isoformat(),
        "chronology": SECRET_BITS["chronology"],
        "witness1_name": SECRET_BITS["witness"],
        "witness1_address": "Jl. Mawar 1",
        "witness1_phone": "081299900001",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def upload(name: str, content: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def laporan_form(malang: Any, client: Client) -> Any:
    response = client.get("/lapor/laporan/")
    assert response.status_code == 200
    return response


# --- the pages -------------------------------------------------------------------------------------


def test_the_landing_page_speaks_indonesian_even_to_an_english_phone(malang, client):
    response = client.get("/lapor/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()

    assert response.status_code == 200
    assert '<html lang="id">' in html
    assert 'href="/lapor/laporan/"' in html and 'href="/lapor/informasi/"' in html
    assert "7 hari" in html
    assert "UU 27/2022" in html
    assert "Bawaslu Kabupaten Malang" in html
    assert '<a class="brand" href="/lapor/">' in html  # home is the reporting page, not the staff login
    assert '<link rel="icon" href="data:,">' in html  # no request for a missing favicon


def test_a_visitor_who_chose_english_gets_english(malang, client):
    client.cookies["django_language"] = "en"
    html = client.get("/lapor/").content.decode()
    assert '<html lang="en">' in html
    assert "Report an election violation" in html


def test_the_form_has_the_fields_of_the_formulir_laporan_and_no_script_needed(laporan_form):
    html = laporan_form.content.decode()
    for name in (
        "reporter_name", "birth_place", "birth_date", "sex", "occupation", "nationality", "address",
        "phone", "email", "terlapor_name", "terlapor_address", "terlapor_phone", "terlapor_position",
        "title", "kecamatan", "desa", "event_place", "event_date", "known_date", "chronology",
        "witness1_name", "witness3_phone", "bukti",
    ):  # fmt: skip
        assert f'name="{name}"' in html, name
    assert 'enctype="multipart/form-data"' in html
    assert html.count('<optgroup label="') == 33  # the desa of each kecamatan
    assert '<option value="35.07.10.2001">Putat Kidul</option>' in html
    assert len(form_key(laporan_form)) >= 16
    # The live warning is an extra: the script is small, deferred, and the page works without it.
    assert re.search(r'<script src="/static/cases/lapor\.js" defer>', html)
    assert 'id="late-live" hidden data-days="7"' in html


def test_pages_are_light(malang, client):
    for url in ("/lapor/", "/lapor/laporan/", "/lapor/informasi/", "/lapor/lacak/"):
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert response["Content-Encoding"] == "gzip", url
        assert len(response.content) < 12_000, (url, len(response.content))
        assert len(gzip.decompress(response.content)) < 80_000, url
        assert response.content  # and never cached: each form has its own key
        assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    html = client.get("/lapor/laporan/").content.decode()
    assert html.count('rel="stylesheet"') == 1


def test_each_rendered_form_has_its_own_key(malang, client):
    assert form_key(client.get("/lapor/laporan/")) != form_key(client.get("/lapor/laporan/"))


def _input_tag(html: str, name: str) -> str:
    found = re.search(rf'<(?:input|select)[^>]*name="{name}"[^>]*>', html)
    assert found, name
    return found.group(0)


def test_the_browser_offers_the_filer_s_own_details_only_for_the_filer(laporan_form, client):
    """A phone's autofill put the filer's own number into the terlapor's and each witness's phone
    (every field marked autocomplete="tel" is filled at once)."""
    html = laporan_form.content.decode()
    assert 'autocomplete="tel"' in _input_tag(html, "phone")
    assert 'autocomplete="name"' in _input_tag(html, "reporter_name")
    for name in (
        "terlapor_name", "terlapor_address", "terlapor_phone",
        "witness1_name", "witness1_address", "witness1_phone", "witness3_phone",
    ):  # fmt: skip
        tag = _input_tag(html, name)
        assert 'autocomplete="off"' in tag, tag
    assert 'inputmode="tel"' in _input_tag(html, "witness1_phone")  # still the number keypad
    informasi = client.get("/lapor/informasi/").content.decode()
    assert 'autocomplete="name"' in _input_tag(informasi, "contact_name")
    assert 'autocomplete="email"' in _input_tag(informasi, "contact_email")


def test_the_date_pickers_offer_no_day_after_today(laporan_form, client):
    today = office_today()
    html = laporan_form.content.decode()
    for name in ("event_date", "known_date"):
        assert f'max="{today.isoformat()}"' in _input_tag(html, name), name
    assert f'max="{(today - dt.timedelta(days=1)).isoformat()}"' in _input_tag(html, "birth_date")
    informasi = client.get("/lapor/informasi/").content.decode()
    assert f'max="{today.isoformat()}"' in _input_tag(informasi, "event_date")


def test_the_place_choices_fit_a_phone_s_select(malang, client):
    """The desa select's first choice, cut off on a 390 px phone: "— desa tidak diketahui, atau seluru"."""
    for language in ("id", "en"):
        client.cookies["django_language"] = language
        html = client.get("/lapor/laporan/").content.decode()
        for name in ("kecamatan", "desa"):
            first = re.search(rf'<select name="{name}"[^>]*>\s*<option value=""[^>]*>([^<]+)</option>', html)
            assert first, name
            assert len(first.group(1)) <= 34, (language, first.group(1))


def test_the_tracking_code_is_not_corrected_by_the_phone_s_keyboard(malang, client):
    """Typed with spaces (AWS YCPA PM8Q, which the page accepts), a keyboard's autocorrect turns
    the code's groups into words."""
    for url in ("/lapor/", "/lapor/lacak/"):
        tag = _input_tag(client.get(url).content.decode(), "kode")
        for attribute in ('autocorrect="off"', 'spellcheck="false"', 'autocapitalize="characters"'):
            assert attribute in tag, (url, tag)


# --- filing ----------------------------------------------------------------------------------------


def test_a_laporan_with_a_photo_gets_a_code_and_a_receipt(laporan_form, client, settings):
    settings.AWAS_OFFICE_ADDRESS = "Jl. Panji 158, Kepanjen"
    settings.AWAS_OFFICE_PHONE = "0341-000000"
    data = laporan_data(form_key(laporan_form), bukti=[upload("amplop.png", png_bytes(7))])
    response = client.post("/lapor/laporan/", data)

    assert response.status_code == 302
    case = Case.objects.get()
    assert response["Location"] == f"/lapor/terima/{case.tracking_code}/"
    assert case.kind == CaseKind.LAPORAN and case.status == CaseStatus.RECEIVED
    assert case.region_id == PUTAT_KIDUL
    assert Reporter.objects.get(case=case).email == SECRET_BITS["reporter_email"]
    assert Witness.objects.get(case=case).phone == "081299900001"
    assert CaseEvidence.objects.get(case=case).name == "amplop.png"

    receipt = client.get(response["Location"])
    html = receipt.content.decode()
    assert receipt.status_code == 200
    assert f'data-testid="tracking-code">{case.tracking_code}<' in html
    sha = CaseEvidence.objects.get(case=case).evidence.sha256
    assert sha[:16] in html
    # Only the fingerprint may break anywhere: a phone showed the size as "(2,2 M" and "B)".
    assert re.search(rf'<span class="code">SHA-256 {sha[:16]}…</span> \(\d', html)
    for secret in ("reporter", "reporter_address", "reporter_phone", "terlapor", "witness", "chronology"):
        assert SECRET_BITS[secret] not in html, secret

    pdf = client.get(f"/lapor/terima/{case.tracking_code}/tanda-terima.pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    assert case.tracking_code in pdf["Content-Disposition"]
    # The paper says where to follow it: the full address of the tracking page.
    from pypdf import PdfReader

    text = "".join("".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "http://testserver/lapor/lacak/" in text
    # A web laporan is signed at the office: the paper says so, and where the office is.
    assert "KTP-el" in html
    assert "BawasluKabupatenMalang,Jl.Panji158,Kepanjen" in text and "0341-000000" in text


def test_a_double_submit_returns_the_first_receipt_and_stores_one_case(laporan_form, client, tmp_path):
    data = laporan_data(form_key(laporan_form))
    first = client.post("/lapor/laporan/", data)
    # The retry carries a file, one the checks would even refuse: it is answered with the first
    # receipt all the same, before any file is looked at or stored.
    again = client.post(
        "/lapor/laporan/", {**data, "bukti": [upload("lagi.png", png_bytes(9)), upload("x.png", EXE)]}
    )

    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert Case.objects.count() == 1
    assert StatusChange.objects.count() == 1
    assert not EvidenceFile.objects.exists()
    stored = tmp_path / "evidence"
    assert not stored.exists() or not any(path.is_file() for path in stored.rglob("*"))
    followed = client.get(again["Location"])
    assert "sudah dikirim" in followed.content.decode()


def test_a_copy_of_the_form_sent_from_another_browser_is_not_shown_the_filer_s_receipt(laporan_form, client):
    # The form's one-time key is in the page (saved, forwarded, left in a shared phone's history).
    # Sent again from another browser, it must not lead to the pelapor's receipt, which names them
    # and what they reported: it is that browser's own filing, with its own code.
    key = form_key(laporan_form)
    filed = client.post("/lapor/laporan/", laporan_data(key))
    mine = Case.objects.get()

    other = Client()
    other.get("/lapor/laporan/")
    copied = other.post("/lapor/laporan/", laporan_data(key, title="Isi yang diketik orang lain"))
    assert copied.status_code == 302 and copied["Location"] != filed["Location"]
    assert mine.tracking_code not in copied["Location"]
    receipt = other.get(copied["Location"]).content.decode()
    assert mine.tracking_code not in receipt and "sudah dikirim" not in receipt
    assert Case.objects.count() == 2
    # The filer's own double tap is still one laporan, answered with its receipt.
    assert client.post("/lapor/laporan/", laporan_data(key))["Location"] == filed["Location"]
    assert Case.objects.count() == 2


def test_missing_fields_are_named_and_everything_typed_comes_back(laporan_form, client):
    data = laporan_data(form_key(laporan_form), reporter_name="", address="", kecamatan="", desa="", title="")
    data["bukti"] = [upload("bukti-satu.png", png_bytes(3))]
    response = client.post("/lapor/laporan/", data)
    html = response.content.decode()

    assert response.status_code == 200
    assert not Case.objects.exists()
    assert 'data-testid="form-errors"' in html
    for anchor in ("id_reporter_name", "id_address", "id_kecamatan", "id_title"):
        assert f'href="#{anchor}"' in html, anchor
    assert SECRET_BITS["chronology"] in html
    assert SECRET_BITS["terlapor"] in html
    assert f'value="{SECRET_BITS["witness"]}"' in html
    assert form_key(response) == data["idempotency_key"]
    # The photo was received and is offered again, so a slow phone does not send it twice.
    assert "bukti-satu.png" in html and len(kept_tokens(response)) == 1


def test_a_program_disguised_as_a_photo_is_refused_by_name_and_nothing_is_lost(laporan_form, client):
    key = form_key(laporan_form)
    data = laporan_data(
        key, bukti=[upload("foto-bukti.png", png_bytes(4)), upload("virus.jpg", EXE, "image/jpeg")]
    )
    response = client.post("/lapor/laporan/", data)
    html = response.content.decode()

    assert response.status_code == 200
    assert not Case.objects.exists()
    problems = re.findall(r'data-testid="evidence-problem">([^<]+)<', html)
    assert len(problems) == 1 and problems[0].startswith("virus.jpg: ")
    assert "foto-bukti.png" in html
    assert f'value="{SECRET_BITS["reporter"]}"' in html

    # Send again without the bad file: the kept photo goes with the laporan, no re-upload needed.
    again = client.post("/lapor/laporan/", {**laporan_data(key), "kept": kept_tokens(response)})
    assert again.status_code == 302
    assert list(CaseEvidence.objects.values_list("name", flat=True)) == ["foto-bukti.png"]


def test_an_unticked_kept_file_is_left_out(laporan_form, client):
    key = form_key(laporan_form)
    response = client.post(
        "/lapor/laporan/", laporan_data(key, title="", bukti=[upload("a.png", png_bytes(5))])
    )
    assert len(kept_tokens(response)) == 1
    client.post("/lapor/laporan/", laporan_data(key))  # the box was unticked: no "kept" sent
    assert not CaseEvidence.objects.exists()


@pytest.mark.real_clock  # file times are the real clock
def test_the_photos_of_a_form_never_sent_again_are_pruned(laporan_form, client, tmp_path):
    # The prune's own help says it deletes the uploads of public forms never completed; a form
    # sent back saved their records at once, and a record is never pruned: the sender's photos
    # stayed for ever, pointed to by no laporan.
    import os
    import time

    from django.core.management import call_command

    key = form_key(laporan_form)
    response = client.post(
        "/lapor/laporan/", laporan_data(key, title="", bukti=[upload("wajah.png", png_bytes(8))])
    )
    tokens = kept_tokens(response)
    assert len(tokens) == 1
    then = time.time() - 4 * 24 * 3600
    for path in (tmp_path / "evidence").rglob("*"):
        if path.is_file():
            os.utime(path, (then, then))
    call_command("evidence", "prune", stdout=io.StringIO())
    assert not EvidenceFile.objects.exists()
    assert not [p for p in (tmp_path / "evidence").rglob("*") if p.is_file()]

    # Sent with that photo after all: said, not filed without it.
    late = client.post("/lapor/laporan/", {**laporan_data(key), "kept": tokens})
    assert late.status_code == 200 and not Case.objects.exists()
    assert "tidak dapat disimpan" in late.content.decode()


def test_a_kept_photo_is_recorded_with_the_laporan(laporan_form, client):
    key = form_key(laporan_form)
    response = client.post(
        "/lapor/laporan/", laporan_data(key, title="", bukti=[upload("foto.png", png_bytes(9))])
    )
    client.post("/lapor/laporan/", {**laporan_data(key), "kept": kept_tokens(response)})
    item = CaseEvidence.objects.select_related("evidence").get()
    assert item.name == "foto.png" and item.evidence.sha256 == hashlib.sha256(png_bytes(9)).hexdigest()
    assert AuditEntry.objects.filter(action="evidence.stored").count() == 1


def test_a_kept_file_goes_only_with_the_browser_that_sent_it(laporan_form, client):
    # Sent back for a correction, the form carries the photo received as a token. Copied into
    # another browser's form (a screenshot of the page's source, a shared link), it attaches
    # nothing there and says nothing of the file; the browser that sent the photo still files it,
    # double tap included.
    key = form_key(laporan_form)
    first = client.post(
        "/lapor/laporan/", laporan_data(key, title="", bukti=[upload("wajah-saksi.png", png_bytes(11))])
    )
    tokens = kept_tokens(first)
    assert len(tokens) == 1
    sha = hashlib.sha256(png_bytes(11)).hexdigest()

    other = Client()
    other_key = form_key(other.get("/lapor/laporan/"))
    replayed = other.post(
        "/lapor/laporan/", {**laporan_data(other_key, title="Laporan orang lain"), "kept": tokens}
    )
    html = replayed.content.decode()
    assert replayed.status_code == 200 and not Case.objects.exists()
    assert "wajah-saksi.png" not in html and sha[:8] not in html and 'name="kept"' not in html
    assert "tidak dapat disimpan" in html  # the words of a token too old: nothing more
    other.post("/lapor/laporan/", laporan_data(other_key, title="Laporan orang lain"))
    assert Case.objects.get().title == "Laporan orang lain"
    assert not CaseEvidence.objects.exists()

    sent = {**laporan_data(key), "kept": tokens}
    receipt = client.post("/lapor/laporan/", sent)
    assert client.post("/lapor/laporan/", sent)["Location"] == receipt["Location"]  # a double tap
    mine = Case.objects.get(title="Pembagian amplop di balai desa")
    assert list(mine.evidence.values_list("name", "evidence__sha256")) == [("wajah-saksi.png", sha)]


def test_a_kept_file_does_not_go_with_a_browser_that_copied_the_whole_page(laporan_form, client):
    # The page's source (saved, shared, a screenshot) carries the form's CSRF token, from which
    # anyone can work out the browser's CSRF secret and put it in their own cookie: what binds a
    # kept file to its browser is a cookie the page never shows.
    first = client.post(
        "/lapor/laporan/",
        laporan_data(form_key(laporan_form), title="", bukti=[upload("wajah-saksi.png", png_bytes(12))]),
    )
    tokens = kept_tokens(first)
    assert len(tokens) == 1
    masked = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', first.content.decode())
    assert masked

    other = Client()
    other_key = form_key(other.get("/lapor/laporan/"))
    other.cookies[django_settings.CSRF_COOKIE_NAME] = csrf._unmask_cipher_token(masked.group(1))  # type: ignore[attr-defined]
    replayed = other.post(
        "/lapor/laporan/", {**laporan_data(other_key, title="Laporan orang lain"), "kept": tokens}
    )
    assert replayed.status_code == 200 and not Case.objects.exists()
    assert "wajah-saksi.png" not in replayed.content.decode()
    assert "tidak dapat disimpan" in replayed.content.decode()


def test_a_forged_kept_token_is_refused(laporan_form, client):
    response = client.post(
        "/lapor/laporan/", {**laporan_data(form_key(laporan_form)), "kept": ["palsu:token"]}
    )
    assert response.status_code == 200
    assert (
        "tidak dapat disimpan" in response.content.decode()
        or "could not be kept" in response.content.decode()
    )
    assert not Case.objects.exists()


def test_an_oversized_file_is_refused_with_the_limit_and_not_read_whole(laporan_form, client, settings):
    settings.AWAS_EVIDENCE_MAX_BYTES = 100 * 1024
    big = upload("video-panjang.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 300 * 1024, "video/mp4")
    response = client.post("/lapor/laporan/", laporan_data(form_key(laporan_form), bukti=[big]))
    html = response.content.decode()

    assert response.status_code == 200
    assert not Case.objects.exists() and not EvidenceFile.objects.exists()
    problems = re.findall(r'data-testid="evidence-problem">([^<]+)<', html)
    assert len(problems) == 1
    assert problems[0].startswith("video-panjang.mp4: ") and "100" in problems[0]
    assert SECRET_BITS["chronology"] in html


def test_too_many_files_are_refused_by_name(laporan_form, client):
    files = [upload(f"foto-{n:02d}.png", png_bytes(20 + n)) for n in range(12)]
    response = client.post("/lapor/laporan/", laporan_data(form_key(laporan_form), bukti=files))
    html = response.content.decode()

    assert not Case.objects.exists()
    problems = re.findall(r'data-testid="evidence-problem">([^<]+)<', html)
    assert [p.split(":")[0] for p in problems] == ["foto-10.png", "foto-11.png"]
    assert len(kept_tokens(response)) == 10


def test_a_request_too_large_to_read_gets_a_clear_page_not_an_error(laporan_form, client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    data = laporan_data(form_key(laporan_form), chronology="x" * 20_000)
    response = client.post("/lapor/laporan/", data)
    html = response.content.decode()

    assert response.status_code == 413
    assert 'data-testid="evidence-problem"' in html
    assert "terlalu besar" in html or "too large" in html
    assert not Case.objects.exists()


def test_a_slip_of_the_birth_year_is_caught_and_the_kecamatan_is_marked_required(laporan_form, client):
    assert re.search(r'<label for="id_kecamatan" class="required">', laporan_form.content.decode())
    response = client.post("/lapor/laporan/", laporan_data(form_key(laporan_form), birth_date="1800-05-17"))
    html = response.content.decode()
    assert response.status_code == 200 and not Case.objects.exists()
    assert 'href="#id_birth_date"' in html and "1800" in html


def test_bad_dates_and_a_desa_of_another_kecamatan_are_explained(laporan_form, client):
    tomorrow = (office_today() + dt.timedelta(days=1)).isoformat()
    data = laporan_data(
        form_key(laporan_form), event_date=tomorrow, kecamatan=KEPANJEN, birth_date="17-05-1990"
    )
    response = client.post("/lapor/laporan/", data)
    html = response.content.decode()

    assert not Case.objects.exists()
    assert 'href="#id_event_date"' in html
    assert 'href="#id_desa"' in html
    assert 'href="#id_birth_date"' not in html  # 17-05-1990 is a date as people write it


def test_a_witness_needs_a_name(laporan_form, client):
    data = laporan_data(form_key(laporan_form), witness1_name="", witness2_phone="0812")
    response = client.post("/lapor/laporan/", data)
    html = response.content.decode()
    assert 'href="#id_witness1_name"' in html and 'href="#id_witness2_phone"' in html
    assert not Case.objects.exists()


def test_an_expired_form_keeps_what_was_typed_and_gets_a_new_key(laporan_form, client):
    response = client.post("/lapor/laporan/", laporan_data("bad key!"))
    assert response.status_code == 200
    assert not Case.objects.exists()
    assert re.fullmatch(r"[A-Za-z0-9_-]{16,64}", form_key(response))
    assert SECRET_BITS["chronology"] in response.content.decode()
    assert client.post("/lapor/laporan/", laporan_data(form_key(response))).status_code == 302


def test_csrf_is_enforced(malang):
    client = Client(enforce_csrf_checks=True)
    page = client.get("/lapor/laporan/")
    data = laporan_data(form_key(page))
    refused = client.post("/lapor/laporan/", data)
    assert refused.status_code == 403 and 'href="/lapor/laporan/"' in refused.content.decode()
    # A staff step posts to an address of its own: back leads to the page the form was on.
    step = client.post("/perkara/1/klarifikasi/", {}, HTTP_REFERER="http://testserver/perkara/1/")
    assert step.status_code == 403 and 'href="http://testserver/perkara/1/"' in step.content.decode()
    elsewhere = client.post("/lapor/laporan/", data, HTTP_REFERER="https://jahat.example/form")
    assert "jahat.example" not in elsewhere.content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token
    assert client.post("/lapor/laporan/", {**data, "csrfmiddlewaretoken": token.group(1)}).status_code == 302


def test_other_methods_are_refused(malang, client):
    assert client.put("/lapor/laporan/").status_code == 405
    assert client.post("/lapor/lacak/").status_code == 405


# --- the 7-day warning -----------------------------------------------------------------------------


def test_a_late_laporan_is_warned_before_it_is_sent_then_sent_when_confirmed(laporan_form, client):
    known = office_today() - dt.timedelta(days=10)
    data = laporan_data(form_key(laporan_form), event_date=known.isoformat(), known_date=known.isoformat())
    data["bukti"] = [upload("foto.png", png_bytes(11))]
    first = client.post("/lapor/laporan/", data)
    html = first.content.decode()

    assert first.status_code == 200
    assert not Case.objects.exists()
    assert 'data-testid="late-notice"' in html
    assert "Pasal 134 ayat (4)" in html and "UU 10/2016" in html
    assert "informasi awal" in html
    assert 'name="late_ok"' in html
    assert 'data-testid="form-errors"' not in html  # nothing is wrong: it is a question
    assert SECRET_BITS["chronology"] in html and len(kept_tokens(first)) == 1

    data = {**laporan_data(form_key(first), event_date=known.isoformat(), known_date=known.isoformat())}
    second = client.post("/lapor/laporan/", {**data, "kept": kept_tokens(first), "late_ok": "on"})
    assert second.status_code == 302
    case = Case.objects.get()
    assert case.filing_due == known + dt.timedelta(days=7)
    assert CaseEvidence.objects.filter(case=case).count() == 1
    assert (AuditEntry.objects.get(action="case.received").after or {})["late_confirmed"] is True
    receipt = client.get(second["Location"]).content.decode()
    assert 'data-testid="receipt-late"' in receipt
    # Late, it is not registered: the receipt promises no decision date.
    assert "A decision on the follow-up is due" not in receipt and "Keputusan" not in receipt
    # Nor does the paper: it said "Batas putusan" beside "sent after the limit".
    from pypdf import PdfReader

    pdf = client.get(f"/lapor/terima/{case.tracking_code}/tanda-terima.pdf").content
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "setelah batas waktu" in text
    assert "Batas putusan" not in text


def test_a_late_laporan_is_told_it_came_after_the_limit_not_promised_a_completion(
    laporan_form, client, mailoutbox, django_capture_on_commit_callbacks
):
    """Sent anyway after the 7 days, it cannot be registered (the syarat formal "within the deadline"
    fails, and no completion mends it): its first e-mail said it would be checked and the pelapor
    told what to complete, then came the notice that it was not registered."""
    from awas.cases.formatting import tanggal

    known = office_today() - dt.timedelta(days=10)
    data = laporan_data(
        form_key(laporan_form), event_date=known.isoformat(), known_date=known.isoformat(), late_ok="on"
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/lapor/laporan/", data).status_code == 302
    case = Case.objects.get()
    (mail,) = mailoutbox
    late = (
        "Laporan Anda telah diterima. Laporan ini disampaikan setelah lewat batas waktu pelaporan, yaitu "
        "7 hari sejak kejadiannya diketahui (UU 1/2015 jo. UU 10/2016 Pasal 134 ayat (4)): Anda "
        f"mengetahuinya pada {tanggal(known)}, sehingga batasnya {tanggal(known + dt.timedelta(days=7))}. "
        "Kantor akan memeriksa laporan ini dan memberitahukan hasilnya kepada Anda."
    )
    assert late in mail.body
    assert "dilengkapi" not in mail.body and "Syarat formal dan materielnya akan diperiksa" not in mail.body
    assert case.tracking_code in mail.body  # the way back to it, as for any laporan
    tracking = client.get(f"/lapor/lacak/{case.tracking_code}/").content.decode()
    assert late in tracking and "dilengkapi" not in tracking


def test_the_live_warning_takes_the_confirmation_so_a_late_laporan_goes_at_the_first_send(
    laporan_form, client
):
    """The page warned while the date was typed, but the laporan came back once more over the slow
    link only to be asked to tick a box: the box is in the warning itself."""
    html = laporan_form.content.decode()
    live = html[html.index('id="late-live"') : html.index("</div>", html.index('id="late-live"'))]
    assert 'name="late_ok"' in live and "Tetap kirim laporan saya" in live
    assert html.count('name="late_ok"') == 1

    known = (office_today() - dt.timedelta(days=10)).isoformat()
    data = laporan_data(form_key(laporan_form), event_date=known, known_date=known, late_ok="on")
    response = client.post("/lapor/laporan/", data)
    assert response.status_code == 302
    assert (AuditEntry.objects.get(action="case.received").after or {})["late_confirmed"] is True
    # The server's own notice, when it is shown, holds the one box: the live one is not drawn.
    again = client.post(
        "/lapor/laporan/",
        laporan_data(form_key(client.get("/lapor/laporan/")), known_date=known, event_date=known),
    )
    page = again.content.decode()
    assert 'data-testid="late-notice"' in page and 'id="late-live"' not in page
    assert page.count('name="late_ok"') == 1


def test_seven_days_exactly_is_in_time(laporan_form, client):
    known = (office_today() - dt.timedelta(days=7)).isoformat()
    response = client.post(
        "/lapor/laporan/", laporan_data(form_key(laporan_form), event_date=known, known_date=known)
    )
    assert response.status_code == 302


# --- script in text fields -------------------------------------------------------------------------


def test_script_typed_anywhere_is_shown_as_text(laporan_form, client):
    data = laporan_data(
        form_key(laporan_form), title=SCRIPT, reporter_name=SCRIPT, chronology=SCRIPT, address=""
    )
    rerendered = client.post("/lapor/laporan/", data).content.decode()
    assert SCRIPT not in rerendered
    assert "&lt;script&gt;" in rerendered

    data["address"] = "Jl. Melati"
    response = client.post("/lapor/laporan/", data)
    case = Case.objects.get()
    assert case.title == SCRIPT  # stored as typed, escaped when shown
    receipt = client.get(response["Location"]).content.decode()
    assert SCRIPT not in receipt and "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;" in receipt
    tracking = client.get(f"/lapor/lacak/{case.tracking_code}/").content.decode()
    assert SCRIPT not in tracking and "alert(" not in tracking
    from django.template.loader import render_to_string

    from awas.cases.services.intake import receipt_context

    pdf_html = render_to_string("cases/public/tanda_terima.html", receipt_context(case, personal=True))
    assert SCRIPT not in pdf_html and "&lt;script&gt;" in pdf_html


# --- informasi awal --------------------------------------------------------------------------------


def test_anonymous_informasi_awal(malang, client):
    page = client.get("/lapor/informasi/")
    html = page.content.decode()
    assert 'name="contact_name"' in html and 'name="reporter_name"' not in html
    assert ":</label>" not in html  # labels without a colon, like those of the laporan
    assert "tangkapan layar" in html  # a photo's location data would name the sender
    response = client.post(
        "/lapor/informasi/",
        {
            "idempotency_key": form_key(page),
            "title": "Baliho paslon dipasang di masjid",
            "kecamatan": GONDANGLEGI,
            "event_date": office_today().isoformat(),
            "bukti": [upload("baliho.png", png_bytes(12))],
        },
        REMOTE_ADDR="203.0.113.7",
    )

    assert response.status_code == 302
    case = Case.objects.get()
    assert case.kind == CaseKind.INFORMASI_AWAL and case.region_id == GONDANGLEGI
    # Nothing traces the tip to its sender: the (uneditable) audit log keeps no address of the public.
    assert AuditEntry.objects.exists()
    assert not AuditEntry.objects.filter(ip_address__isnull=False).exists()
    assert not Reporter.objects.filter(case=case).exists()
    assert CaseEvidence.objects.filter(case=case).count() == 1
    tracked = client.get(f"/lapor/lacak/{case.tracking_code}/").content.decode()
    assert "Informasi awal diterima" in tracked
    assert "Status informasi yang Anda kirim" in tracked and "Status laporan Anda" not in tracked
    # The sender's own copy of the tanda terima: no pelapor to name, and it does not say it names one.
    from pypdf import PdfReader

    pdf = client.get(f"/lapor/terima/{case.tracking_code}/tanda-terima.pdf").content
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "TANDA TERIMA INFORMASI AWAL" in text
    assert "nama pelapor" not in text and "tidak menyebut nama siapa pun" in text


def test_informasi_awal_with_a_contact(malang, client):
    page = client.get("/lapor/informasi/")
    client.post(
        "/lapor/informasi/",
        {
            "idempotency_key": form_key(page),
            "title": "Kampanye di sekolah",
            "desa": PUTAT_KIDUL,
            "event_date": office_today().isoformat(),
            "contact_phone": "0812 3456 7890",
        },
    )
    case = Case.objects.get()
    assert case.region_id == PUTAT_KIDUL  # the desa alone is enough
    assert Reporter.objects.get(case=case).phone == "0812 3456 7890"

    # Its tracking page speaks to the sender, who is no pelapor (it said "contacts the pelapor").
    page = client.get(f"/lapor/lacak/{case.tracking_code}/").content.decode()
    note = re.search(r'data-testid="contact-note">([^<]*)<', page)
    assert note and "pelapor" not in note.group(1)
    assert "Jika Anda meninggalkan kontak" in note.group(1)


# --- tracking --------------------------------------------------------------------------------------


def _filed_case(client: Client) -> Case:
    page = client.get("/lapor/laporan/")
    data = laporan_data(form_key(page), bukti=[upload(SECRET_BITS["file_name"], png_bytes(13))])
    assert client.post("/lapor/laporan/", data).status_code == 302
    return Case.objects.get()


def test_tracking_shows_each_status_and_nothing_personal(malang, client):
    case = _filed_case(client)
    typed = client.get("/lapor/lacak/", {"kode": case.tracking_code.lower().replace("-", " ")})
    assert typed.status_code == 302 and typed["Location"] == f"/lapor/lacak/{case.tracking_code}/"

    case_set_status(
        case, CaseStatus.REGISTERED, public_note="Laporan Anda diregistrasi.", reason="catatan internal"
    )
    response = client.get(typed["Location"])
    html = response.content.decode()

    assert response.status_code == 200
    received = "Laporan Anda telah diterima. Syarat formal dan materielnya akan diperiksa."
    assert received in html and "Laporan Anda diregistrasi." in html
    assert re.search(r"\d{1,2} \w+ \d{4}, \d{2}\.\d{2} WIB", html)
    assert html.index(received) < html.index("Laporan Anda diregistrasi.")
    for value in SECRET_BITS.values():
        assert value not in html, value
    assert "catatan internal" not in html
    assert case.title not in html
    # Asked to complete or to sign, the pelapor knows which office to go to.
    assert 'data-testid="office-contact"' in html and "Bawaslu Kabupaten Malang" in html


def test_an_unknown_code_gets_a_friendly_page(malang, client):
    response = client.get("/lapor/lacak/AWS-ABCD-EFGH/")
    assert response.status_code == 404
    assert 'data-testid="track-not-found"' in response.content.decode()
    assert client.get("/lapor/lacak/", {"kode": "bukan kode"}).status_code == 404
    assert client.get("/lapor/terima/AWS-ABCD-EFGH/").status_code == 404
    assert client.get("/lapor/terima/AWS-ABCD-EFGH/tanda-terima.pdf").status_code == 404


def test_guessing_codes_is_slowed_down(malang, client, settings):
    settings.AWAS_TRACKING_MISS_LIMIT = 3
    case = _filed_case(client)
    for n in range(3):
        assert client.get(f"/lapor/lacak/AWS-ABCD-EFG{n + 2}/").status_code == 404
    other_browser = Client()
    blocked = other_browser.get(f"/lapor/lacak/{case.tracking_code}/")
    assert blocked.status_code == 429
    assert 'data-testid="track-blocked"' in blocked.content.decode()
    # Whoever guessed shares the filer's carrier address: the browser that filed the report still
    # follows it and gets its receipt, any other browser there does not.
    assert client.get(f"/lapor/lacak/{case.tracking_code}/").status_code == 200
    assert client.get(f"/lapor/terima/{case.tracking_code}/").status_code == 200
    assert client.get(f"/lapor/terima/{case.tracking_code}/tanda-terima.pdf").status_code == 200
    assert other_browser.get(f"/lapor/terima/{case.tracking_code}/").status_code == 429
    assert other_browser.get(f"/lapor/terima/{case.tracking_code}/tanda-terima.pdf").status_code == 429
    # Another address is not affected.
    assert other_browser.get(f"/lapor/lacak/{case.tracking_code}/", REMOTE_ADDR="10.1.2.3").status_code == 200


def test_the_guessing_limit_is_one_for_all_server_processes_and_keeps_no_address(malang, client, settings):
    from awas.core.models import AttemptWindow

    settings.AWAS_TRACKING_MISS_LIMIT = 2
    guesser = {"REMOTE_ADDR": "203.0.113.77"}
    assert client.get("/lapor/lacak/AWS-ABCD-EFG2/", **guesser).status_code == 404
    cache.clear()  # what another worker process, or a restart, has in memory: nothing
    assert client.get("/lapor/lacak/AWS-ABCD-EFG3/", **guesser).status_code == 404
    cache.clear()
    assert client.get("/lapor/lacak/AWS-ABCD-EFG4/", **guesser).status_code == 429
    # The count is kept under a keyed hash, not the visitor's address (UU 27/2022).
    (window,) = AttemptWindow.objects.values()
    assert window["count"] == 2 and "203.0.113.77" not in str(window)
    # Keyed with the secret: not the plain hash anyone could reverse by trying every IPv4 address.
    assert window["key"] != hashlib.sha256(b"tracking-miss:203.0.113.77").hexdigest()
    # When the quarter hour has passed the address may try again, and the ended window is cleared.
    AttemptWindow.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get("/lapor/lacak/AWS-ABCD-EFG5/", **guesser).status_code == 404
    assert AttemptWindow.objects.get().count == 1


def test_an_ipv6_guesser_cannot_take_a_fresh_address_for_every_try(malang, client, settings):
    settings.AWAS_TRACKING_MISS_LIMIT = 2
    for n in range(2):  # two addresses of the same /64, the network a carrier gives one phone
        guess = client.get(f"/lapor/lacak/AWS-ABCD-EFG{n + 2}/", REMOTE_ADDR=f"2001:db8:7:1::{n + 1:x}")
        assert guess.status_code == 404
    assert client.get("/lapor/lacak/AWS-ABCD-EFGH/", REMOTE_ADDR="2001:db8:7:1:ffff::9").status_code == 429
    # Another phone of the same carrier has a /64 of its own.
    assert client.get("/lapor/lacak/AWS-ABCD-EFGH/", REMOTE_ADDR="2001:db8:7:2::1").status_code == 404


def test_behind_a_proxy_the_guesser_cannot_choose_an_address(malang, client, settings):
    settings.AWAS_TRACKING_MISS_LIMIT = 2
    settings.AWAS_TRUST_PROXY = True
    for n in range(2):  # a made-up first hop each time; the proxy appends the real address last
        forged = f"10.9.9.{n}, 198.51.100.7"
        assert (
            client.get(f"/lapor/lacak/AWS-ABCD-EFG{n + 2}/", HTTP_X_FORWARDED_FOR=forged).status_code == 404
        )
    again = client.get("/lapor/lacak/AWS-ABCD-EFGH/", HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.7")
    assert again.status_code == 429
    # Another visitor behind the same proxy is someone else.
    other = client.get("/lapor/lacak/AWS-ABCD-EFGH/", HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert other.status_code == 404


def test_an_expired_form_says_so_in_indonesian_and_leads_back_to_it(malang):
    phone = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en-US,en")
    response = phone.post("/lapor/laporan/", {"title": "Amplop"})  # no security token (cookie gone)
    html = response.content.decode()
    assert response.status_code == 403
    assert "Formulir sudah kedaluwarsa" in html and 'href="/lapor/laporan/" data-testid="csrf-back"' in html
    assert not Case.objects.exists()


def test_a_filer_who_gives_an_e_mail_address_gets_the_tracking_code_by_e_mail(
    malang, client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = _filed_case(client)
    (mail,) = mailoutbox
    assert mail.to == [SECRET_BITS["reporter_email"]]
    assert case.tracking_code in mail.subject and case.tracking_code in mail.body
    assert "Status laporan" in mail.subject
    # As at the desk: received, what happens next, where to follow it, and who writes.
    assert (
        "Laporan Anda telah diterima. Syarat formal dan materielnya akan diperiksa. Bila ada yang "
        "kurang, Anda akan diberi tahu apa yang harus dilengkapi dan paling lambat kapan."
    ) in mail.body
    assert (
        "Perkembangannya dapat diikuti di halaman pelacakan laporan (alamatnya berakhiran /lapor/lacak/) "
        f"dengan kode pelacakan {case.tracking_code}, atau ditanyakan ke kantor."
    ) in mail.body
    assert mail.body.rstrip().endswith("Bawaslu Kabupaten Malang")

    # A tip's sender who left an address hears of an informasi awal, not a laporan; none without.
    mailoutbox.clear()
    for contact in ("pengirim@example.id", ""):
        page = client.get("/lapor/informasi/")
        data = {
            "idempotency_key": form_key(page),
            "title": f"Baliho di masjid {contact}",
            "kecamatan": GONDANGLEGI,
            "event_date": office_today().isoformat(),
            "contact_email": contact,
        }
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post("/lapor/informasi/", data).status_code == 302
    (mail,) = mailoutbox
    assert mail.to == ["pengirim@example.id"] and "Status informasi awal" in mail.subject
    assert "laporan" not in mail.body.lower()


def test_the_receipt_that_names_nobody_is_made_once_for_whoever_repeats_it(malang, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    case = _filed_case(client)
    stranger = Client()
    url = f"/lapor/terima/{case.tracking_code}/tanda-terima.pdf"
    with CaptureQueriesContext(connection) as first:
        made = stranger.get(url)
    with CaptureQueriesContext(connection) as again:
        kept = stranger.get(url)
    assert made.status_code == kept.status_code == 200 and made.content == kept.content
    assert len(again) < len(first)  # not rendered again
