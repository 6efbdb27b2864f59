"""Excel files of the IKP app (openpyxl): the kejadian template and its reading, the framework
workbook (export and import) and the export of a score run.

Nothing here touches the database: services pass in what a workbook needs and store what comes out.
Column headers are part of the file format and stay the same whatever the screen language (they
are the short Indonesian words the office's own spreadsheets use); messages go through gettext.

Every problem found while reading is reported with its place (sheet and row as Excel numbers them),
all at once, so an officer can fix a file in one pass.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from awas.core.spreadsheets import cell_value

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="8B1E1E")
MAX_KEJADIAN_ROWS = 5000
TEMPLATE_ROWS = 500  # rows prepared with drop-down lists in the template


class WorkbookError(ValueError):
    """A workbook that cannot be read at all (not .xlsx, a sheet or column missing)."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


def _open(content: bytes) -> Any:
    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise WorkbookError([_("This is not an Excel workbook (.xlsx): %(error)s") % {"error": exc}]) from exc


def _header_key(value: Any) -> str:
    return re.sub(r"[\s\-]+", "_", str(value or "").strip().lower())


def _style_header(sheet: Any, widths: Sequence[int]) -> None:
    for col, width in enumerate(widths, start=1):
        cell = sheet.cell(row=1, column=col)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.freeze_panes = "A2"


def _save(workbook: Any) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _rows(sheet: Any) -> Iterable[tuple[int, tuple[Any, ...]]]:
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        yield number, tuple(row)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- kejadian: the template ----------------------------------------------------------------------

KEJADIAN_SHEET = "Kejadian"
KEJADIAN_COLUMNS = ("indikator", "kode_desa", "tanggal", "tahapan", "tingkat", "catatan")
KEJADIAN_REQUIRED = ("indikator", "kode_desa", "tanggal", "tahapan", "tingkat")
_ALIASES = {
    "no_indikator": "indikator",
    "nomor_indikator": "indikator",
    "kode": "kode_desa",
    "kode_wilayah": "kode_desa",
    "kode_desa/kelurahan": "kode_desa",
    "tgl": "tanggal",
    "tanggal_kejadian": "tanggal",
    "tingkat_kejadian": "tingkat",
    "keterangan": "catatan",
}


