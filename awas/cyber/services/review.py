"""The cyber team's decisions: labels confirmed or rejected, author matches, escalation of a
confirmed post to a temuan with its capture attached, take-down requests to Komdigi or BSSN, and
retraining from the reviewed posts.

DOMAIN.md (cyber supervision): findings go into Form A / temuan with the URL, the account, the
platform and the screenshot's hash; Bawaslu cannot take content down itself, it asks Komdigi
(formerly Kominfo) and BSSN and records the request and its answer.
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from awas.cases.formatting import tanggal, today_local
from awas.cases.models import Case, Channel
from awas.cases.services.common import ROMAN_MONTHS, counter_next
from awas.cases.services.workflow import CaseFacts, temuan_create
from awas.core.models.deadlines import ElectionType
from awas.core.services.audit import audit_record, snapshot
from awas.core.services.evidence import evidence_open
from awas.cyber.labels import ASN_LABEL, label_title
from awas.cyber.models import (
    AuthorMatch,
    Capture,
    ClassifierModel,
    LabelDecision,
    MatchStatus,
    Post,
    PostLabel,
    ReviewStatus,
    TakedownAddressee,
    TakedownRequest,
    TakedownStatus,
)
from awas.cyber.selectors import latest_capture
from awas.cyber.services.posts import actor_or_none, partisan_posts_sync
from awas.cyber.services.training import model_activate, model_train

# No rule sets how fast Komdigi answers; the office follows a request up after a week.
TAKEDOWN_FOLLOW_UP_DAYS = 7
# Fewer confirmed examples of a label than this and it is left out of a retraining.
MIN_REVIEWED_POSITIVES = 5


def _review_status(post: Post) -> str:
    if post.case_id:
        return ReviewStatus.ESCALATED
    labels = list(post.labels.all())
    if any(lbl.decision == LabelDecision.CONFIRMED for lbl in labels):
        return ReviewStatus.REVIEWED
    flagged = [lbl for lbl in labels if lbl.flagged]
    decided = [lbl for lbl in labels if lbl.decision == LabelDecision.REJECTED]
    if decided and all(lbl.decision == LabelDecision.REJECTED for lbl in flagged):
        return ReviewStatus.DISMISSED
    return ReviewStatus.NEW


def label_decide(*, label: PostLabel, decision: str, actor: Any) -> PostLabel:
    """A reviewer confirms or rejects one label of a post (or takes the decision back)."""
    if decision not in LabelDecision.values:
        raise ValidationError(_("Unknown decision."))
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=label.post_id)
        label = PostLabel.objects.get(pk=label.pk)
        before = {"decision": label.decision}
        label.decision = decision
        label.decided_by = actor_or_none(actor) if decision != LabelDecision.PENDING else None
        label.decided_at = timezone.now() if decision != LabelDecision.PENDING else None
        label.save(update_fields=["decision", "decided_by", "decided_at"])
        post.review_status = _review_status(post)
        post.save(update_fields=["review_status"])
        audit_record(
            action="cyber.label_decided",
            obj=post,
            actor=actor_or_none(actor),
            before=before,
            after={"label": label.label, "decision": decision, "score": label.score},
        )
        if label.label == ASN_LABEL:
            partisan_posts_sync(post, actor=actor)
    return label


def match_decide(*, match: AuthorMatch, status: str, actor: Any) -> AuthorMatch:
    if status not in (MatchStatus.CONFIRMED, MatchStatus.REJECTED):
        raise ValidationError(_("Unknown decision."))
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=match.post_id)
        match = AuthorMatch.objects.get(pk=match.pk)
        before = {"status": match.status}
        match.status = status
        match.decided_by = actor_or_none(actor)
        match.decided_at = timezone.now()
        match.save(update_fields=["status", "decided_by", "decided_at"])
        audit_record(
            action="cyber.match_decided",
            obj=post,
            actor=actor_or_none(actor),
            before=before,
            after={"match": match.pk, "person": match.person_id, "status": status},
        )
        partisan_posts_sync(post, actor=actor)
    return match


def _latest(post: Post) -> Capture:
    capture = latest_capture(post)
    if capture is None:
        raise ValidationError(_("This post has no capture."))
    return capture


def _confirmed_titles(post: Post) -> list[str]:
    return [label_title(lbl.label) for lbl in post.labels.filter(decision=LabelDecision.CONFIRMED)]


def post_escalate(
    *, post: Post, actor: Any, note: str = "", election_type: str = ElectionType.PILKADA
) -> Case:
    """A temuan draft from a confirmed post, with the capture document (whose SHA-256 is the
    capture's) and the screenshot attached as evidence, under the law of ``election_type``.
    Escalating twice returns the first temuan."""
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post.pk)
        if post.case_id:
            return Case.objects.get(pk=post.case_id)
        with translation.override("id"):  # the temuan is an official record, in Indonesian
            titles = _confirmed_titles(post)
        if not titles:
            raise ValidationError(_("Confirm at least one label before escalating the post."))
        # Every version goes to the temuan: what was confirmed may have been edited since.
        versions = list(post.captures.order_by("version").select_related("screenshot"))
        if not versions:
            raise ValidationError(_("This post has no capture."))
        first, capture = versions[0], versions[-1]
        persons = [
            m.person
            for m in post.matches.filter(person__isnull=False, status=MatchStatus.CONFIRMED).select_related(
                "person"
            )
        ]
        found = timezone.localtime(first.captured_at).date()  # the 7 days run from the first sight
        lines = [
            f"Temuan pengawasan siber: {', '.join(titles)}.",
            f"Platform: {post.get_platform_display()}",
            f"Tautan: {post.url or '-'}",
            f"Akun: @{capture.author_handle or '-'} ({capture.author_name or '-'})",
            f"Waktu unggah: {tanggal(capture.posted_at) if capture.posted_at else '-'}",
        ]
        evidence = []
        screenshots: set[str] = set()
        for version in versions:
            lines.append(
                f"Tangkapan versi {version.version}: {tanggal(version.captured_at)}, SHA-256 {version.sha256}"
            )
            evidence.append(
                ContentFile(
                    version.document.encode("utf-8"), name=f"tangkapan-post-{post.pk}-v{version.version}.json"
                )
            )
            shot = version.screenshot
            if shot is not None and shot.sha256 not in screenshots:
                screenshots.add(shot.sha256)
                lines.append(f"SHA-256 tangkapan layar versi {version.version}: {shot.sha256}")
                with evidence_open(shot) as handle:
                    evidence.append(ContentFile(handle.read(), name=shot.original_name or "tangkapan-layar"))
        for version in versions:
            if len(versions) == 1:
                lines += ["", "Isi unggahan:", version.text]
            else:
                lines += ["", f"Isi unggahan (versi {version.version}):", version.text]
        if note.strip():
            lines += ["", f"Catatan tim siber: {note.strip()}"]
        person = persons[0] if persons else None
        facts = CaseFacts(
            region=post.region,
            title=f"Dugaan {', '.join(titles).lower()} di {post.get_platform_display()}"[:255],
            chronology="\n".join(lines),
            event_place=f"{post.get_platform_display()} {post.url}".strip()[:255],
            event_date=timezone.localtime(capture.posted_at).date() if capture.posted_at else None,
            known_date=found,
            terlapor_name=(person.name if person else capture.author_name)[:200],
            terlapor_position=(f"{person.position}, {person.agency or ''}".strip(", ") if person else "")[
                :200
            ],
            election_type=election_type,
        )
        case = temuan_create(
            facts=facts,
            channel=Channel.CYBER,
            source_ref=post.ref,
            evidence=evidence,
            evidence_description=f"Tangkapan {post.ref}, {len(versions)} versi (SHA-256 di kronologi)",
            actor=actor,
        )
        post.case = case
        post.escalated_at = timezone.now()
        post.escalated_by = actor_or_none(actor)
        post.review_status = ReviewStatus.ESCALATED
        post.save(update_fields=["case", "escalated_at", "escalated_by", "review_status"])
        audit_record(
            action="cyber.post_escalated",
            obj=post,
            actor=actor_or_none(actor),
            after={"case": case.pk, "capture_sha256": [v.sha256 for v in versions], "labels": titles},
        )
    return case


def takedown_number(office_code: str, day: dt.date) -> str:
    seq = counter_next(f"cyber_takedown:{office_code}", day.year)
    return f"{seq:03d}/PS/SIBER/{office_code}/{ROMAN_MONTHS[day.month - 1]}/{day.year}"


def takedown_request(
    *, post: Post, addressee: str, reason: str, actor: Any, letter_date: dt.date | None = None
) -> TakedownRequest:
    """A numbered letter asking Komdigi (or BSSN) to take a confirmed post down."""
    if addressee not in TakedownAddressee.values:
        raise ValidationError(_("Choose who the request goes to."))
    if not reason.strip():
        raise ValidationError(_("Say why the post should be taken down."))
    if not post.labels.filter(decision=LabelDecision.CONFIRMED).exists():
        raise ValidationError(_("Confirm at least one label before asking for a take-down."))
    day = letter_date or today_local()
    with transaction.atomic():
        office = ".".join(post.region_id.split(".")[:2])
        request = TakedownRequest.objects.create(
            post=post,
            capture=_latest(post),
            addressee=addressee,
            number=takedown_number(office, day),
            letter_date=day,
            reason=reason.strip(),
            answer_due=day + dt.timedelta(days=TAKEDOWN_FOLLOW_UP_DAYS),
            created_by=actor_or_none(actor),
        )
        audit_record(
            action="cyber.takedown_requested",
            obj=request,
            actor=actor_or_none(actor),
            after=snapshot(request),
        )
    return request


def takedown_answer(
    *, request: TakedownRequest, status: str, answered_on: dt.date, note: str, actor: Any
) -> TakedownRequest:
    if status not in TakedownStatus.values or status == TakedownStatus.SENT:
        raise ValidationError(_("Choose what the answer was."))
    if answered_on < request.letter_date:
        raise ValidationError(_("The answer cannot come before the letter."))
    with transaction.atomic():
        request = TakedownRequest.objects.select_for_update().get(pk=request.pk)
        before = snapshot(request, ("status", "answered_on", "answer_note"))
        request.status, request.answered_on, request.answer_note = status, answered_on, note.strip()
        request.save(update_fields=["status", "answered_on", "answer_note"])
        audit_record(
            action="cyber.takedown_answered",
            obj=request,
            actor=actor_or_none(actor),
            before=before,
            after=snapshot(request, ("status", "answered_on", "answer_note")),
        )
    return request


def takedown_letter_generated(*, request: TakedownRequest, document: str, actor: Any) -> None:
    """A letter names the author of a post (personal data): generating it is logged."""
    with transaction.atomic():
        audit_record(
            action="cyber.takedown_letter_generated",
            obj=request,
            actor=actor_or_none(actor),
            after={"document": document, "number": request.number},
        )


# --- decisions as training data ------------------------------------------------------------------


def reviewed_dataset_write(path: Path) -> tuple[list[str], int]:
    """The reviewed posts as a labelled CSV (text plus one 0/1 column per label with enough confirmed
    examples). A post counts once its review is finished (confirmed, dismissed or escalated); a label
    is 1 when the reviewer confirmed it. Returns the labels and the number of posts."""
    posts = Post.objects.exclude(review_status=ReviewStatus.NEW).prefetch_related("labels", "captures")
    rows: list[tuple[str, set[str]]] = []
    for post in posts.iterator(chunk_size=500):
        capture = max(post.captures.all(), key=lambda c: c.version, default=None)  # prefetched: no query
        if capture is None:
            continue
        confirmed = {lbl.label for lbl in post.labels.all() if lbl.decision == LabelDecision.CONFIRMED}
        rows.append((capture.text, confirmed))
    counts: dict[str, int] = {}
    for _text, confirmed in rows:
        for label in confirmed:
            counts[label] = counts.get(label, 0) + 1
    labels = sorted(label for label, n in counts.items() if n >= MIN_REVIEWED_POSITIVES)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", *labels])
        for text, confirmed in rows:
            writer.writerow([text, *(int(label in confirmed) for label in labels)])
    return labels, len(rows)


def model_train_from_reviews(*, actor: Any = None, activate: bool = True, seed: int = 0) -> ClassifierModel:
    """Retrain on the office's reviewed posts; the new version is evaluated on held-out reviewed
    posts and activated only when it is not worse than the active one (``ActivationRefused``)."""
    from awas.cyber.classifier import TrainingError

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "reviewed-posts.csv"
        labels, n = reviewed_dataset_write(path)
        if not labels:
            raise TrainingError(
                _("No label has %(n)d confirmed posts yet; review more posts first.")
                % {"n": MIN_REVIEWED_POSITIVES}
            )
        row = model_train(
            path,
            label_map=",".join(f"{label}={label}" for label in labels),
            text_column="text",
            seed=seed,
            actor=actor,
        )
    row.training_source = {**row.training_source, "reviewed_posts": n, "from": "reviewed posts"}
    row.save(update_fields=["training_source"])
    return model_activate(row, actor=actor) if activate else row
