"""Kejadian: the rules every write follows, scope, audit, the Excel import and its template, the pages."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from awas.conftest import GONDANGLEGI, KAB_MALANG, KEPANJEN, PUTAT_KIDUL
from awas.core.models import AuditEntry
from awas.core.roles import Role
from awas.ikp import services
from awas.ikp.models import Kejadian, Tahapan
from awas.ikp.services import (
    ERR_DATE_FUTURE,
    ERR_INDICATOR,
    ERR_REGION_NOT_DESA,
    ERR_REGION_SCOPE,
    ERR_REGION_UNKNOWN,
    ERR_SEVERITY,
    KejadianBatchError,
    KejadianImportError,
    KejadianInput,
)

pytestmark = pytest.mark.django_db

KEPANJEN_DESA = "35.07.13.2001"  # a desa of Kepanjen (outside Gondanglegi)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def ikp2024(malang):
    return services.framework_load_builtin()


def record(actor, **overrides):
    values = {
        "actor": actor,
        "indicator_number": 12,
        "region": PUTAT_KIDUL,
        "date": dt.date(2024, 10, 1),
        "tahapan": Tahapan.KAMPANYE,
        "severity": 2,
        "note": "ASN mengunggah dukungan",
    }
    return services.kejadian_create(**{**values, **overrides})


# --- the rules -----------------------------------------------------------------------------------


def test_a_kejadian_is_recorded_with_an_audit_entry(ikp2024, make_user):
    user = make_user(Role.STAF_PENCEGAHAN, KAB_MALANG)
    kejadian = record(user)
    assert (kejadian.indicator_number, kejadian.region_id, kejadian.severity) == (12, PUTAT_KIDUL, 2)
    assert kejadian.created_by == user and kejadian.counted and not kejadian.is_demo
    entry = AuditEntry.objects.get(action="ikp_kejadian.created")
    assert entry.object_id == str(kejadian.pk)
    assert entry.after is not None
    assert entry.after["indicator_number"] == 12 and entry.after["region_id"] == PUTAT_KIDUL


def test_an_undotted_code_is_accepted(ikp2024):
    kejadian = record(None, region="3507102001")
    assert kejadian.region_id == PUTAT_KIDUL


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"indicator_number": 62}, "indicator_number", ERR_INDICATOR % {"number": 62, "known": "1–61"}),
        ({"region": GONDANGLEGI}, "region", ERR_REGION_NOT_DESA % {"code": GONDANGLEGI}),
        ({"region": "35.07.99.9999"}, "region", ERR_REGION_UNKNOWN % {"code": "35.07.99.9999"}),
        ({"severity": 4}, "severity", ERR_SEVERITY % {"value": 4}),
        ({"date": dt.date(2999, 1, 1)}, "date", ERR_DATE_FUTURE % {"date": "01-01-2999"}),
    ],
)
def test_a_kejadian_breaking_a_rule_is_refused(ikp2024, overrides, field, message):
    with pytest.raises(ValidationError) as caught:
        record(None, **overrides)
    assert caught.value.message_dict == {field: [str(message)]}
    assert not Kejadian.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="ikp_kejadian").exists()


def test_a_panwascam_records_only_in_its_kecamatan(ikp2024, make_user):
    panwascam = make_user(Role.PANWASCAM, GONDANGLEGI)
    assert record(panwascam).region_id == PUTAT_KIDUL
    with pytest.raises(ValidationError) as caught:
        record(panwascam, region=KEPANJEN_DESA)
    assert caught.value.message_dict == {"region": [str(ERR_REGION_SCOPE % {"code": KEPANJEN_DESA})]}


def test_a_pkd_records_for_its_desa_and_a_ptps_for_the_desa_of_its_tps(ikp2024, make_user):
    pkd = make_user(Role.PKD, PUTAT_KIDUL)
    ptps = make_user(Role.PTPS, PUTAT_KIDUL, tps_number=1)
    assert record(pkd).region_id == PUTAT_KIDUL
    assert record(ptps).region_id == PUTAT_KIDUL
    for user in (pkd, ptps):
        with pytest.raises(ValidationError):
            record(user, region="35.07.10.2002")


def test_update_and_delete_are_audited_and_scoped(ikp2024, make_user):
    staff = make_user(Role.STAF_PENCEGAHAN, KAB_MALANG)
    kejadian = record(staff)
    services.kejadian_update(kejadian=kejadian, actor=staff, severity=3, note="diperbarui")
    kejadian.refresh_from_db()
    assert kejadian.severity == 3
    entry = AuditEntry.objects.get(action="ikp_kejadian.updated")
    assert entry.before == {"severity": 2, "note": "ASN mengunggah dukungan"}
    assert entry.after == {"severity": 3, "note": "diperbarui"}

    outsider = make_user(Role.PANWASCAM, KEPANJEN)
    with pytest.raises(PermissionDenied):
        services.kejadian_update(kejadian=kejadian, actor=outsider, severity=1)
    with pytest.raises(PermissionDenied):
        services.kejadian_delete(kejadian=kejadian, actor=outsider, reason="salah")

    services.kejadian_delete(kejadian=kejadian, actor=staff, reason="dicatat dua kali")
    assert not Kejadian.objects.exists()
    deleted = AuditEntry.objects.get(action="ikp_kejadian.deleted")
    assert deleted.before is not None
    assert deleted.before["indicator_number"] == 12 and deleted.after == {"reason": "dicatat dua kali"}


def test_a_batch_is_all_or_nothing(ikp2024):
    good = KejadianInput(12, PUTAT_KIDUL, dt.date(2024, 10, 1), Tahapan.KAMPANYE, 1)
    bad = KejadianInput(99, PUTAT_KIDUL, dt.date(2024, 10, 1), Tahapan.KAMPANYE, 1)
    with pytest.raises(KejadianBatchError) as caught:
        services.kejadian_bulk_create(actor=None, items=[good, bad, good])
    assert [(index, field) for index, field, _message in caught.value.problems] == [(1, "indicator_number")]
    assert not Kejadian.objects.exists()
    created = services.kejadian_bulk_create(actor=None, items=[good, good], source_ref="form_a:7")
    assert len(created) == 2 and all(k.pk for k in created)
    after = AuditEntry.objects.get(action="ikp_kejadian.imported").after or {}
    assert after["ids"] == [k.pk for k in created]


def test_replacing_a_source_swaps_its_kejadian(ikp2024):
    item = KejadianInput(12, PUTAT_KIDUL, dt.date(2024, 10, 1), Tahapan.KAMPANYE, 1)
    services.kejadian_bulk_create(actor=None, items=[item, item], source_ref="form_a:7")
    services.kejadian_bulk_create(actor=None, items=[item], source_ref="form_a:8")
    services.kejadian_replace_source(
        actor=None,
        source_ref="form_a:7",
        items=[KejadianInput(54, PUTAT_KIDUL, dt.date(2024, 11, 20), "kampanye", 3)],
    )
    assert list(
        Kejadian.objects.filter(source_ref="form_a:7").values_list("indicator_number", flat=True)
    ) == [54]
    assert Kejadian.objects.filter(source_ref="form_a:8").count() == 1
    entry = AuditEntry.objects.get(action="ikp_kejadian.replaced")
    assert len((entry.after or {})["removed"]) == 2


def test_demo_kejadian_are_generated_once(ikp2024):
    created = services.kejadian_generate_demo(kabupaten_code=KAB_MALANG)
    assert created > 500
    assert services.kejadian_generate_demo(kabupaten_code=KAB_MALANG) == 0
    assert Kejadian.objects.count() == created
    assert not Kejadian.objects.filter(is_demo=False).exists()
    # ASN neutrality (indicator 12) is the most frequent, as in Kab. Malang's own mapping.
    counts = {
        n: Kejadian.objects.filter(indicator_number=n).count()
        for n in set(Kejadian.objects.values_list("indicator_number", flat=True))
    }
    assert max(counts, key=counts.__getitem__) == 12
    assert Kejadian.objects.filter(region__code__startswith=GONDANGLEGI + ".").count() > created / 33


# --- the Excel import ----------------------------------------------------------------------------


def workbook(rows, header=("indikator", "kode_desa", "tanggal", "tahapan", "tingkat", "catatan")) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Kejadian"
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


GOOD_ROWS = [
    (12, PUTAT_KIDUL, dt.date(2024, 10, 1), "kampanye", 3, "Camat hadir di kampanye"),
    (54, "3507102002", "15-11-2024", "Kampanye", "sedang", ""),
    ("20", "35.07.10.2003", "2024-08-20", "pemutakhiran_data", 1, None),
]


def test_a_good_file_is_imported(ikp2024, make_user):
    staff = make_user(Role.STAF_PENCEGAHAN, KAB_MALANG)
    result = services.kejadian_import_excel(content=workbook(GOOD_ROWS), actor=staff, filename="oktober.xlsx")
    assert result.created == 3 and result.source_ref.startswith("excel:")
    rows = list(
        Kejadian.objects.order_by("id").values_list(
            "indicator_number", "region_id", "date", "tahapan", "severity"
        )
    )
    assert rows == [
        (12, PUTAT_KIDUL, dt.date(2024, 10, 1), "kampanye", 3),
        (54, "35.07.10.2002", dt.date(2024, 11, 15), "kampanye", 2),
        (20, "35.07.10.2003", dt.date(2024, 8, 20), "pemutakhiran_data", 1),
    ]
    entry = AuditEntry.objects.get(action="ikp_kejadian.imported")
    assert entry.after is not None
    assert entry.after["count"] == 3 and entry.after["file"] == "oktober.xlsx"


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_imported(ikp2024, make_user):
    staff = make_user(Role.STAF_PENCEGAHAN, KAB_MALANG)
    rows = [
        GOOD_ROWS[0],  # line 2: fine
        (99, PUTAT_KIDUL, dt.date(2024, 10, 1), "kampanye", 1, ""),  # 3: unknown indicator
        (12, GONDANGLEGI, dt.date(2024, 10, 1), "kampanye", 1, ""),  # 4: a kecamatan, not a desa
        (None, None, None, None, None, "catatan saja"),  # 5: everything missing
        (12, PUTAT_KIDUL, "kemarin", "kampanye", 5, ""),  # 6: bad date and severity
        (12, PUTAT_KIDUL, dt.date(2024, 10, 1), "tahap ajaib", 1, ""),  # 7: unknown stage
    ]
    with pytest.raises(KejadianImportError) as caught:
        services.kejadian_import_excel(content=workbook(rows), actor=staff)
    lines = [line for line, _message in caught.value.rows]
    assert sorted(set(lines)) == [3, 4, 5, 6, 7]
    assert lines.count(5) == 5 and lines.count(6) == 2
    messages = dict(caught.value.rows)
    assert "99" in messages[3] and GONDANGLEGI in messages[4] and "tahap ajaib" in messages[7]
    assert not Kejadian.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="ikp_kejadian").exists()


def test_a_panwascam_import_outside_its_kecamatan_is_refused_by_row(ikp2024, make_user):
    panwascam = make_user(Role.PANWASCAM, GONDANGLEGI)
    rows = [GOOD_ROWS[0], (12, KEPANJEN_DESA, dt.date(2024, 10, 1), "kampanye", 1, "")]
    with pytest.raises(KejadianImportError) as caught:
        services.kejadian_import_excel(content=workbook(rows), actor=panwascam)
    assert caught.value.rows == [(3, str(ERR_REGION_SCOPE % {"code": KEPANJEN_DESA}))]


def test_the_same_file_is_not_imported_twice(ikp2024):
    content = workbook(GOOD_ROWS)
    services.kejadian_import_excel(content=content, actor=None)
    with pytest.raises(KejadianImportError) as caught:
        services.kejadian_import_excel(content=content, actor=None)
    assert caught.value.rows[0][0] == 0
    assert Kejadian.objects.count() == 3


@pytest.mark.parametrize(
    "content",
    [b"not a workbook", workbook([GOOD_ROWS[0]], header=("nomor", "desa", "tanggal")), workbook([])],
)
def test_a_file_that_cannot_be_read_is_reported(ikp2024, content):
    with pytest.raises(KejadianImportError) as caught:
        services.kejadian_import_excel(content=content, actor=None)
    assert caught.value.rows[0][0] == 0
    assert not Kejadian.objects.exists()


def test_the_template_downloads_and_once_filled_imports(ikp2024, role_client):
    client = role_client(Role.PANWASCAM, GONDANGLEGI)
    response = client.get("/ikp/kejadian/templat.xlsx")
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    wb = load_workbook(io.BytesIO(response.content))
    sheet = wb["Kejadian"]
    assert [c.value for c in sheet[1]] == [
        "indikator",
        "kode_desa",
        "tanggal",
        "tahapan",
        "tingkat",
        "catatan",
    ]
    # Drop-down lists: indicators, the panwascam's own desa, stages, levels.
    formulas = sorted(str(v.formula1) for v in sheet.data_validations.dataValidation)
    assert '"1,2,3"' in formulas and any(f.startswith("=Desa!") for f in formulas)
    desa = [row[0] for row in wb["Desa"].iter_rows(min_row=2, values_only=True)]
    assert PUTAT_KIDUL in desa and all(code.startswith(GONDANGLEGI + ".") for code in desa)
    assert wb["Indikator"].max_row == 62

    sheet.append([12, desa[0], dt.date(2024, 10, 2), "kampanye", 2, "ASN ikut kampanye"])
    sheet.append([54, desa[1], dt.date(2024, 11, 25), "masa_tenang", 3, "politik uang"])
    filled = io.BytesIO()
    wb.save(filled)
    upload = SimpleUploadedFile("terisi.xlsx", filled.getvalue(), content_type=XLSX)
    response = client.post("/ikp/kejadian/impor/", {"file": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Kejadian.objects.count() == 2


def test_the_import_page_lists_the_problems(ikp2024, role_client):
    client = role_client(Role.STAF_PP, KAB_MALANG)
    bad = workbook([(99, PUTAT_KIDUL, dt.date(2024, 10, 1), "kampanye", 1, "")])
    response = client.post(
        "/ikp/kejadian/impor/", {"file": SimpleUploadedFile("x.xlsx", bad, content_type=XLSX)}
    )
    assert response.status_code == 200
    problems = response.content.decode()
    assert 'data-line="2"' in problems
    assert not Kejadian.objects.exists()


# --- the entry form ------------------------------------------------------------------------------


def form_data(region: str, **overrides):
    return {
        "indicator_number": 12,
        "region": region,
        "date": "2024-10-01",
        "tahapan": "kampanye",
        "severity": 3,
        "note": "Kepala desa mengarahkan warga",
        "counted": "on",
        **overrides,
    }


def test_a_panwascam_sees_the_map_but_enters_kejadian_only_in_its_kecamatan(ikp2024, role_client):
    client = role_client(Role.PANWASCAM, GONDANGLEGI)
    assert client.get("/ikp/").status_code == 200
    page = client.get("/ikp/kejadian/baru/").content.decode()
    assert PUTAT_KIDUL in page and KEPANJEN_DESA not in page

    response = client.post("/ikp/kejadian/baru/", form_data(PUTAT_KIDUL))
    assert response.status_code == 302
    assert Kejadian.objects.get().region_id == PUTAT_KIDUL

    response = client.post("/ikp/kejadian/baru/", form_data(KEPANJEN_DESA))
    assert response.status_code == 200  # the form again, with the error
    assert Kejadian.objects.count() == 1


def test_pimpinan_reads_kejadian_but_does_not_record_them(ikp2024, role_client):
    client = role_client(Role.PIMPINAN, KAB_MALANG)
    assert client.get("/ikp/kejadian/").status_code == 200
    assert client.post("/ikp/kejadian/baru/", form_data(PUTAT_KIDUL)).status_code == 403
    assert not Kejadian.objects.exists()


def test_the_list_shows_only_kejadian_in_scope(ikp2024, role_client):
    record(None)
    record(None, region=KEPANJEN_DESA, indicator_number=54)
    page = role_client(Role.PANWASCAM, GONDANGLEGI).get("/ikp/kejadian/").content.decode()
    assert "Putat Kidul" in page
    assert KEPANJEN_DESA not in page and "35.07.13" not in page


def test_edit_and_delete_through_the_pages(ikp2024, role_client):
    client = role_client(Role.PKD, PUTAT_KIDUL)
    kejadian = record(None)
    response = client.post(f"/ikp/kejadian/{kejadian.pk}/", form_data(PUTAT_KIDUL, severity=1))
    assert response.status_code == 302
    kejadian.refresh_from_db()
    assert kejadian.severity == 1
    assert client.post(f"/ikp/kejadian/{kejadian.pk}/hapus/", {"reason": ""}).status_code == 302
    assert Kejadian.objects.exists()  # no reason, no delete
    assert client.post(f"/ikp/kejadian/{kejadian.pk}/hapus/", {"reason": "ganda"}).status_code == 302
    assert not Kejadian.objects.exists()

    elsewhere = record(None, region="35.07.10.2002")
    assert client.get(f"/ikp/kejadian/{elsewhere.pk}/").status_code == 404
