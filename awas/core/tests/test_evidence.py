"""The evidence store keeps what field staff send (photos, documents, recordings) once, by content,
and refuses programs, scripts, web pages and anything it cannot recognise, whatever the file is called."""

from __future__ import annotations

import hashlib
import io
import random
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from awas.conftest import KAB_MALANG
from awas.core.models import AuditEntry, EvidenceFile
from awas.core.roles import Role
from awas.core.services.evidence import DOCX, XLSX, EvidenceRejected, evidence_store_bytes


def png_bytes() -> bytes:
    """A real 1x1 PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1x1, 8-bit RGB
    pixels = zlib.compress(b"\x00\xcc\x22\x22")  # one filter byte, one red pixel
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
        b"trailer << /Root 1 0 R >>\n%%EOF\n"
    )


def zip_bytes(parts: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    return zip_bytes(
        {
            "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"/>',
            "_rels/.rels": "<Relationships/>",
            "word/document.xml": "<w:document><w:body><w:p><w:r><w:t>Form A</w:t></w:r></w:p></w:body>"
            "</w:document>",
        }
    )


def xlsx_bytes() -> bytes:
    return zip_bytes(
        {
            "[Content_Types].xml": '<?xml version="1.0"?><Types/>',
            "_rels/.rels": "<Relationships/>",
            "xl/workbook.xml": "<workbook><sheets><sheet name='TPS'/></sheets></workbook>",
        }
    )


def mp3_bytes() -> bytes:
    # An ID3v2.3 tag followed by one MPEG-1 Layer III frame header.
    return b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x64" + bytes(413)


def mp4_bytes() -> bytes:
    return struct.pack(">I", 24) + b"ftypmp42" + bytes(4) + b"mp42isom" + struct.pack(">I", 8) + b"free"


TEXT = "Laporan: pembagian sembako di Desa Putat Kidul, saksi melihat pukul 21.00 — foto menyusul.\n"

ACCEPTED = [
    ("foto.png", png_bytes(), "image/png"),
    ("lhp.pdf", pdf_bytes(), "application/pdf"),
    ("form-a.docx", docx_bytes(), DOCX),
    ("rekap.xlsx", xlsx_bytes(), XLSX),
    ("catatan.txt", TEXT.encode("utf-8"), "text/plain"),
    ("rekaman.mp3", mp3_bytes(), "audio/mpeg"),
    ("video.mp4", mp4_bytes(), "video/mp4"),
]

REFUSED = [
    ("program.elf", b"\x7fELF\x02\x01\x01\x00" + bytes(56) + b"\x02\x00\x3e\x00", "executable"),
    ("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(54) + b"PE\x00\x00", "executable"),
    ("hapus.sh", b"#!/bin/sh\nrm -rf /srv/awas\n", "executable"),
    ("halaman.html", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", "markup"),
    (
        "gambar.svg",
        b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>',
        "markup",
    ),
    ("arsip.zip", zip_bytes({"bukti.txt": "isi"}), "unknown_type"),
    ("acak.bin", random.Random(7).randbytes(4096), "unknown_type"),
    ("kosong.txt", b"", "empty"),
]


def _stored_files(tmp_path: Path) -> list[Path]:
    return [p for p in (tmp_path / "evidence").rglob("*") if p.is_file()]


@pytest.mark.parametrize(("name", "content", "content_type"), ACCEPTED, ids=[a[0] for a in ACCEPTED])
def test_accepted_file_is_stored_under_its_sha256(db, tmp_path, name, content, content_type):
    evidence = evidence_store_bytes(content, original_name=name)

    sha256 = hashlib.sha256(content).hexdigest()
    assert evidence.sha256 == sha256
    assert evidence.size == len(content)
    assert evidence.content_type == content_type
    assert evidence.original_name == name
    stored = tmp_path / "evidence" / sha256[:2] / sha256[2:4] / sha256
    assert stored.read_bytes() == content
    [entry] = AuditEntry.objects.filter(action="evidence.stored")
    assert entry.object_id == str(evidence.pk)
    assert entry.after is not None
    assert entry.after["sha256"] == sha256


def test_same_bytes_are_stored_once(db, tmp_path, make_user, malang):
    first_sender = make_user(Role.STAF_PP, KAB_MALANG)
    first = evidence_store_bytes(png_bytes(), original_name="foto-1.png", uploaded_by=first_sender)
    again = evidence_store_bytes(png_bytes(), original_name="kiriman-ulang.png")

    assert again.pk == first.pk
    assert again.original_name == "foto-1.png"
    assert again.uploaded_by == first_sender
    assert EvidenceFile.objects.count() == 1
    assert len(_stored_files(tmp_path)) == 1
    assert AuditEntry.objects.filter(action="evidence.stored").count() == 1
    assert AuditEntry.objects.get(action="evidence.stored").actor == first_sender


@pytest.mark.parametrize(("name", "content", "code"), REFUSED, ids=[r[0] for r in REFUSED])
def test_refused_file_is_not_stored(db, tmp_path, name, content, code):
    with pytest.raises(EvidenceRejected) as refused:
        evidence_store_bytes(content, original_name=name)

    assert refused.value.code == code
    assert refused.value.messages[0]
    assert EvidenceFile.objects.count() == 0
    assert _stored_files(tmp_path) == []
    assert not AuditEntry.objects.filter(action="evidence.stored").exists()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\x7fELF\x02\x01\x01\x00" + bytes(64), "Programs and scripts are not accepted"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script>x()</script></svg>", "can carry scripts"),
        (zip_bytes({"a.txt": "isi"}), "a compressed archive (ZIP, RAR, 7z), which is not accepted"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "Save it as .docx, .xlsx or PDF"),
        (random.Random(3).randbytes(512), "a kind of file Awas does not recognise"),
        (b"", "The file is empty"),
    ],
)
def test_refusal_says_why(db, content, reason):
    with translation.override("en"), pytest.raises(EvidenceRejected) as refused:
        evidence_store_bytes(content)
    assert reason in refused.value.messages[0]


def test_file_over_the_size_limit_is_refused_with_the_limit(db, settings, tmp_path):
    settings.AWAS_EVIDENCE_MAX_BYTES = 1024

    with translation.override("en"), pytest.raises(EvidenceRejected) as refused:
        evidence_store_bytes(TEXT.encode() * 20)  # about 2 KB of plain text

    assert refused.value.code == "too_large"
    assert "1.0\xa0KB" in refused.value.messages[0]
    assert _stored_files(tmp_path) == []
    # Just under the limit is fine.
    assert evidence_store_bytes(b"a" * 1024).size == 1024


def test_the_content_decides_and_the_name_may_not_promise_another_kind_of_file(db):
    with pytest.raises(EvidenceRejected) as refused:
        evidence_store_bytes(REFUSED[1][1], original_name="photo.jpg")
    assert refused.value.code == "executable"

    with pytest.raises(EvidenceRejected):
        evidence_store_bytes(b"<html><script>steal()</script></html>", original_name="laporan.pdf")

    # A photo under another photo's extension, or with no extension, is kept as what it is.
    assert evidence_store_bytes(png_bytes(), original_name="foto.jpeg").content_type == "image/png"
    assert evidence_store_bytes(TEXT.encode(), original_name="catatan").content_type == "text/plain"
    # A "photo" that is text (a failed download, the wrong file): the pelapor is asked for the original.
    with translation.override("en"), pytest.raises(EvidenceRejected) as refused:
        evidence_store_bytes(b"404 Not Found\n", original_name="foto-amplop.jpg")
    assert refused.value.code == "name_mismatch" and "its content is plain text" in refused.value.messages[0]
    with pytest.raises(EvidenceRejected):
        evidence_store_bytes(png_bytes(), original_name="rekaman-suara.mp3")


def test_a_zip_with_docx_name_but_no_document_is_refused(db):
    with pytest.raises(EvidenceRejected) as refused:
        evidence_store_bytes(
            zip_bytes({"[Content_Types].xml": "<Types/>", "run.bat": "x"}), original_name="a.docx"
        )
    assert refused.value.code == "unknown_type"


# --- awas evidence verify ------------------------------------------------------------------------


def _stored_path(tmp_path: Path, evidence: EvidenceFile) -> Path:
    return tmp_path / "evidence" / evidence.storage_name


def test_verify_passes_then_names_an_altered_file(db, tmp_path, capsys):
    photo = evidence_store_bytes(png_bytes(), original_name="foto.png")
    evidence_store_bytes(pdf_bytes(), original_name="lhp.pdf")

    call_command("evidence", "verify")
    assert "2" in capsys.readouterr().out

    path = _stored_path(tmp_path, photo)
    path.chmod(0o640)
    altered = bytearray(path.read_bytes())
    altered[-20] ^= 0xFF  # one byte of the image data
    path.write_bytes(bytes(altered))

    with pytest.raises(CommandError, match="1 of 2"):
        call_command("evidence", "verify")
    report = capsys.readouterr().err
    assert photo.sha256 in report
    assert "foto.png" in report
    assert "lhp.pdf" not in report


def test_verify_reports_a_missing_file(db, tmp_path, capsys):
    document = evidence_store_bytes(pdf_bytes(), original_name="lhp.pdf")
    _stored_path(tmp_path, document).unlink()

    with translation.override("en"), pytest.raises(CommandError):
        call_command("evidence", "verify")
    report = capsys.readouterr().err
    assert document.sha256 in report
    assert "missing" in report


@pytest.mark.real_clock  # file times are the real clock
def test_prune_deletes_old_uploads_of_forms_never_completed_and_nothing_else(db, tmp_path):
    import os
    import time

    from awas.core.services.evidence import evidence_prepare, storage_name_for

    kept = evidence_store_bytes(pdf_bytes(), original_name="lhp.pdf")
    abandoned = evidence_prepare(data=io.BytesIO(TEXT.encode()), original_name="catatan.txt")  # never saved
    fresh = evidence_prepare(data=io.BytesIO(png_bytes()), original_name="foto.png")  # a form still open
    sent_again = evidence_prepare(data=io.BytesIO(b"%PDF-1.4 lama\n"), original_name="surat.pdf")
    four_days_ago = time.time() - 4 * 24 * 3600
    for evidence in (kept, abandoned, sent_again):
        path = tmp_path / "evidence" / storage_name_for(evidence.sha256)
        os.utime(path, (four_days_ago, four_days_ago))
    # The same bytes come with a new form today: they are in use again.
    evidence_prepare(data=io.BytesIO(b"%PDF-1.4 lama\n"), original_name="surat.pdf")

    with pytest.raises(CommandError):
        call_command("evidence", "prune", "--days", "1")  # would take files a form still waits for
    out = io.StringIO()
    call_command("evidence", "prune", stdout=out)
    assert "1 unrecorded" in out.getvalue()
    remaining = {p.name for p in _stored_files(tmp_path)}
    assert remaining == {kept.sha256, fresh.sha256, sent_again.sha256}
    entry = AuditEntry.objects.get(action="evidence.pruned")
    assert (entry.after or {})["sha256"] == [abandoned.sha256]
    call_command("evidence", "verify", stdout=io.StringIO())  # every record still has its file
