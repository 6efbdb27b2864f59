"""Where captured posts come from, before anything is stored: exported batch files (CSV or JSON)
and RSS/Atom feeds, turned into ``RawPost`` values.

This is the input layer only; ``awas.cyber.services`` decides what to keep. Batch files are
checked as a whole and all or nothing: ``parse_batch`` either returns every post or raises
``ImportProblems`` naming every bad line, so staff can fix the file in one go. Feeds are fetched
by pluggable sources (``source_for``/``register_source``) so that other kinds can be added later.
"""

from __future__ import annotations

import calendar
import csv
import datetime
import http.client
import io
import ipaddress
import json
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from http.client import HTTPMessage
from typing import IO, Any, Protocol
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import feedparser
import lxml.html
from django.conf import settings
from django.utils.translation import gettext as _
from lxml import etree

from awas.asn.models import Platform

WIB = ZoneInfo("Asia/Jakarta")
MAX_ROWS = 20_000
MAX_FEED_BYTES = 10 * 1024 * 1024

# Canonical column → accepted header names (compared lower-cased, spaces and dashes as "_").
COLUMNS: dict[str, tuple[str, ...]] = {
    "platform": ("platform",),
    "url": ("url", "link", "tautan"),
    "author_handle": ("author_handle", "handle", "akun", "username"),
    "author_name": ("author_name", "nama", "nama_akun", "author"),
    "text": ("text", "teks", "isi", "konten", "caption", "content"),
    "posted_at": ("posted_at", "waktu", "tanggal", "time", "timestamp", "created_at"),
    "likes": ("likes", "suka"),
    "comments": ("comments", "komentar"),
    "shares": ("shares", "bagikan", "dibagikan"),
    "views": ("views", "dilihat", "tayangan"),
}
ALIASES = {alias: column for column, names in COLUMNS.items() for alias in names}
ENGAGEMENT = ("likes", "comments", "shares", "views")

# Spellings people use in exports; keys are lower-case with spaces, dots, dashes and brackets removed.
PLATFORM_NAMES: dict[str, str] = {str(value): str(value) for value in Platform.values} | {
    "fb": Platform.FACEBOOK.value, "ig": Platform.INSTAGRAM.value, "twitter": Platform.X.value,
    "xtwitter": Platform.X.value, "yt": Platform.YOUTUBE.value, "wa": Platform.WHATSAPP.value,
    "other": Platform.OTHER.value, "lain": Platform.OTHER.value, "lainlain": Platform.OTHER.value,
}  # fmt: skip
DATE_FORMATS = [
    f"{d} {t}" for d in ("%d/%m/%Y", "%d-%m-%Y") for t in ("%H:%M", "%H:%M:%S", "%H.%M", "%H.%M.%S")
]
DATE_FORMATS += ["%d/%m/%Y", "%d-%m-%Y"]
# Indonesian abbreviations of counts: "2,5rb" is 2,500 and "1,5jt" is 1,500,000.
MULTIPLIERS = {"rb": 1_000, "ribu": 1_000, "k": 1_000, "jt": 1_000_000, "juta": 1_000_000}


# The longest value each column may hold (the models' field lengths).
MAX_LENGTHS = {"url": 1000, "author_handle": 100, "author_name": 200}


@dataclass(frozen=True)
class RawPost:
    platform: str
    url: str
    author_handle: str
    author_name: str
    text: str
    posted_at: datetime.datetime | None
    engagement: dict[str, int]
    metadata: dict[str, Any]
    line: int | None = None


