"""Writes of cyber supervision: training, activating and rolling back classifier models.

Every change of a ``ClassifierModel`` row is written with its audit entry in one transaction.
Training checks the whole CSV first (:mod:`awas.cyber.datasets`): a file with any bad row trains
nothing and saves nothing.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from sklearn.model_selection import train_test_split

from awas.core.services.audit import audit_record, snapshot
from awas.cyber.classifier import TextClassifier, TrainingError, macro_f1
from awas.cyber.datasets import Dataset, read_labelled_csv
from awas.cyber.models import ClassifierModel
from awas.cyber.selectors import files_sha256, model_folder, model_load, models_root

__all__ = [
    "ActivationRefused",
    "RollbackImpossible",
    "TrainingError",
    "model_activate",
    "model_rollback",
    "model_train",
]

AUDIT_FIELDS = ("name", "version", "labels", "sha256", "is_active", "activated_at", "previous")


class ActivationRefused(Exception):
    """The candidate scores worse than the active model on the same held-out posts."""


class RollbackImpossible(Exception):
    pass


def _strata(Y: np.ndarray) -> np.ndarray:
    key = np.zeros(len(Y), dtype=np.int64)
    for j in range(Y.shape[1]):
        key = key * 2 + Y[:, j]
    return key


def split_heldout(data: Dataset, share: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Training and held-out row indices, stratified by label combination where possible."""
    index = np.arange(len(data.texts))
    key = _strata(data.Y)
    try:
        train, test = train_test_split(index, test_size=share, stratify=key, random_state=seed)
    except ValueError:  # a label combination too rare to split: stratify on the rarest label
        rarest = int(np.argmin(data.Y.sum(axis=0)))
        try:
            train, test = train_test_split(
                index, test_size=share, stratify=data.Y[:, rarest], random_state=seed
            )
        except ValueError as exc:
            raise TrainingError(f"too few posts to set {share:.0%} aside for evaluation: {exc}") from exc
    return np.sort(train), np.sort(test)


def _metrics(model: TextClassifier, texts: list[str], Y: np.ndarray) -> dict[str, Any]:
    per_label = model.evaluate(texts, Y)
    mean = float(np.mean([m["macro_f1"] for m in per_label.values()]))
    return {"labels": per_label, "mean_macro_f1": round(mean, 4), "heldout_size": len(texts)}


def model_train(
    dataset: Path,
    *,
    label_map: str,
    text_column: str | None = None,
    encoding: str = "utf-8",
    sep: str = ",",
    name: str = "cyber",
    heldout: float = 0.2,
    seed: int = 0,
    actor: Any = None,
) -> ClassifierModel:
    """Train on a labelled CSV, evaluate on a held-out share, save files and the version row."""
    data = read_labelled_csv(
        dataset, label_map=label_map, text_column=text_column, encoding=encoding, sep=sep
    )
    train, test = split_heldout(data, heldout, seed)
    train_texts = [data.texts[i] for i in train]
    test_texts = [data.texts[i] for i in test]
    for j, label in enumerate(data.labels):
        if data.Y[test, j].sum() == 0:
            raise TrainingError(f"label {label!r}: no positive post left for the held-out evaluation")
    model = TextClassifier.train(train_texts, data.Y[train], data.labels, seed=seed)
    model.space.reset_runtime()
    metrics = _metrics(model, test_texts, data.Y[test])

    root = models_root() / name
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".train-", dir=root))
    final: Path | None = None
    try:
        model.save(staging)
        heldout_doc = {"labels": data.labels, "texts": test_texts, "Y": data.Y[test].tolist()}
        (staging / "heldout.json").write_text(json.dumps(heldout_doc, ensure_ascii=False), encoding="utf-8")
        digest = files_sha256(staging)
        with transaction.atomic():
            version = (ClassifierModel.objects.filter(name=name).aggregate(v=Max("version"))["v"] or 0) + 1
            relative = f"{name}/v{version}"
            target = models_root() / relative
            if target.exists():
                raise FileExistsError(f"{target} already exists; remove it or check the database")
            staging.rename(target)
            final = target
            row = ClassifierModel.objects.create(
                name=name,
                version=version,
                labels=data.labels,
                training_source={
                    **{k: v for k, v in data.source.items() if k != "path"},
                    "train_rows": len(train),
                    "heldout_rows": len(test),
                    "seed": seed,
                    "model": model.info,
                },
                metrics=metrics,
                path=relative,
                sha256=digest,
                created_by=actor if getattr(actor, "pk", None) else None,
            )
            audit_record(
                action="cyber_model.trained", obj=row, actor=actor, after=snapshot(row, AUDIT_FIELDS)
            )
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if (
            final is not None
            and final.exists()
            and not ClassifierModel.objects.filter(path=relative).exists()
        ):
            shutil.rmtree(final, ignore_errors=True)  # the transaction rolled back: no row, no files
        raise
    return row


