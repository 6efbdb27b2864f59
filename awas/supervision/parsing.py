"""Reading Form A (LHP) files: text from PDF (text layer, or OCR for scans) and DOCX, the sections
and their fields, and the kecamatan/desa/TPS a file name encodes.

Everything here is pure (bytes and text in, dataclasses out) except OCR, which runs the Debian
``tesseract`` program with the Indonesian language (``-l ind``). The database is not touched:
region names come in as :class:`RegionName` lists.

How the sections are found (``split_sections``): a line is a section heading when

* it names a section ("Data Pengawas", "Kegiatan Pengawasan", "Uraian Singkat Hasil Pengawasan",
  "Informasi Dugaan Pelanggaran", "Informasi Potensi Sengketa", or a shorter form of these), with
  or without a Roman or Arabic number or "BAGIAN" before it, in any case; or
* it is only an upper-case Roman numeral or "BAGIAN <n>" (a heading without wording).

Sections must come in order (a heading for a section already passed is body text), any may be
missing, and reading stops at the signature line ("Malang, 16 Oktober 2024"), "Lampiran" or
"Dokumentasi", so cover pages before the form and photo pages after it are ignored.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

BULAN = {
    "januari": 1,
    "februari": 2,
    "pebruari": 2,
    "maret": 3,
    "april": 4,
    "mei": 5,
    "juni": 6,
    "juli": 7,
    "agustus": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "nopember": 11,
    "desember": 12,
}
BULAN_SHORT = {
    "jan": 1,
    "feb": 2,
    "peb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "agu": 8,
    "agt": 8,
    "ags": 8,
    "sep": 9,
    "okt": 10,
    "nov": 11,
    "nop": 11,
    "des": 12,
}
HARI = frozenset({"senin", "selasa", "rabu", "kamis", "jumat", "jum'at", "sabtu", "minggu", "ahad"})
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5}
SECTION_NUMBERS = (1, 2, 3, 4, 5)

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# A page needs at least this many letters to count as having a text layer.
MIN_LETTERS_PER_PAGE = 25
MAX_PAGES = 40  # a Form A is a few pages; more is an unusual bundle, read only this far
MAX_OCR_PAGES = 6
OCR_DPI = 300
OCR_TIMEOUT_SECONDS = 120


class UnreadableFile(Exception):
    """A file whose text cannot be read; ``str(exc)`` is the reason, in Indonesian, for the list."""


# --- reading the text -----------------------------------------------------------------------------


@dataclass
class DocumentText:
    pages: list[str]
    method: str  # pdf_text, pdf_ocr or docx (supervision.models.ExtractionMethod values)
    notes: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.pages)


@cache
def ocr_status() -> tuple[bool, str]:
    """(available, why not): Tesseract with the Indonesian language data."""
    program = shutil.which("tesseract")
    if program is None:
        return False, "program OCR (tesseract) tidak terpasang di server"
    try:
        result = subprocess.run(
            [program, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, f"program OCR (tesseract) tidak dapat dijalankan: {exc}"
    languages = {line.strip() for line in (result.stdout + result.stderr).splitlines()}
    if "ind" not in languages:
        return False, "data bahasa Indonesia untuk OCR (tesseract-ocr-ind) tidak terpasang di server"
    return True, ""


def _letters(text: str) -> int:
    return sum(1 for ch in text if ch.isalpha())


def _ocr_image(png: bytes) -> str:
    program = shutil.which("tesseract") or "tesseract"
    result = subprocess.run(
        [program, "stdin", "stdout", "-l", "ind"],
        input=png,
        capture_output=True,
        timeout=OCR_TIMEOUT_SECONDS,
        check=False,
    )
    if result.returncode != 0:
        raise UnreadableFile(
            "OCR gagal membaca halaman: " + result.stderr.decode("utf-8", "replace").strip()[:200]
        )
    return result.stdout.decode("utf-8", "replace")


def _render_pages(data: bytes, page_numbers: Sequence[int]) -> Iterable[tuple[int, bytes]]:
    """PNG images of the given (0-based) pages, at OCR resolution."""
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        for number in page_numbers:
            page = document[number]
            image = page.render(scale=OCR_DPI / 72).to_pil().convert("L")
            buffer = io.BytesIO()
            image.save(buffer, format="PNG")
            page.close()
            yield number, buffer.getvalue()
    finally:
        document.close()


def read_pdf(data: bytes) -> DocumentText:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableFile("PDF dilindungi kata sandi; kirim PDF tanpa kata sandi")
        total = len(reader.pages)
        pages = [(page.extract_text() or "") for page in reader.pages[:MAX_PAGES]]
    except UnreadableFile:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise UnreadableFile(f"PDF rusak atau tidak dapat dibaca ({exc.__class__.__name__})") from exc
    notes = []
    if total > MAX_PAGES:
        notes.append(f"hanya {MAX_PAGES} halaman pertama dari {total} yang dibaca")
    empty = [i for i, text in enumerate(pages) if _letters(text) < MIN_LETTERS_PER_PAGE]
    if not empty:
        return DocumentText(pages, "pdf_text", notes)
    if len(empty) < len(pages):
        # A typed form with scanned attachments: the scans are lampiran, not the report.
        notes.append("halaman tanpa lapisan teks tidak dibaca: " + ", ".join(str(i + 1) for i in empty[:10]))
        return DocumentText(pages, "pdf_text", notes)
    available, why = ocr_status()
    if not available:
        raise UnreadableFile(f"PDF tidak memiliki lapisan teks (hasil pindai) dan OCR tidak tersedia: {why}")
    to_read = empty[:MAX_OCR_PAGES]
    if len(empty) > MAX_OCR_PAGES:
        notes.append(f"OCR hanya membaca {MAX_OCR_PAGES} halaman pertama")
    try:
        for number, png in _render_pages(data, to_read):
            pages[number] = _ocr_image(png)
    except subprocess.TimeoutExpired as exc:
        raise UnreadableFile("OCR terlalu lama; kirim PDF dengan lapisan teks") from exc
    except Exception as exc:
        if isinstance(exc, UnreadableFile):
            raise
        raise UnreadableFile(
            f"halaman PDF tidak dapat dirender untuk OCR ({exc.__class__.__name__})"
        ) from exc
    if _letters("".join(pages)) < MIN_LETTERS_PER_PAGE:
        raise UnreadableFile("OCR tidak menemukan teks yang terbaca pada PDF hasil pindai ini")
    notes.append("dibaca dengan OCR; periksa ejaan nama dan angka")
    return DocumentText(pages, "pdf_ocr", notes)


def _docx_lines(document: object) -> list[str]:
    """Paragraphs and table rows in document order; merged cells (repeated) are read once."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    body = document.element.body  # type: ignore[attr-defined]
    lines: list[str] = []
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)  # type: ignore[arg-type]
        elif tag == "tbl":
            for row in Table(child, document).rows:  # type: ignore[arg-type]
                cells: list[str] = []
                for cell in row.cells:
                    text = " ".join(cell.text.split())
                    if text and (not cells or cells[-1] != text):
                        cells.append(text)
                lines.append(" ".join(cells))
    return lines