class ImportProblems(ValueError):
    """Bad batch input; ``problems`` lists every problem found, one sentence each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class SourceError(Exception):
    """A feed could not be fetched or read; the message says why."""


# --- batch files -------------------------------------------------------------------------------


def parse_batch(data: bytes, filename: str = "") -> list[RawPost]:
    """Posts of a CSV or JSON export (told apart by content; ``filename`` is not trusted)."""
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        # "\n" never occurs inside a UTF-8 sequence, so each physical line can be checked alone.
        bad = [n for n, raw in enumerate(data.split(b"\n"), 1) if not _is_utf8(raw)]
        raise ImportProblems(
            [f"{_line(n)}: {_('not valid UTF-8; save the file as UTF-8.')}" for n in bad]
        ) from None
    if not text.strip():
        raise ImportProblems([_("The file is empty.")])
    if "\x00" in text:
        # Valid UTF-8 but no text a database keeps: usually a UTF-16 file without its byte mark.
        nul = [n for n, line in enumerate(text.split("\n"), 1) if "\x00" in line]
        problem = _("contains NUL characters; save the file as CSV UTF-8 (not UTF-16).")
        raise ImportProblems([f"{_line(n)}: {problem}" for n in nul])
    records = _json_records(text) if text.lstrip()[0] in "[{" else _csv_records(text)
    problems: list[str] = []
    posts = [post for where, number, fields in records if (post := _post(fields, where, number, problems))]
    if problems:
        raise ImportProblems(problems)
    return posts


Record = tuple[str, int, dict[str, Any]]  # (where, line or item number, header → value)


def _csv_records(text: str) -> list[Record]:
    header_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=header_line.count)  # ties go to ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    problems: list[str] = []
    records: list[Record] = []
    try:
        header = [name.strip() for name in next(reader)]
        _check_columns(header, [header])
        while True:
            start = reader.line_num + 1  # a quoted field may span lines: report where the record starts
            row = next(reader, None)
            if row is None:
                break
            if not any(cell.strip() for cell in row):
                continue  # blank lines and the ";;;;" lines spreadsheets leave behind
            if len(row) > len(header):
                message = _("%(cells)d cells, but the header has %(columns)d.")
                problems.append(f"{_line(start)}: {message % {'cells': len(row), 'columns': len(header)}}")
                continue
            _check_size(len(records))
            records.append((_line(start), start, dict(zip(header, row, strict=False))))
    except csv.Error as error:
        message = _("CSV error: %(error)s.") % {"error": error}
        problems.append(f"{_line(reader.line_num)}: {message}")
    if problems:
        raise ImportProblems(problems)
    if not records:
        raise ImportProblems([_("The file has no rows of posts.")])
    return records


def _json_records(text: str) -> list[Record]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        message = _("Line %(line)d, column %(column)d: not valid JSON (%(error)s).")
        raise ImportProblems(
            [message % {"line": error.lineno, "column": error.colno, "error": error.msg}]
        ) from None
    except (ValueError, RecursionError) as error:  # e.g. a number of more than 4,300 digits, or deep nesting
        raise ImportProblems(
            [_("The file is not valid JSON (%(error)s).") % {"error": type(error).__name__}]
        ) from None
    items = document.get("posts") if isinstance(document, dict) else document
    if not isinstance(items, list):
        raise ImportProblems([_("The JSON must be a list of posts or an object with a “posts” list.")])
    if not items:
        raise ImportProblems([_("The file has no rows of posts.")])
    _check_size(len(items) - 1)
    not_objects = [n for n, item in enumerate(items, 1) if not isinstance(item, dict)]
    if not_objects:
        message = _("not a JSON object.")
        raise ImportProblems([f"{_item(n)}: {message}" for n in not_objects])
    found = list(dict.fromkeys(key.strip() for item in items for key in item))
    _check_columns(found, [[key.strip() for key in item] for item in items])
    return [
        (_item(n), n, {key.strip(): value for key, value in item.items()}) for n, item in enumerate(items, 1)
    ]


def _check_size(rows_so_far: int) -> None:
    if rows_so_far >= MAX_ROWS:
        message = _("More than %(limit)d rows; split the file into smaller files.")
        raise ImportProblems([message % {"limit": MAX_ROWS}])


def _check_columns(found: list[str], records: list[list[str]]) -> None:
    """One problem for a wrong column set: a required column missing, or one given twice in a record
    (the CSV header, or a JSON item)."""
    names = {_column(name) for name in found}
    missing = [c for c in ("platform", "text") if c not in names]
    if "url" not in names and "author_handle" not in names:
        missing.append("url / author_handle")
    twice = set()
    for record in records:
        columns = [_column(name) for name in record if name]
        twice |= {column for column in columns if columns.count(column) > 1}
    if not missing and not twice:
        return
    if missing:
        detail = _("missing %(columns)s.") % {"columns": ", ".join(missing)}
    else:
        detail = _("%(columns)s given more than once.") % {"columns": ", ".join(sorted(twice))}
    message = _("Wrong columns: %(detail)s Found: %(found)s. Expected: %(expected)s.")
    expected = _("platform, text, url and/or author_handle; optional: %(optional)s") % {
        "optional": ", ".join(c for c in COLUMNS if c not in ("platform", "text", "url", "author_handle"))
    }
    raise ImportProblems(
        [message % {"detail": detail, "found": ", ".join(found) or "-", "expected": expected}]
    )


def _post(fields: dict[str, Any], where: str, number: int, problems: list[str]) -> RawPost | None:
    values: dict[str, Any] = {}
    metadata: dict[str, Any] = {}
    for name, value in fields.items():
        value = value.strip() if isinstance(value, str) else value
        if name and value not in (None, ""):
            column = _column(name)
            (values if column in COLUMNS else metadata)[column if column in COLUMNS else name] = value
    mine: list[str] = []
    strings = {
        c: _string(values.get(c), c, mine)
        for c in ("platform", "url", "author_handle", "author_name", "text")
    }
    text = strings["text"].replace("\r\n", "\n").strip()
    if not text:
        mine.append(_("the text is empty."))
    platform = _platform(strings["platform"])
    if platform is None:
        message = _("unknown platform “%(value)s”; accepted: %(accepted)s.")
        mine.append(message % {"value": strings["platform"], "accepted": ", ".join(Platform.values)})
    url = strings["url"]
    if url and not _is_web_url(url):
        mine.append(_("the URL “%(value)s” must start with http:// or https://.") % {"value": url})
    if not url and not strings["author_handle"]:
        mine.append(_("give the URL or the author's handle."))
    for column, limit in MAX_LENGTHS.items():
        if len(strings[column]) > limit:
            message = _("%(column)s is longer than %(limit)d characters.")
            mine.append(message % {"column": column, "limit": limit})
    posted_at = _datetime(values["posted_at"]) if "posted_at" in values else None
    if "posted_at" in values and posted_at is None:
        message = _(
            "cannot read the date “%(value)s”; write e.g. 26/11/2026 14:05 or 2026-11-26T14:05:00+07:00."
        )
        mine.append(message % {"value": values["posted_at"]})
    engagement = {c: _count(values[c]) for c in ENGAGEMENT if c in values}
    for column, count in engagement.items():
        if count is None:
            message = _("%(column)s “%(value)s” is not a whole number of 0 or more.")
            mine.append(message % {"column": column, "value": values[column]})
    problems.extend(f"{where}: {problem}" for problem in mine)
    if mine or platform is None:
        return None
    counts = {column: count for column, count in engagement.items() if count is not None}
    handle, name = strings["author_handle"], strings["author_name"]
    return RawPost(platform, url, handle, name, text, posted_at, counts, metadata, line=number)


def _string(value: Any, column: str, problems: list[str]) -> str:
    if value is None:
        return ""
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return str(value).strip()
    problems.append(
        _("%(column)s must be text, not %(type)s.") % {"column": column, "type": type(value).__name__}
    )
    return ""


def _datetime(value: Any) -> datetime.datetime | None:
    """Aware datetime from ISO 8601 or the day-first forms of Indonesian spreadsheets; naive is WIB."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:  # a JSON number: a Unix timestamp
            return datetime.datetime.fromtimestamp(value, tz=datetime.UTC)
        except (ValueError, OverflowError, OSError):
            return None
    if not isinstance(value, str):
        return None
    value = value.strip()
    parsed = None
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError:
        for pattern in DATE_FORMATS:
            try:
                parsed = datetime.datetime.strptime(value, pattern)  # noqa: DTZ007 - naive is WIB, set below
                break
            except ValueError:
                continue
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=WIB)


