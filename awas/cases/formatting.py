"""Indonesian dates and office names for letters, notes to the pelapor and e-mails.

Official letters and what the pelapor reads are always in Indonesian (UU 24/2009 Pasal 33: the
language of official communication), whatever language the staff member's screen is in, so
these helpers do not go through gettext.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from awas.core.services.deadlines import office_timezone

BULAN = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
HARI = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
# Indonesia's three time zones, by the IANA names the office may configure (AWAS_TIME_ZONE).
ZONE_LABELS = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}


def local(moment: dt.datetime) -> dt.datetime:
    """An aware moment in office time (WIB for Kabupaten Malang)."""
    return timezone.localtime(moment, office_timezone())


def today_local() -> dt.date:
    return local(timezone.now()).date()


def zone_label() -> str:
    return ZONE_LABELS.get(str(office_timezone()), "WIB")


def tanggal(day: dt.date | dt.datetime | None) -> str:
    """``26 November 2026``; a datetime is taken in office time."""
    if day is None:
        return ""
    if isinstance(day, dt.datetime):
        day = local(day).date()
    return f"{day.day} {BULAN[day.month - 1]} {day.year}"


def hari_tanggal(day: dt.date | dt.datetime) -> str:
    """``Kamis, 26 November 2026``."""
    if isinstance(day, dt.datetime):
        day = local(day).date()
    return f"{HARI[day.weekday()]}, {tanggal(day)}"


def hari_tanggal_terbilang(day: dt.date | dt.datetime) -> str:
    """``Jumat tanggal dua puluh tujuh bulan November tahun dua ribu dua puluh enam``: a berita
    acara writes its date in words (a figure is easily altered on paper)."""
    from num2words import num2words

    if isinstance(day, dt.datetime):
        day = local(day).date()
    return (
        f"{HARI[day.weekday()]} tanggal {num2words(day.day, lang='id')} bulan {BULAN[day.month - 1]} "
        f"tahun {num2words(day.year, lang='id')}"
    )


def pukul(moment: dt.datetime) -> str:
    """``10.00 WIB`` (Indonesian writes the time with a full stop)."""
    return f"{local(moment):%H.%M} {zone_label()}"


def office_code(case: Any) -> str:
    """The kabupaten/kota code of the office handling a case: the first two parts of its region."""
    return ".".join(str(case.region_id).split(".")[:2])


def office_region_name(case: Any) -> str:
    """``Kabupaten Malang``, from the region tree (falls back to the code)."""
    from awas.regions.models import Region

    region = Region.objects.filter(code=office_code(case)).first()
    return region.display_name if region is not None else office_code(case)


def office_province_name(case: Any) -> str:
    """``Provinsi Jawa Timur``: the province above the office ("" when the tree lacks it)."""
    from awas.regions.models import Region

    region = Region.objects.filter(code=str(case.region_id).split(".")[0]).first()
    if region is None:
        return ""
    name = region.display_name
    return name if name.lower().startswith(("provinsi", "daerah")) else f"Provinsi {name}"


def office_name(case: Any) -> str:
    """``Bawaslu Kabupaten Malang``."""
    return f"Bawaslu {office_region_name(case)}"