def read_docx(data: bytes) -> DocumentText:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise UnreadableFile(
            f"dokumen Word rusak atau tidak dapat dibaca ({exc.__class__.__name__})"
        ) from exc
    except Exception as exc:  # lxml errors on a broken document.xml
        raise UnreadableFile(
            f"dokumen Word rusak atau tidak dapat dibaca ({exc.__class__.__name__})"
        ) from exc
    text = "\n".join(_docx_lines(document))
    if _letters(text) < MIN_LETTERS_PER_PAGE:
        raise UnreadableFile("dokumen Word ini tidak berisi teks")
    return DocumentText([text], "docx")


def read_document(data: bytes, content_type: str) -> DocumentText:
    """The text of a Form A file; raises :class:`UnreadableFile` with the reason."""
    if content_type == PDF:
        return read_pdf(data)
    if content_type == DOCX:
        return read_docx(data)
    raise UnreadableFile("bukan berkas PDF atau Word (DOCX)")


# --- sections -----------------------------------------------------------------------------------

SECTION_KEYWORDS: dict[int, tuple[str, ...]] = {
    1: ("data pengawas", "identitas pengawas", "data pelaksana", "identitas pelaksana", "data pengawasan"),
    2: ("kegiatan pengawasan", "aktivitas pengawasan", "pelaksanaan pengawasan"),
    3: ("uraian singkat hasil pengawasan", "uraian hasil pengawasan", "uraian singkat", "hasil pengawasan"),
    4: ("informasi dugaan pelanggaran", "informasi adanya dugaan pelanggaran", "dugaan pelanggaran"),
    5: ("informasi potensi sengketa", "informasi adanya potensi sengketa", "potensi sengketa"),
}
# OCR reads the Roman numerals' I as l or | ("Il", "Ill"): accepted in numerals before section wording.
_HEADING_NUMBER = re.compile(
    r"^(?:bagian\s+)?(?P<num>[ivxl|]{1,4}|[1-5])(?:\s*[.):\-]\s*|\s+|$)(?P<title>.*)$", re.IGNORECASE
)
_BAGIAN = re.compile(r"^bagian\s+(?P<num>[ivx]{1,4}|[1-5])\s*[.:]?\s*(?P<title>.*)$", re.IGNORECASE)
_PAGE_NUMBER = re.compile(
    r"^(?:halaman|hal\.?|page)?\s*\d{1,3}(?:\s*(?:dari|/|of)\s*\d{1,3})?$", re.IGNORECASE
)
_BULAN_RE = "|".join(BULAN)
_SIGNATURE_DATE = re.compile(
    rf"^(?P<place>[A-Za-z][A-Za-z .'\-]{{1,60}}),\s*(?P<date>\d{{1,2}}\s+(?:{_BULAN_RE})\s+\d{{4}})\s*$",
    re.IGNORECASE,
)
_STOP = re.compile(r"^(?:lampiran|dokumentasi|dokumentasi kegiatan|foto kegiatan|foto dokumentasi)\s*:?\s*$")
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def _plain(text: str) -> str:
    return _NOT_WORD.sub(" ", text.lower()).strip()