def kejadian_template(
    *,
    indicators: Sequence[tuple[int, str, str]],
    desa: Sequence[tuple[str, str, str]],
    tahapan: Sequence[tuple[str, str]],
    severity: Sequence[tuple[int, str]],
) -> bytes:
    """An empty kejadian workbook with drop-down lists.

    ``indicators``: (number, name, dimension); ``desa``: (code, name, kecamatan); ``tahapan``:
    (code, label); ``severity``: (level, name).
    """
    wb = Workbook()
    sheet = wb.active
    sheet.title = KEJADIAN_SHEET
    sheet.append(list(KEJADIAN_COLUMNS))
    _style_header(sheet, [11, 17, 13, 20, 9, 60])
    for row in range(2, TEMPLATE_ROWS + 2):
        sheet.cell(row=row, column=3).number_format = "DD-MM-YYYY"

    lists: dict[str, tuple[list[str], list[list[Any]], list[int]]] = {
        "Indikator": (["nomor", "indikator", "dimensi"], [list(i) for i in indicators], [8, 90, 30]),
        "Desa": (["kode_desa", "desa/kelurahan", "kecamatan"], [list(d) for d in desa], [16, 30, 25]),
        "Tahapan": (["tahapan", "keterangan"], [list(t) for t in tahapan], [20, 30]),
        "Tingkat": (["tingkat", "keterangan"], [list(s) for s in severity], [9, 20]),
    }
    for title, (header, rows, widths) in lists.items():
        ws = wb.create_sheet(title)
        ws.append(header)
        for row_values in rows:
            ws.append(row_values)
        _style_header(ws, widths)

    last = TEMPLATE_ROWS + 1

    def validation(
        column: str, formula: str, prompt: str, *, style: str = "stop", kind: str = "list"
    ) -> None:
        rule = DataValidation(
            type=kind, formula1=formula, allow_blank=True, showErrorMessage=True, errorStyle=style
        )
        rule.promptTitle = column
        rule.prompt = prompt
        rule.showInputMessage = True
        sheet.add_data_validation(rule)
        index = KEJADIAN_COLUMNS.index(column) + 1
        rule.add(f"{get_column_letter(index)}2:{get_column_letter(index)}{last}")

    validation(
        "indikator",
        f"=Indikator!$A$2:$A${len(indicators) + 1}",
        _("IKP indicator number (see the Indikator sheet)"),
    )
    # A warning only: codes written without dots (3507102001) are accepted too.
    validation(
        "kode_desa",
        f"=Desa!$A$2:$A${max(len(desa), 1) + 1}",
        _("Kemendagri code of the desa/kelurahan (see the Desa sheet)"),
        style="warning",
    )
    validation("tahapan", f"=Tahapan!$A$2:$A${len(tahapan) + 1}", _("Stage of the election"))
    validation(
        "tingkat",
        '"' + ",".join(str(level) for level, _name in severity) + '"',
        _("Severity level: 1 low, 2 medium, 3 high"),
    )
    date_rule = DataValidation(
        type="date",
        operator="greaterThan",
        formula1="DATE(2000,1,1)",
        allow_blank=True,
        showErrorMessage=True,
    )
    date_rule.prompt = _("Date of the incident (day-month-year)")
    date_rule.showInputMessage = True
    sheet.add_data_validation(date_rule)
    date_rule.add(f"C2:C{last}")

    notes = wb.create_sheet("Petunjuk")
    for line in (
        _("Kejadian (IKP incidents): one row per incident in one desa/kelurahan on one day."),
        _("indikator: the IKP indicator number, 1-61 (sheet Indikator)."),
        _("kode_desa: the Kemendagri code of the desa/kelurahan, e.g. 35.07.10.2001 (sheet Desa)."),
        _("tanggal: the date of the incident."),
        _("tahapan: the stage of the election (sheet Tahapan)."),
        _("tingkat: the severity level, 1 (low), 2 (medium) or 3 (high)."),
        _("catatan: a short description (optional)."),
        _("The file is imported only when every row is valid; otherwise every problem is listed."),
    ):
        notes.append([line])
    notes.column_dimensions["A"].width = 110
    return _save(wb)


# --- kejadian: reading ---------------------------------------------------------------------------


@dataclass
class RawRow:
    line: int  # the row number as Excel shows it
    values: dict[str, Any]


def kejadian_rows(content: bytes) -> list[RawRow]:
    """The non-empty data rows of a kejadian workbook, each with its Excel row number."""
    wb = _open(content)
    try:
        sheet = wb[KEJADIAN_SHEET] if KEJADIAN_SHEET in wb.sheetnames else wb.worksheets[0]
        columns: dict[str, int] | None = None
        rows: list[RawRow] = []
        for number, row in _rows(sheet):
            if columns is None:
                keys = [_ALIASES.get(_header_key(v), _header_key(v)) for v in row]
                if "indikator" in keys:
                    columns = {
                        key: i for i, key in reversed(list(enumerate(keys))) if key in KEJADIAN_COLUMNS
                    }
                    missing = [c for c in KEJADIAN_REQUIRED if c not in columns]
                    if missing:
                        raise WorkbookError(
                            [
                                _("Row %(line)s: column(s) %(columns)s missing; expected %(expected)s.")
                                % {
                                    "line": number,
                                    "columns": ", ".join(missing),
                                    "expected": ", ".join(KEJADIAN_COLUMNS),
                                }
                            ]
                        )
                continue
            if all(_blank(v) for v in row):
                continue
            values = {key: (row[i] if i < len(row) else None) for key, i in columns.items()}
            rows.append(RawRow(number, values))
            if len(rows) > MAX_KEJADIAN_ROWS:
                raise WorkbookError(
                    [_("The file has more than %(max)s rows; split it.") % {"max": MAX_KEJADIAN_ROWS}]
                )
    finally:
        wb.close()
    if columns is None:
        raise WorkbookError(
            [
                _("No header row found: the first sheet needs the columns %(expected)s.")
                % {"expected": ", ".join(KEJADIAN_COLUMNS)}
            ]
        )
    return rows


