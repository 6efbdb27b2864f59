"""Kecamatan, desa and TPS from the names field offices give their Form A files."""

from __future__ import annotations

import pytest

from awas.conftest import GONDANGLEGI, PUTAT_KIDUL
from awas.supervision import parsing, selectors
from awas.supervision.tests.conftest import UREK_UREK

KEPANJEN = "35.07.13"


@pytest.fixture
def names(malang):
    return selectors.region_names("35.07")


def parse(name, names):
    kecamatan, desa = names
    return parsing.parse_filename(name, kecamatan, desa)


@pytest.mark.parametrize(
    "name",
    [
        "LHP_Gondanglegi_Putat Kidul_TPS1_2024.pdf",
        "LHP_Gondanglegi_Putat Kidul_TPS01_2024.pdf",
        "LHP_Gondanglegi_Putat Kidul_TPS001_2024.pdf",
        "lhp_GONDANGLEGI_putat kidul_tps 1.docx",
        "FormA_Gondanglegi_PutatKidul_TPS-01.pdf",
        "Form A Gondanglegi Putat_Kidul TPS01.pdf",
    ],
)
def test_tps_numbers_and_desa_written_differently_are_the_same(name, names):
    location = parse(name, names)
    assert (location.kecamatan, location.desa, location.tps_number) == (GONDANGLEGI, PUTAT_KIDUL, 1)


@pytest.mark.parametrize(
    "name",
    [
        "LHP_Gondanglegi_Urek-Urek_TPS05.pdf",
        "LHP_Gondanglegi_Urek - Urek_TPS05.pdf",
        "LHP_Gondanglegi_urek urek_TPS5.pdf",
    ],
)
def test_desa_with_hyphens_matches_however_spaced(name, names):
    location = parse(name, names)
    assert (location.kecamatan, location.desa, location.tps_number) == (GONDANGLEGI, UREK_UREK, 5)


def test_desa_alone_gives_its_kecamatan(names):
    location = parse("Laporan_Putat Kidul_TPS12.pdf", names)
    assert (location.kecamatan, location.desa, location.tps_number) == (GONDANGLEGI, PUTAT_KIDUL, 12)


def test_kecamatan_alone_for_a_recap(names):
    location = parse("REKAP_LHP_Gondanglegi_Oktober_2024.pdf", names)
    assert (location.kecamatan, location.desa, location.tps_number) == (GONDANGLEGI, "", None)


def test_kecamatan_and_desa_of_the_same_name(names):
    location = parse("LHP_Kepanjen_Kepanjen_TPS03.pdf", names)
    assert location.kecamatan == KEPANJEN
    assert location.desa.startswith(KEPANJEN + ".")
    assert location.tps_number == 3


def test_a_small_typo_still_matches(names):
    location = parse("LHP_Gondanglgi_Putat Kidul.pdf", names)
    assert (location.kecamatan, location.desa) == (GONDANGLEGI, PUTAT_KIDUL)


def test_unknown_names_are_left_out_with_a_note(names):
    location = parse("scan_0001_final_revisi.pdf", names)
    assert (location.kecamatan, location.desa, location.tps_number) == ("", "", None)
    assert location.notes == ["nama berkas tidak menyebut kecamatan atau desa yang dikenal"]


def test_a_desa_name_found_in_several_kecamatan_is_not_guessed(names):
    location = parse("LHP_Sukosari_TPS02.pdf", names)
    assert location.desa == ""
    assert location.tps_number == 2
    assert any("beberapa kecamatan" in note for note in location.notes)


def test_a_desa_of_another_kecamatan_is_not_taken(names):
    location = parse("LHP_Kepanjen_Putat Kidul.pdf", names)
    assert location.kecamatan == KEPANJEN
    assert location.desa == ""
    assert any("tidak berada di kecamatan" in note for note in location.notes)