def _count(value: Any) -> int | None:
    """A non-negative count: 1234, "1.234", "1,234", "2,5rb", "3 rb", "1,5jt"; None if it is none."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return int(value) if value >= 0 and float(value).is_integer() else None
    if not isinstance(value, str):
        return None
    number = value.strip().lower().replace(" ", "")
    digits = number.rstrip("abcdefghijklmnopqrstuvwxyz")
    multiplier = MULTIPLIERS.get(number[len(digits) :], 1 if digits == number else 0)
    if not 0 < len(digits) <= 30 or not multiplier or not all(ch.isdigit() or ch in ".," for ch in digits):
        return None
    if multiplier > 1:  # "2,5rb" and "2.5k": the separator is a decimal point
        parts = digits.replace(",", ".").split(".")
        if len(parts) > 2 or not all(p.isascii() and p.isdigit() for p in parts):
            return None
        whole, fraction = parts[0], parts[1] if len(parts) > 1 else ""
        scaled = int(whole + fraction) * multiplier
        return scaled // 10 ** len(fraction) if scaled % 10 ** len(fraction) == 0 else None
    # Without a suffix, "." or "," may only group thousands ("1.234.567"), never be a decimal point.
    for separator in ".,":
        groups = digits.split(separator)
        if len(groups) > 1 and (not 1 <= len(groups[0]) <= 3 or any(len(g) != 3 for g in groups[1:])):
            return None
    plain = digits.replace(".", "").replace(",", "")
    return (
        int(plain)
        if plain.isascii() and plain.isdigit() and ("." not in digits or "," not in digits)
        else None
    )


def _platform(name: str) -> str | None:
    return PLATFORM_NAMES.get("".join(ch for ch in name.lower() if ch.isalnum()))


def _column(name: str) -> str:
    key = "_".join(name.strip().lower().replace("-", " ").split())
    return ALIASES.get(key, name.strip())


def _line(number: int) -> str:
    return _("Line %(line)d") % {"line": number}


def _item(number: int) -> str:
    return _("Item %(item)d") % {"item": number}


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _is_web_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


# --- feeds -------------------------------------------------------------------------------------


class PostSource(Protocol):
    kind: str

    def fetch(self, url: str, *, timeout: float = 20.0) -> list[RawPost]: ...


class _WebOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects to http(s) only: a feed must not redirect to ftp:// or elsewhere."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        if not _is_web_url(newurl):
            raise SourceError(
                _("Only http:// and https:// feed addresses are allowed, not “%(url)s”.") % {"url": newurl}
            )
        _refuse_private(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _refuse_private(url: str) -> None:
    """Staff type feed addresses: without this, one could make the office machine fetch from its own
    network (routers, other servers) and show the answer. Only public addresses are fetched unless
    the office allows its own (AWAS_FEEDS_ALLOW_PRIVATE, e.g. a monitoring tool on the LAN)."""
    if settings.AWAS_FEEDS_ALLOW_PRIVATE:
        return
    parts = urllib.parse.urlsplit(url)
    try:
        infos = socket.getaddrinfo(parts.hostname or "", parts.port or 443, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError) as error:
        raise SourceError(_("Could not fetch %(url)s: %(error)s.") % {"url": url, "error": error}) from error
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not address.is_global:
            raise SourceError(
                _("%(url)s points into a private network; only public feed addresses are fetched.")
                % {"url": url}
            )


class FeedSource:
    """RSS 2.0 and Atom feeds, parsed by feedparser."""

    kind = "rss"

    def __init__(self, platform: str = Platform.OTHER) -> None:
        value = _platform(platform)
        if value is None:
            raise ValueError(f"unknown platform {platform!r}; accepted: {', '.join(Platform.values)}")
        self.platform = value

    def fetch(self, url: str, *, timeout: float = 20.0) -> list[RawPost]:
        if not _is_web_url(url):
            raise SourceError(
                _("Only http:// and https:// feed addresses are allowed, not “%(url)s”.") % {"url": url}
            )
        _refuse_private(url)
        request = urllib.request.Request(url, headers={"User-Agent": "Awas/1.0"})  # noqa: S310 - http(s) only
        opener = urllib.request.build_opener(_WebOnlyRedirects)
        try:
            with opener.open(request, timeout=timeout) as response:
                body = response.read(MAX_FEED_BYTES + 1)
                headers = {
                    "content-type": response.headers.get("Content-Type", ""),
                    "content-location": response.url,
                }
        except urllib.error.HTTPError as error:
            message = _("The feed server answered %(status)d %(reason)s for %(url)s.")
            raise SourceError(message % {"status": error.code, "reason": error.reason, "url": url}) from error
        except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            raise SourceError(
                _("Could not fetch %(url)s: %(error)s.") % {"url": url, "error": reason}
            ) from error
        if len(body) > MAX_FEED_BYTES:
            message = _("The feed at %(url)s is larger than %(limit)d MB.")
            raise SourceError(message % {"url": url, "limit": MAX_FEED_BYTES // 1024 // 1024})
        # A stream, never the bytes themselves: feedparser would try to open bytes as a file name.
        parsed = feedparser.parse(io.BytesIO(body), response_headers=headers)
        if not parsed.entries and (parsed.bozo or not parsed.version):
            raise SourceError(_("The document at %(url)s is not an RSS or Atom feed.") % {"url": url})
        feed_title = _html_text(parsed.feed.get("title", ""))
        return [post for entry in parsed.entries if (post := self._post(entry, feed_title))]

    def _post(self, entry: Any, feed_title: str) -> RawPost | None:
        title = entry.get("title", "")
        if entry.get("title_detail", {}).get("type", "") in ("text/html", "application/xhtml+xml"):
            title = _html_text(title)
        body = _html_text(
            entry["content"][0].get("value", "") if entry.get("content") else entry.get("summary", "")
        )
        # Short-post feeds often repeat the body as the title; keep it once.
        text = body if body.startswith(title.strip()) else f"{title.strip()}\n\n{body}".strip()
        if not text:
            return None
        when = entry.get("published_parsed") or entry.get("updated_parsed")
        author = entry.get("author", "").strip()
        link = entry.get("link", "")
        # Feeds are not checked row by row like files: what does not fit is cut (or left out).
        return RawPost(
            platform=self.platform,
            url=link if _is_web_url(link) and len(link) <= MAX_LENGTHS["url"] else "",
            author_handle=(author if author.startswith("@") else "")[: MAX_LENGTHS["author_handle"]],
            author_name=(author or feed_title)[: MAX_LENGTHS["author_name"]],
            text=text,
            posted_at=datetime.datetime.fromtimestamp(calendar.timegm(when), tz=datetime.UTC)
            if when
            else None,
            engagement={},
            metadata={"feed": feed_title, "entry_id": entry.get("id", "")},
        )


def _html_text(markup: str) -> str:
    """Readable text of an HTML fragment: tags dropped, a line per paragraph, spaces collapsed."""
    if not markup.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return " ".join(markup.split())
    for element in root.iter("br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"):
        if element.tag != "br":
            element.text = "\n" + (element.text or "")
        element.tail = "\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return "\n".join(line for line in lines if line)


_SOURCES: dict[str, Callable[..., PostSource]] = {FeedSource.kind: FeedSource}


def register_source(kind: str, factory: Callable[..., PostSource]) -> None:
    """Makes ``source_for(kind, **options)`` return ``factory(**options)``."""
    _SOURCES[kind] = factory


def source_for(kind: str, **options: Any) -> PostSource:
    try:
        factory = _SOURCES[kind]
    except KeyError:
        raise KeyError(
            f"unknown source kind {kind!r}; registered kinds: {', '.join(sorted(_SOURCES))}"
        ) from None
    return factory(**options)
