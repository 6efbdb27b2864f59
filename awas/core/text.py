"""Text that XML can hold.

Text typed by the public or pasted from a phone can carry invisible control characters (a vertical
tab, a form feed, an escape). XML, and so every .xlsx and .docx file, cannot hold them: openpyxl
and python-docx refuse the whole file, and one report would break every export and letter that
includes it. Forms drop them on the way in; writers of files drop them again on the way out, for
text that came in another way (imports, feeds, older records).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from typing import Any, TypeVar

# Characters XML 1.0 does not allow: C0 controls except tab, line feed and carriage return, lone
# surrogates and the two non-characters U+FFFE and U+FFFF. With them the bidirectional overrides
# and isolates (U+202A-U+202E, U+2066-U+2069): XML holds them, but they make a text read in
# another order than it was typed ("Kantor" + U+202E prints "rotnaK" in a letter).
UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")

T = TypeVar("T")


def printable(text: str) -> str:
    """``text`` without the characters an XML document cannot hold, nor bidirectional overrides."""
    return UNPRINTABLE.sub("", text)


def printable_all(value: T) -> T:
    """``value`` with every string in it made ``printable``: through dicts, lists, tuples and
    dataclass instances (a letter's context); other objects are returned as they are."""
    result: Any
    if isinstance(value, str):
        result = printable(value)
    elif isinstance(value, dict):
        result = {key: printable_all(item) for key, item in value.items()}
    elif isinstance(value, list | tuple):
        result = type(value)(printable_all(item) for item in value)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: printable_all(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        result = dataclasses.replace(value, **changes)
    else:
        result = value
    return result


def mentions(text: str, words: Iterable[str]) -> bool:
    """Whether ``text`` names any of ``words`` as a whole word, in any case ("PNS" in "Guru PNS",
    not in "PNSX")."""
    return any(re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE) for word in words if word)
