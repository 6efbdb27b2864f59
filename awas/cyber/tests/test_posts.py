"""Capturing, classifying, matching, reviewing, escalating and take-down requests (services)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from awas.asn.models import Person, PersonKind, SocialAccount
from awas.asn.tests.helpers import person
from awas.cases.models import Case, CaseKind, Channel
from awas.conftest import GONDANGLEGI, KAB_MALANG
from awas.core.models import AuditEntry
from awas.core.roles import Role
from awas.core.services.evidence import evidence_open
from awas.cyber.labels import ASN_LABEL
from awas.cyber.models import (
    AuthorMatch,
    Capture,
    LabelDecision,
    MatchKind,
    MatchStatus,
    Post,
    ReviewStatus,
    TakedownStatus,
)
from awas.cyber.services import posts, review
from awas.cyber.sources import ImportProblems, RawPost

WIB = dt.timezone(dt.timedelta(hours=7))
PARTISAN = "Ayo dukung paslon nomor 2! Saya ASN di Dinas Pendidikan siap memenangkan, coblos nomor 2"
NEUTRAL = "Jalan di Desa Putat Kidul rusak parah sejak hujan kemarin, mohon diperbaiki"


def raw(text: str = PARTISAN, **fields: Any) -> RawPost:
    values: dict[str, Any] = {
        "platform": "facebook",
        "url": "https://www.facebook.com/budi.s/posts/1001?fbclid=abc",
        "author_handle": "@Budi.S",
        "author_name": "Budi Santoso",
        "text": text,
        "posted_at": dt.datetime(2024, 10, 20, 9, 30, tzinfo=WIB),
        "engagement": {"likes": 120},
        "metadata": {},
    }
    values.update(fields)
    return RawPost(**values)


@pytest.fixture
def siber(malang: Any, make_user: Any) -> Any:
    return make_user(Role.TIM_SIBER, KAB_MALANG)


@pytest.fixture
def budi(malang: Any) -> Person:
    found = person(GONDANGLEGI, "Drs. BUDI SANTOSO, M.Pd", position="Kepala Sekolah SDN 1 Gondanglegi")
    SocialAccount.objects.create(person=found, platform="facebook", handle="budi.s")
    return found


def capture(siber: Any, **fields: Any) -> posts.Captured:
    return posts.post_capture(raw=raw(**fields), region=siber.scope_region, actor=siber)


# --- captures ------------------------------------------------------------------------------------


def test_capture_stores_canonical_document_with_its_hash(siber: Any) -> None:
    result = capture(siber)
    assert result.new_post and result.capture is not None
    doc = result.capture.document
    assert hashlib.sha256(doc.encode("utf-8")).hexdigest() == result.capture.sha256
    parsed = json.loads(doc)
    assert parsed["text"] == PARTISAN
    assert parsed["posted_at"] == "2024-10-20T02:30:00+00:00"
    assert parsed["captured_by"] == siber.username
    assert result.post.author_handle == "budi.s"
    assert AuditEntry.objects.filter(action="cyber.post_captured", object_id=str(result.post.pk)).exists()


def test_same_post_seen_again_unchanged_adds_nothing_changed_adds_a_version(siber: Any) -> None:
    first = capture(siber)
    # Shared through another link form of the same post: same post, nothing new.
    again = capture(siber, url="http://m.facebook.com/budi.s/posts/1001/")
    assert again.post.pk == first.post.pk and again.capture is None
    edited = capture(siber, text=PARTISAN + " (diedit)")
    assert edited.post.pk == first.post.pk
    assert edited.capture is not None and edited.capture.version == 2
    assert Capture.objects.get(post=first.post, version=1).text == PARTISAN  # the old one untouched


def test_correction_is_a_new_version_with_its_reason(siber: Any) -> None:
    first = capture(siber)
    with pytest.raises(ValidationError):
        posts.capture_correct(post=first.post, text="x", reason=" ", actor=siber)
    corrected = posts.capture_correct(
        post=first.post, text=PARTISAN.replace("nomor 2", "nomor 02"), reason="salah ketik", actor=siber
    )
    assert corrected.version == 2 and corrected.correction_reason == "salah ketik"
    assert corrected.sha256 != first.capture.sha256  # type: ignore[union-attr]
    assert first.post.captures.count() == 2


def test_script_in_text_never_makes_the_document_markup(siber: Any) -> None:
    result = capture(siber, text="<script>alert(1)</script> dukung paslon")
    assert "<" not in result.capture.document  # type: ignore[union-attr]
    assert json.loads(result.capture.document)["text"].startswith("<script>")  # type: ignore[union-attr]


def test_screenshot_checked_by_content(siber: Any) -> None:
    from awas.core.services.evidence import EvidenceRejected

    with pytest.raises(EvidenceRejected):
        posts.post_capture(
            raw=raw(),
            region=siber.scope_region,
            actor=siber,
            screenshot=io.BytesIO(b"<html><script>alert(1)</script></html>"),
            screenshot_name="layar.png",
        )
    assert not Post.objects.exists()


# --- classification and risk -----------------------------------------------------------------------


def test_partisan_post_flagged_with_reasons_and_ranked_above_a_neutral_one(siber: Any) -> None:
    partisan = capture(siber).post
    neutral = capture(siber, text=NEUTRAL, url="https://facebook.com/warga/posts/2").post
    label = partisan.labels.get(label=ASN_LABEL)
    assert label.flagged and label.reasons
    assert partisan.top_label == ASN_LABEL
    assert not neutral.labels.filter(flagged=True).exists()
    assert list(Post.objects.order_by("-risk")) == [partisan, neutral]


def test_campaign_in_masa_tenang_flagged_by_the_calendar(siber: Any) -> None:
    # Pilkada 2024: masa tenang 24-26 November 2024.
    calm = capture(
        siber,
        text="Ayo coblos paslon nomor 1 besok, jangan lupa datang ke TPS! #pilihnomor1",
        url="https://x.com/relawan/status/9",
        posted_at=dt.datetime(2024, 11, 25, 20, 0, tzinfo=WIB),
    ).post
    label = calm.labels.get(label="kampanye_luar_jadwal")
    assert label.flagged
    assert any(r["kind"] == "schedule" and r["allowed"] is False for r in label.reasons)


# --- author matching -----------------------------------------------------------------------------


def test_same_handle_matches_the_register_and_is_confirmed(siber: Any, budi: Person) -> None:
    post = capture(siber).post
    match = post.matches.get()
    assert (match.person_id, match.kind, match.status) == (budi.pk, MatchKind.HANDLE, MatchStatus.CONFIRMED)
    assert "budi.s" in match.reason


def test_similar_name_is_suggested_with_its_similarity_titles_ignored(siber: Any, budi: Person) -> None:
    post = capture(siber, author_handle="pakbudi_gdl", author_name="Budi Santoso S.Pd").post
    match = post.matches.get()
    assert match.kind == MatchKind.NAME and match.status == MatchStatus.SUGGESTED
    assert match.score >= posts.NAME_MATCH_CUTOFF
    assert "Budi Santoso" in match.reason and "%" in match.reason


def test_unrelated_name_and_single_first_name_do_not_match(siber: Any, budi: Person) -> None:
    assert not capture(siber, author_handle="x1", author_name="Siti Aminah").post.matches.exists()
    assert not capture(
        siber, author_handle="x2", author_name="Budi", url="https://fb.com/p/3"
    ).post.matches.exists()


def test_registered_campaign_account_is_matched(siber: Any) -> None:
    post = capture(
        siber, platform="instagram", author_handle="paslon2.official", url="https://instagram.com/p/7"
    ).post
    posts.campaign_account_add(
        region=siber.scope_region,
        platform="instagram",
        handle="@Paslon2.Official",
        holder="Tim Kampanye Paslon 2",
        url="",
        registered_on=dt.date(2024, 9, 20),
        actor=siber,
    )
    match = post.matches.get()
    assert match.kind == MatchKind.CAMPAIGN and "Paslon 2" in match.reason
    with pytest.raises(ValidationError):
        posts.campaign_account_add(
            region=siber.scope_region,
            platform="instagram",
            handle="paslon2.official",
            holder="lagi",
            url="",
            registered_on=None,
            actor=siber,
        )


# --- batch import ---------------------------------------------------------------------------------

GOOD_CSV = (
    "platform,url,author_handle,author_name,text,posted_at,likes\n"
    f'facebook,https://facebook.com/budi.s/posts/1,budi.s,Budi Santoso,"{PARTISAN}",20/10/2024 09:30,12\n'
    f'x,https://x.com/warga/status/5,warga,Warga,"{NEUTRAL}",20/10/2024 10:00,3\n'
)


def test_batch_import_stores_every_row_once(siber: Any, budi: Person) -> None:
    result = posts.batch_import(
        data=GOOD_CSV.encode(), filename="ekspor.csv", region=siber.scope_region, actor=siber
    )
    assert (result.posts, result.new_posts, result.unchanged) == (2, 2, 0)
    again = posts.batch_import(
        data=GOOD_CSV.encode(), filename="ekspor.csv", region=siber.scope_region, actor=siber
    )
    assert (again.new_posts, again.new_versions, again.unchanged) == (0, 0, 2)
    assert Post.objects.count() == 2
    assert Post.objects.order_by("-risk").first().matches.get().person_id == budi.pk  # type: ignore[union-attr]
    assert AuditEntry.objects.filter(action="cyber.batch_imported").count() == 2


def test_batch_with_a_bad_row_imports_nothing(siber: Any) -> None:
    bad = GOOD_CSV + "facebook,https://facebook.com/p/9,a,A,,20/10/2024 11:00,1\n"
    with pytest.raises(ImportProblems) as caught:
        posts.batch_import(data=bad.encode(), filename="ekspor.csv", region=siber.scope_region, actor=siber)
    assert any("4" in problem for problem in caught.value.problems)
    assert not Post.objects.exists() and not Capture.objects.exists()


# --- review, escalation, take-down ----------------------------------------------------------------


def test_confirming_the_asn_label_counts_the_post_for_the_matched_person(siber: Any, budi: Person) -> None:
    post = capture(siber).post
    label = post.labels.get(label=ASN_LABEL)
    review.label_decide(label=label, decision=LabelDecision.CONFIRMED, actor=siber)
    budi.refresh_from_db()
    post.refresh_from_db()
    assert budi.partisan_posts == 1 and post.review_status == ReviewStatus.REVIEWED
    assert budi.partisan_post_refs.get().post_ref == post.ref
    # The reviewer finds the match wrong after all: the count is taken back.
    review.match_decide(match=post.matches.get(), status=MatchStatus.REJECTED, actor=siber)
    budi.refresh_from_db()
    assert budi.partisan_posts == 0


def test_rejecting_every_flagged_label_dismisses_the_post(siber: Any) -> None:
    post = capture(siber).post
    for label in post.labels.filter(flagged=True):
        review.label_decide(label=label, decision=LabelDecision.REJECTED, actor=siber)
    post.refresh_from_db()
    assert post.review_status == ReviewStatus.DISMISSED


def test_escalation_makes_a_temuan_with_the_capture_attached(siber: Any, budi: Person) -> None:
    post = capture(siber).post
    with pytest.raises(ValidationError):
        review.post_escalate(post=post, actor=siber)  # nothing confirmed yet
    review.label_decide(label=post.labels.get(label=ASN_LABEL), decision=LabelDecision.CONFIRMED, actor=siber)
    case = review.post_escalate(post=post, actor=siber, note="akun aktif")
    latest = post.captures.get()
    assert (case.kind, case.channel, case.source_ref) == (CaseKind.TEMUAN, Channel.CYBER, post.ref)
    assert latest.sha256 in case.chronology and "Ketidaknetralan ASN" in case.chronology
    assert case.terlapor_name == budi.name
    hashes = {item.evidence.sha256 for item in case.evidence.select_related("evidence")}
    assert latest.sha256 in hashes
    document = next(i.evidence for i in case.evidence.all() if i.evidence.sha256 == latest.sha256)
    with evidence_open(document) as handle:
        assert handle.read().decode("utf-8") == latest.document
    post.refresh_from_db()
    assert post.review_status == ReviewStatus.ESCALATED and post.case_id == case.pk
    assert review.post_escalate(post=post, actor=siber).pk == case.pk  # twice: the same temuan
    assert Case.objects.filter(source_ref=post.ref).count() == 1


def test_takedown_request_numbered_and_answered(siber: Any) -> None:
    post = capture(siber).post
    with pytest.raises(ValidationError):
        review.takedown_request(post=post, addressee="komdigi", reason="hoaks", actor=siber)
    review.label_decide(label=post.labels.get(label=ASN_LABEL), decision=LabelDecision.CONFIRMED, actor=siber)
    day = dt.date(2024, 10, 21)
    first = review.takedown_request(
        post=post, addressee="komdigi", reason="ASN berkampanye", actor=siber, letter_date=day
    )
    second = review.takedown_request(
        post=post, addressee="bssn", reason="ASN berkampanye", actor=siber, letter_date=day
    )
    assert first.number == "001/PS/SIBER/35.07/X/2024" and second.number.startswith("002/")
    assert first.answer_due == day + dt.timedelta(days=review.TAKEDOWN_FOLLOW_UP_DAYS)
    with pytest.raises(ValidationError):
        review.takedown_answer(
            request=first, status="diturunkan", answered_on=day - dt.timedelta(days=1), note="", actor=siber
        )
    answered = review.takedown_answer(
        request=first, status=TakedownStatus.REMOVED, answered_on=day, note="ok", actor=siber
    )
    assert answered.status == TakedownStatus.REMOVED
    assert AuditEntry.objects.filter(action="cyber.takedown_answered").exists()


def test_reviewed_posts_become_training_rows(siber: Any, tmp_path: Any) -> None:
    for i in range(6):
        post = capture(siber, url=f"https://facebook.com/p/{i}", text=f"{PARTISAN} {i}").post
        review.label_decide(
            label=post.labels.get(label=ASN_LABEL), decision=LabelDecision.CONFIRMED, actor=siber
        )
    neutral = capture(siber, url="https://facebook.com/p/n", text=NEUTRAL).post
    capture(siber, url="https://facebook.com/p/unreviewed", text=NEUTRAL + " lagi")
    some = neutral.labels.first()
    assert some is not None
    review.label_decide(label=some, decision=LabelDecision.REJECTED, actor=siber)
    labels, n = review.reviewed_dataset_write(tmp_path / "r.csv")
    assert labels == [ASN_LABEL] and n == 7  # the unreviewed post is not training data
    lines = (tmp_path / "r.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == f"text,{ASN_LABEL}" and sum(line.endswith(",1") for line in lines) == 6


def test_match_to_a_person_outside_the_register_kind_is_kept_plain(siber: Any, malang: Any) -> None:
    village_head = person(
        GONDANGLEGI, "Sutrisno Hadi", kind=PersonKind.KEPALA_DESA, position="Kepala Desa Putat Kidul"
    )
    SocialAccount.objects.create(person=village_head, platform="tiktok", handle="kades_sutrisno")
    post = capture(
        siber, platform="tiktok", author_handle="kades_sutrisno", url="https://tiktok.com/@k/video/1"
    ).post
    assert AuthorMatch.objects.get(post=post).person_id == village_head.pk


def test_retraining_from_reviews_trains_evaluates_and_activates(siber: Any, data_dir: Any) -> None:
    from awas.cyber.models import ClassifierModel
    from awas.cyber.tests.conftest import synthetic_rows

    for i, row in enumerate(synthetic_rows(120)):
        post = capture(siber, url=f"https://facebook.com/p/{i}", text=row["text"]).post
        decision = LabelDecision.CONFIRMED if row["asn"] == "1" else LabelDecision.REJECTED
        review.label_decide(label=post.labels.get(label=ASN_LABEL), decision=decision, actor=siber)
    model = review.model_train_from_reviews(actor=siber)
    assert model.is_active and model.labels == [ASN_LABEL]
    # Posts with another flagged label still undecided are not finished, hence not training data.
    finished = Post.objects.exclude(review_status=ReviewStatus.NEW).count()
    assert 60 < finished < 120 and model.training_source["reviewed_posts"] == finished
    assert model.metrics["heldout_size"] == round(finished * 0.2) and model.metrics["mean_macro_f1"] > 0.8
    # The next capture is scored by the model too, beside the rules.
    scored = capture(siber, url="https://facebook.com/p/new", text="pak camat dukung paslon hari ini").post
    label = scored.labels.get(label=ASN_LABEL)
    assert label.model_score is not None and label.model_version == str(model)
    assert ClassifierModel.objects.filter(is_active=True).count() == 1


# --- commands ------------------------------------------------------------------------------------


def test_fetch_command_captures_a_feed_once_and_keeps_errors_on_the_source(
    siber: Any, feed_server: str
) -> None:
    from django.core.management import CommandError, call_command

    from awas.cyber.models import Source

    feed = posts.feed_add(
        name="Berita lokal",
        url=f"{feed_server}/rss.xml",
        platform="lainnya",
        region=siber.scope_region,
        actor=siber,
    )
    broken = posts.feed_add(
        name="Hilang",
        url=f"{feed_server}/tidak-ada.xml",
        platform="lainnya",
        region=siber.scope_region,
        actor=siber,
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 source"):
        call_command("cyber", "fetch", stdout=out, stderr=io.StringIO())
    assert "3 new posts" in out.getvalue()
    assert Post.objects.count() == 3 and Capture.objects.filter(source=feed).count() == 3
    assert "404" in Source.objects.get(pk=broken.pk).last_error
    call_command("cyber", "fetch", "--source", str(feed.pk), stdout=(out := io.StringIO()))
    assert "0 new posts" in out.getvalue() and "3 unchanged" in out.getvalue()


def test_import_command_lists_every_bad_line_and_imports_nothing(siber: Any, tmp_path: Any) -> None:
    from django.core.management import CommandError, call_command

    bad = tmp_path / "ekspor.csv"
    bad.write_bytes(
        GOOD_CSV.encode()
        + b"facebook,https://fb.com/p/8,a,A,,20/10/2024 11:00,1\n"
        + b"myspace,https://x.y/1,b,B,teks,,\n"
    )
    with pytest.raises(CommandError) as caught:
        call_command("cyber", "import", str(bad), "--region", KAB_MALANG)
    assert (
        "4" in str(caught.value) and "5" in str(caught.value) and "nothing was imported" in str(caught.value)
    )
    assert not Post.objects.exists()
    good = tmp_path / "baik.csv"
    good.write_text(GOOD_CSV, encoding="utf-8")
    out = io.StringIO()
    call_command("cyber", "import", str(good), "--region", KAB_MALANG, "--user", siber.username, stdout=out)
    assert "2 new posts" in out.getvalue() and Post.objects.count() == 2


def test_demo_posts_load_once_and_rank_the_partisan_and_money_posts_first(malang: Any) -> None:
    from awas.regions.models import Region

    region = Region.objects.get(code=KAB_MALANG)
    assert posts.demo_posts_load(region) == 8
    assert posts.demo_posts_load(region) == 0
    ranked = list(Post.objects.order_by("-risk"))
    assert {p.top_label for p in ranked[:4]} >= {ASN_LABEL, "politik_uang"}
    assert ranked[-1].top_label == "" and "Jalan" in ranked[-1].captures.get().text
    assert all(c.metadata.get("demo") == "1" for c in Capture.objects.all())


def test_a_capture_cannot_be_edited_or_deleted(siber: Any) -> None:
    from django.db import DatabaseError, transaction

    from awas.conftest import database_vendor
    from awas.cyber.models import CaptureImmutable

    stored = capture(siber).capture
    assert stored is not None
    stored.text = "diubah"
    with pytest.raises(CaptureImmutable):
        stored.save()
    with pytest.raises(CaptureImmutable):
        stored.delete()
    if database_vendor() == "postgresql":  # the database itself refuses bulk and raw edits
        for change in (
            lambda: Capture.objects.filter(pk=stored.pk).update(text="diubah"),
            lambda: Capture.objects.filter(pk=stored.pk)._raw_delete("default"),
        ):
            with pytest.raises(DatabaseError, match="never edited"), transaction.atomic():
                change()
    assert Capture.objects.get(pk=stored.pk).text == PARTISAN


def test_verify_finds_a_capture_changed_behind_the_applications_back(siber: Any) -> None:
    from django.core.management import CommandError, call_command
    from django.db import connection

    from awas.conftest import database_vendor

    stored = capture(siber).capture
    second = capture(siber, url="https://facebook.com/p/kedua").capture
    assert stored is not None and second is not None
    call_command("cyber", "verify", stdout=io.StringIO())
    if database_vendor() == "postgresql":  # someone with the database owner's rights lifts the trigger
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks: ALTER may run
            cursor.execute("ALTER TABLE cyber_capture DISABLE TRIGGER awas_capture_append_only")
    # The document edited: the hash gives it away.
    Capture.objects.filter(pk=stored.pk).update(document=stored.document.replace("nomor 2", "nomor 1"))
    # The shown text edited alone, the document left as it was: found too.
    Capture.objects.filter(pk=second.pk).update(text="teks lain")
    err = io.StringIO()
    with pytest.raises(CommandError, match="2 capture"):
        call_command("cyber", "verify", stdout=io.StringIO(), stderr=err)
    assert f"id {stored.pk}" in err.getvalue() and f"id {second.pk}" in err.getvalue()


def test_reasons_are_worded_in_the_readers_language(siber: Any) -> None:
    from django.utils import translation

    from awas.cyber.templatetags.cyber_tags import reason_text

    post = capture(
        siber,
        text="Ayo coblos paslon nomor 1 besok, jangan lupa datang ke TPS! #pilihnomor1",
        url="https://x.com/relawan/status/10",
        posted_at=dt.datetime(2024, 11, 25, 20, 0, tzinfo=WIB),
    ).post
    reasons = post.labels.get(label="kampanye_luar_jadwal").reasons
    schedule = next(r for r in reasons if r["kind"] == "schedule")
    with translation.override("id"):
        text = reason_text(schedule)
        assert "25 November 2024" in text and "masa tenang" in text and "tidak" in text
        assert all("phrase" not in reason_text(r) for r in reasons)
    with translation.override("en"):
        assert reason_text(schedule).endswith("campaigning not allowed")


def test_a_changed_version_sends_a_reviewed_post_back_and_escalation_carries_every_version(
    siber: Any, budi: Person
) -> None:
    post = capture(siber).post
    review.label_decide(label=post.labels.get(label=ASN_LABEL), decision=LabelDecision.CONFIRMED, actor=siber)
    first = post.captures.get()
    # The author softens the post after the review: back to the queue, the decision kept in sight.
    edited = capture(siber, text="Selamat pagi warga, semoga sehat selalu").capture
    assert edited is not None
    post.refresh_from_db()
    assert post.review_status == ReviewStatus.NEW
    assert post.labels.get(label=ASN_LABEL).decision == LabelDecision.CONFIRMED
    case = review.post_escalate(post=post, actor=siber)
    assert first.sha256 in case.chronology and edited.sha256 in case.chronology
    assert PARTISAN in case.chronology  # the confirmed text travels with the temuan
    hashes = {item.evidence.sha256 for item in case.evidence.select_related("evidence")}
    assert {first.sha256, edited.sha256} <= hashes


def test_matches_stay_within_the_office_and_counts_follow_the_author(siber: Any, budi: Person) -> None:
    from awas.regions.services import regions_load

    regions_load("35.73")  # Kota Malang: another office
    other = person("35.73.01", "Budi Santoso", position="Guru")
    SocialAccount.objects.create(person=other, platform="facebook", handle="budi.s")
    post = capture(siber).post
    assert {m.person_id for m in post.matches.all()} == {budi.pk}
    review.label_decide(label=post.labels.get(label=ASN_LABEL), decision=LabelDecision.CONFIRMED, actor=siber)
    budi.refresh_from_db()
    assert budi.partisan_posts == 1
    # A correction shows another author: the attribution to Budi is withdrawn.
    posts.capture_correct(
        post=post, text=PARTISAN, reason="akun salah dibaca", author_handle="orang.lain", actor=siber
    )
    budi.refresh_from_db()
    other.refresh_from_db()
    assert budi.partisan_posts == 0 and other.partisan_posts == 0
