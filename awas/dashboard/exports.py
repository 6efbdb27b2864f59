"""Excel (openpyxl) and PDF (WeasyPrint) files of the dashboard's lists, the public figures and the
monthly report.

A list is first a ``Table`` (built in ``awas.dashboard.panels``, which decides what the user may
see); the writers here only lay tables and charts out. PDFs are made from inline HTML and SVG and
never fetch anything: WeasyPrint is given a URL fetcher that refuses every request.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import formats
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from awas.core.spreadsheets import is_number, xlsx_tables

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("xlsx", "pdf")
# A printed list stops here (WeasyPrint lays out some hundred table rows a second); the Excel file
# always holds every row.
PDF_ROW_LIMIT = 200


@dataclass(frozen=True)
class Table:
    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[Any]]
    note: str = ""
    links: Sequence[str] = ()  # on the page only: a URL for the first cell of each row ("" for none)

    @property
    def cells(self) -> list[list[dict[str, Any]]]:
        return [[{"text": text_of(v), "num": is_number(v)} for v in row] for row in self.rows]

    @property
    def linked_rows(self) -> list[dict[str, Any]]:
        """Rows for the page: cells plus the link of the first cell."""
        links = list(self.links) + [""] * (len(self.rows) - len(self.links))
        return [{"link": link, "cells": cells} for link, cells in zip(links, self.cells, strict=False)]


@dataclass(frozen=True)
class Section:
    """One panel: a heading, its pictures, the tables of their numbers, and lists of records.

    On the page the tables stand beside the pictures (``screen_tables`` instead, when a shorter
    version fits there better) and the lists run across the whole width below; the files hold
    ``tables`` and ``lists``.
    """

    title: str
    charts: Sequence[SafeString] = ()
    tables: Sequence[Table] = ()
    note: str = ""
    key: str = ""
    lists: Sequence[Table] = ()
    screen_tables: Sequence[Table] = ()

    @property
    def all_tables(self) -> list[Table]:
        return [*self.tables, *self.lists]

    @property
    def page_tables(self) -> Sequence[Table]:
        return self.screen_tables or self.tables


def text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, float):
        return formats.number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)
    if isinstance(value, int):
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    return str(value)


def xlsx_bytes(tables: Sequence[Table], *, heading: str = "") -> bytes:
    """One sheet per table: an optional heading line, the column names in bold, then the rows."""
    return xlsx_tables(tables, text=text_of, heading=heading)


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"the PDF fetches nothing: {url}")


def pdf_from_html(html: str) -> bytes:
    from weasyprint import HTML  # slow to import; only the PDFs need it

    return bytes(HTML(string=html, url_fetcher=_refuse_fetch).write_pdf())


def _printable(table: Table) -> Table:
    if len(table.rows) <= PDF_ROW_LIMIT:
        return table
    note = _("The first %(shown)s of %(total)s rows; the Excel file holds them all.") % {
        "shown": PDF_ROW_LIMIT,
        "total": formats.number_format(len(table.rows), use_l10n=True, force_grouping=True),
    }
    return replace(table, rows=table.rows[:PDF_ROW_LIMIT], note=f"{table.note} {note}".strip())


def pdf_bytes(
    *, title: str, subtitle: str, sections: Sequence[Section], heading_lines: Sequence[str] = ()
) -> bytes:
    sections = [
        replace(s, tables=[_printable(t) for t in s.tables], lists=[_printable(t) for t in s.lists])
        for s in sections
    ]
    html = render_to_string(
        "dashboard/export_pdf.html",
        {"title": title, "subtitle": subtitle, "sections": sections, "heading_lines": heading_lines},
    )
    return pdf_from_html(html)


def attachment(content: bytes, *, fmt: str, stem: str) -> HttpResponse:
    content_type = "application/pdf" if fmt == "pdf" else XLSX
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response
