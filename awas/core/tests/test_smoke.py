from awas.conftest import GONDANGLEGI, verified_client
from awas.core.roles import Role


def test_panwascam_sees_only_own_kecamatan_tps(malang, make_user):
    from awas.regions.services import tps_generate_demo

    tps_generate_demo("35.07", total=1000)
    client = verified_client(make_user(Role.PANWASCAM, GONDANGLEGI))
    page = client.get("/wilayah/").content.decode()
    assert "Gondanglegi" in page
    assert "Kepanjen" not in page
