"""TPS: CSV import (``awas tps import FILE``), demo generation and the TPS list a field supervisor sees."""

from __future__ import annotations

import re
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Max, Min
from django.test import Client

from awas.conftest import GONDANGLEGI, KAB_MALANG, KEPANJEN, PUTAT_KIDUL, Role
from awas.core.models import AuditEntry
from awas.core.roles import Level
from awas.regions.models import Region, Tps
from awas.regions.services import ImportRejected, tps_generate_demo, tps_import_csv

pytestmark = pytest.mark.django_db

SUKOSARI = "35.07.10.2003"  # another desa of Gondanglegi

GOOD_CSV = f"""kode_desa,nomor_tps,alamat,dpt
{PUTAT_KIDUL},1,"Balai Desa Putat Kidul, Jl. Raya",512
{PUTAT_KIDUL},2,SDN Putat Kidul 1,487
3507102003,1,Lapangan Sukosari,"1.234"
"""


def import_file(tmp_path: Path, content: str | bytes, name: str = "tps.csv") -> str:
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode()
    path.write_bytes(content)
    out = StringIO()
    call_command("tps", "import", str(path), stdout=out)
    return out.getvalue()


def messages_by_line(messages: list[str]) -> dict[int, str]:
    """Each message starts with its line number ("line 3: …", "baris 3: …" in Indonesian)."""
    by_line: dict[int, str] = {}
    for message in messages:
        found = re.match(r"\D*(\d+):", message)
        assert found, message
        by_line[int(found.group(1))] = message
    return by_line


def test_a_good_file_imports_every_row(malang: Region, tmp_path: Path) -> None:
    output = import_file(tmp_path, GOOD_CSV)

    assert "3 TPS imported" in output
    rows = list(
        Tps.objects.order_by("desa_id", "number").values_list(
            "desa_id", "number", "address", "registered_voters", "is_demo"
        )
    )
    assert rows == [
        (PUTAT_KIDUL, 1, "Balai Desa Putat Kidul, Jl. Raya", 512, False),
        (PUTAT_KIDUL, 2, "SDN Putat Kidul 1", 487, False),
        (SUKOSARI, 1, "Lapangan Sukosari", 1234, False),  # undotted code and thousands separator
    ]
    entry = AuditEntry.objects.get(action="tps.imported")
    assert entry.after == {"rows": 3, "created": 3}


def test_a_spreadsheet_export_with_bom_and_capitalised_headers_imports(malang: Region) -> None:
    content = f"\ufeffKode_Desa, Nomor_TPS ,Alamat,DPT\r\n{PUTAT_KIDUL},7,Pos Kamling,300\r\n".encode()

    assert tps_import_csv(content) == 1
    assert Tps.objects.get(desa_id=PUTAT_KIDUL, number=7).registered_voters == 300


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_imported(
    malang: Region, tmp_path: Path
) -> None:
    content = (
        "kode_desa,nomor_tps,alamat,dpt\n"
        f"{PUTAT_KIDUL},1,Balai Desa,512\n"  # line 2: good
        "35.07.10.9999,1,Nowhere,300\n"  # line 3: unknown desa
        f"{PUTAT_KIDUL},satu,Masjid,300\n"  # line 4: nomor_tps not a number
        f"{PUTAT_KIDUL},2,SDN 1,480\n"  # line 5: good
        f"{PUTAT_KIDUL},1,Balai Desa lagi,500\n"  # line 6: duplicate of line 2
        "\n"  # line 7: blank, skipped but counted
        f"{SUKOSARI},,Lapangan,300\n"  # line 8: nomor_tps missing
        f"{SUKOSARI},3,Lapangan,banyak\n"  # line 9: dpt not a number
        f"{GONDANGLEGI},1,Kantor Camat,300\n"  # line 10: a kecamatan, not a desa
    )

    with pytest.raises(CommandError) as raised:
        import_file(tmp_path, content)

    lines = str(raised.value).splitlines()[1:]  # after "Nothing imported:"
    by_line = messages_by_line(lines)
    assert sorted(by_line) == [3, 4, 6, 8, 9, 10]
    assert "35.07.10.9999" in by_line[3]
    assert "'satu'" in by_line[4]
    assert "nomor_tps" in by_line[8]
    assert "'banyak'" in by_line[9]
    assert GONDANGLEGI in by_line[10]
    assert "TPS 001" in by_line[6] and re.search(r"\b2\W*$", by_line[6])  # names the first line
    assert not Tps.objects.exists()
    assert not AuditEntry.objects.filter(action="tps.imported").exists()


def test_the_service_raises_one_message_per_bad_row(malang: Region) -> None:
    content = f"kode_desa,nomor_tps\n{PUTAT_KIDUL},0\n{PUTAT_KIDUL},-3\n{PUTAT_KIDUL},4\n"

    with pytest.raises(ImportRejected) as raised:
        tps_import_csv(content)

    assert sorted(messages_by_line(raised.value.messages)) == [2, 3]
    assert not Tps.objects.exists()


