"""Importing ASN rosters: every row checked, every problem reported with its line, all or nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from awas.asn import services
from awas.asn.models import AsnStatus, Person, PersonKind, RosterImport
from awas.asn.roster import Place, PlaceMatcher
from awas.asn.tests.helpers import TODAY, csv_bytes, make_nip, xlsx_bytes
from awas.conftest import GONDANGLEGI, KAB_MALANG, KEPANJEN
from awas.core.models import AuditEntry
from awas.regions.models import Region

HEADER = ["nama", "NIP", "Instansi/OPD", "jabatan", "unit", "kecamatan"]
NIP_A = make_nip("19850510", "201001", "1", "001")
NIP_B = make_nip("19900815", "201503", "2", "002")
NIP_C = make_nip("19780101", "200312", "1", "003")


def run(data: bytes, file_name: str = "daftar.csv", **kwargs) -> services.ImportResult:
    kabupaten = Region.objects.get(code=KAB_MALANG)
    return services.roster_import(
        data=data, file_name=file_name, actor=None, kabupaten=kabupaten, today=TODAY, **kwargs
    )


def lines(result: services.ImportResult) -> list[tuple[int, str]]:
    return [(e.line, e.message) for e in result.errors]


# --- a good file -----------------------------------------------------------------------------------


def test_semicolon_csv_is_imported(malang):
    data = csv_bytes(
        [
            HEADER,
            ["Budi Santoso", NIP_A, "Dinas Pendidikan", "Kepala Sekolah", "SDN 1 Gondanglegi", "Gondanglegi"],
            ["Siti Aminah", NIP_B, "Kecamatan Kepanjen", "Camat", "", "35.07.13"],
            ["Agus Salim", NIP_C, "Badan Kepegawaian Daerah", "Analis SDM", "", ""],
        ]
    )
    result = run(data)

    assert result.ok, lines(result)
    assert (result.created, result.updated) == (3, 0)
    budi = Person.objects.get(nip=NIP_A)
    assert budi.region_id == GONDANGLEGI
    assert budi.birth_date == dt.date(1985, 5, 10)
    assert budi.sex == "L" and budi.asn_status == AsnStatus.PNS
    assert budi.agency is not None and budi.agency.name == "Dinas Pendidikan"
    assert budi.mobilising_detected  # kepala sekolah
    assert Person.objects.get(nip=NIP_B).region_id == KEPANJEN
    agus = Person.objects.get(nip=NIP_C)
    assert agus.region_id == KAB_MALANG  # no kecamatan: an office at kabupaten level
    assert not agus.mobilising_detected
    record = RosterImport.objects.get()
    assert record.created == 3 and len(record.sha256) == 64
    entry = AuditEntry.objects.get(action="asn.roster_imported")
    assert entry.after is not None
    assert entry.after["created"] == 3 and entry.after["sha256"] == record.sha256


def test_comma_csv_utf8_with_bom(malang):
    data = "\ufeff" + "nama,nip,kecamatan\r\n" + f'"Santoso, Budi",{NIP_A},Turen\r\n'
    result = run(data.encode("utf-8"))
    assert result.ok, lines(result)
    assert Person.objects.get().name == "Santoso, Budi"


def test_windows_1252_names_keep_their_accents(malang):
    data = csv_bytes([["Nama", "NIP", "Kecamatan"], ["Siti Aïsyah Hervé", NIP_B, "Pakis"]], encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # really not UTF-8

    result = run(data)

    assert result.ok, lines(result)
    assert Person.objects.get().name == "Siti Aïsyah Hervé"


def test_xlsx_is_imported(malang):
    data = xlsx_bytes(
        [
            ["NAMA", "NIP", "OPD", "Jabatan", "Unit Kerja", "Kecamatan"],
            ["Budi Santoso", NIP_A, "Dinas Kesehatan", "Kepala Puskesmas", "Puskesmas Turen", "Turen"],
            [None, None, None, None, None, None],
            ["Dewi Lestari", NIP_B, "Dinas Pendidikan", "Guru", "SMPN 1 Dau", "Dau"],
        ]
    )
    result = run(data, "daftar.xlsx")
    assert result.ok, lines(result)
    assert result.created == 2
    assert Person.objects.get(nip=NIP_B).name == "Dewi Lestari"
    assert Person.objects.get(nip=NIP_A).unit == "Puskesmas Turen"


# --- all or nothing, with line numbers -----------------------------------------------------------


def test_every_bad_row_is_reported_and_nothing_is_stored(malang):
    data = csv_bytes(
        [
            HEADER,  # line 1
            ["Budi Santoso", NIP_A, "Dinas Pendidikan", "Guru", "", "Gondanglegi"],  # 2: fine
            ["Tanggal Salah", make_nip(birth="19850231"), "", "", "", "Turen"],  # 3
            ["Bulan Salah", make_nip(appointed="201013"), "", "", "", "Turen"],  # 4
            ["Kelamin Salah", make_nip(sex="5"), "", "", "", "Turen"],  # 5
            ["Pendek", "1985051020100110", "", "", "", "Turen"],  # 6
            ["Huruf", "19850510A01001100X", "", "", "", "Turen"],  # 7
            ["Terlalu Muda", make_nip(birth="19850510", appointed="200201"), "", "", "", "Turen"],  # 8
            ["Tanpa NIP", "", "", "", "", "Turen"],  # 9: an ASN needs a NIP
            ["", make_nip(serial="009"), "", "", "", "Turen"],  # 10: no name
            ["Kembar", NIP_A, "", "", "", "Turen"],  # 11: NIP again
            ["Salah Kecamatan", make_nip(serial="011"), "", "", "", "Atlantis"],  # 12
        ]
    )
    result = run(data)

    assert not result.ok
    by_line: dict[int, list[str]] = {}
    for line, message in lines(result):
        by_line.setdefault(line, []).append(message)
    assert sorted(by_line) == [3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
    assert "not a real date" in by_line[3][0]
    assert "appointment month" in by_line[4][0]
    assert "Digit 15 (sex) is 5" in by_line[5][0]
    assert "16 digits" in by_line[6][0]
    assert "only digits" in by_line[7][0]
    assert "before the age of 18" in by_line[8][0]
    assert by_line[9] == ["an ASN needs a NIP."]
    assert by_line[10] == ["the name (nama) is empty."]
    assert by_line[11] == [f"NIP {NIP_A} is also on line 2."]
    assert "Atlantis" in by_line[12][0] and "unknown" in by_line[12][0]
    assert Person.objects.count() == 0
    assert RosterImport.objects.count() == 0


def test_one_bad_row_in_an_xlsx_stops_the_whole_file(malang):
    data = xlsx_bytes(
        [
            ["nama", "nip", "kecamatan"],
            ["Budi Santoso", NIP_A, "Turen"],
            ["Siti Aminah", make_nip(sex="3"), "Turen"],
        ]
    )
    result = run(data, "daftar.xlsx")
    assert [line for line, _ in lines(result)] == [3]
    assert not Person.objects.exists()


def test_an_nip_excel_rounded_to_a_float_is_refused(malang):
    data = xlsx_bytes([["nama", "nip"], ["Budi Santoso", 1.98505102010011e17]])
    result = run(data, "daftar.xlsx")
    assert lines(result)[0][0] == 2
    assert "15 digits" in lines(result)[0][1]


def test_a_file_without_a_name_column_is_refused(malang):
    result = run(csv_bytes([["nip", "kecamatan"], [NIP_A, "Turen"]]))
    assert lines(result) == [(0, "The first row must name the columns; a column 'nama' is needed.")]


def test_old_excel_and_unknown_types_are_refused(malang):
    assert "xls" in lines(run(b"\xd0\xcf\x11\xe0", "lama.xls"))[0][1]
    assert "Unknown file type" in lines(run(b"nama\n", "daftar.pdf"))[0][1]


# --- duplicates and updates ---------------------------------------------------------------------


def test_a_registered_nip_updates_the_person_and_keeps_the_risk_facts(malang):
    run(csv_bytes([HEADER, ["Budi Santoso", NIP_A, "Dinas Pendidikan", "Guru", "", "Turen"]]))
    budi = Person.objects.get()
    budi.family_tie = True
    budi.save()

    result = run(
        csv_bytes([HEADER, ["Budi Santoso, S.Pd.", NIP_A, "Dinas Pendidikan", "Kepala Sekolah", "", "Dau"]])
    )

    assert result.ok and (result.created, result.updated) == (0, 1)
    budi.refresh_from_db()
    assert budi.name == "Budi Santoso, S.Pd."
    assert budi.region_id == "35.07.22"
    assert budi.mobilising_detected
    assert budi.family_tie  # kept
    assert Person.objects.count() == 1
    assert budi.source_import == RosterImport.objects.order_by("-id").first()


# --- kepala desa and perangkat desa ---------------------------------------------------------


def test_kepala_desa_and_perangkat_desa_need_no_nip(malang):
    data = csv_bytes(
        [
            ["nama", "nip", "jabatan", "kecamatan", "desa", "jenis"],
            ["Slamet Riyadi", "", "Kepala Desa", "Gondanglegi", "Putat Kidul", "kepala desa"],
            ["Sri Wahyuni", "", "Sekretaris Desa", "Gondanglegi", "Putat Kidul", "perangkat desa"],
        ]
    )
    result = run(data)
    assert result.ok, lines(result)
    kades = Person.objects.get(name="Slamet Riyadi")
    assert kades.kind == PersonKind.KEPALA_DESA
    assert kades.nip is None
    assert kades.region_id == "35.07.10.2001"
    assert kades.mobilising_detected
    assert Person.objects.get(name="Sri Wahyuni").kind == PersonKind.PERANGKAT_DESA

    # The same file again updates, it does not duplicate.
    again = run(data)
    assert (again.created, again.updated) == (0, 2)


def test_the_default_kind_applies_without_a_jenis_column(malang):
    data = csv_bytes([["nama", "kecamatan"], ["Slamet Riyadi", "Turen"]])
    assert not run(data).ok  # ASN by default: a NIP is needed
    assert run(data, default_kind=PersonKind.KEPALA_DESA).ok


def test_an_unknown_kind_is_reported(malang):
    data = csv_bytes([["nama", "jenis"], ["Slamet Riyadi", "bupati"]])
    assert lines(run(data)) == [(2, "unknown kind (jenis) 'bupati'.")]


def test_the_same_person_without_nip_twice_is_reported(malang):
    data = csv_bytes(
        [["nama", "kecamatan", "jenis"], ["Slamet", "Turen", "kades"], ["slamet", "Turen", "kades"]]
    )
    assert lines(run(data)) == [(3, "the same person (without NIP) is also on line 2.")]


# --- kecamatan matching ----------------------------------------------------------------------------


@pytest.fixture
def kecamatan_matcher(malang) -> PlaceMatcher:
    return PlaceMatcher(
        Place(code, name)
        for code, name in Region.objects.filter(parent_id=KAB_MALANG).values_list("code", "name")
    )


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Gondanglegi", "35.07.10"),
        ("GONDANGLEGI", "35.07.10"),
        ("Kec. Gondanglegi", "35.07.10"),
        ("Kecamatan Karangploso", "35.07.23"),  # the registry writes "Karang Ploso"
        ("Gondanglegy", "35.07.10"),
        ("Singosai", "35.07.24"),
        ("Sumbermanjing", "35.07.04"),  # "Sumbermanjing Wetan"
        ("Pakis", "35.07.18"),
        ("Pakisaji", "35.07.19"),
        ("35.07.13", "35.07.13"),
        ("350713", "35.07.13"),
    ],
)
def test_kecamatan_names_and_codes_are_matched(kecamatan_matcher, typed, code):
    found = kecamatan_matcher.match(typed, "Kecamatan")
    assert found.place is not None, found.problem
    assert found.place.code == code


def test_an_unclear_kecamatan_is_reported_as_ambiguous(kecamatan_matcher):
    found = kecamatan_matcher.match("Pakisa", "Kecamatan")  # Pakis or Pakisaji?
    assert found.place is None
    assert "ambiguous" in found.problem
    assert "Pakis" in found.problem and "Pakisaji" in found.problem


def test_an_unknown_kecamatan_names_the_nearest(kecamatan_matcher):
    found = kecamatan_matcher.match("Gondang", "Kecamatan")
    assert found.place is None
    assert found.problem == "Kecamatan 'Gondang' is unknown (nearest: Gondanglegi)."


def test_a_code_outside_the_kabupaten_is_reported(kecamatan_matcher):
    found = kecamatan_matcher.match("35.73.01", "Kecamatan")  # Kota Malang
    assert found.place is None and "not in this kabupaten" in found.problem


def test_ambiguous_kecamatan_in_a_file_is_reported_with_its_line(malang):
    result = run(
        csv_bytes([["nama", "nip", "kecamatan"], ["Budi", NIP_A, "Turen"], ["Siti", NIP_B, "Pakisa"]])
    )
    assert [line for line, _ in lines(result)] == [3]
    assert "ambiguous" in lines(result)[0][1]


# --- the command ------------------------------------------------------------------------------------


def test_the_command_checks_by_default_and_stores_for_real(malang, tmp_path):
    from io import StringIO

    from django.core.management import CommandError, call_command

    good = tmp_path / "daftar.csv"
    good.write_bytes(csv_bytes([HEADER, ["Budi Santoso", NIP_A, "", "Guru", "", "Turen"]]))
    out = StringIO()
    call_command("asn", "import", str(good), "--kabupaten", KAB_MALANG, stdout=out)
    assert "pass --for-real" in out.getvalue()
    assert not Person.objects.exists() and not RosterImport.objects.exists()

    call_command("asn", "import", str(good), "--kabupaten", KAB_MALANG, "--for-real", stdout=StringIO())
    assert Person.objects.get().nip == NIP_A

    bad = tmp_path / "salah.csv"
    bad.write_bytes(csv_bytes([HEADER, ["Siti", make_nip(sex="4"), "", "", "", "Turen"]]))
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("asn", "import", str(bad), "--kabupaten", KAB_MALANG, "--for-real", stderr=err)
    assert "line 2:" in err.getvalue()


def test_a_utf16_file_without_its_byte_mark_is_refused_clearly(malang):
    # Valid UTF-8 byte by byte, but every other byte is NUL: PostgreSQL would refuse the text.
    result = run("nama,nip\nBudi Santoso,1\n".encode("utf-16-le"), "daftar.csv")
    assert "NUL" in lines(result)[0][1] and "UTF-8" in lines(result)[0][1]
    assert not Person.objects.exists()
