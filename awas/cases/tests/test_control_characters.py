"""A report carrying invisible control characters (pasted from a phone) is stored without them, and
one that got in another way (an import, an older record) still exports and prints."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from awas.cases import documents
from awas.cases.models import Case, Reporter
from awas.cases.services import workflow
from awas.cases.tests.staff_helpers import (  # noqa: F401 (_quick_argon2 is an autouse fixture)
    _quick_argon2,
    record_laporan,
    registered_laporan,
)
from awas.cases.tests.test_intake import png_bytes
from awas.cases.tests.test_public_views import form_key, laporan_data
from awas.conftest import KAB_MALANG, PUTAT_KIDUL, verified_client
from awas.core.roles import Role


@pytest.fixture
def staf(malang, make_user):
    return make_user(Role.STAF_PP, KAB_MALANG, username="staf")


def test_the_public_form_drops_control_characters(malang, client):
    key = form_key(client.get("/lapor/laporan/"))
    data = laporan_data(
        key,
        title="Bagi\x0buang amplop",
        reporter_name="Siti\x1b Aminah",
        chronology="Baris satu\nbaris\x0c dua",
        bukti=[SimpleUploadedFile("a.png", png_bytes(3), content_type="image/png")],
    )
    response = client.post("/lapor/laporan/", data)
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.title == "Bagiuang amplop"
    assert case.chronology == "Baris satu\nbaris dua"
    assert Reporter.objects.get(case=case).name == "Siti Aminah"


def test_a_case_with_control_characters_still_exports_and_prints(staf):
    # Stored through the service, as an import would, not through a form.
    case = registered_laporan(staf, PUTAT_KIDUL, title="Bagi\x0buang amplop", terlapor_name="Sutris\x07no")
    record_laporan(staf, PUTAT_KIDUL, title="Baliho\x1b di sekolah", evidence=[])

    response = verified_client(staf).get(reverse("cases:export"))
    assert response.status_code == 200
    rows = list(
        load_workbook(io.BytesIO(response.content), read_only=True).active.iter_rows(values_only=True)
    )
    titles = {row[rows[0].index("Peristiwa")] for row in rows[1:]}
    assert {"Bagiuang amplop", "Baliho di sekolah"} <= titles

    clarification = workflow.clarification_schedule(
        case=case,
        invitee_name="Sutris\x07no",
        invitee_role="terlapor",
        scheduled_at=case.received_at,
        place="Kantor\x0b Bawaslu",
        actor=staf,
    )
    docx = Document(io.BytesIO(documents.invitation_docx(clarification)))
    text = "\n".join(p.text for p in docx.paragraphs)
    assert "Sdr. Sutrisno" in text and "“Bagiuang amplop”" in text
