"""Region scope: each user sees the records at or below their own place in the wilayah tree, no more."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from awas.conftest import GONDANGLEGI, KAB_MALANG, KEPANJEN, PUTAT_KIDUL, verified_client
from awas.core.models import User
from awas.core.roles import Level, Role
from awas.regions.models import Region, Tps
from awas.regions.services import tps_generate_demo

DONOMULYO = "35.07.01"


@pytest.fixture
def demo_tps(malang) -> int:
    # 390 desa with at least 3 TPS each: a little over the 1,000 asked for.
    created = tps_generate_demo(KAB_MALANG, total=1000)
    assert created == Tps.objects.count() > 0
    return created


def _desa_codes(tps) -> set[str]:
    return {t.desa_id for t in tps}


def kecamatan_names() -> dict[str, str]:
    return dict(Region.objects.filter(level=Level.KECAMATAN).values_list("code", "name"))


def desa_names(kecamatan: str) -> list[str]:
    return list(Region.objects.filter(parent_id=kecamatan).values_list("name", flat=True))


def shows(page: str, name: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", page) is not None


# --- querysets -----------------------------------------------------------------------------------


def test_panwascam_sees_only_its_kecamatan(demo_tps, make_user):
    user = make_user(Role.PANWASCAM, GONDANGLEGI)

    visible = Tps.objects.visible_to(user)

    expected = Tps.objects.filter(desa__parent_id=GONDANGLEGI)
    assert expected.exists()
    assert visible.count() == expected.count()
    assert all(code.startswith(GONDANGLEGI + ".") for code in _desa_codes(visible))


def test_pimpinan_of_the_kabupaten_sees_every_tps(demo_tps, make_user):
    user = make_user(Role.PIMPINAN, KAB_MALANG)
    assert Tps.objects.visible_to(user).count() == demo_tps


def test_pkd_sees_only_its_desa(demo_tps, make_user):
    user = make_user(Role.PKD, PUTAT_KIDUL)

    visible = Tps.objects.visible_to(user)

    assert visible.count() == Tps.objects.filter(desa_id=PUTAT_KIDUL).count() > 0
    assert _desa_codes(visible) == {PUTAT_KIDUL}


def test_ptps_sees_only_its_own_tps(demo_tps, make_user):
    user = make_user(Role.PTPS, PUTAT_KIDUL, tps_number=2)

    assert list(Tps.objects.visible_to(user)) == [Tps.objects.get(desa_id=PUTAT_KIDUL, number=2)]


def test_anonymous_and_unscoped_users_see_nothing(demo_tps, malang):
    unscoped = User.objects.create_user(username="tanpa-wilayah", role=Role.PIMPINAN)

    anonymous: Any = AnonymousUser()
    for user in (anonymous, unscoped, None):
        assert not Tps.objects.visible_to(user).exists()
    assert not Region.objects.visible_to(anonymous).exists()
    assert not Region.objects.visible_to(unscoped).exists()


def test_a_deactivated_user_sees_nothing(demo_tps, make_user):
    user = make_user(Role.PIMPINAN, KAB_MALANG)
    user.is_active = False
    assert not Tps.objects.visible_to(user).exists()


def test_a_code_prefix_is_not_a_scope(demo_tps, make_user):
    """35.07.01 (Donomulyo) is a prefix of the text 35.07.10 (Gondanglegi) but not its parent."""
    user = make_user(Role.PANWASCAM, DONOMULYO)

    visible = Tps.objects.visible_to(user)

    assert visible.exists()
    assert all(code.startswith(DONOMULYO + ".") for code in _desa_codes(visible))
    assert not visible.filter(desa__parent_id=GONDANGLEGI).exists()
    regions = Region.objects.visible_to(user)
    assert not regions.filter(code__startswith=GONDANGLEGI).exists()
    assert set(regions.filter(level=Level.KECAMATAN).values_list("code", flat=True)) == {DONOMULYO}


# --- the regions page ----------------------------------------------------------------------------


def test_panwascam_page_shows_its_desa_and_no_other_kecamatan(demo_tps, make_user):
    client = verified_client(make_user(Role.PANWASCAM, GONDANGLEGI))

    page = client.get("/wilayah/").content.decode()

    own_desa = desa_names(GONDANGLEGI)
    assert len(own_desa) == 14
    assert [name for name in own_desa if not shows(page, name)] == []
    others = [name for code, name in kecamatan_names().items() if code != GONDANGLEGI]
    assert [name for name in others if shows(page, name)] == []
    assert f">{Tps.objects.filter(desa__parent_id=GONDANGLEGI).count()}<" in page


def test_panwascam_cannot_browse_into_another_kecamatan(demo_tps, make_user):
    client = verified_client(make_user(Role.PANWASCAM, GONDANGLEGI))

    page = client.get(f"/wilayah/?kode={KEPANJEN}").content.decode()

    assert KEPANJEN + "." not in page  # no desa code of Kepanjen
    own = set(desa_names(GONDANGLEGI))  # Panggungrejo is a desa name in both kecamatan
    assert [name for name in desa_names(KEPANJEN) if name not in own and shows(page, name)] == []
    assert shows(page, "Gondanglegi")


def test_pimpinan_page_shows_every_kecamatan(demo_tps, make_user):
    client = verified_client(make_user(Role.PIMPINAN, KAB_MALANG))

    page = client.get("/wilayah/").content.decode()

    names = kecamatan_names()
    assert len(names) == 33
    assert [name for name in names.values() if not shows(page, name)] == []


def test_ptps_page_lists_only_its_tps(demo_tps, make_user):
    client = verified_client(make_user(Role.PTPS, PUTAT_KIDUL, tps_number=2))

    page = client.get("/wilayah/").content.decode()

    assert "TPS 002" in page
    assert "TPS 001" not in page
    assert "TPS 003" not in page
