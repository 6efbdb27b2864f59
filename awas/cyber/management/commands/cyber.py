"""``awas cyber``: the classifier, feeds and batch imports of cyber supervision (thin: calls services)."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from awas.core.progress import progress
from awas.cyber import selectors, services
from awas.cyber.classifier import TrainingError
from awas.cyber.datasets import DatasetError
from awas.cyber.evaluation import DataMissing, evaluate
from awas.cyber.models import Capture, ClassifierModel, Post, Source, SourceKind
from awas.cyber.rules import default_rules
from awas.cyber.services import posts, review
from awas.cyber.sources import ImportProblems, SourceError
from awas.regions.models import Region


class Command(BaseCommand):
    help = (
        "Cyber-supervision classifier. 'awas cyber train --dataset FILE --label-map MAP' trains a "
        "model version; 'awas cyber evaluate' compares Awas's model with the baseline on the shared "
        "data; 'awas cyber models', 'activate', 'rollback' manage versions; 'fetch' reads the feeds, "
        "'import' a CSV/JSON export, 'reanalyse' classifies every post again; 'classify' tries a post."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        train = sub.add_parser("train", help="train a model version from a labelled CSV")
        what = train.add_mutually_exclusive_group(required=True)
        what.add_argument("--dataset", type=Path, help="the CSV file")
        what.add_argument(
            "--from-reviews",
            action="store_true",
            help="train on the posts the cyber team reviewed (confirmed labels are positives); activated "
            "only if not worse than the active model on held-out reviewed posts",
        )
        train.add_argument(
            "--label-map",
            help="label=COLUMN[|COLUMN...] pairs, comma-separated; COLUMN:VALUE for a category, "
            "e.g. 'sara_hate=HS_Religion|HS_Race,abusive=Abusive' or 'hoaks=tagging:Hoax'",
        )
        train.add_argument("--text-column", default=None, help="the column with the post (default: guessed)")
        train.add_argument("--encoding", default="utf-8", help="e.g. latin-1 (default utf-8)")
        train.add_argument("--sep", default=",", help="field separator, e.g. ';' or tab (default ',')")
        train.add_argument("--name", default="cyber", help="model name (default cyber)")
        train.add_argument("--heldout", type=float, default=0.2, help="share kept for evaluation (0.2)")
        train.add_argument("--seed", type=int, default=0)
        train.add_argument("--activate", action="store_true", help="activate it if it is not worse")

        ev = sub.add_parser("evaluate", help="Awas's model beside the baseline, k-fold CV on shared data")
        ev.add_argument("--data", type=Path, default=None, help="the shared data folder")
        ev.add_argument("--folds", type=int, default=5)
        ev.add_argument("--seed", type=int, default=42)
        ev.add_argument("--sample", type=int, default=None, help="rows per dataset (quick runs)")

        ls = sub.add_parser("models", help="list model versions")
        ls.add_argument("--name", default="cyber")

        act = sub.add_parser("activate", help="activate a version (refused if worse than the active one)")
        act.add_argument("version", type=int)
        act.add_argument("--name", default="cyber")
        act.add_argument("--force", action="store_true", help="activate even if worse (needs --reason)")
        act.add_argument("--reason", default="")

        rb = sub.add_parser("rollback", help="re-activate the version the active one replaced")
        rb.add_argument("--name", default="cyber")

        fetch = sub.add_parser("fetch", help="fetch the active RSS/Atom sources and store new posts")
        fetch.add_argument("--source", type=int, action="append", help="only this source id (repeatable)")
        fetch.add_argument("--timeout", type=float, default=20.0)

        imp = sub.add_parser("import", help="import a CSV or JSON export of posts (all rows or none)")
        imp.add_argument("file", type=Path)
        imp.add_argument("--region", required=True, help="the office's region code, e.g. 35.07")
        imp.add_argument("--user", default=None, help="the username recorded as capturer")

        sub.add_parser("reanalyse", help="classify every post again (after activating another model)")
        sub.add_parser("verify", help="re-hash every capture; names those whose document changed")

        cl = sub.add_parser("classify", help="rule labels (and the active model's) for one post")
        cl.add_argument("text")
        cl.add_argument("--date", default=None, help="the post's date (ISO), for the campaign schedule")
        cl.add_argument("--name", default="cyber")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        warnings.filterwarnings("ignore", category=UserWarning, module="sklearn")
        getattr(self, f"_{action}")(options)

    def _train(self, o: dict[str, Any]) -> None:
        if o["from_reviews"]:
            self._train_from_reviews(o)
            return
        if not o["label_map"]:
            raise CommandError("--dataset needs --label-map")
        try:
            row = services.model_train(
                o["dataset"],
                label_map=o["label_map"],
                text_column=o["text_column"],
                encoding=o["encoding"],
                sep=o["sep"],
                name=o["name"],
                heldout=o["heldout"],
                seed=o["seed"],
            )
        except DatasetError as exc:
            raise CommandError(f"{o['dataset']}: nothing was trained or saved.\n{exc}") from exc
        except TrainingError as exc:
            raise CommandError(f"nothing was saved: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"Saved {row} ({selectors.model_folder(row)})"))
        self._print_metrics(row)
        if o["activate"]:
            try:
                services.model_activate(row)
            except services.ActivationRefused as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(self.style.SUCCESS(f"{row} is now active."))

    def _train_from_reviews(self, o: dict[str, Any]) -> None:
        try:
            row = review.model_train_from_reviews(activate=False, seed=o["seed"])
        except (DatasetError, TrainingError) as exc:
            raise CommandError(f"nothing was saved: {exc}") from exc
        self.stdout.write(
            self.style.SUCCESS(f"Saved {row} from {row.training_source['reviewed_posts']} reviewed posts")
        )
        self._print_metrics(row)
        if o["activate"]:
            try:
                services.model_activate(row)
            except services.ActivationRefused as exc:
                raise CommandError(f"{exc}; {row} is kept but not active") from exc
            self.stdout.write(self.style.SUCCESS(f"{row} is now active; run 'awas cyber reanalyse'."))

    def _fetch(self, o: dict[str, Any]) -> None:
        sources = Source.objects.filter(kind=SourceKind.RSS, active=True).order_by("id")
        if o["source"]:
            sources = sources.filter(pk__in=o["source"])
        failed = 0
        for source in sources:
            try:
                result = posts.source_fetch(source, timeout=o["timeout"])
            except SourceError as exc:
                failed += 1
                self.stderr.write(f"{source.name}: {exc}")
                continue
            self.stdout.write(
                f"{source.name}: {result.posts} entries, {result.new_posts} new posts, "
                f"{result.new_versions} changed, {result.unchanged} unchanged"
            )
        if failed:
            raise CommandError(f"{failed} source(s) could not be fetched")

    def _import(self, o: dict[str, Any]) -> None:
        region = Region.objects.filter(code=o["region"]).first()
        if region is None:
            raise CommandError(f"no region {o['region']!r}; load it with 'awas regions load'")
        user = None
        if o["user"]:
            user = get_user_model().objects.filter(username=o["user"]).first()
            if user is None:
                raise CommandError(f"no user {o['user']!r}")
        try:
            data = o["file"].read_bytes()
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        try:
            result = posts.batch_import(data=data, filename=o["file"].name, region=region, actor=user)
        except ImportProblems as exc:
            raise CommandError(f"{o['file']}: nothing was imported.\n" + "\n".join(exc.problems)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.posts} rows: {result.new_posts} new posts, {result.new_versions} new versions, "
                f"{result.unchanged} unchanged (file SHA-256 {result.sha256})"
            )
        )

    def _reanalyse(self, o: dict[str, Any]) -> None:
        rows = Post.objects.order_by("id")
        n = posts.posts_reanalyse(progress(rows.iterator(chunk_size=200), desc="posts", total=rows.count()))
        self.stdout.write(self.style.SUCCESS(f"{n} posts classified again."))

    def _verify(self, o: dict[str, Any]) -> None:
        rows = Capture.objects.order_by("id")
        bad = list(
            selectors.captures_tampered(
                progress(rows.iterator(chunk_size=500), desc="captures", total=rows.count())
            )
        )
        for capture in bad:
            self.stderr.write(f"{capture} (id {capture.pk}): the document does not match {capture.sha256}")
        if bad:
            raise CommandError(f"{len(bad)} capture(s) changed since they were stored")
        self.stdout.write(self.style.SUCCESS("Every capture matches its SHA-256."))

    def _print_metrics(self, row: ClassifierModel) -> None:
        self.stdout.write(f"held-out ({row.metrics.get('heldout_size')} posts):")
        for label, m in row.metrics.get("labels", {}).items():
            self.stdout.write(f"  {label:<24} macro-F1 {m['macro_f1']:.4f}  ({m['positives']} positive)")
        self.stdout.write(f"  mean macro-F1 {row.metrics.get('mean_macro_f1', 0):.4f}")

    def _evaluate(self, o: dict[str, Any]) -> None:
        try:
            report = evaluate(
                o["data"],
                folds=o["folds"],
                seed=o["seed"],
                sample=o["sample"],
                log=lambda msg: self.stderr.write(msg),
            )
        except DataMissing as missing:
            raise CommandError(f"{missing} is absent: the evaluation needs the shared data folder") from None
        self.stdout.write(report.table())
        self.stdout.write(report.summary_line())

    def _models(self, o: dict[str, Any]) -> None:
        rows = selectors.model_versions(o["name"])
        if not rows:
            self.stdout.write(f"No {o['name']!r} models yet.")
        for row in rows:
            mark = "*" if row.is_active else " "
            source = row.training_source.get("file", "?")
            created = timezone.localtime(row.created_at)
            self.stdout.write(
                f"{mark} v{row.version:<4} {created:%Y-%m-%d %H:%M}  {','.join(row.labels):<40} "
                f"mean macro-F1 {row.metrics.get('mean_macro_f1', 0):.4f}  {source}"
            )

    def _get(self, name: str, version: int) -> ClassifierModel:
        try:
            return ClassifierModel.objects.get(name=name, version=version)
        except ClassifierModel.DoesNotExist:
            raise CommandError(f"no {name} model version {version}") from None

    def _activate(self, o: dict[str, Any]) -> None:
        row = self._get(o["name"], o["version"])
        try:
            services.model_activate(row, force=o["force"], reason=o["reason"])
        except services.ActivationRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"{row} is now active."))

    def _rollback(self, o: dict[str, Any]) -> None:
        try:
            row = services.model_rollback(o["name"])
        except services.RollbackImpossible as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Rolled back: {row} is active again."))

    def _classify(self, o: dict[str, Any]) -> None:
        results = default_rules().classify(o["text"], o["date"])
        out: dict[str, Any] = {"rules": {k: v.as_dict() for k, v in results.items() if v.reasons}}
        active = selectors.active_model(o["name"])
        if active is not None:
            classifier = selectors.model_load(active)
            probs = classifier.predict_proba([o["text"]])[0]
            out["model"] = {
                "version": str(active),
                "probabilities": {
                    label: round(float(p), 4) for label, p in zip(classifier.labels, probs, strict=True)
                },
            }
        self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