def cell_integer(value: Any) -> int | None:
    """A whole number from a cell: 12, 12.0, "12", "12. Politik uang"; None when there is none."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str):
        match = re.match(r"^\s*(\d+)(?:\s*$|[\s.)\-])", value)
        return int(match.group(1)) if match else None
    return None


def cell_code(value: Any) -> str:
    """A Kemendagri code from a cell, dotted (35.07.10.2001) whether written with dots or not."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = re.sub(r"\s+", "", str(value if value is not None else ""))
    if re.fullmatch(r"\d{10}", text):
        return f"{text[:2]}.{text[2:4]}.{text[4:6]}.{text[6:]}"
    if re.fullmatch(r"\d{6}", text):
        return f"{text[:2]}.{text[2:4]}.{text[4:]}"
    return text


_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%y", "%d/%m/%y")


def cell_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 20000 < value < 80000:
        converted = from_excel(value)  # a date typed into a cell without a date format
        return converted.date() if isinstance(converted, dt.datetime) else None
    if isinstance(value, str):
        text = value.strip()
        for fmt in _DATE_FORMATS:
            try:
                return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date, no time
            except ValueError:
                continue
    return None


# --- frameworks ----------------------------------------------------------------------------------

FRAMEWORK_SHEETS = {
    "Kerangka": ("kunci", "nilai"),
    "Tingkat": ("kode", "nama", "tingkat", "bobot"),
    "Dimensi": ("nomor", "kode", "nama", "bobot"),
    "Subdimensi": ("dimensi", "nomor", "nama"),
    "Indikator": ("nomor", "dimensi", "subdimensi", "nama", "bobot"),
}
_SETTINGS = (
    ("format", ("format",)),
    ("code", ("code",)),
    ("name", ("name",)),
    ("version", ("version",)),
    ("description", ("description",)),
    ("normalisation", ("normalisation",)),
    ("category_method", ("category_rule", "method")),
    ("sd_multiplier", ("category_rule", "sd_multiplier")),
    ("cutoff_sedang", ("category_rule", "cutoffs", "sedang")),
    ("cutoff_tinggi", ("category_rule", "cutoffs", "tinggi")),
)
# Field names of the definition (YAML keys) and the columns that hold them.
_COLUMN_OF = {"number": "nomor", "code": "kode", "name": "nama", "weight": "bobot", "level": "tingkat"}


def framework_workbook(definition: dict[str, Any]) -> bytes:
    """A framework definition (the YAML layout) as a workbook, one sheet per part."""
    wb = Workbook()
    settings_sheet = wb.active
    settings_sheet.title = "Kerangka"
    settings_sheet.append(list(FRAMEWORK_SHEETS["Kerangka"]))
    for key, path in _SETTINGS:
        value: Any = definition
        for part in path:
            value = value[part]
        settings_sheet.append([key, value])
    _style_header(settings_sheet, [18, 90])

    def sheet(title: str, rows: Iterable[list[Any]], widths: list[int]) -> None:
        ws = wb.create_sheet(title)
        ws.append(list(FRAMEWORK_SHEETS[title]))
        for row in rows:
            ws.append(row)
        _style_header(ws, widths)

    sheet(
        "Tingkat",
        ([lv["code"], lv["name"], lv["level"], lv["weight"]] for lv in definition["severity_levels"]),
        [12, 20, 9, 9],
    )
    sheet(
        "Dimensi",
        ([d["number"], d["code"], d["name"], d["weight"]] for d in definition["dimensions"]),
        [8, 18, 40, 9],
    )
    sheet(
        "Subdimensi",
        ([d["number"], s["number"], s["name"]] for d in definition["dimensions"] for s in d["subdimensions"]),
        [8, 8, 40],
    )
    sheet(
        "Indikator",
        (
            [i["number"], d["number"], s["number"], i["name"], i["weight"]]
            for d in definition["dimensions"]
            for s in d["subdimensions"]
            for i in s["indicators"]
        ),
        [8, 8, 10, 90, 9],
    )
    return _save(wb)


