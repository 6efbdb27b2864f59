"""Indonesian social-media text normaliser, written for Awas.

What it does to a post, in order:

1. **Clean** (:func:`prepare`; each regular expression runs only when a cheap substring test says
   it can match): literal ``\\n`` and ``\\xNN`` escapes left by scrapers become spaces, HTML
   entities are decoded, URLs and @mentions are removed, a leading retweet marker (``RT @x:``,
   ``RT USER:``) is removed, and money amounts (``50rb``, ``Rp 100.000``, ``20 ribu``) become the
   word ``nominaluang``. A lone ``rt`` elsewhere is kept: in Indonesian it is *Rukun Tetangga*.
2. **Tokenise**: the text is split on whitespace, and each distinct chunk once into runs of
   letters and digits; punctuation separates tokens and is dropped (``bagi-bagi`` → ``bagi bagi``).
   The anonymisation tokens ``USER`` and ``URL`` of public datasets are dropped (upper case only).
3. **Normalise each distinct token once** (cached: posts repeat words a lot), lower-cased:
   laughter (``wkwkwk`` → ``wkwk``, ``hahahaa`` → ``haha``); elongation (``bangeeettt`` →
   ``banget``: runs of three or more letters are cut to two, then to one, stopping at the first
   form the lexicon knows); slang and abbreviations from ``lexicon/slang_id.txt`` (``yg`` →
   ``yang``, ``gak`` → ``tidak``); reduplication with a digit (``anak2`` → ``anak anak``);
   leetspeak inside words (``b3rsama`` → ``bersama``); letters glued to digits
   (``2019gantipresiden`` → ``2019 gantipresiden``); numbers of more than four digits (phone
   numbers, ids) are dropped.
4. **Stem** (optional, :func:`stem`): a light, dictionary-free affix stripper for the prefixes
   meN-/ber-/di-/ter-/ke-/se- and the suffixes -kan/-an/-i/-nya/-lah/-kah/-pun, with a minimum stem
   length and a list of base words it must leave alone (``lexicon/tanpa_imbuhan.txt``).

*Marker mode* (``Normaliser(markers=True)``, the classifier's features) keeps what is not the
author's words but still a signal: mentions and URLs become ``<user>`` and ``<url>``, runs of
punctuation or emoji stay as words, and the retweet marker stays.

The team's own lexicon works alone. When ``../shared/data/text/lexicons/louisowen6_combined_slang_words.json``
(MIT) is present it can be merged in as an optional extra (``Lexicon.load(extra_shared=True)``); the
repository's entries win where both define a word.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

LEXICON_PACKAGE = "awas.cyber"
SHARED_SLANG_JSON = Path("text") / "lexicons" / "louisowen6_combined_slang_words.json"
MONEY_TOKEN = "nominaluang"  # noqa: S105 (the word money amounts become)

# --- step 1: cleaning --------------------------------------------------------------------------
# Each pattern runs only when a cheap substring test says it can match: most posts need none.
_ESCAPES = re.compile(r"\\x[0-9a-fA-F]{2}|\\[nrt]")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_MENTION = re.compile(r"@\w+")
_RETWEET = re.compile(r"^\s*(?:rt\b\s*:?\s*)+", re.IGNORECASE)
_MONEY_RP = re.compile(r"\brp\.?\s?\d[\d.,]*(?:\s?(?:rb|ribu|k|jt|juta|m|miliar))?\b", re.IGNORECASE)
_MONEY_NUM = re.compile(
    r"(?<![\d.,])\d+(?:[.,]\d+)?\s?(?:rb|ribu|rebu|k|jt|juta|jeti|perak)\b", re.IGNORECASE
)
_DIGIT = re.compile(r"\d")
_TOKEN = re.compile(r"[^\W_]+")
_TOKEN_MARKED = re.compile(r"[^\W_]+|[^\w\s]+")  # punctuation and emoji runs are tokens too
# The anonymisation tokens of public datasets, upper case only (a lower-case "user" is a word).
ANON_TOKENS = frozenset({"USER", "URL"})
MARKER_TOKENS = frozenset({"user", "url"})  # the same, in the lower-cased text of marker mode

# --- step 3: tokens ----------------------------------------------------------------------------
_LAUGH_WK = re.compile(r"^(?:w+k+)+w*$|^(?:k+w+)+k*$|^(?:a*wok)+(?:wok)*$")
_LAUGH_HA = re.compile(r"^(?:[bg]?w?a?h+[aeiou]+)+h*$|^(?:x+i+)+$")
_LAUGH_FIRST = frozenset("abghkwx")
_RUN3 = re.compile(r"(.)\1{2,}")
_RUN2 = re.compile(r"(.)\1+")
_LEET = str.maketrans({"4": "a", "3": "e", "1": "i", "0": "o", "5": "s", "7": "t"})
_LETTERS_DIGITS = re.compile(r"[a-z]+|\d+")
_REDUP = re.compile(r"^([a-z]{2,})2([a-z]{0,3})$")  # anak2, sama2nya, ujung2nya


def _lexicon_text(name: str) -> str:
    return resources.files(LEXICON_PACKAGE).joinpath("lexicon", name).read_text(encoding="utf-8")


def _lines(text: str) -> Iterable[str]:
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            yield line


def parse_slang(text: str) -> dict[str, tuple[str, ...]]:
    """``form, form = formal words`` lines → {form: (formal, words)}."""
    mapping: dict[str, tuple[str, ...]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if "=" not in line:
            raise ValueError(f"slang lexicon line {number}: expected 'form, form = formal', got {line!r}")
        forms, formal = line.split("=", 1)
        target = tuple(formal.split())
        if not target:
            raise ValueError(f"slang lexicon line {number}: nothing after '='")
        for form in forms.split(","):
            form = form.strip().lower()
            if form:
                mapping[form] = target
    return mapping


@dataclass(frozen=True)
class Lexicon:
    """Slang map, known formal words, and base words the stemmer leaves alone."""

    slang: dict[str, tuple[str, ...]]
    known: frozenset[str]
    no_stem: frozenset[str]
    sources: tuple[str, ...] = field(default=())

    @classmethod
    def load(cls, *, extra_shared: bool | Path = False) -> Lexicon:
        """The repository's lexicon; with ``extra_shared`` also the MIT slang list of the shared data.

        ``extra_shared`` may be True (look in ``../shared/data`` beside the checkout) or a path to the
        shared data folder. A missing file is not an error: the repository's list works alone.
        """
        slang = parse_slang(_lexicon_text("slang_id.txt"))
        sources = ["awas/cyber/lexicon/slang_id.txt"]
        if extra_shared:
            base = extra_shared if isinstance(extra_shared, Path) else default_shared_data()
            path = base / SHARED_SLANG_JSON
            if path.exists():
                extra = json.loads(path.read_text(encoding="utf-8"))
                for form, formal in extra.items():
                    form = str(form).strip().lower()
                    if form and " " not in form and form not in slang and str(formal).strip():
                        slang[form] = tuple(str(formal).lower().split())
                sources.append(str(path))
        known = {w for line in _lines(_lexicon_text("kata_id.txt")) for w in line.split()}
        known.update(w for target in slang.values() for w in target)
        no_stem = frozenset(w for line in _lines(_lexicon_text("tanpa_imbuhan.txt")) for w in line.split())
        known.update(no_stem)
        return cls(slang=slang, known=frozenset(known), no_stem=no_stem, sources=tuple(sources))


@cache
def default_lexicon() -> Lexicon:
    return Lexicon.load()


def default_shared_data() -> Path:
    """``../shared/data`` beside the checkout (where the project's reference data lives)."""
    return Path(__file__).resolve().parents[3] / "shared" / "data"


def prepare(text: str, *, markers: bool = False) -> str:
    """Step 1 without lower-casing: escapes, entities, URLs, mentions, a leading retweet marker and
    money amounts are dealt with; ``USER``/``URL`` go at the token step (:func:`raw_tokens`).

    With ``markers`` (for the classifier's features) URLs and mentions become the tokens ``URL`` and
    ``USER`` and the retweet marker stays: that a post replies to someone or links somewhere is a
    signal, although neither is the author's words.
    """
    if "\\" in text:
        text = _ESCAPES.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    if "://" in text or "www." in text or "WWW." in text:
        text = _URL.sub(" URL " if markers else " ", text)
    if "@" in text:
        text = _MENTION.sub(" USER " if markers else " ", text)
    if not markers and text[:4].lstrip()[:2] in ("RT", "rt", "Rt"):
        text = _RETWEET.sub(" ", text)
    if _DIGIT.search(text):
        if "rp" in text or "Rp" in text or "RP" in text:
            text = _MONEY_RP.sub(f" {MONEY_TOKEN} ", text)
        text = _MONEY_NUM.sub(f" {MONEY_TOKEN} ", text)
    return text


def raw_tokens(text: str) -> list[str]:
    """Steps 1 and 2: the post's tokens as written (case kept), anonymisation tokens removed."""
    return [t for t in _TOKEN.findall(prepare(text)) if t not in ANON_TOKENS]


def clean(text: str) -> str:
    """Step 1 and 2 as text: what is left of the author's words, lower-cased, one space apart."""
    return " ".join(raw_tokens(text)).lower()


def squeeze(word: str, keep: int = 2) -> str:
    """Cut every run of more than ``keep`` equal characters down to ``keep``."""
    if keep == 1:
        return _RUN2.sub(r"\1", word)
    return re.sub(rf"(.)\1{{{keep},}}", r"\1" * keep, word)


class Normaliser:
    """Turns posts into normalised words. Each distinct token is normalised once and cached."""

    def __init__(
        self,
        lexicon: Lexicon | None = None,
        *,
        stem: bool = False,
        markers: bool = False,
        cache_limit: int = 500_000,
    ):
        """``stem``: apply :func:`stem` to every word. ``markers`` (classifier features): mentions and
        URLs become the words ``<user>`` and ``<url>``, and runs of punctuation or emoji are kept as
        words (squeezed to two characters), where plain normalisation drops them."""
        self.lexicon = lexicon or default_lexicon()
        self.stem = stem
        self.markers = markers
        self.cache_limit = cache_limit
        self._cache: dict[str, tuple[str, ...]] = {}
        self._findall = (_TOKEN_MARKED if markers else _TOKEN).findall

    def clear_cache(self) -> None:
        self._cache.clear()

    def tokens(self, text: str) -> list[str]:
        """The raw whitespace-separated chunks of a post (case and punctuation kept); :meth:`token`
        splits each into letters/digits (and, with markers, punctuation runs). Splitting on
        whitespace first is much cheaper than a regular expression over every post, and the
        finer split then happens once per distinct chunk."""
        if self.markers:  # case is not a feature; folding it first means fewer distinct chunks
            return prepare(text, markers=True).lower().split()
        return prepare(text).split()

    # -- one token ------------------------------------------------------------------------------
    def _lookup(self, word: str) -> tuple[str, ...] | None:
        slang = self.lexicon.slang.get(word)
        if slang is not None:
            return slang
        if word in self.lexicon.known:
            return (word,)
        return None

    def _word(self, word: str) -> tuple[str, ...]:
        """A token of letters only."""
        found = self._lookup(word)
        if found is not None:
            return found
        if word[0] in _LAUGH_FIRST:
            if _LAUGH_WK.match(word):
                return ("wkwk",)
            if len(word) >= 4 and _LAUGH_HA.match(word):
                return ("haha",)
        if _RUN2.search(word) is None:
            return (word,)
        elongated = _RUN3.search(word) is not None
        if elongated:
            two = _RUN3.sub(r"\1\1", word)
            found = self._lookup(two)
            if found is not None:
                return found
            one_of_long = _RUN3.sub(r"\1", word)
            found = self._lookup(one_of_long)
            if found is not None:
                return found
        one = _RUN2.sub(r"\1", word)
        if one != word:
            found = self._lookup(one)
            if found is not None:
                return found
        return (_RUN3.sub(r"\1", word),) if elongated else (word,)

    def _token(self, token: str) -> tuple[str, ...]:
        if token in ANON_TOKENS:
            return (f"<{token.lower()}>",) if self.markers else ()
        if self.markers and token in MARKER_TOKENS:
            return (f"<{token}>",)
        if not token[0].isalnum():  # a run of punctuation or emoji (markers only)
            return (squeeze(token, 2)[:4],) if self.markers else ()
        token = token.lower()
        if token.isdigit():
            return (token,) if len(token) <= 4 else ()
        if token.isalpha():
            return self._word(token)
        found = self.lexicon.slang.get(token)
        if found is not None:
            return found
        redup = _REDUP.match(token)
        if redup:
            base = self._word(redup.group(1))
            suffix = redup.group(2)
            return (*base, *base[:-1], base[-1] + suffix) if suffix else (*base, *base)
        parts = _LETTERS_DIGITS.findall(token)
        if (
            len(parts) >= 3
            and parts[0].isalpha()
            and parts[-1].isalpha()
            and all(len(p) == 1 for p in parts if p.isdigit())
        ):
            leet = token.translate(_LEET)
            if leet.isalpha():
                return self._word(leet)
        out: list[str] = []
        for part in parts:
            out.extend(self._token(part))
        return tuple(out)

    def parts(self, chunk: str) -> list[str]:
        """A chunk's tokens: runs of letters/digits (and, with markers, of punctuation or emoji)."""
        return self._findall(chunk)

    def part_words(self, part: str) -> tuple[str, ...]:
        """The normalised word(s) of one token (not cached)."""
        words = self._token(part)
        if self.stem:
            words = tuple(stem(w, self.lexicon) for w in words)
        return words

    def token(self, chunk: str) -> tuple[str, ...]:
        """The normalised word(s) for one raw chunk of a post (cached)."""
        found = self._cache.get(chunk)
        if found is None:
            parts = self._findall(chunk)
            if len(parts) == 1 and parts[0] == chunk:
                words = self.part_words(chunk)
            else:
                words = tuple(w for part in parts for w in self.token(part))
            if len(self._cache) >= self.cache_limit:
                self._cache.clear()
            self._cache[chunk] = found = words
        return found

    # -- whole texts ----------------------------------------------------------------------------
    def words(self, text: str) -> list[str]:
        """The normalised words of one post."""
        get = self._cache.get
        out: list[str] = []
        for tok in self.tokens(text):
            words = get(tok)
            out.extend(words if words is not None else self.token(tok))
        return out

    def __call__(self, text: str) -> str:
        return " ".join(self.words(text))


# --- step 4: light affix stripping -------------------------------------------------------------
_PARTICLES = ("lah", "kah", "pun", "tah")
_POSSESSIVES = ("nya", "ku", "mu")
_DERIVATIONAL = ("kan", "an", "i")
_VOWELS = frozenset("aeiou")
MIN_STEM = 4  # letters left after stripping; shorter results keep the word as it was


def _strip_prefix(word: str, known: frozenset[str]) -> tuple[str, bool]:
    """One prefix off ``word`` (with meN- recoding), or the word unchanged.

    se- and ke- begin many base words (sebut, sekolah, kelompok), so they are taken off only when what
    remains is a known word (``kemana`` → ``mana``).
    """
    w = word
    if w.startswith(("se", "ke")) and w[2:] in known:
        return w[2:], True
    if w.startswith("di") and len(w) - 2 >= MIN_STEM:
        return w[2:], True
    if w.startswith(("ber", "ter")) and len(w) - 3 >= MIN_STEM:
        return w[3:], True
    if w.startswith("me") and len(w) - 2 >= MIN_STEM:
        rest = w[2:]
        if rest.startswith("ny") and rest[2:3] in _VOWELS:
            return "s" + rest[2:], True  # menyapu → sapu
        if rest.startswith("ng"):
            tail = rest[2:]
            if tail.startswith("e") and len(tail) - 1 >= 3 and tail[1:2] not in _VOWELS:
                return tail[1:], True  # mengecat → cat
            return tail, True  # mengambil → ambil, menggali → gali (k-recoding is ambiguous: not done)
        if rest.startswith("m"):
            tail = rest[1:]
            return ("p" + tail if tail[:1] in _VOWELS else tail), True  # memilih → pilih, membeli → beli
        if rest.startswith("n"):
            tail = rest[1:]
            return ("t" + tail if tail[:1] in _VOWELS else tail), True  # menulis → tulis, mendukung → dukung
        if rest[:1] in {"l", "r", "w", "y"}:
            return rest, True  # melihat → lihat
    return w, False


def stem(word: str, lexicon: Lexicon | None = None) -> str:
    """Light, dictionary-free stemming of one lower-case word (see the module docstring).

    The order is: particle (-lah, -kah, -pun), possessive (-nya, -ku, -mu), the confix ke-…-an, one
    prefix, then one derivational suffix. -an needs a prefix or a stem of five letters (pilihan →
    pilih, but jalan stays); -i needs a prefix (pagi stays, dikuasai → kuasa). Nothing shorter than
    four letters is ever left.
    """
    lexicon = lexicon or default_lexicon()
    no_stem, known = lexicon.no_stem, lexicon.known
    if len(word) <= MIN_STEM or word in no_stem or word in known or not word.isalpha():
        return word
    w = word
    for suffix in _PARTICLES:
        if w.endswith(suffix) and len(w) - len(suffix) >= MIN_STEM:
            w = w[: -len(suffix)]
            break
    for suffix in _POSSESSIVES:
        if w.endswith(suffix) and len(w) - len(suffix) >= MIN_STEM:
            w = w[: -len(suffix)]
            break
    if w in no_stem or w in known:
        return w
    if w.startswith("ke") and w.endswith("an") and len(w) - 4 >= MIN_STEM:
        return w[2:-2]  # kecamatan → camat, kemenangan → menang
    base, had_prefix = _strip_prefix(w, known)
    if base in known:
        return base
    candidates = [base[: -len(s)] for s in _DERIVATIONAL if base.endswith(s)]
    known_rest = next((rest for rest in candidates if rest in known), None)
    if known_rest is not None:
        return known_rest  # sogokan → sogok (listed), not sogo
    for suffix in _DERIVATIONAL:
        if not base.endswith(suffix):
            continue
        rest = base[: -len(suffix)]
        if suffix == "i" and not had_prefix:
            continue
        if suffix == "an" and not had_prefix and len(rest) < MIN_STEM + 1:
            continue
        if len(rest) >= MIN_STEM:
            base = rest
        break
    return base if len(base) >= MIN_STEM or base in known else w