def test_a_missing_column_is_reported_and_nothing_is_imported(malang: Region, tmp_path: Path) -> None:
    content = f"kode_desa,alamat,dpt\n{PUTAT_KIDUL},Balai Desa,512\n"

    with pytest.raises(CommandError) as raised:
        import_file(tmp_path, content)

    by_line = messages_by_line(str(raised.value).splitlines()[1:])
    assert list(by_line) == [1]
    assert "nomor_tps" in by_line[1]
    assert not Tps.objects.exists()


def test_a_missing_file_is_named(malang: Region, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"tidak-ada\.csv"):
        call_command("tps", "import", str(tmp_path / "tidak-ada.csv"))


def test_importing_again_updates_instead_of_duplicating(malang: Region, tmp_path: Path) -> None:
    import_file(tmp_path, GOOD_CSV)

    output = import_file(
        tmp_path, f"kode_desa,nomor_tps,alamat,dpt\n{PUTAT_KIDUL},1,Balai Desa (pindah),530\n"
    )

    assert "1 TPS imported" in output
    assert Tps.objects.count() == 3
    tps = Tps.objects.get(desa_id=PUTAT_KIDUL, number=1)
    assert (tps.address, tps.registered_voters) == ("Balai Desa (pindah)", 530)
    assert AuditEntry.objects.filter(action="tps.imported").last().after == {"rows": 1, "created": 0}  # type: ignore[union-attr]


def test_importing_over_demo_tps_makes_them_official(malang: Region, tmp_path: Path) -> None:
    tps_generate_demo(KAB_MALANG)
    count = Tps.objects.count()

    import_file(tmp_path, f"kode_desa,nomor_tps,alamat,dpt\n{PUTAT_KIDUL},1,Balai Desa,512\n")

    assert Tps.objects.count() == count
    tps = Tps.objects.get(desa_id=PUTAT_KIDUL, number=1)
    assert (tps.is_demo, tps.registered_voters) == (False, 512)


def test_demo_generation_makes_4042_plausible_tps_once(malang: Region) -> None:
    assert tps_generate_demo("35.07") == 4042

    tps = Tps.objects.all()
    assert tps.count() == 4042
    assert not tps.filter(is_demo=False).exists()
    stats = tps.aggregate(lowest=Min("registered_voters"), highest=Max("registered_voters"))
    assert stats["lowest"] > 0 and stats["highest"] <= 600
    per_desa = Region.objects.filter(level=Level.DESA).annotate(n=Count("tps_set"))
    assert per_desa.count() == 390
    assert not per_desa.filter(n=0).exists()
    assert AuditEntry.objects.get(action="tps.demo_generated").after == {"created": 4042}

    assert tps_generate_demo("35.07") == 0
    assert Tps.objects.count() == 4042
    assert AuditEntry.objects.filter(action="tps.demo_generated").count() == 1


def test_a_pkd_sees_only_the_tps_of_its_desa_marked_as_demo(
    malang: Region, role_client: Callable[..., Client]
) -> None:
    tps_generate_demo(KAB_MALANG)
    own = Tps.objects.filter(desa_id=PUTAT_KIDUL).count()

    response = role_client(Role.PKD, PUTAT_KIDUL).get("/wilayah/")

    assert response.status_code == 200
    assert response.context["region"].code == PUTAT_KIDUL
    assert response.context["totals"]["count"] == own
    assert response.context["totals"]["demo"] == own
    shown = list(response.context["tps_page"])
    assert len(shown) == own and {t.desa_id for t in shown} == {PUTAT_KIDUL}
    page = response.content.decode()
    assert 'data-testid="tps-count">' + str(own) in page
    assert page.count('<span class="tag">demo</span>') == own
    assert "Demo: Putat Kidul, TPS 001" in page
    assert "Sukosari" not in page


def test_a_pkd_cannot_browse_to_another_desa(malang: Region, role_client: Callable[..., Client]) -> None:
    tps_generate_demo(KAB_MALANG)

    response = role_client(Role.PKD, PUTAT_KIDUL).get("/wilayah/", {"kode": KEPANJEN})

    assert response.context["region"].code == PUTAT_KIDUL
    assert "Kepanjen" not in response.content.decode()


def test_official_tps_carry_no_demo_mark(malang: Region, role_client: Callable[..., Client]) -> None:
    tps_import_csv(GOOD_CSV)

    response = role_client(Role.PKD, PUTAT_KIDUL).get("/wilayah/")

    assert response.context["totals"] == {"count": 2, "voters": 999, "demo": 0}
    assert '<span class="tag">demo</span>' not in response.content.decode()


def test_excel_style_csv_with_semicolons_and_windows_encoding_imports(malang):
    from awas.regions.models import Tps
    from awas.regions.services import tps_import_csv

    content = "kode_desa;nomor_tps;alamat;dpt\r\n35.07.10.2001;7;Jl. Kebonagung – Dusun Krajan;512\r\n"
    assert tps_import_csv(content.encode("cp1252")) == 1
    tps = Tps.objects.get(desa_id="35.07.10.2001", number=7)
    assert tps.address == "Jl. Kebonagung – Dusun Krajan"
    assert tps.registered_voters == 512
