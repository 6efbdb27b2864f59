"""Reads of cyber supervision: classifier models, the review queue, posts and their captures,
labels and matches, take-down requests, sources and campaign accounts (always through the user's
region scope)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Substr

from awas.cyber.classifier import TextClassifier
from awas.cyber.models import (
    AuthorMatch,
    CampaignAccount,
    Capture,
    ClassifierModel,
    LabelDecision,
    MatchStatus,
    Post,
    PostLabel,
    ReviewStatus,
    Source,
    TakedownRequest,
    TakedownStatus,
)

MODEL_FILES = ("model.json", "arrays.npz", "heldout.json")


def models_root() -> Path:
    return Path(settings.DATA_DIR) / "models"


def model_folder(model: ClassifierModel) -> Path:
    return models_root() / model.path


def files_sha256(folder: Path) -> str:
    digest = hashlib.sha256()
    for name in MODEL_FILES:
        digest.update(name.encode())
        digest.update((folder / name).read_bytes())
    return digest.hexdigest()


class ModelFilesChanged(RuntimeError):
    pass


def model_load(model: ClassifierModel) -> TextClassifier:
    """The trained classifier of a version, after checking its files against the recorded SHA-256."""
    folder = model_folder(model)
    if files_sha256(folder) != model.sha256:
        raise ModelFilesChanged(f"{model}: the files in {folder} do not match their recorded SHA-256")
    return TextClassifier.load(folder)


def active_model(name: str = "cyber") -> ClassifierModel | None:
    return ClassifierModel.objects.filter(name=name, is_active=True).first()


def model_versions(name: str = "cyber") -> list[ClassifierModel]:
    return list(ClassifierModel.objects.filter(name=name).order_by("-version"))


# One loaded classifier per process, keyed by the version row and its files' digest: activating or
# rolling back another version is seen at the next post.
_loaded: dict[tuple[int, str], TextClassifier] = {}


def active_classifier(name: str = "cyber") -> tuple[ClassifierModel, TextClassifier] | None:
    row = active_model(name)
    if row is None:
        return None
    key = (row.pk, row.sha256)
    if key not in _loaded:
        _loaded.clear()
        _loaded[key] = model_load(row)
    return row, _loaded[key]


# --- the review queue and posts ------------------------------------------------------------------

EXCERPT_CHARS = 280


@dataclass(frozen=True)
class QueueFilters:
    review_status: str = ""
    label: str = ""  # a label code: posts where that label is flagged
    platform: str = ""
    q: str = ""  # in the author's handle or name


def posts_visible(user: Any) -> QuerySet[Post]:
    return Post.objects.visible_to(user)


def post_queue(user: Any, filters: QueueFilters | None = None) -> QuerySet[Post]:
    """Posts in the user's scope, those waiting for review first, each group highest risk first,
    with an excerpt of the latest capture and whether the author matched a person in the ASN
    register or a registered campaign account."""
    filters = filters or QueueFilters()
    posts = posts_visible(user)
    if filters.review_status:
        posts = posts.filter(review_status=filters.review_status)
    if filters.label:
        posts = posts.filter(labels__label=filters.label, labels__flagged=True)
    if filters.platform:
        posts = posts.filter(platform=filters.platform)
    if filters.q.strip():
        term = filters.q.strip().lstrip("@")
        posts = posts.filter(Q(author_handle__icontains=term) | Q(author_name__icontains=term))
    latest = Capture.objects.filter(post=OuterRef("pk")).order_by("-version")
    live = AuthorMatch.objects.filter(post=OuterRef("pk")).exclude(status=MatchStatus.REJECTED)
    return posts.annotate(
        excerpt=Substr(Subquery(latest.values("text")[:1]), 1, EXCERPT_CHARS),
        asn_match=Exists(live.filter(person__isnull=False)),
        campaign_match=Exists(live.filter(campaign_account__isnull=False)),
        # Posts waiting for review come first, whatever the risk of those already dealt with.
        done=Case(When(review_status=ReviewStatus.NEW, then=Value(0)), default=Value(1)),
    ).order_by("done", "-risk", "-first_captured_at", "-pk")


def latest_capture(post: Post) -> Capture | None:
    """What the post says now: its newest capture version."""
    return post.captures.order_by("-version").first()


def post_captures(post: Post) -> QuerySet[Capture]:
    """Every version of what was seen, newest first."""
    return post.captures.select_related("source", "captured_by", "screenshot").order_by("-version")


def post_labels(post: Post) -> QuerySet[PostLabel]:
    return post.labels.select_related("decided_by").order_by("-flagged", "-score", "label")


def post_matches(post: Post) -> QuerySet[AuthorMatch]:
    return post.matches.select_related("person", "person__agency", "campaign_account", "decided_by")


def post_has_confirmed_label(post: Post) -> bool:
    return post.labels.filter(decision=LabelDecision.CONFIRMED).exists()


def post_case_evidence(post: Post) -> list[Any]:
    """The files the escalation attached to the post's temuan (name, SHA-256), read from the cases
    app. Not what the case gathers later (a saksi's statement, a clarification's attachments):
    the cyber team has no case pages and no need to know them (UU 27/2022)."""
    if not post.case_id or post.escalated_at is None:
        return []
    from awas.cases.models import CaseEvidence

    attached = CaseEvidence.objects.filter(
        case_id=post.case_id, clarification__isnull=True, added_at__lte=post.escalated_at
    )
    return list(attached.select_related("evidence").order_by("pk"))


# --- take-down requests ------------------------------------------------------------------------------


def takedowns_visible(user: Any) -> QuerySet[TakedownRequest]:
    return TakedownRequest.objects.filter(post__in=posts_visible(user))


def takedown_list(user: Any, *, overdue_on: dt.date | None = None) -> QuerySet[TakedownRequest]:
    """Requests in scope, newest first; with ``overdue_on``, only those still waiting for an answer
    whose answer was due before that day."""
    rows = takedowns_visible(user).select_related("post", "capture", "created_by")
    if overdue_on is not None:
        rows = rows.filter(status=TakedownStatus.SENT, answer_due__lt=overdue_on)
    return rows.order_by("-letter_date", "-pk")


# --- sources and campaign accounts ---------------------------------------------------------------


def sources_visible(user: Any) -> QuerySet[Source]:
    return Source.objects.visible_to(user).select_related("created_by").order_by("kind", "name")


def campaign_accounts_visible(user: Any) -> QuerySet[CampaignAccount]:
    return CampaignAccount.objects.visible_to(user).select_related("added_by")


# --- classifier model pages --------------------------------------------------------------------


@dataclass(frozen=True)
class Activation:
    at: Any
    by: str
    action: str  # "cyber_model.activated" or "cyber_model.rolled_back"
    forced: bool
    reason: str


def model_activations(model: ClassifierModel) -> list[Activation]:
    """When and by whom a version was made active (from the audit log), newest first."""
    from awas.core.models import AuditEntry

    entries = AuditEntry.objects.filter(
        action__in=("cyber_model.activated", "cyber_model.rolled_back"),
        object_type=ClassifierModel._meta.label,
        object_id=str(model.pk),
    ).order_by("-created_at", "-pk")
    out = []
    for entry in entries:
        after = entry.after if isinstance(entry.after, dict) else {}
        out.append(
            Activation(
                at=entry.created_at,
                by=entry.actor_name,
                action=entry.action,
                forced=bool(after.get("forced")),
                reason=str(after.get("reason", "")),
            )
        )
    return out


def captures_tampered(captures: Iterable[Capture] | None = None) -> Iterator[Capture]:
    """Captures whose stored document no longer hashes to their recorded SHA-256, or whose columns
    (what the pages show and the classifier reads) no longer say what the document says."""
    rows = captures if captures is not None else Capture.objects.order_by("id").iterator(chunk_size=500)
    for capture in rows:
        if hashlib.sha256(capture.document.encode("utf-8")).hexdigest() != capture.sha256:
            yield capture
            continue
        doc = json.loads(capture.document)
        posted = capture.posted_at.astimezone(dt.UTC).isoformat() if capture.posted_at else None
        columns = (capture.text, capture.author_handle, capture.author_name, posted, capture.engagement)
        if columns != (
            doc["text"],
            doc["author_handle"],
            doc["author_name"],
            doc["posted_at"],
            doc["engagement"],
        ):
            yield capture
