"""Excel workbooks from lists, and the rule every cell written by Awas follows (``cell_value``):
text without the characters a workbook cannot hold (``awas.core.text``), and never run as a
formula (``=``, ``+``, ``-``, ``@``: formula injection). Such text is written as it reads, as a
text cell with Excel's quote prefix (the hidden apostrophe): shown without a visible quote, never
evaluated, and still text after someone edits it."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from awas.core.text import printable

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A phone number or a signed number (+62 812-3456, -5) starts like a formula but cannot run as one.
NUMBER_LIKE = re.compile(r"[+-][0-9 ().,-]*")


def cell_value(value: Any, sheet: Any) -> Any:
    """A value for a row of ``sheet`` (openpyxl, normal or write-only): text printable, and text
    that starts like a formula as a quote-prefixed text cell; other values as they are."""
    if not isinstance(value, str):
        return value
    value = printable(value)
    if not value.startswith(FORMULA_START) or NUMBER_LIKE.fullmatch(value):
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet)
    cell.value = value  # openpyxl takes "=…" for a formula here: typed back to text just below
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def sheet_title(title: str, used: set[str]) -> str:
    """A sheet name Excel accepts (31 characters, none of ``[]:*?/\\``), unique in the workbook."""
    name = re.sub(r"[\[\]:*?/\\]", " ", printable(title))[:31].strip() or "Data"
    base, n = name, 2
    while name in used:
        name = f"{base[:28]} {n}"
        n += 1
    used.add(name)
    return name


class TableLike(Protocol):
    @property
    def title(self) -> str: ...
    @property
    def columns(self) -> Sequence[str]: ...
    @property
    def rows(self) -> Sequence[Sequence[Any]]: ...


def xlsx_tables(tables: Sequence[TableLike], *, text: Callable[[Any], str], heading: str = "") -> bytes:
    """One sheet per table: an optional heading and the table's title (with its ``note``, if it has
    one), the column names in bold, then the rows. Numbers and dates stay numbers and dates (so
    they sort and add up); anything else is written as ``text`` gives it."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for table in tables:
        sheet = workbook.create_sheet(sheet_title(table.title, used))
        first = 1
        if heading:
            note = getattr(table, "note", "")
            sheet.append([cell_value(heading, sheet)])
            sheet.append([cell_value(table.title + (f" — {note}" if note else ""), sheet)])
            sheet["A1"].font = Font(bold=True)
            first = 3
        sheet.append([cell_value(str(c), sheet) for c in table.columns])
        for cell in sheet[first]:
            cell.font = Font(bold=True)
        widths = [len(str(c)) for c in table.columns]
        for row in table.rows:
            values = [v if is_number(v) or isinstance(v, dt.date) else printable(text(v)) for v in row]
            sheet.append([cell_value(value, sheet) for value in values])
            for i, value in enumerate(values[: len(widths)]):
                widths[i] = max(widths[i], min(60, len(text(value))))
        for i, width in enumerate(widths, start=1):
            letter = get_column_letter(i)
            sheet.column_dimensions[letter].width = width + 2
            for cell in sheet[letter][first:]:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "DD-MM-YYYY"
        sheet.freeze_panes = sheet.cell(row=first + 1, column=1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