def _section_of_title(title: str, *, numbered: bool) -> int | None:
    """The section a heading's wording names; unnumbered headings must be the wording alone."""
    plain = _plain(title)
    for number, keywords in SECTION_KEYWORDS.items():
        for keyword in keywords:
            if plain == keyword:
                return number
            if (
                numbered
                and plain.startswith(keyword + " ")
                and len(plain.split()) <= len(keyword.split()) + 4
            ):
                return number
    return None


def _number_value(token: str) -> int | None:
    token = token.lower().replace("l", "i").replace("|", "i")
    if token in ROMAN:
        return ROMAN[token]
    if token.isdigit() and 1 <= int(token) <= 5:
        return int(token)
    return None


def heading_of(line: str) -> tuple[int, str] | None:
    """(section number, text after the heading on the same line) if ``line`` is a section heading."""
    stripped = line.strip()
    if not stripped or len(stripped) > 120:
        return None
    head, _, rest = stripped.partition(":")
    head = head.strip()
    if (
        rest
        and (_BAGIAN.match(head) or _HEADING_NUMBER.match(head))
        and _section_of_title(rest, numbered=True)
    ):
        # "BAGIAN V: Informasi Potensi Sengketa": the wording after the colon is the heading's own.
        head, rest = f"{head} {rest}", ""
    if bagian := _BAGIAN.match(head):
        named = _section_of_title(bagian["title"], numbered=True) if bagian["title"] else None
        return named or _number_value(bagian["num"]) or 0, rest.strip()
    if numbered := _HEADING_NUMBER.match(head):
        title = numbered["title"].strip()
        if title:
            named = _section_of_title(title, numbered=True)
            if named is not None:
                return named, rest.strip()
            return None
        # A numeral alone: only an upper-case Roman numeral is a heading (1. 2. are list items).
        token = numbered["num"]
        if token.isupper() and token.lower() in ROMAN and not rest.strip():
            return ROMAN[token.lower()], ""
        return None
    named = _section_of_title(head, numbered=False)
    if named is not None:
        return named, rest.strip()
    return None


