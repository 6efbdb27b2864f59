"""The evidence store: uploads kept once per content, addressed by SHA-256, checked by content.

Files go through Django's storage API (the ``evidence`` storage alias), so an S3-compatible
backend can replace the local folder without touching callers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.storage import Storage, storages
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awas.core.models.evidence import EvidenceFile
from awas.core.services.audit import audit_record

CHUNK = 1024 * 1024

# What field staff and the public send as evidence. Anything else is refused.
ACCEPTED_TYPES = {
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "image/heic",
    "image/heif",
    "image/bmp",
    "image/tiff",
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "audio/mpeg",
    "audio/mp4",
    "audio/x-m4a",
    "audio/ogg",
    "audio/x-wav",
    "audio/amr",
    "audio/aac",
    "audio/x-flac",
    "video/mp4",
    "video/quicktime",
    "video/webm",
    "video/x-matroska",
    "video/3gpp",
    "video/x-msvideo",
    "text/plain",
}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXECUTABLE_TYPES = {
    "application/x-executable",
    "application/x-msdownload",
    "application/x-mach-binary",
    "application/x-elf",
    "application/x-sh",
    "application/x-shellscript",
    "application/java-archive",
    "application/vnd.android.package-archive",
}
MARKUP_MARKERS = (b"<!doctype html", b"<html", b"<script", b"<svg", b"<?xml", b"<body", b"<iframe")


class EvidenceRejected(ValidationError):
    """An upload that the evidence store will not keep; the message says why."""


def evidence_storage() -> Storage:
    return storages["evidence"]


def _open_zip(data: IO[bytes]) -> str:
    """Tell DOCX and XLSX apart from other ZIP archives by their parts, not their name."""
    data.seek(0)
    try:
        with zipfile.ZipFile(data) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return "application/zip"
    finally:
        data.seek(0)
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        return DOCX
    if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
        return XLSX
    return "application/zip"


def _text_type(head: bytes) -> str | None:
    """Plain text (UTF-8 or Latin-1 without control bytes), or a markup type; None if binary."""
    if b"\x00" in head:
        return None
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        # A multi-byte character may be cut at the end of the sample.
        try:
            text = head[:-3].decode("utf-8")
        except UnicodeDecodeError:
            text = head.decode("latin-1")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t\f")
    if controls > max(1, len(text) // 100):
        return None
    lowered = head.lstrip().lower()
    if any(marker in lowered[:4096] for marker in MARKUP_MARKERS):
        return "text/html"
    return "text/plain"


def sniff_content_type(data: IO[bytes]) -> str:
    """The content type read from the bytes themselves (the name and the browser's claim are ignored)."""
    data.seek(0)
    head = data.read(8192)
    data.seek(0)
    if head.startswith(b"\x7fELF"):
        return "application/x-elf"
    if head.startswith(b"MZ"):
        return "application/x-msdownload"
    if head.startswith(b"#!"):
        return "application/x-sh"
    kind = filetype.guess(head)
    if kind is not None:
        mime = str(kind.mime)
        if mime in {"application/zip", DOCX, XLSX}:
            return _open_zip(data)
        if mime == "audio/m4a":
            return "audio/mp4"
        return mime
    return _text_type(head) or "application/octet-stream"


# What a file's name promises, by kind: a photo, a recording (sound or picture: phones name voice
# notes .mp4 and videos .3gp), a PDF, an office document, text. The bytes must be of that kind.
_PHOTOS = ("jpg", "jpeg", "png", "gif", "webp", "heic", "heif", "bmp", "tif", "tiff")
_SOUNDS = ("mp3", "m4a", "ogg", "oga", "opus", "wav", "amr", "aac", "flac")
_VIDEOS = ("mp4", "m4v", "mov", "webm", "mkv", "3gp", "3gpp", "avi")
NAME_KINDS = {
    **dict.fromkeys(_PHOTOS, "image"),
    **dict.fromkeys((*_SOUNDS, *_VIDEOS), "recording"),
    "pdf": "pdf",
    "docx": "office",
    "xlsx": "office",
    "txt": "text",
}


def _content_kind(content_type: str) -> str:
    major = content_type.split("/", 1)[0]
    if major in {"audio", "video"}:
        return "recording"
    if content_type in {DOCX, XLSX}:
        return "office"
    return {"image": "image", "text": "text"}.get(major, "pdf" if content_type == "application/pdf" else "")


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word, Excel and PowerPoint before 2007 (and MSI)
# What a refused file is, in the words of the person who sent it (not a MIME type).
KIND_WORDS = {
    "image": gettext_lazy("a picture"),
    "recording": gettext_lazy("a sound or video recording"),
    "pdf": gettext_lazy("a PDF"),
    "office": gettext_lazy("a Word or Excel document"),
    "text": gettext_lazy("plain text"),
}
ARCHIVE_TYPES = {
    "application/zip",
    "application/x-rar-compressed",
    "application/x-7z-compressed",
    "application/gzip",
    "application/x-tar",
    "application/x-bzip2",
    "application/x-xz",
}


def _described(content_type: str) -> str:
    if content_type in ARCHIVE_TYPES:
        return str(_("a compressed archive (ZIP, RAR, 7z)"))
    return str(KIND_WORDS.get(_content_kind(content_type)) or _("a kind of file Awas does not recognise"))


def _check_name(name: str, content_type: str) -> None:
    """A name that promises another kind of file than its bytes are (a text named foto.jpg): the
    file is damaged or not the one meant, and the pelapor is the one who can send the right one."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    promised = NAME_KINDS.get(extension)
    if promised is not None and promised != _content_kind(content_type):
        raise EvidenceRejected(
            _(
                "Its name promises another kind of file, but its content is %(what)s. The file may be "
                "damaged: send the original."
            )
            % {"what": _described(content_type)},
            code="name_mismatch",
        )


def check_evidence(data: IO[bytes], size: int, name: str = "") -> str:
    """Raise ``EvidenceRejected`` with a reason, or return the accepted content type. ``name``:
    the file's name as sent, which must not promise another kind of file than its content."""
    limit = settings.AWAS_EVIDENCE_MAX_BYTES
    if size > limit:
        raise EvidenceRejected(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    if size == 0:
        raise EvidenceRejected(_("The file is empty."), code="empty")
    content_type = sniff_content_type(data)
    if content_type in EXECUTABLE_TYPES:
        raise EvidenceRejected(_("Programs and scripts are not accepted as evidence."), code="executable")
    if content_type == "text/html":
        raise EvidenceRejected(
            _("Web pages and SVG images are not accepted: they can carry scripts. Send a screenshot or PDF."),
            code="markup",
        )
    if content_type not in ACCEPTED_TYPES:
        data.seek(0)
        if data.read(len(OLE_MAGIC)) == OLE_MAGIC:
            data.seek(0)
            # The old binary formats also carry installers and macros: refused, with the way out.
            raise EvidenceRejected(
                _(
                    "Old Word or Excel files (.doc, .xls) are not accepted. Save it as .docx, .xlsx "
                    "or PDF and send that, or send a photo of the pages."
                ),
                code="unknown_type",
            )
        data.seek(0)
        raise EvidenceRejected(
            _(
                "This file is %(what)s, which is not accepted. Send a photo, a PDF, a Word (.docx) or "
                "Excel (.xlsx) document, a sound or video recording, or plain text."
            )
            % {"what": _described(content_type)},
            code="unknown_type",
        )
    _check_name(name, content_type)
    return content_type


def _hash_and_size(data: IO[bytes]) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    data.seek(0)
    while chunk := data.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    data.seek(0)
    return digest.hexdigest(), size


def storage_name_for(sha256: str) -> str:
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"


def evidence_prepare(*, data: IO[bytes], original_name: str = "", uploaded_by: Any = None) -> EvidenceFile:
    """Check an upload and keep its bytes; the record is the one already stored for the same
    bytes, or a new one *not saved yet*: ``evidence_save`` stores it (with its audit entry) in the
    transaction that uses it, so a filing and its new evidence are one transaction.

    Raises ``EvidenceRejected`` with the reason for the person who sent it.
    """
    sha256, size = _hash_and_size(data)
    content_type = check_evidence(data, size, original_name)
    existing = EvidenceFile.objects.filter(sha256=sha256).first()
    if existing is not None:
        return existing
    storage = evidence_storage()
    name = storage_name_for(sha256)
    # The bytes go first, outside any transaction: a file without a record is harmless (the same
    # bytes sent again reuse it), a record without its file would not be.
    if not storage.exists(name):
        stored = storage.save(name, File(data, name=name))
        if stored != name:  # another process stored the same bytes in between
            storage.delete(stored)
    else:
        _touch(storage, name)  # bytes left by a form never completed: in use again, not pruned
    return EvidenceFile(
        sha256=sha256,
        size=size,
        content_type=content_type,
        original_name=original_name[:255],
        storage_name=name,
        uploaded_by=uploaded_by if getattr(uploaded_by, "pk", None) else None,
    )


def evidence_prepare_kept(
    sha256: str, *, original_name: str = "", uploaded_by: Any = None
) -> EvidenceFile | None:
    """The record of bytes a form sent back kept (``evidence_prepare``, not saved): the one already
    stored for them, or a new one *not saved yet*, made again from the bytes in the store and
    checked again by content. None when the bytes are gone (``evidence_prune_unrecorded`` deleted
    them: the form was left longer than its tokens last) or no longer match their hash."""
    existing = EvidenceFile.objects.filter(sha256=sha256).first()
    if existing is not None:
        return existing
    storage = evidence_storage()
    name = storage_name_for(sha256)
    if not STORED_NAME.match(name) or not storage.exists(name):
        return None
    with storage.open(name, "rb") as data:
        if _hash_and_size(data)[0] != sha256:
            return None
        try:
            return evidence_prepare(data=data, original_name=original_name, uploaded_by=uploaded_by)
        except EvidenceRejected:
            return None


def _touch(storage: Storage, name: str) -> None:
    """Mark stored bytes as just used (``evidence_prune_unrecorded`` goes by their age)."""
    try:
        path = storage.path(name)
    except NotImplementedError:  # a remote storage: prune's record check before deleting is the guard
        return
    os.utime(path)


STORED_NAME = re.compile(r"^[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{64}$")


def evidence_prune_unrecorded(*, older_than: dt.timedelta) -> list[str]:
    """Delete the stored bytes that no record points to and that are older than ``older_than``:
    uploads of public forms never completed (``evidence_prepare`` keeps the bytes first; the
    form's kept-file tokens expire after two days). Returns the names deleted; audited."""
    storage = evidence_storage()
    recorded = set(EvidenceFile.objects.values_list("storage_name", flat=True))
    cutoff = timezone.now() - older_than
    removed = []
    for top in storage.listdir("")[0]:
        for middle in storage.listdir(top)[0]:
            for file_name in storage.listdir(f"{top}/{middle}")[1]:
                name = f"{top}/{middle}/{file_name}"
                if not STORED_NAME.match(name) or name in recorded:
                    continue
                if storage.get_modified_time(name) >= cutoff:
                    continue
                # Asked again just before deleting: a filing may have recorded it since the list.
                if not EvidenceFile.objects.filter(storage_name=name).exists():
                    storage.delete(name)
                    removed.append(name)
    if removed:
        with transaction.atomic():
            audit_record(
                action="evidence.pruned",
                object_type=EvidenceFile._meta.label,
                object_repr=f"{len(removed)} unrecorded files",
                after={"sha256": [name.rsplit("/", 1)[-1] for name in removed]},
            )
    return removed


def evidence_save(evidence: EvidenceFile) -> EvidenceFile:
    """Store the record of prepared evidence and its audit entry; nothing if already stored.

    Call inside the caller's transaction. Two requests sending the same new bytes at once: the
    second one's insert fails on the unique SHA-256 (``IntegrityError``), and its transaction,
    retried, finds the first one's record through ``evidence_prepare``.
    """
    if evidence.pk is not None:
        return evidence
    evidence.save()
    audit_record(
        action="evidence.stored",
        obj=evidence,
        actor=evidence.uploaded_by,
        after={"sha256": evidence.sha256, "size": evidence.size, "content_type": evidence.content_type},
    )
    return evidence


def evidence_store(*, data: IO[bytes], original_name: str = "", uploaded_by: Any = None) -> EvidenceFile:
    """Check and keep an upload; the same bytes sent twice give back the same record.

    Raises ``EvidenceRejected`` with the reason for the person who sent it.
    """
    evidence = evidence_prepare(data=data, original_name=original_name, uploaded_by=uploaded_by)
    return evidence_keep(evidence)


def evidence_keep(evidence: EvidenceFile) -> EvidenceFile:
    """Store prepared evidence in a transaction of its own (e.g. for a form sent back for a
    correction, which keeps the files already received); the stored record either way."""
    if evidence.pk is not None:
        return evidence
    try:
        with transaction.atomic():
            return evidence_save(evidence)
    except IntegrityError:
        evidence.pk = None
        return EvidenceFile.objects.get(sha256=evidence.sha256)


def evidence_store_bytes(content: bytes, *, original_name: str = "", uploaded_by: Any = None) -> EvidenceFile:
    return evidence_store(data=io.BytesIO(content), original_name=original_name, uploaded_by=uploaded_by)


def evidence_open(evidence: EvidenceFile) -> IO[bytes]:
    return evidence_storage().open(evidence.storage_name, "rb")


@dataclass(frozen=True)
class EvidenceProblem:
    evidence: EvidenceFile
    reason: str


def evidence_verify(files: Iterator[EvidenceFile] | None = None) -> Iterator[EvidenceProblem]:
    """Every stored file whose bytes are missing or no longer match their SHA-256."""
    storage = evidence_storage()
    rows = files if files is not None else EvidenceFile.objects.order_by("id").iterator()
    for evidence in rows:
        if not storage.exists(evidence.storage_name):
            yield EvidenceProblem(evidence, _("file is missing"))
            continue
        digest = hashlib.sha256()
        with storage.open(evidence.storage_name, "rb") as handle:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
        if digest.hexdigest() != evidence.sha256:
            yield EvidenceProblem(evidence, _("bytes no longer match the SHA-256 recorded at upload"))
