"""Hybrid search: dense (Chroma) and lexical (BM25) results fused, with diversity across articles.

Dense vectors find paraphrases; BM25 finds the rare names and numbers that
dense vectors blur. A third list re-ranks the candidates of both by how much
of the question they state, numbers and names weighing most ("Q1 2021"
must be there for a question about Q1 2021), with the engine's own word
normalisation. Reciprocal rank fusion merges the lists without tuning score
scales. A first pass takes at most ``per_article`` chunks from
any one article, so that a rarer opposing source is not crowded out by many
chunks of one article; the rest fill up after.
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Callable

import bm25s
import Stemmer

from newsbot.models import Chunk, Evidence
from retrieval.terms import is_stopword, term, tokens
from retrieval.embeddings import Embedder
from retrieval.generation import Generation
from retrieval.store import CorpusStore

RRF_K = 60
logging.getLogger("bm25s").setLevel(logging.WARNING)


class _LexicalIndex:
    """BM25 over one generation's chunks, built once and reused until the generation changes."""

    def __init__(self, chunks: list[Chunk]) -> None:
        self.chunks = chunks
        self._terms: dict[str, frozenset[str]] = {}
        self._stemmer = Stemmer.Stemmer("english")
        self._bm25 = bm25s.BM25()
        if chunks:
            tokens = bm25s.tokenize([c.text for c in chunks], stopwords="en", stemmer=self._stemmer, show_progress=False)
            self._bm25.index(tokens, show_progress=False)

    def terms(self, chunk: Chunk) -> frozenset[str]:
        """The chunk's terms (as the engine stems them), computed once per generation."""
        found = self._terms.get(chunk.id)
        if found is None:
            found = self._terms[chunk.id] = frozenset(term(t.text) for t in tokens(chunk.text))
        return found

    def search(self, query: str, k: int) -> list[tuple[int, float]]:
        if not self.chunks:
            return []
        tokens = bm25s.tokenize([query], stopwords="en", stemmer=self._stemmer, show_progress=False)
        if not tokens.vocab:
            return []
        k = min(k, len(self.chunks))
        docs, scores = self._bm25.retrieve(tokens, k=k, show_progress=False, n_threads=1)
        return [(int(d), float(s)) for d, s in zip(docs[0], scores[0], strict=True) if s > 0]


def question_terms(question: str) -> dict[str, float]:
    """The question's content terms with weights: numbers 2, names 1.5, other words 1."""
    weights: dict[str, float] = {}
    for i, tok in enumerate(tokens(question)):
        if is_stopword(tok.text):
            continue
        t = term(tok.text)
        if not t:
            continue
        weight = 2.0 if tok.is_number or any(ch.isdigit() for ch in tok.text) else 1.5 if i and tok.is_capitalized else 1.0
        weights[t] = max(weights.get(t, 0.0), weight)
    return weights


def match_ranking(weights: dict[str, float], chunks: list[Chunk], terms_of: Callable[[Chunk], frozenset[str]]) -> list[str]:
    """Chunk ids by the weighted share of the question's terms each states (stable for ties)."""
    if not weights:
        return []
    scored = [(sum(w for t, w in weights.items() if t in terms_of(c)), i, c.id) for i, c in enumerate(chunks)]
    return [cid for score, _, cid in sorted(scored, key=lambda x: (-x[0], x[1])) if score > 0]


def rrf(rankings: list[list[str]], k: int = RRF_K) -> dict[str, float]:
    """Reciprocal rank fusion: each list adds 1/(k + rank) to the items it ranks."""
    fused: dict[str, float] = defaultdict(float)
    for ranking in rankings:
        for rank, key in enumerate(ranking, 1):
            fused[key] += 1.0 / (k + rank)
    return dict(fused)


def diversify(ordered: list[str], article_of: dict[str, str], k: int, per_article: int) -> list[str]:
    """Top ``k`` keeping at most ``per_article`` per article in a first pass, then filling in order."""
    picked: list[str] = []
    counts: dict[str, int] = defaultdict(int)
    for key in ordered:
        if counts[article_of[key]] < per_article:
            picked.append(key)
            counts[article_of[key]] += 1
        if len(picked) == k:
            return picked
    for key in ordered:
        if key not in picked:
            picked.append(key)
            if len(picked) == k:
                break
    return picked


class HybridRetriever:
    """Question in, best passages out as Evidence (with their whole articles)."""

    def __init__(self, store: CorpusStore, embedder: Embedder, *, k: int = 8, per_article: int = 3,
                 candidates: int = 40) -> None:
        self.store, self.embedder = store, embedder
        self.k, self.per_article, self.candidates = k, per_article, candidates
        self._lock = threading.Lock()
        self._index: tuple[str | None, _LexicalIndex] | None = None

    def _lexical(self, live: Generation) -> _LexicalIndex:
        """The BM25 index of this generation: built on first use, rebuilt lazily after a switch."""
        with self._lock:
            if self._index is None or self._index[0] != live.name:
                self._index = (live.name, _LexicalIndex(live.all_chunks()))
            return self._index[1]

    def warm(self) -> None:
        """Build the live generation's BM25 index and article cache now (after a reload), not on the next question."""
        self.store.read(lambda live: (self._lexical(live), live.articles), None)

    def search(self, question: str, k: int | None = None) -> list[Evidence]:
        """The best ``k`` passages for ``question``, fused and diversified, each with its whole article."""
        k = k or self.k
        return self.store.read(lambda live: self._search(live, question, k), [])

    def _search(self, live: Generation, question: str, k: int) -> list[Evidence]:
        pool = max(self.candidates, 2 * k)
        dense = live.search(self.embedder.embed_query(question), pool)
        lexical_index = self._lexical(live)
        lexical = [(lexical_index.chunks[i], s) for i, s in lexical_index.search(question, pool)]
        by_id: dict[str, Chunk] = {c.id: c for c, _ in dense}
        by_id.update({c.id: c for c, _ in lexical})
        pool_chunks = list(by_id.values())
        matched = match_ranking(question_terms(question), pool_chunks, lexical_index.terms)
        fused = rrf([[c.id for c, _ in dense], [c.id for c, _ in lexical], matched])
        ordered = sorted(fused, key=lambda cid: -fused[cid])
        picked = diversify(ordered, {cid: by_id[cid].article_id for cid in ordered}, k, self.per_article)
        similarity = {c.id: s for c, s in dense}
        lexical_rank = {c.id: r for r, (c, _) in enumerate(lexical, 1)}
        match_rank = {cid: r for r, cid in enumerate(matched, 1)}
        articles = live.articles
        out = []
        for cid in picked:
            chunk = by_id[cid]
            article = articles.get(chunk.article_id)
            if article is None:
                continue
            out.append(Evidence(chunk=chunk, article=article, score=fused[cid],
                                dense_similarity=similarity.get(cid), lexical_rank=lexical_rank.get(cid),
                                match_rank=match_rank.get(cid)))
        return out


__all__ = ["HybridRetriever", "diversify", "rrf"]