@dataclass
class SectionSplit:
    preamble: list[str]
    sections: dict[int, list[str]]
    signature_place: str = ""
    signature_date: dt.date | None = None
    ignored_lines: int = 0

    @property
    def found(self) -> list[int]:
        return sorted(self.sections)

    @property
    def missing(self) -> list[int]:
        return [n for n in SECTION_NUMBERS if n not in self.sections]


def split_sections(text: str) -> SectionSplit:
    split = SectionSplit(preamble=[], sections={})
    current: int | None = None
    stopped = False
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if not line or _PAGE_NUMBER.match(line):
            continue
        heading = heading_of(line)
        if heading is not None and heading[0] > (current or 0):
            current, rest = heading
            stopped = False
            split.sections[current] = [rest] if rest else []
            continue
        if current is None:
            split.preamble.append(line)
            continue
        signature = _SIGNATURE_DATE.match(line)
        if signature and signature["place"].strip().lower() not in HARI:
            if split.signature_date is None:
                split.signature_place = signature["place"].strip()
                split.signature_date = parse_date(signature["date"])
            stopped = True
            continue
        if _STOP.match(_plain(line)):
            stopped = True
            continue
        if stopped:
            split.ignored_lines += 1
            continue
        split.sections[current].append(line)
    return split


# --- fields -------------------------------------------------------------------------------------

# For each section: (field, label wordings); longer wordings are tried first.
FIELD_LABELS: dict[int, tuple[tuple[str, tuple[str, ...]], ...]] = {
    1: (
        ("tahapan", ("tahapan yang diawasi", "tahapan pemilihan", "tahapan pengawasan", "tahapan")),
        (
            "pelaksana_nama",
            ("nama pelaksana tugas pengawasan", "nama pelaksana", "nama pengawas", "pelaksana", "nama"),
        ),
        ("pelaksana_jabatan", ("jabatan",)),
        (
            "nomor_surat_tugas",
            (
                "nomor surat perintah tugas",
                "no surat perintah tugas",
                "nomor surat tugas",
                "no surat tugas",
                "surat perintah tugas",
                "surat tugas",
                "nomor spt",
                "no spt",
                "nomor st",
            ),
        ),
        ("pelaksana_alamat", ("alamat kantor", "alamat sekretariat", "alamat")),
    ),
    2: (
        ("kegiatan_bentuk", ("bentuk pengawasan", "bentuk kegiatan", "bentuk")),
        ("kegiatan_tujuan", ("tujuan pengawasan", "tujuan")),
        ("kegiatan_sasaran", ("sasaran pengawasan", "sasaran")),
        (
            "kegiatan_waktu_tempat",
            ("waktu dan tempat", "waktu tempat", "tempat dan waktu", "hari tanggal", "waktu", "tempat"),
        ),
    ),
    3: (),
    4: (
        ("pelanggaran_peristiwa", ("peristiwa",)),
        ("pelanggaran_tempat", ("tempat kejadian", "tempat")),
        ("pelanggaran_waktu", ("waktu kejadian", "hari tanggal kejadian", "waktu")),
        ("pelaku_alamat", ("alamat pelaku", "alamat terlapor", "alamat")),
        ("pelaku_nama", ("nama pelaku", "pelaku dan alamat", "pelaku", "nama terlapor", "terlapor")),
        ("saksi", ("saksi saksi", "nama saksi", "saksi")),
        ("alat_bukti", ("alat bukti", "barang bukti", "bukti")),
        (
            "pelanggaran_uraian",
            ("uraian singkat dugaan pelanggaran", "uraian dugaan pelanggaran", "uraian singkat", "uraian"),
        ),
    ),
    5: (
        ("sengketa_peristiwa", ("peristiwa",)),
        ("sengketa_tempat", ("tempat kejadian", "tempat")),
        ("sengketa_waktu", ("waktu kejadian", "waktu")),
        ("sengketa_pihak", ("pihak yang terlibat", "para pihak", "pihak pihak", "pihak")),
        (
            "sengketa_uraian",
            ("uraian singkat potensi sengketa", "uraian potensi sengketa", "uraian singkat", "uraian"),
        ),
    ),
}
# Where text without a label goes.
FREE_TEXT_FIELD = {2: "kegiatan_bentuk", 3: "uraian", 4: "pelanggaran_uraian", 5: "sengketa_uraian"}
_ENUMERATOR = re.compile(r"^(?:\d{1,2}|[a-hA-H])\s*[.)]\s*")
_ENUMERATOR_ONLY = re.compile(r"^(?:\d{1,2}|[a-hA-H])\s*[.)]?\s*:?$")


