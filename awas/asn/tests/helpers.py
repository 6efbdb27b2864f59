"""Builders shared by the ASN tests."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from awas.asn.models import Person, PersonKind

TODAY = dt.date(2024, 9, 1)


def make_nip(birth: str = "19850510", appointed: str = "201001", sex: str = "1", serial: str = "001") -> str:
    """An NIP from its four parts (date of birth, appointment, sex, serial)."""
    return f"{birth}{appointed}{sex}{serial}"


def person(
    region: str,
    name: str = "Budi Santoso",
    *,
    kind: str = PersonKind.ASN,
    nip: str | None = None,
    **fields: Any,
) -> Person:
    if kind == PersonKind.ASN and nip is None:
        nip = make_nip(serial=f"{Person.objects.count() + 1:03d}")
    return Person.objects.create(kind=kind, name=name, nip=nip, region_id=region, **fields)


def csv_bytes(rows: list[list[str]], *, delimiter: str = ";", encoding: str = "utf-8") -> bytes:
    return "\r\n".join(delimiter.join(row) for row in rows).encode(encoding)


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
