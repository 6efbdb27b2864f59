"""Writes of cyber supervision, one module per concern:

* :mod:`.training`: training, activating and rolling back classifier models;
* :mod:`.posts`: capturing posts (by hand, batch files, feeds), classifying them, matching authors;
* :mod:`.review`: the review queue's decisions, escalation to a temuan, take-down requests.
"""

from awas.cyber.services.training import (
    ActivationRefused,
    RollbackImpossible,
    TrainingError,
    model_activate,
    model_rollback,
    model_train,
)

__all__ = [
    "ActivationRefused",
    "RollbackImpossible",
    "TrainingError",
    "model_activate",
    "model_rollback",
    "model_train",
]
