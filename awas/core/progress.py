"""Progress bars for long commands (on a terminal; quiet in logs and tests)."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any, TypeVar

from tqdm import tqdm

T = TypeVar("T")


def progress(items: Iterable[T], *, desc: str = "", total: int | None = None, **kwargs: Any) -> Iterable[T]:
    return tqdm(items, desc=desc, total=total, unit="", leave=False, disable=None, file=sys.stderr, **kwargs)


def progress_factory(desc: str) -> Any:
    def wrapped(items: Iterable[T], **kwargs: Any) -> Iterable[T]:
        return progress(items, desc=desc, **kwargs)

    return wrapped
