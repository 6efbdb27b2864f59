"""The case list as an Excel workbook (openpyxl, write-only), with the same filters as the page.

The pelapor's columns and the sanctions are added only for the roles that handle cases (UU 27/2022);
for the other roles the tracking code of a laporan or an informasi awal is left empty (it is the
pelapor's key to the tracking page), and a merged case names the case it was merged into by its
registration number, never by its tracking code. Rows are read as plain values in one query (no
model objects). One request stops at ``EXPORT_LIMIT`` rows and the second sheet says so, with the
filters and the time of the export: openpyxl writes a few thousand rows a second and a web worker
has about 30 seconds, so a spreadsheet of a whole province is a job for a report, not a page. Text a
spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``) is stored as text (quote-prefixed),
without the control characters a workbook cannot hold.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import F, OuterRef, Q, QuerySet, Subquery, When
from django.utils import timezone, translation

from awas.cases.formatting import local
from awas.cases.models import (
    Case,
    CaseKind,
    CaseStatus,
    DecisionOutcome,
    Referral,
    StatusChange,
    outcome_label,
)
from awas.cases.permissions import tracking_code_shown
from awas.cases.services.workflow import DECISION_CLOCK_RUNS, FINDING_CLOCK_RUNS, REVIEW_CLOCK_RUNS
from awas.core.models.deadlines import ElectionType
from awas.core.roles import Level
from awas.core.spreadsheets import cell_value

EXPORT_LIMIT = 10_000
DATE_FORMAT = "DD/MM/YYYY"  # as the office writes dates
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
# The election's name as the office writes it (the choice labels explain it in a parenthesis).
ELECTION_NAMES = {ElectionType.PILKADA: "Pilkada", ElectionType.PEMILU: "Pemilu"}

# (title in the sheet, value path, column width); the workbook is in Indonesian like the
# office's reports.
COLUMNS = [
    ("Kode pelacakan", "tracking_code", 16),
    ("Nomor registrasi", "registration_number", 30),
    # The record number the list and the case page name a case by (#12) when neither of the
    # others is shown: a PKD's laporan not yet registered has no other name in the sheet.
    ("Nomor catatan", "record_number", 10),
    ("Jenis", "kind", 14),
    ("Jenis pemilihan", "election_type", 12),
    ("Status", "status", 20),
    ("Digabung ke", "merged_into__registration_number", 30),
    ("Diterima (WIB)", "received_at", 17),
    ("Kecamatan", "kecamatan", 16),
    ("Desa/kelurahan", "desa", 18),
    ("Peristiwa", "title", 48),
    ("Tanggal kejadian", "event_date", 12),
    # An informasi awal whose sender did not know the day: roughly when, in their words (no date).
    ("Perkiraan waktu kejadian", "event_time_note", 24),
    # A laporan: the day it became known (starts the 7-day filing clock); a temuan: the day it was found.
    ("Tanggal diketahui/ditemukan", "known_date", 12),
    ("Terlapor", "terlapor_name", 24),
    ("Jabatan terlapor", "terlapor_position", 20),
    ("Batas kajian awal", "review_running_due", 12),
    ("Batas kelengkapan", "completion_running_due", 12),
    ("Batas penetapan temuan", "finding_running_due", 12),
    # The plenary that established a temuan (its registration), which its number and clocks follow.
    ("Tanggal penetapan temuan", "established_on", 12),
    # A Pemilu decision is counted from receipt *and registration* (UU 7/2017 Pasal 454 ayat (7)):
    # the day of registration, and whether the plenary took the extra time for more information
    # (ayat (8); Pilkada: UU 10/2016 Pasal 134 ayat (6)), say how "Batas putusan" was counted.
    ("Tanggal registrasi", "registered_on", 12),
    ("Batas putusan", "decision_running_due", 12),
    # A Pemilu laporan not yet registered: its decision date is counted from receipt for now and
    # again from the day of registration (Pasal 454 ayat (7)), as the case page says "sementara".
    ("Batas putusan sementara", "decision_provisional", 12),
    ("Batas putusan diperpanjang", "decision_extended", 12),
    ("Tanggal pleno", "decision__plenary_date", 12),
    ("Putusan pleno", "decision__outcome", 30),
    ("Diteruskan kepada", "referred_to", 30),
    ("Surat penerusan", "referral_letters", 30),
    # The earliest answer still awaited: past today, the follow-up is overdue.
    ("Jawaban ditunggu paling lambat", "answer_due", 14),
]
PELAPOR_COLUMNS = [
    ("Pelapor", "reporter__name", 24),
    ("Telepon pelapor", "reporter__phone", 16),
    ("E-mail pelapor", "reporter__email", 24),
    ("Alamat pelapor", "reporter__address", 36),
]
# For the roles that handle cases only, as on the case page: the sanction the body answered (it
# names the terlapor's punishment) and the pelapor's identity (UU 27/2022).
HANDLING_COLUMNS = [("Sanksi", "sanctions", 30), *PELAPOR_COLUMNS]
FIELDS = [
    "pk",
    "tracking_code",
    "registration_number",
    "kind",
    "election_type",
    "status",
    # The registration number only: never the tracking code of another case (another pelapor's
    # key); empty while the case it was merged into is not registered.
    "merged_into__registration_number",
    "received_at",
    "region__name",
    "region__level",
    "region__parent__name",
    "title",
    "event_date",
    "event_time_note",
    "known_date",
    "terlapor_name",
    "terlapor_position",
    "review_running_due",
    "completion_running_due",
    "finding_running_due",
    "established_on",
    "registered_at",
    "decision_running_due",
    "decision_extended",
    "decision__plenary_date",
    "decision__outcome",
]


@dataclass(frozen=True)
class Export:
    content: bytes
    rows: int
    truncated: bool


@dataclass
class _Referrals:
    bodies: list[str] = field(default_factory=list)
    letters: list[str] = field(default_factory=list)
    sanctions: list[str] = field(default_factory=list)
    answer_due: dt.date | None = None  # the earliest of the answers still awaited


def _referrals(case_pks: list[int]) -> dict[int, _Referrals]:
    """Per case: the bodies it was referred to, the letters and the sanctions they answered, in
    order, and when the first answer still awaited is due."""
    found: dict[int, _Referrals] = {}
    rows = Referral.objects.filter(case_id__in=case_pks).order_by("sent_on", "pk")
    fields = ("case_id", "body__name", "letter_number", "sanction", "responded_on", "follow_up_due")
    for case_pk, body, letter, sanction, responded_on, follow_up_due in rows.values_list(*fields):
        referrals = found.setdefault(case_pk, _Referrals())
        referrals.bodies.append(body)
        referrals.letters.append(letter)
        if sanction:
            referrals.sanctions.append(f"{body}: {sanction}")
        if responded_on is None and (referrals.answer_due is None or follow_up_due < referrals.answer_due):
            referrals.answer_due = follow_up_due
    return found


def _wib(moment: dt.datetime) -> dt.datetime:
    """Office time without a time zone (a workbook holds none), to the second: no microseconds."""
    return local(moment).replace(tzinfo=None, microsecond=0)


def _while(runs: Q, due: str) -> models.Case:
    return models.Case(When(runs, then=F(due)), default=None, output_field=models.DateField())


def decision_provisional(kind: str, election_type: str, values: dict[str, Any]) -> bool:
    """Whether the row's "Batas putusan" is for now only, as the case page marks it (detail.html,
    "sementara"): a Pemilu laporan not yet registered, whose decision is counted from receipt and
    registration (UU 7/2017 Pasal 454 ayat (7)); until registered, from receipt
    (``common._decision_clock_start``), and counted again on the day of registration."""
    return (
        values["decision_running_due"] is not None
        and kind == CaseKind.LAPORAN
        and election_type == ElectionType.PEMILU
        and not values["registration_number"]
    )


def area_name(user: Any) -> str:
    """The area a user's export covers, as the office writes it: "Kabupaten Malang", "Kecamatan
    Gondanglegi", "Putat Kidul, Kecamatan Gondanglegi", "TPS 001 Putat Kidul, Kecamatan
    Gondanglegi". A Panwascam's workbook forwarded to the office must not read as every case."""
    region = user.scope_region
    if region is None:
        return "-"
    if region.level <= Level.KABUPATEN:
        return str(region.display_name)
    name = str(region.name).title()
    if region.level == Level.KECAMATAN:
        return f"Kecamatan {name}"
    if region.parent is not None and region.parent.level == Level.KECAMATAN:
        name = f"{name}, Kecamatan {str(region.parent.name).title()}"
    if user.scope_tps is not None:
        name = f"TPS {user.scope_tps.number:03d} {name}"
    return name


