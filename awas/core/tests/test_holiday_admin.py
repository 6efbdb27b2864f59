"""The holiday calendar in the admin, as the office's administrator keeps it (in Indonesian): what
an edit changes is said before it is made, a typing slip in the year or a date already in the
calendar is refused with what to do, and a year's SKB 3 Menteri can be pasted at once."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
import time_machine
from django.utils import timezone

from awas.conftest import TEST_PASSWORD, verified_client
from awas.core.models import AuditEntry, Holiday, HolidayKind
from awas.core.roles import Role
from awas.core.services.users import user_create

EFFECT = (
    "Tenggat yang dihitung dalam hari kerja (Pemilu, UU 7/2017 Pasal 454) melewati setiap hari di "
    "daftar ini, libur nasional maupun cuti bersama."
)


@pytest.fixture
def client(malang):
    admin = user_create(username="admin", password=TEST_PASSWORD, role=Role.ADMIN, scope_region=malang)
    return verified_client(admin)


def _text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def test_the_form_and_the_delete_pages_say_what_an_edit_changes(client):
    assert EFFECT in _text(client.get("/admin/core/holiday/add/"))
    natal = Holiday.objects.get(date=dt.date(2026, 12, 25))
    assert EFFECT in _text(client.get(f"/admin/core/holiday/{natal.pk}/change/"))
    assert EFFECT in _text(client.get(f"/admin/core/holiday/{natal.pk}/delete/"))
    chosen = client.post(
        "/admin/core/holiday/", {"action": "delete_selected", "_selected_action": [natal.pk]}
    )
    assert EFFECT in _text(chosen)
    assert Holiday.objects.filter(pk=natal.pk).exists()  # asked, not yet deleted


@pytest.mark.parametrize("typed", ["2062-12-24", "1900-01-01", "9999-12-31"])
def test_a_year_far_from_now_is_refused_and_nothing_is_saved(client, typed):
    last = timezone.localdate().year + 2
    response = client.post(
        "/admin/core/holiday/add/",
        {"date": typed, "name": "Cuti bersama Natal", "kind": HolidayKind.CUTI_BERSAMA, "source": ""},
    )
    assert response.status_code == 200
    year = typed[:4]
    assert (
        f"Tahun {year} terlalu jauh dari sekarang: kalender menerima tahun 2017 sampai {last}. "
        "Periksa kembali tanggalnya." in _text(response)
    )
    assert not Holiday.objects.filter(name="Cuti bersama Natal", date__year=int(year)).exists()


def test_a_date_already_in_the_calendar_is_refused_naming_the_day_there(client):
    # A regional polling day declared a holiday on a day that already is one.
    response = client.post(
        "/admin/core/holiday/add/",
        {"date": "2026-12-25", "name": "Hari pemungutan suara", "kind": HolidayKind.LIBUR_NASIONAL},
    )
    assert response.status_code == 200
    assert (
        "25 Desember 2026 sudah ada di kalender sebagai Kelahiran Yesus Kristus (Natal) (libur "
        "nasional). Ubah hari itu bila nama atau jenisnya perlu diganti." in _text(response)
    )
    # The day itself is still saved as it is edited (its own date is no duplicate).
    natal = Holiday.objects.get(date=dt.date(2026, 12, 25))
    response = client.post(
        f"/admin/core/holiday/{natal.pk}/change/",
        {"date": "2026-12-25", "name": "Natal", "kind": HolidayKind.LIBUR_NASIONAL, "source": "SKB"},
    )
    assert response.status_code == 302
    assert Holiday.objects.get(pk=natal.pk).name == "Natal"


def test_a_year_of_holidays_is_imported_at_once_each_day_audited(client):
    assert 'href="/admin/core/holiday/import/"' in client.get("/admin/core/holiday/").content.decode()
    lines = "\n".join(
        [
            "# SKB 3 Menteri tahun 2027",
            "2027-01-01; libur nasional; Tahun Baru 2027 Masehi; SKB 3 Menteri 1/2026",
            "05/02/2027; Cuti Bersama; Cuti bersama Tahun Baru Imlek",
            "2027-02-06\tlibur nasional\tTahun Baru Imlek 2578 Kongzili\tSKB (lampiran)",
            "",
            "2026-12-25; libur nasional; Natal (sudah ada)",
        ]
    )
    response = client.post("/admin/core/holiday/import/", {"lines": lines, "source": "SKB 3 Menteri 9/2026"})
    assert response.status_code == 302, _text(response)[-3000:]
    told = _text(client.get(response["Location"]))
    assert "3 hari libur ditambahkan ke kalender." in told
    assert "Sudah ada di kalender, dibiarkan apa adanya: 25 Desember 2026." in told
    imlek_cuti = Holiday.objects.get(date=dt.date(2027, 2, 5))
    assert (imlek_cuti.kind, imlek_cuti.source) == (HolidayKind.CUTI_BERSAMA, "SKB 3 Menteri 9/2026")
    assert Holiday.objects.get(date=dt.date(2027, 2, 6)).source == "SKB (lampiran)"
    assert Holiday.objects.get(date=dt.date(2026, 12, 25)).name == "Kelahiran Yesus Kristus (Natal)"
    assert AuditEntry.objects.filter(action="holiday.imported").count() == 3


def test_an_import_with_a_wrong_line_adds_nothing_and_names_each_line(client):
    lines = "\n".join(
        [
            "2027-01-01; libur nasional; Tahun Baru 2027 Masehi",
            "2027-02-30; cuti bersama; Tanggal salah",
            "2027-03-10; libur; Jenis salah",
            "2072-01-01; libur nasional; Tahun salah ketik",
            "2027-01-01; libur nasional; Dua kali",
            "2027-04-01",
        ]
    )
    response = client.post("/admin/core/holiday/import/", {"lines": lines})
    assert response.status_code == 200
    page = _text(response)
    assert "Tidak ada yang ditambahkan. Perbaiki baris berikut:" in page
    assert "Baris 2: '2027-02-30' bukan tanggal (2027-01-01 atau 01/01/2027)." in page
    assert "Baris 3: jenis 'libur' bukan libur nasional atau cuti bersama." in page
    assert "Baris 4: tahun 2072 terlalu jauh dari sekarang (2017 sampai" in page
    assert "Baris 5: 1 Januari 2027 sudah ada di baris 1." in page
    assert "Baris 6: tuliskan tanggal, jenis, dan nama, dipisahkan titik koma." in page
    assert lines.splitlines()[2] in page  # the lines come back as typed
    assert not Holiday.objects.filter(date__year=2027).exists()


def test_the_list_warns_in_the_autumn_while_next_year_has_no_holiday(client):
    with time_machine.travel(dt.datetime(2026, 11, 27, 3, 0, tzinfo=dt.UTC), tick=False):
        warned = _text(client.get("/admin/core/holiday/"))
        assert "Kalender belum berisi hari libur tahun 2027" in warned
        assert "Kalender belum berisi hari libur tahun 2026" not in warned
        Holiday.objects.create(date=dt.date(2027, 1, 1), name="Tahun Baru", kind=HolidayKind.LIBUR_NASIONAL)
        assert "Kalender belum berisi" not in _text(client.get("/admin/core/holiday/"))
    with time_machine.travel(dt.datetime(2026, 6, 1, 3, 0, tzinfo=dt.UTC), tick=False):
        Holiday.objects.filter(date__year=2027).delete()
        assert "Kalender belum berisi" not in _text(client.get("/admin/core/holiday/"))


def test_the_rule_pages_speak_indonesian_and_say_how_a_rule_changes(client):
    from awas.core.models import DeadlineRule

    listed = _text(client.get("/admin/core/deadlinerule/"))
    assert "Aturan tenggat mengikuti undang-undang dan tidak diubah di sini" in listed
    assert "'awas migrate' pada pembaruan berikutnya memberlakukannya, mencatatnya di log audit" in listed
    assert "Putusan Pemilu (pemilihan umum) 7 hari kerja UU 7/2017 Pasal 454 ayat (7)" in listed
    assert "Penyampaian laporan Pilkada (pemilihan kepala daerah) 7 hari kalender" in listed
    rule = DeadlineRule.objects.get(election_type="pemilu", key="decision")
    shown = _text(client.get(f"/admin/core/deadlinerule/{rule.pk}/change/"))
    assert "Putusan (Pemilu (pemilihan umum)): 7 hari kerja" in shown
    assert "hari temuan atau laporan diterima dan diregistrasi" in shown
    assert "after receipt and registration" not in shown  # the file's English label
    assert "Aturan tenggat mengikuti undang-undang" in shown