def _label_of(line: str, section: int) -> tuple[str, str] | None:
    """(field, value on the same line) when ``line`` starts with a label of ``section``."""
    labels = FIELD_LABELS.get(section, ())
    if not labels:
        return None
    body = _ENUMERATOR.sub("", line, count=1)
    enumerated = body != line
    label_part, colon, value = body.partition(":")
    plain = _plain(label_part)
    if not plain or len(plain.split()) > 7:
        return None
    candidates = sorted(((w, f) for f, words in labels for w in words), key=lambda x: -len(x[0]))
    for wording, field_name in candidates:
        if plain == wording or (plain.startswith(wording + " ") and (colon or enumerated)):
            if colon:
                return field_name, value.strip()
            # No colon: the value, if any, follows the label's words on the same line.
            label = re.match(
                r"[^A-Za-z0-9]*"
                + r"[^A-Za-z0-9]+".join(map(re.escape, wording.split()))
                + r"(?![A-Za-z0-9])",
                body,
                re.IGNORECASE,
            )
            return field_name, body[label.end() :].strip(" \t:") if label else ""
    return None


def _join_lines(lines: Sequence[str]) -> str:
    """Undo the line wrapping of a PDF: lines joined by spaces, paragraphs kept after a full stop."""
    out = ""
    for line in lines:
        line = line.lstrip(":").strip()
        if not line:
            continue
        if not out:
            out = line
        elif _ENUMERATOR.match(line) or (out.endswith((".", "!", "?", ";")) and line[0].isupper()):
            out += "\n" + line
        else:
            out += " " + line
    return out.strip()


def section_fields(section: int, lines: Sequence[str]) -> dict[str, str]:
    values: dict[str, list[str]] = {}
    current: str | None = None
    free: list[str] = []
    # A label without its colon may wrap onto the next lines ("Nama Pelaksana Tugas" / "Pengawasan"
    # / ": Siti"): lines are held until a line starting with ":" shows they were the label's words.
    held: list[str] = []
    for line in lines:
        if _ENUMERATOR_ONLY.match(line):
            continue  # the number of a table row, its label on the next line
        labelled = _label_of(line, section)
        if labelled is not None:
            if current is not None:
                values[current].extend(held[1:])
            held = []
            current, value = labelled
            if values.get(current):
                values[current].append(";")  # "Waktu" and "Tempat" both into one field
            values.setdefault(current, [])
            if value:
                values[current].append(value)
            elif ":" not in line:
                held = [""]  # marks "label seen, its colon not yet"
            continue
        if held:
            if line.startswith(":"):
                held = []
                values[current or ""].append(line)
            elif len(held) < 3:
                held.append(line)
            else:
                values[current or ""].extend([*held[1:], line])
                held = []
            continue
        (values[current] if current is not None else free).append(line)
    if current is not None and held:
        values[current].extend(held[1:])
    out = {name: _join_lines(parts).replace(" ;", ";").strip(" ;") for name, parts in values.items()}
    if free and section in FREE_TEXT_FIELD:
        target = FREE_TEXT_FIELD[section]
        joined = _join_lines(free)
        out[target] = (joined + "\n" + out[target]).strip() if out.get(target) else joined
    return {k: v for k, v in out.items() if v}


_NOMOR = re.compile(r"^(?:nomor|no)\s*\.?\s*:\s*(?P<number>\S.{2,90})$", re.IGNORECASE)


@dataclass
class ParsedFormA:
    fields: dict[str, str]
    found: list[int]
    missing: list[int]
    number: str = ""
    tahapan: str = ""
    kegiatan_tanggal: dt.date | None = None
    report_date: dt.date | None = None
    place_signed: str = ""
    notes: list[str] = field(default_factory=list)


TAHAPAN_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("rekapitulasi", ("rekapitulasi",)),
    ("masa_tenang", ("masa tenang",)),
    ("pungut_hitung", ("pemungutan", "penghitungan", "pungut hitung", "pencoblosan", "hari pemungutan")),
    ("kampanye", ("kampanye",)),
    ("pencalonan", ("pencalonan", "pendaftaran calon", "pendaftaran pasangan calon", "verifikasi syarat")),
    (
        "pemutakhiran_data",
        ("pemutakhiran", "daftar pemilih", "coklit", "pencocokan dan penelitian", "dpt", "dps"),
    ),
)


def tahapan_of(text: str) -> str:
    plain = f" {_plain(text)} "
    for code, words in TAHAPAN_WORDS:
        if any(f" {w} " in plain for w in words):
            return code
    return ""


def parse_form_a(text: str) -> ParsedFormA:
    split = split_sections(text)
    fields: dict[str, str] = {}
    for number, lines in split.sections.items():
        fields.update(section_fields(number, lines))
    parsed = ParsedFormA(fields=fields, found=split.found, missing=split.missing)
    for line in split.preamble:
        if (match := _NOMOR.match(line)) and any(ch.isdigit() for ch in match["number"]):
            parsed.number = match["number"].strip()  # a blank "Nomor: ....." is no number
            break
    parsed.tahapan = tahapan_of(fields.get("tahapan", "")) if fields.get("tahapan") else ""
    parsed.report_date = split.signature_date
    parsed.place_signed = split.signature_place
    for source in ("kegiatan_waktu_tempat", "pelanggaran_waktu"):
        if fields.get(source) and (day := parse_date(fields[source])):
            parsed.kegiatan_tanggal = day
            break
    if split.ignored_lines:
        parsed.notes.append(f"{split.ignored_lines} baris setelah tanda tangan/lampiran diabaikan")
    return parsed


# --- dates --------------------------------------------------------------------------------------

_DATE_WORDS = re.compile(
    r"(?P<d>\d{1,2})\s*(?:-|\s)\s*(?P<m>[A-Za-z]{3,9})\.?\s*(?:-|\s)\s*(?P<y>\d{4})", re.IGNORECASE
)
_DATE_NUMERIC = re.compile(r"(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})[/.\-](?P<y>\d{4})")
_DATE_ISO = re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})")


def parse_date(text: str) -> dt.date | None:
    """The first date in ``text``: ``16 Oktober 2024``, ``16 Okt 2024``, ``16/10/2024``, ``2024-10-16``."""
    candidates: list[tuple[int, int, int, int]] = []  # (position, y, m, d)
    for match in _DATE_WORDS.finditer(text):
        name = match["m"].lower()
        month = BULAN.get(name) or BULAN_SHORT.get(name[:3])
        if month:
            candidates.append((match.start(), int(match["y"]), month, int(match["d"])))
    for pattern in (_DATE_ISO, _DATE_NUMERIC):
        for match in pattern.finditer(text):
            candidates.append((match.start(), int(match["y"]), int(match["m"]), int(match["d"])))
    for _, year, month, day in sorted(candidates):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    return None


# --- file names ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegionName:
    code: str
    name: str
    parent_code: str = ""


@dataclass
class FileNameLocation:
    kecamatan: str = ""  # Kemendagri codes
    desa: str = ""
    tps_number: int | None = None
    notes: list[str] = field(default_factory=list)