def _heldout(model: ClassifierModel) -> tuple[list[str], list[str], np.ndarray]:
    doc = json.loads((model_folder(model) / "heldout.json").read_text(encoding="utf-8"))
    return list(doc["labels"]), list(doc["texts"]), np.asarray(doc["Y"], dtype=np.int64)


def compare_on_heldout(candidate: ClassifierModel, active: ClassifierModel) -> dict[str, Any]:
    """Both models' mean macro-F1 over their shared labels on the candidate's held-out posts."""
    labels, texts, Y = _heldout(candidate)
    shared = [label for label in labels if label in active.labels]
    result: dict[str, Any] = {"shared_labels": shared, "heldout_of": str(candidate)}
    if not shared:
        return result
    for key, row in (("candidate", candidate), ("active", active)):
        classifier = model_load(row)
        predicted = classifier.predict(texts)
        scores = [
            macro_f1(Y[:, labels.index(label)], predicted[:, classifier.labels.index(label)])
            for label in shared
        ]
        result[key] = round(float(np.mean(scores)), 4)
    return result


def model_activate(
    model: ClassifierModel, *, actor: Any = None, force: bool = False, reason: str = ""
) -> ClassifierModel:
    """Make ``model`` the active one of its name. Refused when it scores worse than the active model
    on the candidate's held-out posts, unless ``force`` (the reason is then recorded)."""
    current = ClassifierModel.objects.filter(name=model.name, is_active=True).first()
    if current is not None and current.pk == model.pk:
        return model
    comparison: dict[str, Any] = {}
    if current is not None:
        comparison = compare_on_heldout(model, current)
        if not comparison["shared_labels"]:
            if not force:
                raise ActivationRefused(
                    f"{model} shares no label with the active {current}; they cannot be compared "
                    "(use --force with a reason to activate anyway)"
                )
        elif comparison["candidate"] < comparison["active"] and not force:
            raise ActivationRefused(
                f"{model} scores {comparison['candidate']:.4f} mean macro-F1 on its held-out posts, "
                f"the active {current} scores {comparison['active']:.4f} on the same posts; not activated"
            )
        if force and not reason.strip():
            raise ActivationRefused("forcing an activation needs a reason")
    with transaction.atomic():
        rows = {r.pk: r for r in ClassifierModel.objects.select_for_update().filter(name=model.name)}
        now_active = next((r for r in rows.values() if r.is_active), None)
        if (now_active.pk if now_active else None) != (current.pk if current else None):
            raise ActivationRefused("the active model changed meanwhile; try again")
        target = rows[model.pk]
        before = snapshot(target, AUDIT_FIELDS)
        if now_active is not None:
            now_active.is_active = False
            now_active.save(update_fields=["is_active"])
        target.is_active = True
        target.activated_at = timezone.now()
        target.previous = now_active
        target.save(update_fields=["is_active", "activated_at", "previous"])
        after = {**snapshot(target, AUDIT_FIELDS), "comparison": comparison}
        if force:
            after["forced"] = True
            after["reason"] = reason
        audit_record(action="cyber_model.activated", obj=target, actor=actor, before=before, after=after)
    return target


def model_rollback(name: str = "cyber", *, actor: Any = None) -> ClassifierModel:
    """Re-activate the model that the active one replaced."""
    with transaction.atomic():
        rows = list(ClassifierModel.objects.select_for_update().filter(name=name))
        current = next((r for r in rows if r.is_active), None)
        if current is None:
            raise RollbackImpossible(f"no active {name!r} model to roll back")
        if current.previous_id is None:
            raise RollbackImpossible(f"{current} replaced no earlier model; nothing to roll back to")
        target = next(r for r in rows if r.pk == current.previous_id)
        before = snapshot(target, AUDIT_FIELDS)
        current.is_active = False
        current.save(update_fields=["is_active"])
        target.is_active = True
        target.activated_at = timezone.now()
        target.save(update_fields=["is_active", "activated_at"])
        audit_record(
            action="cyber_model.rolled_back",
            obj=target,
            actor=actor,
            before=before,
            after={**snapshot(target, AUDIT_FIELDS), "replaced": str(current)},
        )
    return target
