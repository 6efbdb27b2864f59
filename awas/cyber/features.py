"""Fast features for short Indonesian posts: normalised word 1–2 grams and per-word character n-grams.

Why it is fast: a post's character n-grams (``char_wb`` style: n-grams of `` word ``) are the sum of
its words' n-grams, and posts repeat words a lot. So each *distinct* raw token is normalised once and
kept in a cache as word ids, and a batch of posts becomes

    X_char = D @ T        D: posts × words (counts), T: words × character n-grams (fitted once)

one sparse product in C, instead of slicing every post into n-grams in Python as
``TfidfVectorizer(analyzer="char_wb")`` does. Character n-grams are identified by a 64-bit key
computed with NumPy over the code points of many words at once (no Python loop per n-gram; two
different n-grams sharing a key is possible in principle and harmless in practice). Word bigrams are
int64 keys looked up with ``numpy.searchsorted``. Both blocks are TF-IDF weighted (sublinear tf,
smooth idf) and L2-normalised separately, like a ``FeatureUnion`` of two ``TfidfVectorizer``.

A word first seen at prediction time gets a runtime id and the n-grams of it that the fitted
vocabulary knows. The runtime cache is bounded, and :meth:`FeatureSpace.reset_runtime` forgets it,
so that a timing run starts from the state the model had when it was loaded from disk.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.preprocessing import normalize

from awas.cyber.textnorm import Normaliser

RUNTIME_LIMIT = 200_000  # distinct unseen words remembered between predictions
_MULT = np.uint64(0x100000001B3)  # FNV-1 64-bit prime: mixes code points into a key


def _idf(df: np.ndarray, n_docs: int) -> np.ndarray:
    return (np.log((1.0 + n_docs) / (1.0 + df)) + 1.0).astype(np.float64)


def _tfidf(matrix: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    """Sublinear tf × idf, rows L2-normalised (in place on a fresh matrix)."""
    matrix.data = (np.log(matrix.data) + 1.0) * idf[matrix.indices]
    return normalize(matrix, norm="l2", copy=False)


def _indptr(counts: np.ndarray) -> np.ndarray:
    out = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=out[1:])
    return out


def gram_keys(words: Sequence[str], low: int, high: int) -> tuple[np.ndarray, np.ndarray]:
    """(word index, key) of every character n-gram (low ≤ n ≤ high) of every `` word ``."""
    if not words:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint64)
    padded = [f" {w} " for w in words]
    lengths = np.fromiter(map(len, padded), dtype=np.int64, count=len(padded))
    codes = np.frombuffer("".join(padded).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    starts = _indptr(lengths)[:-1]
    word_of = np.repeat(np.arange(len(padded), dtype=np.int64), lengths)
    room = lengths[word_of] - (np.arange(len(codes), dtype=np.int64) - starts[word_of])
    rows, keys = [], []
    for n in range(low, high + 1):
        at = np.flatnonzero(room >= n)
        key = np.full(len(at), n, dtype=np.uint64)
        for k in range(n):
            key = key * _MULT + codes[at + k]
        rows.append(word_of[at])
        keys.append(key)
    return np.concatenate(rows), np.concatenate(keys)


class _GrowingRows:
    """A CSR matrix (int32 indices and counts) that rows are appended to and cut back from.

    It holds the training words' n-gram rows first and the runtime words' after them, so one
    sparse product covers both; building the matrix object over these arrays copies nothing.
    """

    def __init__(self, n_cols: int, base: sp.csr_matrix | None = None) -> None:
        self.n_cols = n_cols
        self.n_rows = 0
        self.indptr = np.zeros(1024, dtype=np.int32)
        self.indices = np.zeros(16384, dtype=np.int32)
        self.data = np.zeros(16384, dtype=np.int32)
        self._matrix: sp.csr_matrix | None = None
        if base is not None:
            self.append(base)

    def append(self, block: sp.csr_matrix) -> None:
        rows, nnz = block.shape[0], int(self.indptr[self.n_rows])
        need_rows, need_nnz = self.n_rows + rows + 1, nnz + block.nnz
        if need_rows > len(self.indptr):
            self.indptr = np.resize(self.indptr, max(need_rows + need_rows // 4, 2 * len(self.indptr)))
        if need_nnz > len(self.indices):
            size = max(need_nnz + need_nnz // 4, 2 * len(self.indices))
            self.indices = np.resize(self.indices, size)
            self.data = np.resize(self.data, size)
        self.indptr[self.n_rows + 1 : self.n_rows + rows + 1] = block.indptr[1:] + nnz
        self.indices[nnz:need_nnz] = block.indices
        self.data[nnz:need_nnz] = block.data
        self.n_rows += rows
        self._matrix = None

    def truncate(self, n_rows: int) -> None:
        if n_rows < self.n_rows:
            self.n_rows = n_rows
            self._matrix = None

    def matrix(self) -> sp.csr_matrix:
        if self._matrix is None:
            nnz = int(self.indptr[self.n_rows])
            self._matrix = sp.csr_matrix(
                (self.data[:nnz], self.indices[:nnz], self.indptr[: self.n_rows + 1]),
                shape=(self.n_rows, self.n_cols),
            )
        return self._matrix


def _weighted(counts: sp.csr_matrix, folded: np.ndarray, idf2: np.ndarray) -> np.ndarray:
    """Rows of ``counts`` as L2-normalised sublinear TF-IDF, times weights: without building them.

    ``folded`` is idf × weights (features × heads) and ``idf2`` is idf². A row's score is
    Σ tf·idf·w / √(Σ tf²·idf²) with tf = 1 + log(count), read from a small table.
    """
    out = np.zeros((counts.shape[0], folded.shape[1]))
    if counts.nnz == 0:
        return out
    table = 1.0 + np.log(np.arange(1, int(counts.data.max()) + 1, dtype=np.float64))
    tf = table[counts.data - 1]
    matrix = sp.csr_matrix((tf, counts.indices, counts.indptr), shape=counts.shape)
    numerator = np.asarray(matrix @ folded)
    matrix.data = tf * tf
    norms = np.sqrt(np.asarray(matrix @ idf2)).ravel()
    norms[norms == 0.0] = 1.0
    return numerator / norms[:, None]


class FeatureSpace:
    """Normalised word 1–2 grams + per-word character n-grams, fitted on training posts only."""

    def __init__(
        self,
        *,
        char_range: tuple[int, int] = (2, 5),
        min_df: int = 2,
        bigrams: bool = True,
        normaliser: Normaliser | None = None,
    ) -> None:
        self.char_range = char_range
        self.min_df = min_df
        self.bigrams = bigrams
        self.normaliser = normaliser or Normaliser(markers=True)
        self.words: list[str] = []  # training word table: word id → word
        self._word_id: dict[str, int] = {}
        self.uni_map = np.zeros(0, dtype=np.int64)  # word id → unigram feature, -1 when below min_df
        self.bigram_keys = np.zeros(0, dtype=np.int64)  # sorted keys a * n_words + b
        self.word_idf = np.zeros(0)
        self.char_keys = np.zeros(0, dtype=np.uint64)  # sorted n-gram keys; feature = position
        self.char_idf = np.zeros(0)
        self._rows = _GrowingRows(0)  # word × n-gram counts: training words, then runtime words
        self._train_tokens: dict[str, tuple[int, ...]] = {}
        self.reset_runtime()

    # --- state ---------------------------------------------------------------------------------
    @property
    def n_words(self) -> int:
        return len(self.words)

    @property
    def n_unigrams(self) -> int:
        return int(self.uni_map.max(initial=-1) + 1)

    @property
    def n_word_features(self) -> int:
        return self.n_unigrams + len(self.bigram_keys)

    @property
    def n_features(self) -> int:
        return self.n_word_features + len(self.char_keys)

    def reset_runtime(self) -> None:
        """Forget what prediction added: back to the state of a model freshly loaded from disk."""
        self._tok_cache: dict[str, tuple[int, ...]] = dict(self._train_tokens)
        self._runtime_id: dict[str, int] = {}
        self._rows.truncate(self.n_words)
        self.normaliser.clear_cache()

    # --- posts → word ids ----------------------------------------------------------------------
    def _ids_of_tokens(self, chunks: Sequence[str], grow: bool) -> None:
        """Put word ids for new raw chunks into the cache (words unseen in training get runtime ids).

        A chunk with punctuation attached (``bego!!!``) is split into its tokens, which are usually
        cached already; only tokens never seen are normalised, and the character n-grams of all
        new words are computed together at the end.
        """
        cache, word_id, runtime_id = self._tok_cache, self._word_id, self._runtime_id
        normaliser = self.normaliser
        composite: list[tuple[str, list[str]]] = []
        singles: set[str] = set()
        for chunk in chunks:
            if chunk.isalnum():  # letters and digits only (no "_"): one token, the common case
                singles.add(chunk)
                continue
            parts = normaliser.parts(chunk)
            if len(parts) == 1 and parts[0] == chunk:
                singles.add(chunk)
            else:
                composite.append((chunk, parts))
                singles.update(parts)
        new_words: list[str] = []
        for token in sorted(singles.difference(cache)):
            ids = []
            for word in normaliser.part_words(token):
                wid = word_id.get(word)
                if wid is None:
                    if grow:
                        wid = word_id[word] = len(self.words)
                        self.words.append(word)
                    else:
                        rid = runtime_id.get(word)
                        if rid is None:
                            rid = runtime_id[word] = len(runtime_id)
                            new_words.append(word)
                        wid = self.n_words + rid
                ids.append(wid)
            cache[token] = tuple(ids)
        get = cache.__getitem__
        for chunk, parts in composite:
            cache[chunk] = tuple(chain.from_iterable(map(get, parts)))
        if new_words:
            self._rows.append(self._gram_rows(new_words))

    def _gram_rows(self, words: Sequence[str]) -> sp.csr_matrix:
        """words × character-n-gram features (counts), for the n-grams in the fitted vocabulary."""
        rows, keys = gram_keys(words, *self.char_range)
        order = np.argsort(keys)  # sorted queries search much faster (cache-friendly)
        rows, keys = rows[order], keys[order]
        pos = np.searchsorted(self.char_keys, keys)
        pos[pos >= len(self.char_keys)] = 0
        hit = self.char_keys[pos] == keys if len(self.char_keys) else np.zeros(len(keys), dtype=bool)
        block = sp.csr_matrix(
            (np.ones(int(hit.sum()), dtype=np.int32), (rows[hit], pos[hit])),
            shape=(len(words), len(self.char_keys)),
        )
        block.sum_duplicates()
        return block

    def encode(self, texts: Sequence[str], *, grow: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """(number of word ids per post, concatenated word ids).

        The loops over tokens run inside ``map``/``chain`` (C), not in Python statements; only
        tokens missing from the cache reach Python code. ``grow`` adds new words to the training
        table (fitting).
        """
        if not grow and len(self._runtime_id) > RUNTIME_LIMIT:
            self.reset_runtime()
        tokens = self.normaliser.tokens
        tok_lists = [tokens(text) for text in texts]
        flat = list(chain.from_iterable(tok_lists))
        missing = set(flat).difference(self._tok_cache)
        if missing:
            self._ids_of_tokens(sorted(missing), grow)
        found = list(map(self._tok_cache.__getitem__, flat))
        ids = np.fromiter(chain.from_iterable(found), dtype=np.int64)
        per_token = _indptr(np.fromiter(map(len, found), dtype=np.int64, count=len(found)))
        bounds = _indptr(np.fromiter(map(len, tok_lists), dtype=np.int64, count=len(tok_lists)))
        return np.diff(per_token[bounds]), ids

    # --- fitting -------------------------------------------------------------------------------
    def fit_transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        self.words, self._word_id, self._train_tokens = [], {}, {}
        self.char_keys = np.zeros(0, dtype=np.uint64)
        self.reset_runtime()
        lengths, wids = self.encode(texts, grow=True)
        # the raw tokens of the training posts stay cached: part of the model, like a vocabulary
        self._train_tokens = dict(self._tok_cache)
        n_docs, n_words = len(texts), self.n_words
        rows = np.repeat(np.arange(n_docs, dtype=np.int64), lengths)

        present = sp.csr_matrix((np.ones(len(wids)), (rows, wids)), shape=(n_docs, n_words))
        present.sum_duplicates()
        present.data[:] = 1.0
        word_df = np.asarray(present.sum(axis=0)).ravel()
        keep = word_df >= self.min_df
        self.uni_map = np.full(n_words, -1, dtype=np.int64)
        self.uni_map[keep] = np.arange(int(keep.sum()))
        df_parts = [word_df[keep]]
        self.bigram_keys = np.zeros(0, dtype=np.int64)
        if self.bigrams:
            keys, key_rows = self._pair_keys(lengths, wids, rows)
            if len(keys):
                pairs = np.unique(np.stack([key_rows, keys], axis=1), axis=0)  # one per (post, bigram)
                uniq_keys, df = np.unique(pairs[:, 1], return_counts=True)
                self.bigram_keys = uniq_keys[df >= self.min_df]
                df_parts.append(df[df >= self.min_df])
        self.word_idf = _idf(np.concatenate(df_parts), n_docs)

        # character n-grams of every training word; vocabulary by document frequency
        word_rows, keys = gram_keys(self.words, *self.char_range)
        uniq, inverse = np.unique(keys, return_inverse=True)
        full = sp.csr_matrix((np.ones(len(keys)), (word_rows, inverse.ravel())), shape=(n_words, len(uniq)))
        full.sum_duplicates()
        binary = full.copy()
        binary.data[:] = 1.0
        gram_df = np.asarray(((present @ binary) > 0).sum(axis=0)).ravel()
        keep_g = np.flatnonzero(gram_df >= self.min_df)
        self.char_keys = uniq[keep_g]
        self._rows = _GrowingRows(len(keep_g), full[:, keep_g].tocsr().astype(np.int32))
        self.char_idf = _idf(gram_df[keep_g], n_docs)
        self.reset_runtime()
        return self._features(lengths, wids)

    def _pair_keys(
        self, lengths: np.ndarray, wids: np.ndarray, rows: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Keys of consecutive training-word pairs inside each post, with the post of each."""
        if len(wids) < 2:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        n_words = self.n_words
        ends = np.cumsum(lengths)
        same_post = np.ones(len(wids) - 1, dtype=bool)
        last = ends[(ends > 0) & (ends < len(wids))] - 1
        same_post[last] = False
        a, b = wids[:-1], wids[1:]
        ok = same_post & (a < n_words) & (b < n_words)
        return a[ok] * n_words + b[ok], rows[:-1][ok]

    # --- transforming --------------------------------------------------------------------------
    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        lengths, wids = self.encode(texts)
        return self._features(lengths, wids)

    def transform_blocks(self, texts: Sequence[str]) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        """(word block, character block), each TF-IDF weighted and L2-normalised; their ``hstack``
        is :meth:`transform`. A linear model scores the blocks separately and skips the stacking."""
        lengths, wids = self.encode(texts)
        return self._blocks(lengths, wids)

    def _features(self, lengths: np.ndarray, wids: np.ndarray) -> sp.csr_matrix:
        return sp.hstack(self._blocks(lengths, wids), format="csr")

    @property
    def char_matrix(self) -> sp.csr_matrix:
        """Training words × character n-grams (counts)."""
        return self._rows.matrix()[: self.n_words]

    def _counts(self, lengths: np.ndarray, wids: np.ndarray) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        """(word 1–2 gram counts, character n-gram counts) per post, int32."""
        n_docs = len(lengths)
        ptr = _indptr(lengths).astype(np.int32)
        table = self._rows.matrix()
        posts = sp.csr_matrix(
            (np.ones(len(wids), dtype=np.int32), wids.astype(np.int32), ptr), shape=(n_docs, table.shape[0])
        )
        chars = posts @ table

        known = wids < self.n_words
        uni = np.where(known, self.uni_map[np.where(known, wids, 0)], -1)
        keep = uni >= 0
        rows = np.repeat(np.arange(n_docs, dtype=np.int64), lengths)
        cols, col_rows = [uni[keep]], [rows[keep]]
        if len(self.bigram_keys) and len(wids) > 1:
            keys, key_rows = self._pair_keys(lengths, wids, rows)
            pos = np.searchsorted(self.bigram_keys, keys)
            pos[pos >= len(self.bigram_keys)] = 0
            hit = self.bigram_keys[pos] == keys
            cols.append(pos[hit] + self.n_unigrams)
            col_rows.append(key_rows[hit])
        all_rows = np.concatenate(col_rows)
        order = np.argsort(all_rows, kind="stable")
        words = sp.csr_matrix(
            (
                np.ones(len(all_rows), dtype=np.int32),
                np.concatenate(cols)[order].astype(np.int32),
                _indptr(np.bincount(all_rows, minlength=n_docs)).astype(np.int32),
            ),
            shape=(n_docs, self.n_word_features),
        )
        words.sum_duplicates()
        return words, chars

    def _blocks(self, lengths: np.ndarray, wids: np.ndarray) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        words, chars = self._counts(lengths, wids)
        return (
            _tfidf(words.astype(np.float64), self.word_idf),
            _tfidf(chars.astype(np.float64), self.char_idf),
        )

    def fold(self, weights: np.ndarray) -> tuple[np.ndarray, ...]:
        """Weights over :meth:`transform`'s columns → what :meth:`score` needs (idf folded in)."""
        n = self.n_word_features
        return (
            np.ascontiguousarray(weights[:n] * self.word_idf[:, None]),
            self.word_idf**2,
            np.ascontiguousarray(weights[n:] * self.char_idf[:, None]),
            self.char_idf**2,
        )

    def score(self, texts: Sequence[str], folded: tuple[np.ndarray, ...]) -> np.ndarray:
        """``transform(texts) @ weights`` without materialising the TF-IDF matrix (see :meth:`fold`)."""
        lengths, wids = self.encode(texts)
        words, chars = self._counts(lengths, wids)
        word_w, word_idf2, char_w, char_idf2 = folded
        return _weighted(words, word_w, word_idf2) + _weighted(chars, char_w, char_idf2)

    # --- persistence (plain arrays and JSON; no pickle) ----------------------------------------
    def to_arrays(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        token_ids = list(self._train_tokens.values())
        token_ptr = _indptr(np.fromiter(map(len, token_ids), dtype=np.int64, count=len(token_ids)))
        meta = {
            "char_range": list(self.char_range),
            "min_df": self.min_df,
            "bigrams": self.bigrams,
            "words": self.words,
            "tokens": list(self._train_tokens),
        }
        arrays = {
            "uni_map": self.uni_map,
            "bigram_keys": self.bigram_keys,
            "word_idf": self.word_idf,
            "char_keys": self.char_keys,
            "char_idf": self.char_idf,
            "char_data": self.char_matrix.data,
            "char_indices": self.char_matrix.indices,
            "char_indptr": self.char_matrix.indptr,
            "token_ids": np.fromiter(
                chain.from_iterable(token_ids), dtype=np.int64, count=int(token_ptr[-1])
            ),
            "token_ptr": token_ptr,
        }
        return meta, arrays

    @classmethod
    def from_arrays(
        cls, meta: dict[str, Any], arrays: dict[str, np.ndarray], normaliser: Normaliser | None = None
    ) -> FeatureSpace:
        space = cls(
            char_range=(int(meta["char_range"][0]), int(meta["char_range"][1])),
            min_df=int(meta["min_df"]),
            bigrams=bool(meta["bigrams"]),
            normaliser=normaliser,
        )
        space.words = list(meta["words"])
        space._word_id = {w: i for i, w in enumerate(space.words)}
        space.uni_map = arrays["uni_map"].astype(np.int64)
        space.bigram_keys = arrays["bigram_keys"].astype(np.int64)
        space.word_idf = arrays["word_idf"].astype(np.float64)
        space.char_keys = arrays["char_keys"].astype(np.uint64)
        space.char_idf = arrays["char_idf"].astype(np.float64)
        space._rows = _GrowingRows(
            len(space.char_keys),
            sp.csr_matrix(
                (
                    arrays["char_data"].astype(np.int32),
                    arrays["char_indices"].astype(np.int32),
                    arrays["char_indptr"].astype(np.int32),
                ),
                shape=(len(space.words), len(space.char_keys)),
            ),
        )
        ids, ptr = arrays["token_ids"].tolist(), arrays["token_ptr"].tolist()
        space._train_tokens = {
            token: tuple(ids[ptr[i] : ptr[i + 1]]) for i, token in enumerate(meta["tokens"])
        }
        space.reset_runtime()
        return space