@dataclass
class FrameworkSheets:
    """What ``framework_from_workbook`` read: the definition and where each part came from."""

    data: dict[str, Any]
    # definition path (``dimensions[2].subdimensions[1]``) -> (sheet, row)
    places: dict[str, tuple[str, int]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def place(self, path: str) -> str:
        """``Indikator, row 14, column bobot`` for ``dimensions[2]....indicators[3].weight``."""
        best = ""
        for known in self.places:
            if (path == known or path.startswith(known + ".")) and len(known) > len(best):
                best = known
        if not best:
            setting = next((key for key, parts in _SETTINGS if path == ".".join(parts)), None)
            if setting is not None and setting in self.places:
                sheet, row = self.places[setting]
                return _("sheet %(sheet)s, row %(row)s (%(key)s)") % {
                    "sheet": sheet,
                    "row": row,
                    "key": setting,
                }
            return path
        sheet, row = self.places[best]
        rest = path[len(best) :].lstrip(".")
        if rest in _COLUMN_OF:
            return _("sheet %(sheet)s, row %(row)s, column %(column)s") % {
                "sheet": sheet,
                "row": row,
                "column": _COLUMN_OF[rest],
            }
        return _("sheet %(sheet)s, row %(row)s") % {"sheet": sheet, "row": row}


def _cell_text(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def framework_from_workbook(content: bytes) -> FrameworkSheets:
    """A framework definition (not yet validated) from a workbook written by ``framework_workbook``.

    Structural problems (a sheet or column missing, a row pointing to a dimension or sub-dimension
    that is not there) are listed in ``errors`` with their sheet and row; field values are left
    for ``validate_definition``, whose messages ``FrameworkSheets.place`` turns into sheet and row.
    """
    wb = _open(content)
    out = FrameworkSheets(data={})
    try:
        tables: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        for title, columns in FRAMEWORK_SHEETS.items():
            if title not in wb.sheetnames:
                out.errors.append(_("The sheet '%(sheet)s' is missing.") % {"sheet": title})
                continue
            header: dict[str, int] | None = None
            rows: list[tuple[int, dict[str, Any]]] = []
            for number, row in _rows(wb[title]):
                if header is None:
                    keys = [_header_key(v) for v in row]
                    header = {key: i for i, key in enumerate(keys) if key in columns}
                    missing = [c for c in columns if c not in header]
                    if missing:
                        out.errors.append(
                            _("Sheet %(sheet)s: the column(s) %(columns)s are missing.")
                            % {"sheet": title, "columns": ", ".join(missing)}
                        )
                        break
                    continue
                if all(_blank(v) for v in row):
                    continue
                rows.append(
                    (number, {c: _cell_text(row[i]) if i < len(row) else None for c, i in header.items()})
                )
            tables[title] = rows
    finally:
        wb.close()
    if out.errors:
        return out

    data: dict[str, Any] = {"category_rule": {"cutoffs": {}}}
    known = {key: parts for key, parts in _SETTINGS}
    for number, cells in tables["Kerangka"]:
        key = str(cells["kunci"] or "")
        if key not in known:
            out.errors.append(
                _("sheet %(sheet)s, row %(row)s: unknown key '%(key)s'")
                % {"sheet": "Kerangka", "row": number, "key": key}
            )
            continue
        out.places[key] = ("Kerangka", number)
        target = data
        *parents, last = known[key]
        for part in parents:
            target = target.setdefault(part, {})
        value = cells["nilai"]
        target[last] = "" if value is None and key == "description" else value
    data.setdefault("description", "")

    levels = []
    for i, (number, cells) in enumerate(tables["Tingkat"], start=1):
        out.places[f"severity_levels[{i}]"] = ("Tingkat", number)
        levels.append(
            {
                "code": cells["kode"],
                "name": cells["nama"],
                "level": cells["tingkat"],
                "weight": cells["bobot"],
            }
        )
    data["severity_levels"] = levels

    dimensions: dict[Any, dict[str, Any]] = {}
    for d, (number, cells) in enumerate(tables["Dimensi"], start=1):
        out.places[f"dimensions[{d}]"] = ("Dimensi", number)
        dimensions[cells["nomor"]] = {
            "number": cells["nomor"],
            "code": cells["kode"],
            "name": cells["nama"],
            "weight": cells["bobot"],
            "subdimensions": [],
            "_path": f"dimensions[{d}]",
            "_subs": {},
        }
    for number, cells in tables["Subdimensi"]:
        dim = dimensions.get(cells["dimensi"])
        if dim is None:
            out.errors.append(
                _("sheet %(sheet)s, row %(row)s: there is no dimension %(n)s in sheet Dimensi")
                % {"sheet": "Subdimensi", "row": number, "n": cells["dimensi"]}
            )
            continue
        path = f"{dim['_path']}.subdimensions[{len(dim['subdimensions']) + 1}]"
        out.places[path] = ("Subdimensi", number)
        sub = {"number": cells["nomor"], "name": cells["nama"], "indicators": [], "_path": path}
        dim["subdimensions"].append(sub)
        dim["_subs"][cells["nomor"]] = sub
    for number, cells in tables["Indikator"]:
        dim = dimensions.get(cells["dimensi"])
        home = dim["_subs"].get(cells["subdimensi"]) if dim is not None else None
        if home is None:
            out.errors.append(
                _("sheet %(sheet)s, row %(row)s: there is no sub-dimension %(sub)s in dimension %(dim)s")
                % {"sheet": "Indikator", "row": number, "sub": cells["subdimensi"], "dim": cells["dimensi"]}
            )
            continue
        out.places[f"{home['_path']}.indicators[{len(home['indicators']) + 1}]"] = ("Indikator", number)
        home["indicators"].append({"number": cells["nomor"], "name": cells["nama"], "weight": cells["bobot"]})
    for dim in dimensions.values():
        dim.pop("_path")
        dim.pop("_subs")
        for sub in dim["subdimensions"]:
            sub.pop("_path")
    data["dimensions"] = list(dimensions.values())
    out.data = data
    return out


# --- score runs ----------------------------------------------------------------------------------


def scores_workbook(
    *,
    summary: Sequence[tuple[str, Any]],
    score_header: Sequence[str],
    score_rows: Iterable[Sequence[Any]],
    indicator_header: Sequence[str],
    indicator_rows: Iterable[Sequence[Any]],
    sensitivity_header: Sequence[str] = (),
    sensitivity_rows: Iterable[Sequence[Any]] = (),
) -> bytes:
    """All scores of a run: summary and parameters, scores per region, indicator values, sensitivity."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Ringkasan"
    for key, value in summary:
        ws.append([cell_value(key, ws), cell_value(value, ws)])
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 80
    for row in ws.iter_rows(min_col=1, max_col=1):
        for cell in row:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(vertical="top")

    def table(
        title: str, header: Sequence[str], rows: Iterable[Sequence[Any]], widths: dict[int, int]
    ) -> None:
        sheet = wb.create_sheet(title)
        sheet.append(list(header))
        for row in rows:
            sheet.append([cell_value(value, sheet) for value in row])
        _style_header(sheet, [widths.get(i, 12) for i in range(len(header))])

    table("Skor", score_header, score_rows, {1: 16, 2: 26, 5: 10})
    table("Nilai indikator", indicator_header, indicator_rows, {0: 16, 1: 26})
    if sensitivity_header:
        table("Sensitivitas", sensitivity_header, sensitivity_rows, {1: 16, 2: 26})
    return _save(wb)
