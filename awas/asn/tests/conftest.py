"""Messages are asserted in English (the source language); a test that checks the Indonesian
screen switches language itself."""

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield
