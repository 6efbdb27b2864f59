"""Reading an ASN roster file and checking every row, without touching the register.

A roster is an Excel workbook (.xlsx, first sheet) or a CSV file (UTF-8, with or without BOM, or
Windows-1252 as older Excel saves it; separated by commas or semicolons, as Indonesian Excel
writes it). The first non-empty row names the columns; the names below are recognised in any
case, with spaces, dots or underscores:

==========  ==========================================================================  ========
column      also written                                                                needed
==========  ==========================================================================  ========
nama        name, nama lengkap, nama pegawai                                            yes
nip         nip baru, nomor induk pegawai                                               ASN rows
instansi    opd, instansi/opd, perangkat daerah, unit organisasi                        no
jabatan     position                                                                    no
unit        unit kerja, satuan kerja                                                    no
kecamatan   kec, kode kecamatan: a name (fuzzy-matched) or a Kemendagri code            no
desa        kelurahan, desa/kelurahan: a name within the kecamatan                      no
jenis       kind, kategori: asn/pns/pppk, kepala desa/kades, perangkat desa, lainnya    no
==========  ==========================================================================  ========

Each data row keeps the line number people see (the CSV line, the Excel row), so that every
problem is reported as "line 7: …". ``rows_check`` collects every problem of every row; the
service stores nothing unless there are none (all or nothing).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from awas.asn.models import PersonKind
from awas.asn.nip import NipError, NipInfo, nip_clean, nip_parse

MAX_ROWS = 50_000
MAX_TEXT = 200

COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "nama": ("nama", "name", "nama lengkap", "nama pegawai"),
    "nip": ("nip", "nip baru", "nomor induk pegawai"),
    "instansi": ("instansi", "opd", "instansi/opd", "instansi opd", "perangkat daerah", "unit organisasi"),
    "jabatan": ("jabatan", "position"),
    "unit": ("unit", "unit kerja", "satuan kerja"),
    "kecamatan": ("kecamatan", "kec", "kode kecamatan"),
    "desa": ("desa", "kelurahan", "desa/kelurahan", "desa kelurahan"),
    "jenis": ("jenis", "kind", "kategori"),
}
_ALIAS_TO_COLUMN = {alias: column for column, aliases in COLUMN_ALIASES.items() for alias in aliases}

KIND_WORDS: dict[str, str] = {
    "asn": PersonKind.ASN,
    "pns": PersonKind.ASN,
    "pppk": PersonKind.ASN,
    "kepala desa": PersonKind.KEPALA_DESA,
    "kades": PersonKind.KEPALA_DESA,
    "kepala_desa": PersonKind.KEPALA_DESA,
    "perangkat desa": PersonKind.PERANGKAT_DESA,
    "perangkat_desa": PersonKind.PERANGKAT_DESA,
    "lainnya": PersonKind.OTHER,
    "pejabat lain": PersonKind.OTHER,
    "pejabat lainnya": PersonKind.OTHER,
    "other": PersonKind.OTHER,
}


class RosterFileError(ValueError):
    """The file as a whole cannot be read: its format, encoding or header."""


@dataclass(frozen=True)
class RawRow:
    line: int
    cells: dict[str, Any]  # column name → the cell as read (str, int, float, date or None)


@dataclass(frozen=True)
class RowError:
    line: int
    message: str


# --- reading -----------------------------------------------------------------------------------


def _header_key(cell: Any) -> str:
    text = str(cell or "").strip().lower().replace("_", " ").replace(".", " ")
    return " ".join(text.split())


def _map_header(cells: Sequence[Any]) -> dict[int, str]:
    columns: dict[int, str] = {}
    for index, cell in enumerate(cells):
        column = _ALIAS_TO_COLUMN.get(_header_key(cell)) or _ALIAS_TO_COLUMN.get(
            _header_key(cell).replace(" / ", "/")
        )
        if column and column not in columns.values():
            columns[index] = column
    if "nama" not in columns.values():
        raise RosterFileError(_("The first row must name the columns; a column 'nama' is needed."))
    return columns


def _blank(cells: Sequence[Any]) -> bool:
    return all(cell is None or str(cell).strip() == "" for cell in cells)


def _rows(numbered: Iterable[tuple[int, Sequence[Any]]]) -> list[RawRow]:
    columns: dict[int, str] | None = None
    rows: list[RawRow] = []
    for line, cells in numbered:
        if _blank(cells):
            continue
        if columns is None:
            columns = _map_header(cells)
            continue
        rows.append(RawRow(line, {name: cells[i] if i < len(cells) else None for i, name in columns.items()}))
        if len(rows) > MAX_ROWS:
            raise RosterFileError(_("More than %(max)d rows: split the file.") % {"max": MAX_ROWS})
    if columns is None:
        raise RosterFileError(_("The file is empty."))
    return rows


def decode_text(data: bytes) -> str:
    """UTF-8 (a BOM is dropped), else Windows-1252 (Excel's "CSV" on Indonesian Windows)."""
    if b"\x00" in data:  # no text a database keeps: usually UTF-16 saved without its byte mark
        raise RosterFileError(_("The file contains NUL characters: save it as CSV UTF-8 (not UTF-16)."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise RosterFileError(_("The file is neither UTF-8 nor Windows-1252 text.")) from error


def _delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv(data: bytes) -> list[RawRow]:
    text = decode_text(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))

    def numbered() -> Iterable[tuple[int, list[str]]]:
        while True:
            line = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise RosterFileError(
                    _("Line %(line)d cannot be read: %(error)s") % {"line": line, "error": error}
                ) from error
            yield line, cells

    return _rows(numbered())


def read_xlsx(data: bytes) -> list[RawRow]:
    from openpyxl import load_workbook  # imported here: only imports need it

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged or foreign file
        raise RosterFileError(_("The file is not a readable Excel workbook (.xlsx).")) from error
    try:
        sheet = workbook.worksheets[0]
        return _rows(enumerate(sheet.iter_rows(values_only=True), start=1))
    finally:
        workbook.close()


def read_roster(data: bytes, file_name: str) -> list[RawRow]:
    """The data rows of a roster file, with their line numbers."""
    name = file_name.lower()
    if name.endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        return read_xlsx(data)
    if name.endswith((".csv", ".txt")):
        return read_csv(data)
    if name.endswith(".xls"):
        raise RosterFileError(_("The old Excel format (.xls) is not read: save the file as .xlsx or CSV."))
    raise RosterFileError(_("Unknown file type: upload an Excel workbook (.xlsx) or a CSV file."))


# --- places ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    code: str
    name: str


PLACE_PREFIX = re.compile(r"^(kecamatan|kec|desa|ds|kelurahan|kel)\b\.?\s*", re.IGNORECASE)
CODE_PATTERN = re.compile(r"^\d{2}\.?\d{2}\.?\d{2}(\.?\d{4})?$")


def place_key(text: str) -> str:
    """``Kec. Karang Ploso`` → ``karangploso``: no prefix, case, spaces or punctuation."""
    text = PLACE_PREFIX.sub("", text.strip())
    return re.sub(r"[^0-9a-z]", "", text.lower())


def dotted_code(text: str) -> str:
    digits = text.replace(".", "")
    parts = [digits[0:2], digits[2:4], digits[4:6]] + ([digits[6:10]] if len(digits) > 6 else [])
    return ".".join(parts)


@dataclass(frozen=True)
class PlaceMatch:
    place: Place | None
    problem: str = ""


class PlaceMatcher:
    """Finds a kecamatan (or desa) by code or by a name as people type it.

    An exact match of the normalised name wins. Otherwise the closest name by edit similarity
    (rapidfuzz ``ratio`` on the normalised names) is taken when it scores at least ``threshold``
    and no other name comes within ``margin`` points of it; else the value is reported as
    unknown (with the nearest name) or ambiguous (with the candidates).
    """

    def __init__(self, places: Iterable[Place], *, threshold: float = 80, margin: float = 6) -> None:
        self.places = list(places)
        self.by_code = {p.code: p for p in self.places}
        self.by_key: dict[str, list[Place]] = {}
        for place in self.places:
            self.by_key.setdefault(place_key(place.name), []).append(place)
        self.threshold = threshold
        self.margin = margin

    def match(self, text: str, what: str) -> PlaceMatch:
        text = str(text).strip()
        if CODE_PATTERN.match(text):
            place = self.by_code.get(dotted_code(text))
            if place is None:
                return PlaceMatch(
                    None, _("%(what)s code %(code)s is not in this kabupaten.") % {"what": what, "code": text}
                )
            return PlaceMatch(place)
        key = place_key(text)
        if not key:
            return PlaceMatch(None, _("%(what)s is empty.") % {"what": what})
        exact = self.by_key.get(key, [])
        if len(exact) == 1:
            return PlaceMatch(exact[0])
        if len(exact) > 1:
            names = ", ".join(f"{p.name} ({p.code})" for p in exact)
            return PlaceMatch(
                None,
                _("%(what)s '%(text)s' is ambiguous: %(names)s.")
                % {"what": what, "text": text, "names": names},
            )
        scored = process.extract(key, list(self.by_key), scorer=fuzz.ratio, limit=3)
        if not scored:
            return PlaceMatch(None, _("%(what)s '%(text)s' is unknown.") % {"what": what, "text": text})
        best_key, best_score, _index = scored[0]
        if best_score < self.threshold:
            nearest = self.by_key[best_key][0].name
            return PlaceMatch(
                None,
                _("%(what)s '%(text)s' is unknown (nearest: %(nearest)s).")
                % {"what": what, "text": text, "nearest": nearest},
            )
        close = [k for k, score, _i in scored if score >= self.threshold and best_score - score < self.margin]
        if len(close) > 1 or len(self.by_key[best_key]) > 1:
            names = ", ".join(p.name for k in close for p in self.by_key[k])
            return PlaceMatch(
                None,
                _("%(what)s '%(text)s' is ambiguous: %(names)s.")
                % {"what": what, "text": text, "names": names},
            )
        return PlaceMatch(self.by_key[best_key][0])


# --- checking rows -----------------------------------------------------------------------------


@dataclass
class RosterRow:
    """One row that passed every check, ready to be stored."""

    line: int
    kind: str
    name: str
    nip: NipInfo | None
    agency: str
    position: str
    unit: str
    region_code: str  # desa, kecamatan, or the kabupaten when no kecamatan is given


@dataclass
class CheckResult:
    rows: list[RosterRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return " ".join(str(value).split())


def _kind_of(value: Any, default: str) -> str | None:
    text = " ".join(str(value or "").strip().lower().replace("_", " ").split())
    if not text:
        return default
    return KIND_WORDS.get(text) or KIND_WORDS.get(text.replace(" ", "_"))


def name_key(name: str) -> str:
    return " ".join(name.lower().split())


def rows_check(
    raw_rows: Sequence[RawRow],
    *,
    kecamatan: PlaceMatcher,
    desa_by_kecamatan: dict[str, PlaceMatcher],
    kabupaten_code: str,
    default_kind: str,
    today: dt.date,
) -> CheckResult:
    """Check every row; the problems of all rows, or the rows ready to store when there are none."""
    result = CheckResult()
    nip_lines: dict[str, int] = {}
    person_lines: dict[tuple[str, str, str], int] = {}
    for raw in raw_rows:
        problems: list[str] = []
        cells = raw.cells
        name = cell_text(cells.get("nama"))
        if not name:
            problems.append(_("the name (nama) is empty."))
        kind = _kind_of(cells.get("jenis"), default_kind)
        if kind is None:
            problems.append(_("unknown kind (jenis) '%(value)s'.") % {"value": cell_text(cells.get("jenis"))})

        nip_info: NipInfo | None = None
        nip_cell = cells.get("nip")
        if isinstance(nip_cell, float):
            problems.append(
                _(
                    "the NIP is stored as a number, so Excel kept only 15 digits; "
                    "format the column as Text and type it again."
                )
            )
        elif cell_text(nip_cell):
            try:
                nip_info = nip_parse(cell_text(nip_cell), today)
            except NipError as error:
                problems.extend(
                    _("NIP %(nip)s: %(reason)s") % {"nip": nip_clean(cell_text(nip_cell)), "reason": r}
                    for r in error.reasons
                )
        elif kind == PersonKind.ASN:
            problems.append(_("an ASN needs a NIP."))
        if nip_info is not None:
            first = nip_lines.setdefault(nip_info.nip, raw.line)
            if first != raw.line:
                problems.append(
                    _("NIP %(nip)s is also on line %(first)d.") % {"nip": nip_info.nip, "first": first}
                )

        region_code = kabupaten_code
        kecamatan_text = cell_text(cells.get("kecamatan"))
        desa_text = cell_text(cells.get("desa"))
        if kecamatan_text:
            found = kecamatan.match(kecamatan_text, _("Kecamatan"))
            if found.place is None:
                problems.append(found.problem)
            else:
                region_code = found.place.code
                if desa_text:
                    desa_matcher = desa_by_kecamatan.get(found.place.code)
                    desa = desa_matcher.match(desa_text, _("Desa")) if desa_matcher else PlaceMatch(None, "")
                    if desa.place is None:
                        problems.append(
                            desa.problem
                            or _("no desa is loaded for Kecamatan %(name)s.") % {"name": found.place.name}
                        )
                    else:
                        region_code = desa.place.code
        elif desa_text:
            problems.append(_("a desa needs its kecamatan."))

        texts = {key: cell_text(cells.get(key)) for key in ("instansi", "jabatan", "unit")}
        for key, value in (("nama", name), *texts.items()):
            if len(value) > MAX_TEXT:
                problems.append(
                    _("%(column)s is longer than %(max)d characters.") % {"column": key, "max": MAX_TEXT}
                )

        if nip_info is None and name and kind:
            person_key = (kind, name_key(name), region_code)
            first = person_lines.setdefault(person_key, raw.line)
            if first != raw.line:
                problems.append(
                    _("the same person (without NIP) is also on line %(first)d.") % {"first": first}
                )

        if problems:
            result.errors.extend(RowError(raw.line, p) for p in problems)
            continue
        assert kind is not None
        result.rows.append(
            RosterRow(
                line=raw.line,
                kind=kind,
                name=name,
                nip=nip_info,
                agency=texts["instansi"],
                position=texts["jabatan"],
                unit=texts["unit"],
                region_code=region_code,
            )
        )
    return result
