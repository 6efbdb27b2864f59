"""The office's large pages come gzipped where compressing cannot leak them (BREACH).

The dashboard, the IKP map, the ASN map and the prevention coverage are counts, scores and region
names (50-490 KB with the kecamatan boundaries); the blank forms are mostly their desa lists. The
ASN register and the kejadian list show personal data or notes beside text others wrote: those
stay uncompressed. See awas/core/compression.py.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache

from awas.asn.tests.helpers import person
from awas.cases.tests.test_compressed_pages import GZIP, _assert_gzipped_as_the_page, _assert_not_compressed
from awas.conftest import KAB_MALANG, PUTAT_KIDUL
from awas.core.roles import Role
from awas.ikp.services import framework_load_builtin, kejadian_generate_demo


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """The dashboard's figures are cached between requests: start and leave with none."""
    cache.clear()
    yield
    cache.clear()


def test_the_office_s_maps_and_counts_come_gzipped_and_read_the_same(malang, role_client):
    framework_load_builtin()
    kejadian_generate_demo(kabupaten_code=KAB_MALANG)
    pimpinan = role_client(Role.PIMPINAN, KAB_MALANG)
    for url, what in (
        ("/dasbor/", b"Gondanglegi"),
        ("/ikp/", b"Gondanglegi"),
        ("/asn/", b'id="asn-geojson"'),
        ("/asn/katalog/", b"SKB"),
    ):
        page = _assert_gzipped_as_the_page(pimpinan, url)
        assert what in page, url
        _assert_not_compressed(pimpinan.get(url + "?tebak=rahasia", **GZIP), url + " with a query string")

    pencegahan = role_client(Role.STAF_PENCEGAHAN, KAB_MALANG)
    for url in ("/pencegahan/cakupan/", "/pencegahan/kategori-kerawanan/"):
        assert b"Gondanglegi" in _assert_gzipped_as_the_page(pencegahan, url).title(), url


def test_the_blank_staff_forms_come_gzipped_with_their_desa_lists(malang, role_client):
    framework_load_builtin()
    staf_pp = role_client(Role.STAF_PP, KAB_MALANG)
    pencegahan = role_client(Role.STAF_PENCEGAHAN, KAB_MALANG)
    for client, url in (
        (staf_pp, "/asn/daftar/tambah/"),
        (staf_pp, "/ikp/kejadian/baru/"),
        (pencegahan, "/pencegahan/kader/baru/"),
        (pencegahan, "/pencegahan/surat/baru/"),
    ):
        page = _assert_gzipped_as_the_page(client, url)
        assert b"Putat Kidul" in page.title(), url  # its desa list


def test_the_asn_register_and_the_kejadian_list_are_never_compressed(malang, role_client):
    """Names and NIPs beside what rosters from outside the office say; notes field supervisors
    wrote, which may name people: the kind of page BREACH reads."""
    person(PUTAT_KIDUL, name="Sri Wahyuningsih", position="Kepala Seksi")
    framework_load_builtin()
    kejadian_generate_demo(kabupaten_code=KAB_MALANG)
    staf_pp = role_client(Role.STAF_PP, KAB_MALANG)

    register = staf_pp.get("/asn/daftar/", **GZIP)
    _assert_not_compressed(register, "ASN register")
    assert "Sri Wahyuningsih" in register.content.decode()

    kejadian = staf_pp.get("/ikp/kejadian/", **GZIP)
    _assert_not_compressed(kejadian, "kejadian list")
    assert 'data-id="' in kejadian.content.decode()
