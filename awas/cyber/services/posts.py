"""Capturing posts, classifying them and matching their authors.

A capture is what the team saw: its canonical JSON document (text, author, time, engagement, other
fields, the screenshot's SHA-256, the source, when and by whom) is stored beside its SHA-256 and
never edited. Seeing the same post again with different content, or correcting a typing mistake,
adds a version; seeing it unchanged adds nothing. Every capture is classified at once (the rules,
plus the active trained model where there is one) and its author matched against the ASN register
and the campaign accounts registered with KPU.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import IO, Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from awas.asn.models import Person, Platform
from awas.asn.selectors import NameCandidate, accounts_by_handle, handle_normalise, persons_for_name_matching
from awas.asn.services import asn_record_partisan_post, asn_withdraw_partisan_post
from awas.core.models import EvidenceFile
from awas.core.scope import code_within, region_q
from awas.core.services.audit import audit_batch, audit_record, snapshot
from awas.core.services.evidence import evidence_store
from awas.cyber.labels import ASN_LABEL
from awas.cyber.models import (
    AuthorMatch,
    CampaignAccount,
    Capture,
    LabelDecision,
    MatchKind,
    MatchStatus,
    Post,
    PostLabel,
    ReviewStatus,
    Source,
    SourceKind,
)
from awas.cyber.rules import default_rules
from awas.cyber.selectors import active_classifier, latest_capture
from awas.cyber.sources import RawPost, SourceError, parse_batch, source_for
from awas.regions.models import Region

CAPTURE_FORMAT = "awas-capture/1"
NAME_MATCH_CUTOFF = 88.0  # rapidfuzz token_sort_ratio; below this a name is too different to suggest
NAME_MATCH_LIMIT = 3
# A post whose author is a known ASN or a registered campaign account matters more than an anonymous
# one with the same text: its risk is raised by this share (at most 1).
MATCHED_AUTHOR_BOOST = 0.25
# Academic and religious titles that account names carry and register names may not (or the
# reverse); dropped before comparing names.
TITLES = re.compile(
    r"\b(?:drs?|dra|ir|prof|hj?|kh|ust(?:adz?)?|s\.?\s?(?:pd|ag|sos|ip|kom|h|e|t|kep|km|si|hum|ked)"
    r"|m\.?\s?(?:pd|si|m|ag|ap|h|kes|kom|t|sc)|a\.?\s?md|s\.?\s?st|st)\b\.?",
    re.IGNORECASE,
)
TRACKING_PARAMS = re.compile(r"^(?:utm_\w+|fbclid|igshid|igsh|si|s|t|mibextid|ref|__\w+)$")


# --- captures ------------------------------------------------------------------------------------


def url_key(url: str) -> str:
    """The URL as compared: no scheme, no "www."/"m." host prefix, no tracking parameters, no trailing
    slash, lower-case host. Two shares of one post give the same key."""
    if not url.strip():
        return ""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower()
    for prefix in ("www.", "m.", "mobile.", "web."):
        if host.startswith(prefix):
            host = host[len(prefix) :]
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query) if not TRACKING_PARAMS.match(k)))
    path = parts.path.rstrip("/")
    return f"{host}{path}" + (f"?{query}" if query else "")


def post_key(raw: RawPost) -> str:
    """How the same post is recognised when seen again: its URL; without one, the feed's entry id,
    or else platform, handle, time and text (an identical re-import is then recognised too)."""
    key = url_key(raw.url)
    if key:
        return key[:1000]
    entry = str(raw.metadata.get("entry_id") or "")
    if entry:
        return f"entry:{entry}"[:1000]
    digest = hashlib.sha256(raw.text.encode("utf-8")).hexdigest()[:24]
    return f"{raw.platform}:{handle_normalise(raw.author_handle)}:{_iso(raw.posted_at) or '-'}:{digest}"


def _iso(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat() if value is not None else None


def capture_document(
    *,
    post: Post,
    version: int,
    raw: RawPost,
    source: Source,
    captured_at: dt.datetime,
    captured_by: Any,
    screenshot: EvidenceFile | None,
    correction_reason: str = "",
) -> str:
    """The canonical JSON of a capture: sorted keys, no spaces, UTF-8. "<" is written as \\u003c (the
    same JSON), so the document, stored as evidence on a temuan, is never taken for a web page."""
    doc = {
        "format": CAPTURE_FORMAT,
        "post": post.ref,
        "version": version,
        "platform": raw.platform,
        "url": raw.url,
        "author_handle": raw.author_handle,
        "author_name": raw.author_name,
        "text": raw.text,
        "posted_at": _iso(raw.posted_at),
        "engagement": raw.engagement,
        "metadata": raw.metadata,
        "screenshot_sha256": screenshot.sha256 if screenshot is not None else None,
        "source": {"kind": source.kind, "name": source.name, "url": source.url},
        "captured_at": _iso(captured_at),
        "captured_by": captured_by.get_username() if getattr(captured_by, "pk", None) else "system",
        "correction_reason": correction_reason,
    }
    text = json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return text.replace("<", "\\u003c")


def document_sha256(document: str) -> str:
    return hashlib.sha256(document.encode("utf-8")).hexdigest()


def _same_content(capture: Capture, raw: RawPost, screenshot: EvidenceFile | None) -> bool:
    return (
        capture.text == raw.text
        and capture.author_handle == raw.author_handle
        and capture.author_name == raw.author_name
        and capture.posted_at == raw.posted_at
        and capture.engagement == raw.engagement
        and (screenshot is None or capture.screenshot_id == screenshot.pk)
    )


def actor_or_none(actor: Any) -> Any:
    """The user to record, or None for the system (commands, feeds)."""
    return actor if getattr(actor, "pk", None) else None


@dataclass
class Captured:
    post: Post
    capture: Capture | None  # None: seen before, unchanged
    new_post: bool


def _capture_one(
    raw: RawPost,
    *,
    source: Source,
    region: Region,
    actor: Any,
    screenshot: EvidenceFile | None = None,
    correction_reason: str = "",
    post: Post | None = None,
) -> Captured:
    """Store one capture (inside the caller's transaction); the post is found by :func:`post_key`."""
    key = post_key(raw)
    new_post = False
    if post is None:
        post = Post.objects.select_for_update().filter(url_key=key, region=region).first()
    if post is None:
        post = Post.objects.create(
            region=region,
            platform=raw.platform,
            url=raw.url,
            url_key=key,
            author_handle=handle_normalise(raw.author_handle),
            author_name=raw.author_name,
            posted_at=raw.posted_at,
        )
        new_post = True
    latest = None if new_post else latest_capture(post)
    if latest is not None and not correction_reason and _same_content(latest, raw, screenshot):
        return Captured(post, None, False)
    version = latest.version + 1 if latest is not None else 1
    if latest is not None and not correction_reason:
        correction_reason = _("Captured again: the post had changed.")
    now = timezone.now()
    document = capture_document(
        post=post,
        version=version,
        raw=raw,
        source=source,
        captured_at=now,
        captured_by=actor,
        screenshot=screenshot,
        correction_reason=correction_reason,
    )
    capture = Capture.objects.create(
        post=post,
        version=version,
        source=source,
        text=raw.text,
        author_handle=raw.author_handle,
        author_name=raw.author_name,
        posted_at=raw.posted_at,
        engagement=raw.engagement,
        metadata=raw.metadata,
        screenshot=screenshot,
        correction_reason=correction_reason,
        captured_at=now,
        captured_by=actor_or_none(actor),
        document=document,
        sha256=document_sha256(document),
    )
    if not new_post:
        post.author_handle = handle_normalise(raw.author_handle)
        post.author_name = raw.author_name
        post.posted_at = raw.posted_at
        fields = ["author_handle", "author_name", "posted_at"]
        if post.review_status in (ReviewStatus.REVIEWED, ReviewStatus.DISMISSED):
            # What the reviewer decided on has changed: the post goes back to the queue (the old
            # decisions stay visible beside the new version) and is not training data until then.
            post.review_status = ReviewStatus.NEW
            fields.append("review_status")
        post.save(update_fields=fields)
    return Captured(post, capture, new_post)


def _audit_capture(result: Captured, actor: Any, action: str = "cyber.post_captured") -> None:
    assert result.capture is not None
    audit_record(
        action=action,
        obj=result.post,
        actor=actor_or_none(actor),
        after={
            "version": result.capture.version,
            "sha256": result.capture.sha256,
            "source": result.capture.source_id,
            "url": result.post.url,
        },
    )


def source_for_region(kind: str, region: Region, actor: Any, name: str = "") -> Source:
    """The office's single "pasted by hand" or "imported file" source (created on first use)."""
    default: dict[str, str] = {SourceKind.MANUAL: _("Pasted by hand"), SourceKind.IMPORT: _("Imported files")}
    source, _created = Source.objects.get_or_create(
        region=region,
        kind=kind,
        url="",
        defaults={"name": name or str(default.get(kind, kind)), "created_by": actor_or_none(actor)},
    )
    return source


def post_capture(
    *,
    raw: RawPost,
    region: Region,
    actor: Any,
    screenshot: IO[bytes] | None = None,
    screenshot_name: str = "",
) -> Captured:
    """A post pasted by hand (URL, text as seen, screenshot). The screenshot goes to the evidence
    store, which checks it by content."""
    stored = (
        evidence_store(data=screenshot, original_name=screenshot_name, uploaded_by=actor_or_none(actor))
        if screenshot is not None
        else None
    )
    with transaction.atomic():
        source = source_for_region(SourceKind.MANUAL, region, actor)
        result = _capture_one(raw, source=source, region=region, actor=actor, screenshot=stored)
        if result.capture is not None:
            _audit_capture(result, actor)
            post_analyse(result.post)
    return result


def capture_correct(
    *,
    post: Post,
    text: str,
    reason: str,
    actor: Any,
    author_handle: str | None = None,
    author_name: str | None = None,
    screenshot: IO[bytes] | None = None,
    screenshot_name: str = "",
) -> Capture:
    """A correction: a new version beside the old one, with the reason; the old one stays as it was."""
    if not reason.strip():
        raise ValidationError(_("Say why the capture is corrected."))
    if not text.strip():
        raise ValidationError(_("The text is empty."))
    latest = latest_capture(post)
    if latest is None:
        raise ValidationError(_("This post has no capture to correct."))
    stored = (
        evidence_store(data=screenshot, original_name=screenshot_name, uploaded_by=actor_or_none(actor))
        if screenshot is not None
        else latest.screenshot
    )
    raw = RawPost(
        platform=post.platform,
        url=post.url,
        author_handle=latest.author_handle if author_handle is None else author_handle.strip(),
        author_name=latest.author_name if author_name is None else author_name.strip(),
        text=text.strip(),
        posted_at=latest.posted_at,
        engagement=latest.engagement,
        metadata=latest.metadata,
    )
    with transaction.atomic():
        source = source_for_region(SourceKind.MANUAL, post.region, actor)
        result = _capture_one(
            raw,
            source=source,
            region=post.region,
            actor=actor,
            screenshot=stored,
            correction_reason=reason.strip(),
            post=Post.objects.select_for_update().get(pk=post.pk),
        )
        _audit_capture(result, actor, action="cyber.capture_corrected")
        post_analyse(result.post)
    assert result.capture is not None
    return result.capture


@dataclass
class BatchResult:
    posts: int  # rows read
    new_posts: int
    new_versions: int
    unchanged: int
    sha256: str  # of the file


def batch_import(*, data: bytes, filename: str, region: Region, actor: Any) -> BatchResult:
    """A CSV or JSON export: every row checked first (:func:`parse_batch` lists every bad row and
    nothing is stored), then all rows stored in one transaction."""
    rows = parse_batch(data, filename)
    digest = hashlib.sha256(data).hexdigest()
    return _store_many(
        rows,
        source_of=lambda: source_for_region(SourceKind.IMPORT, region, actor),
        region=region,
        actor=actor,
        file_info={"file": filename[:200], "sha256": digest},
        action="cyber.batch_imported",
    )


def _store_many(
    rows: Sequence[RawPost],
    *,
    source_of: Callable[[], Source],
    region: Region,
    actor: Any,
    file_info: dict[str, Any],
    action: str,
) -> BatchResult:
    names = NameIndex.build()
    new_posts = new_versions = unchanged = 0
    with transaction.atomic(), audit_batch():
        source = source_of()
        for raw in rows:
            result = _capture_one(raw, source=source, region=region, actor=actor)
            if result.capture is None:
                unchanged += 1
                continue
            new_posts += result.new_post
            new_versions += not result.new_post
            _audit_capture(result, actor)  # each post's history starts with its capture
            post_analyse(result.post, names=names)
        summary = {
            **file_info,
            "source": source.pk,
            "rows": len(rows),
            "new_posts": new_posts,
            "new_versions": new_versions,
            "unchanged": unchanged,
        }
        audit_record(action=action, obj=source, actor=actor_or_none(actor), after=summary)
    return BatchResult(len(rows), new_posts, new_versions, unchanged, file_info.get("sha256", ""))


def feed_add(*, name: str, url: str, platform: str, region: Region, actor: Any) -> Source:
    if urlsplit(url).scheme not in {"http", "https"}:
        raise ValidationError(_("A feed address starts with http:// or https://."))
    with transaction.atomic():
        source = Source.objects.create(
            region=region,
            kind=SourceKind.RSS,
            name=(name.strip() or url)[:200],
            url=url,
            platform=platform if platform in Platform.values else Platform.OTHER,
            created_by=actor_or_none(actor),
        )
        audit_record(
            action="cyber.source_added", obj=source, actor=actor_or_none(actor), after=snapshot(source)
        )
    return source


def source_fetch(source: Source, *, actor: Any = None, timeout: float = 20.0) -> BatchResult:
    """Fetch a feed and store what is new or changed. A failure is kept on the source and raised."""
    try:
        rows = source_for(source.kind, platform=source.platform).fetch(source.url, timeout=timeout)
    except SourceError as error:
        Source.objects.filter(pk=source.pk).update(
            last_error=str(error)[:2000], last_fetched_at=timezone.now()
        )
        raise
    result = _store_many(
        rows,
        source_of=lambda: source,
        region=source.region,
        actor=actor,
        file_info={"url": source.url},
        action="cyber.source_fetched",
    )
    Source.objects.filter(pk=source.pk).update(last_error="", last_fetched_at=timezone.now())
    return result


# --- classification ------------------------------------------------------------------------------


@dataclass(frozen=True)
class LabelScore:
    label: str
    score: float
    rule_score: float
    model_score: float | None
    flagged: bool
    reasons: list[dict[str, Any]]


def classify_text(text: str, posted_at: dt.datetime | None) -> tuple[list[LabelScore], str]:
    """Every label's score: the rules' (with their reasons) and the active model's calibrated
    probability where it knows the label; a label is flagged when either flags it."""
    rules = default_rules().classify(text, posted_at)
    loaded = active_classifier()
    model_probs: dict[str, float] = {}
    model_flags: set[str] = set()
    model_name = ""
    if loaded is not None:
        row, classifier = loaded
        model_name = str(row)
        probs = classifier.predict_proba([text])[0]
        flags = classifier.predict([text])[0]
        for j, label in enumerate(classifier.labels):
            model_probs[label] = float(probs[j])
            if flags[j]:
                model_flags.add(label)
    out = []
    for label in [*rules, *(name for name in model_probs if name not in rules)]:
        rule = rules.get(label)
        rule_score = rule.score if rule is not None else 0.0
        model_score = model_probs.get(label)
        reasons = [r.as_dict() for r in rule.reasons] if rule is not None else []
        flagged = bool(rule is not None and rule.flagged) or label in model_flags
        # A schedule label is only about the calendar: the model cannot overrule "allowed today".
        if rule is not None and any(r.kind == "schedule" for r in rule.reasons) and not rule.flagged:
            flagged = False
            model_score = None
        score = max(rule_score, model_score or 0.0)
        out.append(LabelScore(label, score, rule_score, model_score, flagged, reasons))
    return out, model_name


SCORE_FIELDS = ["capture", "score", "rule_score", "model_score", "model_version", "flagged", "reasons"]


def post_analyse(post: Post, *, names: NameIndex | None = None) -> Post:
    """Classify the latest capture, match the author, and set the post's risk (queue order)."""
    capture = latest_capture(post)
    if capture is None:
        return post
    scores, model_name = classify_text(capture.text, capture.posted_at)
    existing = {row.label: row for row in post.labels.all()}
    for s in scores:
        row = existing.get(s.label) or PostLabel(post=post, label=s.label)
        row.capture = capture
        row.score, row.rule_score, row.model_score = s.score, s.rule_score, s.model_score
        row.model_version = model_name if s.model_score is not None else ""
        row.flagged, row.reasons = s.flagged, s.reasons
        # An existing row: the scores only, never the reviewer's decision (saved meanwhile perhaps).
        row.save(update_fields=None if row.pk is None else SCORE_FIELDS)
    matches = author_match(post, names=names)
    top = max(scores, key=lambda s: (s.flagged, s.score), default=None)
    risk = max((s.score for s in scores if s.flagged), default=0.0)
    if risk and any(m.status != MatchStatus.REJECTED for m in matches):
        risk = min(1.0, risk * (1 + MATCHED_AUTHOR_BOOST))
    post.risk = round(risk, 4)
    post.top_label = top.label if top is not None and top.flagged else ""
    post.save(update_fields=["risk", "top_label"])
    return post


# --- author matching -----------------------------------------------------------------------------


def name_key(name: str) -> str:
    """A name as compared: titles (gelar) dropped, letters and spaces only, lower case."""
    cleaned = TITLES.sub(" ", name)
    cleaned = re.sub(r"[^\w\s]|_|\d", " ", cleaned.lower())
    return " ".join(cleaned.split())


@dataclass
class NameIndex:
    """The register's names, cleaned once for a whole batch of posts."""

    keys: dict[int, str]
    by_id: dict[int, NameCandidate]

    @classmethod
    def build(cls) -> NameIndex:
        pool = persons_for_name_matching()
        return cls({c.person_id: name_key(c.name) for c in pool}, {c.person_id: c for c in pool})

    def within(self, office: str) -> NameIndex:
        ids = [pk for pk, c in self.by_id.items() if code_within(c.region_code, office)]
        return NameIndex({pk: self.keys[pk] for pk in ids}, {pk: self.by_id[pk] for pk in ids})


def _office_code(region_code: str) -> str:
    """The kabupaten/kota of a region code: matches never reach beyond the post's office."""
    return ".".join(region_code.split(".")[:2])


def author_match(post: Post, *, names: NameIndex | None = None, actor: Any = None) -> list[AuthorMatch]:
    """Match the author to the ASN register (same account: confirmed; similar name: suggested, with
    the similarity) and to registered campaign accounts, within the post's kabupaten/kota (a person
    of another office is not this office's to see). Decisions already made are kept."""
    office = _office_code(post.region_id)
    found: dict[tuple[str, int], tuple[str, float, str, str]] = {}
    handle = handle_normalise(post.author_handle)
    if handle:
        for account in accounts_by_handle(post.platform, handle):
            if not code_within(account.person.region_id, office):
                continue
            found[("person", account.person_id)] = (
                MatchKind.HANDLE,
                100.0,
                _("The account %(platform)s @%(handle)s is recorded for this person in the ASN register.")
                % {"platform": account.get_platform_display(), "handle": account.handle},
                MatchStatus.CONFIRMED,
            )
        campaigns = CampaignAccount.objects.filter(platform=post.platform, handle=handle)
        for campaign in campaigns.filter(region_q("region__code", office)):
            found[("campaign", campaign.pk)] = (
                MatchKind.CAMPAIGN,
                100.0,
                _("Registered with KPU as a campaign account of %(holder)s.") % {"holder": campaign.holder},
                MatchStatus.CONFIRMED,
            )
    key = name_key(post.author_name)
    if len(key) >= 5 and " " in key:  # one short word ("budi") matches too many people to mean anything
        index = (names if names is not None else NameIndex.build()).within(office)
        for _choice, score, person_id in process.extract(
            key,
            index.keys,
            scorer=fuzz.token_sort_ratio,
            score_cutoff=NAME_MATCH_CUTOFF,
            limit=NAME_MATCH_LIMIT,
        ):
            if ("person", person_id) in found:
                continue
            c = index.by_id[person_id]
            found[("person", person_id)] = (
                MatchKind.NAME,
                float(score),
                _(
                    'The author\'s name "%(author)s" resembles "%(name)s" (%(position)s, %(agency)s): '
                    "%(score)d%% alike."
                )
                % {
                    "author": post.author_name,
                    "name": c.name,
                    "position": c.position or c.kind,
                    "agency": c.agency or "-",
                    "score": round(score),
                },
                MatchStatus.SUGGESTED,
            )
    existing = {
        ("person", m.person_id) if m.person_id else ("campaign", m.campaign_account_id): m
        for m in post.matches.all()
    }
    kept = []
    for key_, (kind, score, reason, status) in found.items():
        row = existing.pop(key_, None)
        if row is None:
            row = AuthorMatch(post=post, status=status, kind=kind, score=score, reason=reason[:300])
            if key_[0] == "person":
                row.person_id = key_[1]
            else:
                row.campaign_account_id = key_[1]
            row.save()
        else:
            fields = ["kind", "score", "reason"]
            row.kind, row.score, row.reason = kind, score, reason[:300]
            if row.decided_by_id is None:  # nobody decided yet: follow the evidence
                row.status = status
                fields.append("status")
            # Only these columns: a reviewer's decision saved meanwhile is not written back.
            row.save(update_fields=fields)
        kept.append(row)
    for stale in existing.values():  # the author changed in a correction
        if stale.decided_by_id is None:
            if stale.person_id:
                asn_withdraw_partisan_post(Person.objects.get(pk=stale.person_id), post.ref, actor=actor)
            stale.delete()
        else:
            kept.append(stale)
    partisan_posts_sync(post, actor=actor)
    return kept


def partisan_posts_sync(post: Post, *, actor: Any = None) -> None:
    """The ASN register counts a post for a person while the post's ASN label and the author match
    are both confirmed; otherwise the attribution is withdrawn (each only once, by the ASN app)."""
    asn_confirmed = post.labels.filter(label=ASN_LABEL, decision=LabelDecision.CONFIRMED).exists()
    for match in post.matches.filter(person__isnull=False).select_related("person"):
        person: Person = match.person  # type: ignore[assignment]
        if asn_confirmed and match.status == MatchStatus.CONFIRMED:
            asn_record_partisan_post(person, post.ref, actor=actor)
        else:
            asn_withdraw_partisan_post(person, post.ref, actor=actor)


def campaign_account_add(
    *,
    region: Region,
    platform: str,
    handle: str,
    holder: str,
    url: str,
    registered_on: dt.date | None,
    actor: Any,
) -> CampaignAccount:
    handle = handle_normalise(handle)
    if not handle:
        raise ValidationError(_("The handle is empty."))
    try:
        with transaction.atomic():
            account = CampaignAccount.objects.create(
                region=region,
                platform=platform,
                handle=handle,
                holder=holder.strip(),
                url=url,
                registered_on=registered_on,
                added_by=actor_or_none(actor),
            )
            audit_record(
                action="cyber.campaign_account_added",
                obj=account,
                actor=actor_or_none(actor),
                after=snapshot(account),
            )
            # Posts already captured from this account: matched now, and their risk follows.
            posts = Post.objects.select_for_update().filter(platform=platform, author_handle=handle)
            for post in posts.filter(region_q("region__code", _office_code(region.code))):
                post_analyse(post)
    except IntegrityError as error:  # registered already (perhaps by another office, or just now)
        raise ValidationError(_("This account is already registered.")) from error
    return account


def screenshot_opened(*, capture: Capture, actor: Any) -> None:
    """Opening evidence is a privileged read (UU 27/2022): it is logged like a case's evidence."""
    assert capture.screenshot is not None
    with transaction.atomic():
        audit_record(
            action="cyber.screenshot_opened",
            obj=capture.post,
            actor=actor_or_none(actor),
            after={"version": capture.version, "sha256": capture.screenshot.sha256},
        )


def demo_posts_load(region: Region) -> int:
    """Sample posts for the demo (each marked ``demo`` in its other fields), once per office."""
    if Post.objects.filter(region=region).exists():
        return 0
    data = resources.files("awas.cyber").joinpath("data", "demo_posts.csv").read_bytes()
    return batch_import(data=data, filename="demo_posts.csv", region=region, actor=None).new_posts


def posts_reanalyse(posts: Iterable[Post]) -> int:
    """Classify again (after a new model was activated); returns how many posts."""
    names = NameIndex.build()
    n = 0
    for post in posts:
        with transaction.atomic():
            post_analyse(Post.objects.select_for_update().get(pk=post.pk), names=names)
        n += 1
    return n


__all__ = [
    "BatchResult",
    "Captured",
    "author_match",
    "batch_import",
    "campaign_account_add",
    "capture_correct",
    "classify_text",
    "demo_posts_load",
    "feed_add",
    "post_analyse",
    "post_capture",
    "source_fetch",
    "url_key",
]
