"""The case list as an Excel workbook (openpyxl, write-only), with the same filters as the page.

The pelapor's columns are added only for the roles that handle cases (UU 27/2022); for the other
roles the tracking code of a laporan or an informasi awal is left empty (it is the pelapor's key
to the tracking page). Rows are read as plain values in one query (no model objects). One
request stops at ``EXPORT_LIMIT`` rows and the second sheet says so, with the filters and the
time of the export: openpyxl writes a few thousand rows a second and a web worker has about 30
seconds, so a spreadsheet of a whole province is a job for a report, not a page. Text a
spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``) is stored as text, without the
control characters a workbook cannot hold.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from awas.cases.formatting import local
from awas.cases.models import Case, CaseKind, CaseStatus
from awas.cases.permissions import tracking_code_shown
from awas.core.roles import Level
from awas.core.spreadsheets import cell_value

EXPORT_LIMIT = 10_000

# (title in the sheet, value path); the workbook is in Indonesian like the office's reports.
COLUMNS = [
    ("Kode pelacakan", "tracking_code"),
    ("Nomor registrasi", "registration_number"),
    ("Jenis", "kind"),
    ("Status", "status"),
    ("Diterima (WIB)", "received_at"),
    ("Kecamatan", "kecamatan"),
    ("Desa/kelurahan", "desa"),
    ("Peristiwa", "title"),
    ("Tanggal kejadian", "event_date"),
    ("Terlapor", "terlapor_name"),
    ("Jabatan terlapor", "terlapor_position"),
    ("Batas kelengkapan", "completion_due"),
    ("Batas putusan", "decision_due"),
]
PELAPOR_COLUMNS = [
    ("Pelapor", "reporter__name"),
    ("Telepon pelapor", "reporter__phone"),
    ("E-mail pelapor", "reporter__email"),
    ("Alamat pelapor", "reporter__address"),
]
FIELDS = [
    "tracking_code",
    "registration_number",
    "kind",
    "status",
    "received_at",
    "region__name",
    "region__level",
    "region__parent__name",
    "title",
    "event_date",
    "terlapor_name",
    "terlapor_position",
    "completion_due",
    "decision_due",
]


@dataclass(frozen=True)
class Export:
    content: bytes
    rows: int
    truncated: bool


def cases_workbook(cases: QuerySet[Case], *, personal: bool, filters: Mapping[str, str]) -> Export:
    """Write ``cases`` (already scoped and filtered) to an .xlsx; pelapor columns if ``personal``."""
    from openpyxl import Workbook

    columns = COLUMNS + (PELAPOR_COLUMNS if personal else [])
    fields = FIELDS + ([path for _title, path in PELAPOR_COLUMNS] if personal else [])
    kinds, statuses = dict(CaseKind.choices), dict(CaseStatus.choices)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Perkara")
    sheet.append([title for title, _path in columns])
    rows = 0
    truncated = False
    for values in cases.values(*fields)[: EXPORT_LIMIT + 1].iterator(chunk_size=2000):
        if rows == EXPORT_LIMIT:
            truncated = True
            break
        is_desa = values["region__level"] == Level.DESA
        if not tracking_code_shown(handles=personal, kind=values["kind"]):
            values["tracking_code"] = None  # the pelapor's key to the tracking page
        values["kind"] = str(kinds.get(values["kind"], values["kind"]))
        values["status"] = str(statuses.get(values["status"], values["status"]))
        values["received_at"] = local(values["received_at"]).replace(tzinfo=None)
        values["kecamatan"] = str(
            (values["region__parent__name"] if is_desa else values["region__name"]) or ""
        ).title()
        values["desa"] = str(values["region__name"]).title() if is_desa else ""
        sheet.append([cell_value(values.get(path)) for _title, path in columns])
        rows += 1
    about = workbook.create_sheet("Keterangan")
    about.append(["Diekspor (WIB)", local(timezone.now()).replace(tzinfo=None)])
    about.append(["Jumlah baris", rows])
    about.append(["Filter", ", ".join(f"{k}={v}" for k, v in filters.items()) or "-"])
    about.append(["Data pelapor", "ya" if personal else "tidak (peran tanpa akses data pribadi)"])
    if truncated:
        about.append(["Terpotong", f"hanya {EXPORT_LIMIT} baris pertama; persempit filter"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return Export(buffer.getvalue(), rows, truncated)
