"""Reads of classifier models."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings

from awas.cyber.classifier import TextClassifier
from awas.cyber.models import ClassifierModel

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