_TPS = re.compile(r"(?<![a-z0-9])tps[\s\-_.]*0*(?P<n>\d{1,3})(?![0-9])", re.IGNORECASE)
FUZZY_MIN = 90


def name_key(name: str) -> str:
    """Names compared without case, spaces, hyphens or dots: "Urek - Urek" and "urek-urek" agree."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _windows(words: Sequence[str], longest: int = 4) -> list[tuple[int, int, str]]:
    out = []
    for size in range(min(longest, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            key = name_key("".join(words[start : start + size]))
            if len(key) >= 3 and not key.isdigit():
                out.append((start, start + size, key))
    return out


def _best(
    windows: Sequence[tuple[int, int, str]], regions: Sequence[RegionName], *, taken: range | None = None
) -> tuple[tuple[int, int], list[RegionName]] | None:
    """The leftmost, longest window whose key is a region name exactly, else one fuzzy match."""
    by_key: dict[str, list[RegionName]] = {}
    for region in regions:
        by_key.setdefault(name_key(region.name), []).append(region)
    usable = [w for w in windows if taken is None or (w[1] <= taken.start or w[0] >= taken.stop)]
    exact = [(w[0], -(w[1] - w[0]), w) for w in usable if w[2] in by_key]
    if exact:
        window = min(exact)[2]
        return (window[0], window[1]), by_key[window[2]]
    from rapidfuzz import fuzz

    scored = []
    for start, stop, key in usable:
        if len(key) < 5:
            continue
        for region_key, found in by_key.items():
            score = fuzz.ratio(key, region_key)
            if score >= FUZZY_MIN:
                scored.append((score, start, stop, region_key, found))
    if not scored:
        return None
    scored.sort(key=lambda s: (-s[0], s[1]))
    top = scored[0]
    if len({s[3] for s in scored if s[0] == top[0]}) > 1:
        return None  # two names equally close: do not guess
    return (top[1], top[2]), top[4]


def parse_filename(
    name: str, kecamatan: Sequence[RegionName], desa: Sequence[RegionName]
) -> FileNameLocation:
    """Kecamatan, desa and TPS from a name like ``LHP_Gondanglegi_Putat Kidul_TPS01_2024.pdf``.

    TPS1, TPS01, TPS001 and "TPS 1" are the same TPS. Names are matched without case, spaces or
    hyphens; an unknown or ambiguous name is left out with a note.
    """
    stem = name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    if "." in stem:
        stem = stem.rsplit(".", 1)[0]
    location = FileNameLocation()
    tps = _TPS.search(stem)
    if tps:
        location.tps_number = int(tps["n"]) or None
        stem = stem[: tps.start()] + "_" + stem[tps.end() :]
    words = [w for w in re.split(r"[_\s]+", stem) if w]
    windows = _windows(words)

    taken: range | None = None
    found_kecamatan = _best(windows, kecamatan)
    if found_kecamatan is not None:
        (start, stop), regions = found_kecamatan
        location.kecamatan = regions[0].code
        taken = range(start, stop)
    pool = [d for d in desa if not location.kecamatan or d.parent_code == location.kecamatan]
    found_desa = _best(windows, pool, taken=taken)
    if found_desa is not None:
        _, regions = found_desa
        if len(regions) == 1:
            location.desa = regions[0].code
            location.kecamatan = location.kecamatan or regions[0].parent_code
        else:
            location.notes.append(
                f"nama desa “{regions[0].name}” ada di beberapa kecamatan; "
                "sebutkan kecamatannya di nama berkas"
            )
    elif location.kecamatan:
        # A desa named in the file but not in this kecamatan is worth saying.
        elsewhere = _best(windows, desa, taken=taken)
        if elsewhere is not None and len(elsewhere[1]) == 1 and len(words) > 1:
            location.notes.append(f"desa “{elsewhere[1][0].name}” tidak berada di kecamatan yang disebut")
    if not location.kecamatan and not location.desa:
        location.notes.append("nama berkas tidak menyebut kecamatan atau desa yang dikenal")
    return location