def cases_workbook(cases: QuerySet[Case], *, personal: bool, filters: str, area: str = "-") -> Export:
    """Write ``cases`` (already scoped and filtered) to an .xlsx; pelapor columns if ``personal``.
    ``filters``: the filters as the page shows them, and ``area``: the user's area (``area_name``),
    written on the second sheet."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    columns = COLUMNS + (HANDLING_COLUMNS if personal else [])
    fields = FIELDS + ([path for _title, path, _width in PELAPOR_COLUMNS] if personal else [])
    # In Indonesian whatever the page's language, like the column titles and the office's reports.
    with translation.override("id"):
        kinds, statuses = (
            {value: str(label) for value, label in choices.choices} for choices in (CaseKind, CaseStatus)
        )
        # In its election law's words: "Tindak pidana Pemilu" under UU 7/2017.
        outcomes = {
            (outcome, election): outcome_label(outcome, election)
            for outcome in DecisionOutcome.values
            for election in ElectionType.values
        }
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Perkara")
    for index, (_title, _path, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.append([title for title, _path, _width in columns])

    def cell(value: Any) -> Any:
        if value == "":  # an empty cell, not an empty text: Excel's COUNTA and "(Blanks)" see it so
            return None
        if isinstance(value, dt.datetime | dt.date):
            dated = WriteOnlyCell(sheet, value)
            dated.number_format = DATETIME_FORMAT if isinstance(value, dt.datetime) else DATE_FORMAT
            return dated
        return cell_value(value, sheet)

    chunk: list[dict[str, Any]] = []
    rows = 0
    truncated = False

    def flush() -> None:
        referrals = _referrals([values["pk"] for values in chunk])
        for values in chunk:
            referred = referrals.get(values["pk"]) or _Referrals()
            values["referred_to"] = "; ".join(referred.bodies)
            values["referral_letters"] = "; ".join(referred.letters)
            values["answer_due"] = referred.answer_due
            values["sanctions"] = "; ".join(referred.sanctions)
            sheet.append([cell(values.get(path)) for _title, path, _width in columns])
        chunk.clear()

    # A deadline only while its clock runs (as on the case list): no stale due dates.
    cases = cases.annotate(
        review_running_due=_while(REVIEW_CLOCK_RUNS, "review_due"),
        completion_running_due=_while(Q(status=CaseStatus.INCOMPLETE), "completion_due"),
        finding_running_due=_while(FINDING_CLOCK_RUNS, "filing_due"),
        decision_running_due=_while(DECISION_CLOCK_RUNS, "decision_due"),
        registered_at=Subquery(
            StatusChange.objects.filter(case=OuterRef("pk"), to_status=CaseStatus.REGISTERED)
            .order_by("at")
            .values("at")[:1]
        ),
    )
    for values in cases.values(*fields)[: EXPORT_LIMIT + 1].iterator(chunk_size=2000):
        if rows == EXPORT_LIMIT:
            truncated = True
            break
        is_desa = values["region__level"] == Level.DESA
        values["decision_provisional"] = (
            "Ya" if decision_provisional(values["kind"], values["election_type"], values) else None
        )
        values["record_number"] = f"#{values['pk']}"
        if not tracking_code_shown(handles=personal, kind=values["kind"]):
            values["tracking_code"] = None  # the pelapor's key to the tracking page
        values["kind"] = str(kinds.get(values["kind"], values["kind"]))
        values["status"] = str(statuses.get(values["status"], values["status"]))
        values["decision__outcome"] = outcomes.get((values["decision__outcome"], values["election_type"]), "")
        values["election_type"] = ELECTION_NAMES.get(values["election_type"], values["election_type"])
        values["received_at"] = _wib(values["received_at"])
        values["registered_on"] = local(values["registered_at"]).date() if values["registered_at"] else None
        values["decision_extended"] = "Ya" if values["decision_extended"] else None
        values["kecamatan"] = str(
            (values["region__parent__name"] if is_desa else values["region__name"]) or ""
        ).title()
        values["desa"] = str(values["region__name"]).title() if is_desa else ""
        chunk.append(values)
        rows += 1
        if len(chunk) == 2000:
            flush()
    flush()
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{rows + 1}"
    about = workbook.create_sheet("Keterangan")
    about.column_dimensions["A"].width = 18
    about.column_dimensions["B"].width = 60
    exported = WriteOnlyCell(about, _wib(timezone.now()))
    exported.number_format = DATETIME_FORMAT
    about.append(["Diekspor (WIB)", exported])
    about.append(["Jumlah baris", rows])
    about.append(["Wilayah", area])
    about.append(["Filter", cell_value(filters or "-", about)])
    about.append(["Data pelapor", "ya" if personal else "tidak (peran tanpa akses data pribadi)"])
    about.append(
        [
            "Batas putusan sementara",
            "Ya: laporan Pemilu yang belum diregistrasi; batas putusannya dihitung dari hari "
            "diterima, dan dihitung ulang dari hari registrasi (UU 7/2017 Pasal 454 ayat (7))",
        ]
    )
    if truncated:
        about.append(["Terpotong", f"hanya {EXPORT_LIMIT} baris pertama; persempit filter"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return Export(buffer.getvalue(), rows, truncated)
