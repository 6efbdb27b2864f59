"""Fixtures for prevention and participation: clients per role and small builders."""

from __future__ import annotations

import datetime as dt
import io
import struct
import zlib
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from django.utils.html import escape

from awas.conftest import GONDANGLEGI, KAB_MALANG, verified_client
from awas.core.models import User
from awas.core.roles import Role
from awas.outreach.models import Activity, ActivityKind, ActivityStatus
from awas.regions.models import Region

KEPANJEN_DESA = "35.07.13.2001"  # Kemiri


def png_bytes() -> bytes:
    """A real 1x1 PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xcc\x22\x22"))
        + chunk(b"IEND", b"")
    )


def in_indonesian(message: str) -> str:
    """The message as an Indonesian page shows it (the site's default language), HTML-escaped."""
    with translation.override("id"):
        return escape(translation.gettext(message))


@pytest.fixture
def staf(malang: Region, make_user: Callable[..., User]) -> User:
    return make_user(Role.STAF_PENCEGAHAN, KAB_MALANG)


@pytest.fixture
def staf_client(staf: User) -> Client:
    return verified_client(staf)


@pytest.fixture
def panwascam(malang: Region, make_user: Callable[..., User]) -> User:
    return make_user(Role.PANWASCAM, GONDANGLEGI)


@pytest.fixture
def panwascam_client(panwascam: User) -> Client:
    return verified_client(panwascam)


@pytest.fixture
def make_activity(staf: User) -> Callable[..., Activity]:
    """An activity stored directly (tests of reads); writes are tested through the pages and services."""

    def make(region: str, day: dt.date, *, status: str = ActivityStatus.PLANNED, **fields: Any) -> Activity:
        fields.setdefault("kind", ActivityKind.SOSIALISASI)
        fields.setdefault("title", f"Sosialisasi {region}")
        return Activity.objects.create(
            region_id=region,
            planned_date=day,
            status=status,
            done_date=day if status == ActivityStatus.DONE else None,
            created_by=staf,
            **fields,
        )

    return make


def xlsx_sheets(content: bytes) -> dict[str, list[list[Any]]]:
    """Each sheet of an Excel export as rows of cell values."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content))
    return {
        sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in workbook.worksheets
    }


def xlsx_text(content: bytes) -> str:
    return "\n".join(
        " | ".join("" if v is None else str(v) for v in row)
        for rows in xlsx_sheets(content).values()
        for row in rows
    )


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(
        " ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(content)).pages
    )
