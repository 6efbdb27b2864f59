"""The cyber supervision pages: capture, import, the queue, review, escalation, take-down letters,
scope and roles, and the link from the ASN register back to a post."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from awas.asn.models import Platform, SocialAccount
from awas.asn.tests.helpers import person
from awas.cases.models import Case, CaseEvidence, Channel
from awas.cases.services import workflow
from awas.cases.tests.test_intake import png_bytes
from awas.conftest import GONDANGLEGI, KAB_MALANG, verified_client
from awas.core.models import AuditEntry
from awas.core.roles import Role
from awas.cyber.labels import ASN_LABEL
from awas.cyber.models import (
    LabelDecision,
    Post,
    PostLabel,
    ReviewStatus,
    Source,
    TakedownRequest,
    TakedownStatus,
)
from awas.regions.models import Region

PARTISAN = "Ayo dukung paslon nomor 2, saya sebagai ASN di Dinas Pendidikan siap memenangkan! #coblos2"
MONEY = "Serangan fajar besok pagi, amplop 50rb per orang biar pilih paslon 1"
HARMLESS = "Hujan deras di Kepanjen sore ini, jalan licin, hati-hati lur"


def english(client: Client) -> Client:
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def siber(malang: Any, make_user: Callable[..., Any]) -> tuple[Any, Client]:
    user = make_user(Role.TIM_SIBER, KAB_MALANG, username="siber")
    return user, english(verified_client(user))


def capture(client: Client, text: str, **fields: Any) -> Any:
    data = {
        "url": "https://www.facebook.com/contoh/posts/1",
        "platform": Platform.FACEBOOK,
        "author_handle": "@contoh",
        "author_name": "Akun Contoh",
        "posted_at": "2026-11-20T10:15",
        "text": text,
        **fields,
    }
    return client.post(reverse("cyber:capture"), data)


def page_text(response: Any) -> str:
    return str(response.content.decode())


# --- capture ---------------------------------------------------------------------------------------


def test_capture_stores_the_post_and_shows_it(siber: tuple[Any, Client]) -> None:
    _user, client = siber
    response = capture(client, PARTISAN)
    post = Post.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "cyber:post", kwargs={"pk": post.pk}
    )
    assert post.region_id == KAB_MALANG and post.author_handle == "contoh"
    first = post.captures.get()
    # 10.15 WIB is 03.15 UTC
    assert first.posted_at == dt.datetime(2026, 11, 20, 3, 15, tzinfo=dt.UTC)
    assert post.labels.filter(label=ASN_LABEL, flagged=True).exists()
    page = page_text(client.get(response["Location"]))
    assert first.sha256 in page and "Ayo dukung paslon nomor 2" in page
    assert 'data-testid="label-asn_partisanship"' in page


def test_an_invalid_capture_shows_again_what_was_typed(siber: tuple[Any, Client]) -> None:
    _user, client = siber
    response = capture(
        client, "Teks yang sudah diketik panjang-panjang", platform="", url="", author_handle=""
    )
    assert response.status_code == 200
    page = page_text(response)
    assert "Teks yang sudah diketik panjang-panjang" in page
    assert "Akun Contoh" in page and "2026-11-20T10:15" in page
    assert "Give the link to the post or the author&#x27;s handle." in page
    assert Post.objects.count() == 0


def test_a_web_page_renamed_png_is_refused_as_screenshot(siber: tuple[Any, Client]) -> None:
    _user, client = siber
    fake = SimpleUploadedFile(
        "tangkapan.png", b"<html><script>alert(1)</script></html>", content_type="image/png"
    )
    response = capture(client, PARTISAN, screenshot=fake)
    assert response.status_code == 200
    page = page_text(response)
    assert "Web pages and SVG images are not accepted" in page
    assert PARTISAN.replace("!", "").split(",")[0] in page  # the text typed is kept
    assert Post.objects.count() == 0


def test_the_screenshot_is_served_inline_with_its_type(siber: tuple[Any, Client]) -> None:
    _user, client = siber
    image = png_bytes(5, size=8)
    capture(client, PARTISAN, screenshot=SimpleUploadedFile("layar.png", image, content_type="image/png"))
    post = Post.objects.get()
    shot = post.captures.get()
    assert shot.screenshot is not None
    url = reverse("cyber:screenshot", kwargs={"pk": post.pk, "capture_pk": shot.pk})
    assert url in page_text(client.get(reverse("cyber:post", kwargs={"pk": post.pk})))
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == image  # type: ignore[attr-defined]
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    opened = AuditEntry.objects.filter(action="cyber.screenshot_opened", object_id=str(post.pk)).get()
    assert opened.actor_id == _user.pk and opened.after == {"version": 1, "sha256": shot.screenshot.sha256}


# --- import --------------------------------------------------------------------------------------


HEADER = "platform,url,author_handle,author_name,text,posted_at"


def rows_csv(*rows: str, header: str = HEADER) -> bytes:
    return "\n".join([header, *rows]).encode("utf-8")


def upload(client: Client, data: bytes, name: str = "ekspor.csv") -> Any:
    return client.post(
        reverse("cyber:import"), {"file": SimpleUploadedFile(name, data, content_type="text/csv")}
    )


GOOD_ROWS = (
    f'facebook,https://facebook.com/a/posts/1,warga.a,Warga A,"{HARMLESS}",20/11/2026 09:00',
    f'instagram,https://instagram.com/p/2,warga.b,Warga B,"{MONEY}",20/11/2026 10:00',
    f'tiktok,https://tiktok.com/@c/video/3,warga.c,Warga C,"{PARTISAN}",20/11/2026 11:00',
)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            rows_csv(GOOD_ROWS[0], header="platform,url,author_handle,author_name,isi_postingan"),
            ["Wrong columns: missing text."],
        ),
        (
            "\n".join([HEADER, GOOD_ROWS[0], "facebook,https://facebook.com/x/1,x,Caf\xe9,teks,"]).encode(
                "latin-1"
            ),
            ["Line 3: not valid UTF-8"],
        ),
        (
            rows_csv(
                GOOD_ROWS[0], "facebook,https://facebook.com/x/2,x,X,,", "youtube,https://youtu.be/3,y,Y,  ,"
            ),
            ["Line 3: the text is empty.", "Line 4: the text is empty."],
        ),
    ],
    ids=["wrong-column", "latin-1", "empty-text"],
)
def test_a_bad_file_lists_every_problem_and_imports_nothing(
    siber: tuple[Any, Client], data: bytes, expected: list[str]
) -> None:
    _user, client = siber
    response = upload(client, data)
    assert response.status_code == 200
    page = page_text(response)
    assert "Nothing was imported" in page
    for problem in expected:
        assert problem in page
    assert Post.objects.count() == 0
    assert not Source.objects.exists() or not Post.objects.exists()


def test_a_good_import_fills_the_queue_by_risk(siber: tuple[Any, Client]) -> None:
    _user, client = siber
    response = upload(client, rows_csv(*GOOD_ROWS))
    assert response.status_code == 302 and response["Location"] == reverse("cyber:queue")
    message = page_text(client.get(response["Location"]))
    assert "3 new posts, 0 new versions, 0 unchanged" in message
    posts = list(Post.objects.order_by("-risk"))
    assert [p.risk for p in posts] == sorted((p.risk for p in posts), reverse=True)
    assert posts[-1].risk == 0.0  # the harmless one
    page = message
    positions = [page.index(f'data-post="{p.pk}"') for p in posts]
    assert positions == sorted(positions)
    # the same file again changes nothing
    upload(client, rows_csv(*GOOD_ROWS))
    assert "0 new posts, 0 new versions, 3 unchanged" in page_text(client.get(reverse("cyber:queue")))
    # Once the riskiest post is reviewed, the posts still waiting come before it.
    top = posts[0]
    flagged = PostLabel.objects.filter(post=top, flagged=True).first()
    assert flagged is not None
    confirm(client, top, label=flagged.label)
    page = page_text(client.get(reverse("cyber:queue")))
    order = [page.index(f'data-post="{p.pk}"') for p in [*posts[1:], top]]
    assert order == sorted(order)


def test_the_import_template_is_a_file_the_import_accepts(siber: tuple[Any, Client]) -> None:
    _user, client = siber
    template = client.get(reverse("cyber:import_template"))
    assert template.status_code == 200 and "attachment" in template["Content-Disposition"]
    assert upload(client, template.content).status_code == 302
    assert Post.objects.count() == 2


def test_script_in_a_post_is_escaped_everywhere(siber: tuple[Any, Client]) -> None:
    _user, client = siber
    capture(client, "<script>alert(1)</script> kades dukung paslon nomor 2\nbaris kedua")
    post = Post.objects.get()
    for url in (reverse("cyber:queue"), reverse("cyber:post", kwargs={"pk": post.pk})):
        page = page_text(client.get(url))
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "paslon nomor 2<br>baris kedua" in page_text(
        client.get(reverse("cyber:post", kwargs={"pk": post.pk}))
    )


# --- review, escalation, take-down -----------------------------------------------------------------


def confirm(
    client: Client, post: Post, label: str = ASN_LABEL, decision: str = LabelDecision.CONFIRMED
) -> Any:
    row = PostLabel.objects.get(post=post, label=label)
    return client.post(
        reverse("cyber:label_decide", kwargs={"pk": post.pk, "label_pk": row.pk}), {"decision": decision}
    )


def test_confirming_a_label_changes_the_review_status(siber: tuple[Any, Client]) -> None:
    _user, client = siber
    capture(client, PARTISAN)
    post = Post.objects.get()
    assert post.review_status == ReviewStatus.NEW
    response = confirm(client, post)
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.review_status == ReviewStatus.REVIEWED
    assert PostLabel.objects.get(post=post, label=ASN_LABEL).decision == LabelDecision.CONFIRMED
    confirm(client, post, decision="nonsense")
    page = page_text(client.get(reverse("cyber:post", kwargs={"pk": post.pk})))
    assert "Unknown decision." in page


def test_escalation_creates_a_temuan_with_the_capture_as_evidence(
    siber: tuple[Any, Client], make_user: Callable[..., Any]
) -> None:
    _user, client = siber
    capture(client, PARTISAN)
    post = Post.objects.get()
    escalate = reverse("cyber:escalate", kwargs={"pk": post.pk})
    # nothing confirmed yet: refused with the reason, the note kept in the form
    refused = client.post(escalate, {"note": "Catatan penting untuk staf"})
    assert refused.status_code == 200
    assert "Confirm at least one label before escalating the post." in page_text(refused)
    assert "Catatan penting untuk staf" in page_text(refused)
    assert not Case.objects.exists()

    confirm(client, post)
    assert (
        client.post(escalate, {"note": "Catatan penting untuk staf", "election_type": "pemilu"}).status_code
        == 302
    )
    case = Case.objects.get()
    assert case.election_type == "pemilu"  # the officer says under which law: its clocks count working days
    assert case.source_ref == post.ref and case.channel == Channel.CYBER
    sha = post.captures.get().sha256
    assert CaseEvidence.objects.filter(case=case, evidence__sha256=sha).exists()
    post.refresh_from_db()
    assert post.case_id == case.pk and post.review_status == ReviewStatus.ESCALATED

    page = page_text(client.get(reverse("cyber:post", kwargs={"pk": post.pk})))
    assert str(case) in page and sha in page
    assert reverse("cases:detail", kwargs={"pk": case.pk}) not in page  # tim siber has no case pages
    # What the case gathers afterwards is the handling staff's, not the cyber team's.
    staf_user = make_user(Role.STAF_PP, KAB_MALANG)
    workflow.case_supplement(
        case=case,
        files=[SimpleUploadedFile("KTP-saksi-budi.png", png_bytes(7, 5), content_type="image/png")],
        witness=None,
        note="Dibawa saksi.",
        actor=staf_user,
    )
    assert "KTP-saksi-budi" not in page_text(client.get(reverse("cyber:post", kwargs={"pk": post.pk})))
    staf = english(verified_client(staf_user))
    staff_page = page_text(staf.get(reverse("cyber:post", kwargs={"pk": post.pk})))
    assert reverse("cases:detail", kwargs={"pk": case.pk}) in staff_page
    assert sha in page_text(staf.get(reverse("cases:detail", kwargs={"pk": case.pk})))


def test_escalation_starts_from_the_election_the_office_is_handling(
    siber: tuple[Any, Client], settings: Any
) -> None:
    # While the office handles Pemilu 2029, a post escalated without a choice is a Pemilu temuan,
    # with the working-day clocks of UU 7/2017, not Pilkada's calendar days by an oversight.
    settings.AWAS_ELECTION_TYPE = "pemilu"
    _user, client = siber
    capture(client, PARTISAN)
    post = Post.objects.get()
    confirm(client, post)
    page = client.get(reverse("cyber:post", kwargs={"pk": post.pk})).content.decode()
    assert re.search(r'value="pemilu"[^>]*checked', page) and not re.search(
        r'value="pilkada"[^>]*checked', page
    )
    client.post(reverse("cyber:escalate", kwargs={"pk": post.pk}), {"note": "Catatan penting untuk staf"})
    assert Case.objects.get().election_type == "pemilu"


def test_with_both_elections_escalation_refuses_to_go_on_until_the_officer_chooses(
    siber: tuple[Any, Client], settings: Any
) -> None:
    # Handling Pemilu and Pilkada at once, no election is checked beforehand (one kept by an
    # oversight would count the wrong clock); escalated without a choice, no temuan is made and the
    # form says why, the note kept.
    settings.AWAS_ELECTION_TYPE = "pemilu,pilkada"
    _user, client = siber
    capture(client, PARTISAN)
    post = Post.objects.get()
    confirm(client, post)
    page = client.get(reverse("cyber:post", kwargs={"pk": post.pk})).content.decode()
    radios = re.findall(r'<input type="radio" name="election_type"[^>]*>', page)
    assert len(radios) == 2 and not any("checked" in radio for radio in radios)
    escalate = reverse("cyber:escalate", kwargs={"pk": post.pk})
    refused = client.post(escalate, {"note": "Catatan penting untuk staf"})
    assert refused.status_code == 200
    assert "Choose which election it is about." in page_text(refused)
    assert "Catatan penting untuk staf" in page_text(refused)
    assert not Case.objects.exists()
    client.post(escalate, {"note": "Catatan penting untuk staf", "election_type": "pilkada"})
    assert Case.objects.get().election_type == "pilkada"


def test_takedown_request_letters_answer_and_overdue(siber: tuple[Any, Client]) -> None:
    _user, client = siber
    capture(client, MONEY, screenshot=SimpleUploadedFile("a.png", png_bytes(9, 4), content_type="image/png"))
    post = Post.objects.get()
    create = reverse("cyber:takedown_create", kwargs={"pk": post.pk})
    refused = client.post(create, {"addressee": "komdigi", "reason": "Ajakan politik uang."})
    assert "Confirm at least one label before asking for a take-down." in page_text(refused)
    assert "Ajakan politik uang." in page_text(refused)

    confirm(client, post, label="politik_uang")
    assert client.post(create, {"addressee": "komdigi", "reason": "Ajakan politik uang."}).status_code == 302
    request = TakedownRequest.objects.get()
    assert request.status == TakedownStatus.SENT

    pdf = client.get(reverse("cyber:takedown_pdf", kwargs={"pk": request.pk}))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    docx = client.get(reverse("cyber:takedown_docx", kwargs={"pk": request.pk}))
    assert docx.status_code == 200
    with zipfile.ZipFile(io.BytesIO(docx.content)) as archive:
        body = archive.read("word/document.xml").decode()
    assert request.number in body
    assert "Permohonan Penurunan Konten" in body and "Menteri Komunikasi dan Digital" in body
    assert post.captures.get().sha256 in body
    assert post.captures.get().screenshot.sha256 in body  # type: ignore[union-attr]
    logged = AuditEntry.objects.filter(action="cyber.takedown_letter_generated", object_id=str(request.pk))
    assert sorted(str((e.after or {}).get("document")) for e in logged) == ["docx", "pdf"]

    listing = reverse("cyber:takedowns")
    assert request.number in page_text(client.get(listing))
    assert 'data-testid="takedown-row"' not in page_text(client.get(listing + "?terlambat=1"))
    TakedownRequest.objects.filter(pk=request.pk).update(
        letter_date=dt.date(2020, 1, 1), answer_due=dt.date(2020, 1, 8)
    )
    overdue = page_text(client.get(listing + "?terlambat=1"))
    assert request.number in overdue and 'data-overdue="1"' in overdue

    answer = reverse("cyber:takedown_answer", kwargs={"pk": request.pk})
    assert client.get(answer).status_code == 200
    response = client.post(
        answer, {"status": TakedownStatus.REMOVED, "answered_on": "2020-01-10", "note": "Sudah diturunkan."}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == TakedownStatus.REMOVED and request.answered_on == dt.date(2020, 1, 10)
    assert 'data-testid="takedown-row"' not in page_text(client.get(listing + "?terlambat=1"))


def test_correction_adds_a_version_and_keeps_the_old(siber: tuple[Any, Client]) -> None:
    _user, client = siber
    capture(client, "Ayo dukung paslon nomr 2")
    post = Post.objects.get()
    url = reverse("cyber:correct", kwargs={"pk": post.pk})
    missing_reason = client.post(url, {"text": "Teks koreksi yang diketik", "reason": ""})
    assert missing_reason.status_code == 200 and "Teks koreksi yang diketik" in page_text(missing_reason)
    assert client.post(url, {"text": "Ayo dukung paslon nomor 2", "reason": "Salah ketik"}).status_code == 302
    assert list(post.captures.order_by("version").values_list("text", flat=True)) == [
        "Ayo dukung paslon nomr 2",
        "Ayo dukung paslon nomor 2",
    ]
    page = page_text(client.get(reverse("cyber:post", kwargs={"pk": post.pk})))
    assert "Salah ketik" in page and page.index("Version 2") < page.index("Version 1")


# --- scope and roles -----------------------------------------------------------------------------


def test_scope_and_roles(siber: tuple[Any, Client], make_user: Callable[..., Any]) -> None:
    _user, client = siber
    capture(client, PARTISAN)
    post = Post.objects.get()
    label = PostLabel.objects.get(post=post, label=ASN_LABEL)
    post_url = reverse("cyber:post", kwargs={"pk": post.pk})
    decide = reverse("cyber:label_decide", kwargs={"pk": post.pk, "label_pk": label.pk})

    Region.objects.create(code="35.73", name="KOTA MALANG", level=2, parent_id="35")
    elsewhere = verified_client(make_user(Role.TIM_SIBER, "35.73"))
    assert elsewhere.get(post_url).status_code == 404
    assert elsewhere.post(decide, {"decision": LabelDecision.CONFIRMED}).status_code == 404
    assert f'data-post="{post.pk}"' not in page_text(elsewhere.get(reverse("cyber:queue")))

    staf_pp = verified_client(make_user(Role.STAF_PP, KAB_MALANG))
    assert staf_pp.get(post_url).status_code == 200  # reads
    assert staf_pp.post(decide, {"decision": LabelDecision.CONFIRMED}).status_code == 403
    assert staf_pp.get(reverse("cyber:capture")).status_code == 403
    pencegahan = verified_client(make_user(Role.STAF_PENCEGAHAN, KAB_MALANG))
    assert pencegahan.get(post_url).status_code == 403
    panwascam = verified_client(make_user(Role.PANWASCAM, GONDANGLEGI))
    assert panwascam.get(reverse("cyber:queue")).status_code == 403
    label.refresh_from_db()
    assert label.decision == LabelDecision.PENDING


# --- sources, campaign accounts, models ---------------------------------------------------------


def test_feed_add_and_fetch_reports_the_error(
    siber: tuple[Any, Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    from awas.cyber.services import posts as post_services
    from awas.cyber.sources import RawPost, SourceError

    _user, client = siber
    response = client.post(
        reverse("cyber:sources"),
        {"name": "Berita lokal", "url": "https://berita.example/rss", "platform": "lainnya"},
    )
    assert response.status_code == 302
    source = Source.objects.get(kind="rss")

    class Broken:
        def fetch(self, url: str, *, timeout: float = 20.0) -> list[RawPost]:
            raise SourceError("The feed server answered 503 Service Unavailable.")

    class Working:
        def fetch(self, url: str, *, timeout: float = 20.0) -> list[RawPost]:
            return [RawPost("lainnya", "https://berita.example/1", "", "Redaksi", MONEY, None, {}, {})]

    fetch = reverse("cyber:source_fetch", kwargs={"pk": source.pk})
    monkeypatch.setattr(post_services, "source_for", lambda kind, **options: Broken())
    page = page_text(client.post(fetch, follow=True))
    assert "503 Service Unavailable" in page
    monkeypatch.setattr(post_services, "source_for", lambda kind, **options: Working())
    page = page_text(client.post(fetch, follow=True))
    assert "1 posts read, 1 new" in page
    assert Post.objects.count() == 1


def test_campaign_account_marks_the_posts_of_that_account(siber: tuple[Any, Client]) -> None:
    _user, client = siber
    capture(client, MONEY, author_handle="@tim.pemenangan")
    response = client.post(
        reverse("cyber:campaign_accounts"),
        {
            "platform": "facebook",
            "handle": "@Tim.Pemenangan",
            "holder": "Tim Paslon 1",
            "url": "",
            "registered_on": "",
        },
    )
    assert response.status_code == 302
    assert 'data-testid="campaign-match"' in page_text(client.get(reverse("cyber:queue")))
    again = client.post(
        reverse("cyber:campaign_accounts"),
        {"platform": "facebook", "handle": "tim.pemenangan", "holder": "Tim Paslon 1"},
    )
    assert again.status_code == 200 and "This account is already registered." in page_text(again)


def test_model_pages_show_versions_and_metrics(
    siber: tuple[Any, Client], make_user: Callable[..., Any]
) -> None:
    from awas.cyber.models import ClassifierModel

    _user, client = siber
    row = ClassifierModel.objects.create(
        name="cyber",
        version=1,
        labels=[ASN_LABEL],
        training_source={"file": "latih.csv", "rows": 240},
        metrics={
            "mean_macro_f1": 0.91,
            "heldout_size": 48,
            "labels": {ASN_LABEL: {"macro_f1": 0.91, "f1_positive": 0.88, "positives": 12, "n": 48}},
        },
        path="cyber/v1",
        sha256="0" * 64,
    )
    assert "cyber v1" in page_text(client.get(reverse("cyber:models")))
    detail = page_text(client.get(reverse("cyber:model_detail", kwargs={"pk": row.pk})))
    assert "ASN partisanship" in detail and "latih.csv" in detail and "0.880" in detail
    staf_pp = verified_client(make_user(Role.STAF_PP, KAB_MALANG))
    assert staf_pp.get(reverse("cyber:models")).status_code == 403


# --- the ASN register links back ---------------------------------------------------------------


def test_the_asn_person_page_links_the_post_after_confirmation(siber: tuple[Any, Client]) -> None:
    _user, client = siber
    budi = person(GONDANGLEGI, "Budi Santoso", position="Guru", unit="SDN 1 Gondanglegi")
    SocialAccount.objects.create(person=budi, platform=Platform.FACEBOOK, handle="budi.santoso")
    capture(client, PARTISAN, author_handle="@Budi.Santoso", author_name="Budi Santoso")
    post = Post.objects.get()
    post_url = reverse("cyber:post", kwargs={"pk": post.pk})
    person_url = reverse("asn:person_detail", kwargs={"pk": budi.pk})
    assert person_url in page_text(client.get(post_url))  # the match links the person
    assert post_url not in page_text(client.get(person_url))
    confirm(client, post)
    page = page_text(client.get(person_url))
    assert f'href="{post_url}"' in page and post.ref in page


def test_the_person_matched_on_a_post_page_is_in_the_audit_log_once_a_day(
    siber: tuple[Any, Client], make_user: Callable[..., Any]
) -> None:
    user, client = siber
    budi = person(GONDANGLEGI, "Budi Santoso", position="Guru", unit="SDN 1 Gondanglegi")
    SocialAccount.objects.create(person=budi, platform=Platform.FACEBOOK, handle="budi.santoso")
    capture(client, PARTISAN, author_handle="@Budi.Santoso", author_name="Budi Santoso")
    capture(client, MONEY, url="https://www.facebook.com/budi.santoso/posts/2", author_handle="@budi.santoso")
    capture(
        client, HARMLESS, url="https://www.facebook.com/lain/posts/3", author_handle="@lain", author_name="X"
    )
    first, second = Post.objects.filter(matches__person=budi).order_by("pk")
    unmatched = Post.objects.exclude(matches__person=budi).get()

    def reads(reader: Any) -> list[Any]:
        entries = AuditEntry.objects.filter(action="asn.personal_viewed", actor=reader).order_by("pk")
        return [(after["read"], after["persons"]) for entry in entries for after in [entry.after or {}]]

    for post in (first, first, second):  # reloaded, then another post of the same author
        page = page_text(client.get(reverse("cyber:post", kwargs={"pk": post.pk})))
        assert "Budi Santoso" in page and "Guru" in page
    assert reads(user) == [("post_matches", [budi.pk])]

    staf_pp = make_user(Role.STAF_PP, KAB_MALANG, username="staf")
    assert verified_client(staf_pp).get(reverse("cyber:post", kwargs={"pk": unmatched.pk})).status_code == 200
    assert reads(staf_pp) == []  # a post matched to no one names no one
    assert "Budi Santoso" in page_text(
        verified_client(staf_pp).get(reverse("cyber:post", kwargs={"pk": first.pk}))
    )
    assert reads(staf_pp) == [("post_matches", [budi.pk])]

    # Staf pencegahan is not shown the post, nor the match: nothing logged.
    pencegahan = make_user(Role.STAF_PENCEGAHAN, KAB_MALANG, username="pencegahan")
    assert verified_client(pencegahan).get(reverse("cyber:post", kwargs={"pk": first.pk})).status_code == 403
    assert reads(pencegahan) == []
