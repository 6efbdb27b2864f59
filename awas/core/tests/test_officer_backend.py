"""Every page names the officer's scope in its header: the user and the scope region are read in
one query, and the region's boundary polygon (tens of kilobytes) is not read at all."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awas.conftest import KAB_MALANG, verified_client
from awas.core.roles import Role
from awas.regions.models import RegionBoundary


def test_a_page_reads_the_officer_with_the_scope_and_without_its_boundary(malang, make_user, client):
    square = [[112.5, -8.0], [112.8, -8.0], [112.8, -8.3], [112.5, -8.3], [112.5, -8.0]]
    RegionBoundary.objects.create(
        region_id=KAB_MALANG, geometry={"type": "Polygon", "coordinates": [square * 500]}
    )
    officer = make_user(Role.STAF_PP, KAB_MALANG, username="staf.header")
    signed_in = verified_client(officer, client)
    with CaptureQueriesContext(connection) as queries:
        page = signed_in.get(reverse("core:home")).content.decode()
    assert "staf.header · Staf Penanganan Pelanggaran · Kabupaten Malang" in page
    region_reads = [q["sql"] for q in queries if '"regions_region"' in q["sql"] and "SELECT" in q["sql"]]
    assert region_reads, "the scope is read"
    assert not any("regions_regionboundary" in q["sql"] for q in queries)
