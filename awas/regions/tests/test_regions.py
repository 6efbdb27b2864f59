"""Loading and listing the Kemendagri wilayah tree: ``awas regions load`` and ``awas regions list``."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from awas.conftest import GONDANGLEGI, KAB_MALANG, PUTAT_KIDUL
from awas.core.models import AuditEntry
from awas.core.roles import Level
from awas.core.services.audit import audit_verify
from awas.regions.models import Region

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def malang_counts() -> dict[str, int]:
    below = Region.objects.under(KAB_MALANG)
    return {
        "all": Region.objects.count(),
        "kecamatan": below.filter(level=Level.KECAMATAN).count(),
        "desa": below.filter(level=Level.DESA).count(),
    }


def test_load_builds_jawa_timur_kabupaten_malang_and_all_its_kecamatan_and_desa() -> None:
    output = run("regions", "load", "35.07")

    provinsi = Region.objects.get(code="35")
    kabupaten = Region.objects.get(code=KAB_MALANG)
    assert (provinsi.level, provinsi.parent_id, provinsi.name) == (Level.PROVINSI, None, "JAWA TIMUR")
    assert (kabupaten.level, kabupaten.parent_id) == (Level.KABUPATEN, "35")
    assert kabupaten.display_name == "Kabupaten Malang"
    assert malang_counts() == {"all": 1 + 1 + 33 + 390, "kecamatan": 33, "desa": 390}
    assert kabupaten.children.count() == 33

    gondanglegi = Region.objects.get(code=GONDANGLEGI)
    assert (gondanglegi.name, gondanglegi.level, gondanglegi.parent_id) == (
        "Gondanglegi",
        Level.KECAMATAN,
        KAB_MALANG,
    )
    putat_kidul = Region.objects.get(code=PUTAT_KIDUL)
    assert (putat_kidul.name, putat_kidul.level, putat_kidul.parent_id) == (
        "Putat Kidul",
        Level.DESA,
        GONDANGLEGI,
    )
    assert putat_kidul.code_nodot == "3507102001"
    # Every desa hangs under a kecamatan of Kabupaten Malang.
    assert not Region.objects.filter(level=Level.DESA).exclude(parent__parent_id=KAB_MALANG).exists()

    assert "Kabupaten Malang (35.07)" in output
    assert "425 regions added" in output
    assert "33 kecamatan, 390 desa/kelurahan" in output


def test_load_accepts_the_undotted_code() -> None:
    output = run("regions", "load", "3507")

    assert malang_counts() == {"all": 425, "kecamatan": 33, "desa": 390}
    assert Region.objects.filter(code=PUTAT_KIDUL).exists()
    assert not Region.objects.filter(code="3507").exists()
    assert "(35.07)" in output


def test_loading_twice_changes_nothing() -> None:
    run("regions", "load", "35.07")
    before = malang_counts()
    names_before = dict(Region.objects.values_list("code", "name"))

    output = run("regions", "load", "35.07")

    assert malang_counts() == before
    assert dict(Region.objects.values_list("code", "name")) == names_before
    assert "0 regions added, 0 renamed" in output


def test_another_kabupaten_kota_loads_beside_the_first() -> None:
    run("regions", "load", "35.07")
    output = run("regions", "load", "35.73")

    kota = Region.objects.get(code="35.73")
    assert kota.display_name == "Kota Malang"
    assert kota.parent_id == "35"
    below = Region.objects.under("35.73")
    assert below.filter(level=Level.KECAMATAN).count() == 5
    assert below.filter(level=Level.DESA).count() == 57
    assert "5 kecamatan, 57 desa/kelurahan" in output
    # The shared provinsi is not duplicated and Kabupaten Malang is untouched.
    assert Region.objects.filter(level=Level.PROVINSI).count() == 1
    assert malang_counts()["desa"] == 390
    assert Region.objects.count() == 425 + 1 + 5 + 57


def test_loading_one_desa_brings_its_parents() -> None:
    run("regions", "load", PUTAT_KIDUL)

    assert list(Region.objects.values_list("code", flat=True)) == ["35", KAB_MALANG, GONDANGLEGI, PUTAT_KIDUL]


def test_list_prints_the_kecamatan_one_a_line_with_code_and_name(malang: Region) -> None:
    lines = run("regions", "list", "35.07").splitlines()

    assert len(lines) == 33
    assert all(len(line.split("\t")) == 2 for line in lines)
    assert "35.07.10\tGondanglegi" in lines
    assert lines[0].startswith("35.07.01\t")


def test_list_all_prints_every_level_below(malang: Region) -> None:
    lines = run("regions", "list", "3507", "--all").splitlines()

    assert len(lines) == 33 + 390
    assert "35.07.10.2001\tPutat Kidul" in lines


def test_list_answers_from_the_registry_before_anything_is_loaded() -> None:
    lines = run("regions", "list", "35.07").splitlines()

    assert len(lines) == 33
    assert "35.07.10\tGondanglegi" in lines
    assert not Region.objects.exists()


@pytest.mark.parametrize(
    ("code", "plausible"),
    [
        ("35.99", "35.09 KAB. JEMBER"),  # a mistyped kabupaten code
        ("35.7", "35.07 KAB. MALANG"),  # the leading zero forgotten
        ("35.07.1", "35.07.01 Donomulyo"),
        ("Gondanglegi", "35.07.10 Gondanglegi"),  # a name instead of a code
    ],
)
def test_unknown_code_is_refused_with_the_closest_matches(code: str, plausible: str) -> None:
    with pytest.raises(CommandError) as raised:
        run("regions", "load", code)

    message = str(raised.value)
    assert f"'{code}'" in message
    assert plausible in message
    assert not Region.objects.exists()
    assert not AuditEntry.objects.exists()


def test_list_of_an_unknown_code_is_refused_with_the_closest_matches() -> None:
    with pytest.raises(CommandError, match=r"35\.07 KAB\. MALANG"):
        run("regions", "list", "35.7")


def test_a_region_load_is_audited() -> None:
    run("regions", "load", "35.07")
    run("regions", "load", "35.07")

    entries = list(AuditEntry.objects.filter(action="regions.loaded"))
    assert [(e.object_id, e.object_repr, e.actor_name) for e in entries] == [
        (KAB_MALANG, "KAB. MALANG", "system"),
        (KAB_MALANG, "KAB. MALANG", "system"),
    ]
    assert entries[0].after == {"created": 425, "updated": 0}
    assert entries[1].after == {"created": 0, "updated": 0}
    assert audit_verify() is None
