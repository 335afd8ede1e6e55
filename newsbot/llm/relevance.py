"""The relevance floor: whether the retrieved passages are worth a model's reading at all.

The model is asked whenever at least one passage reaches the floor, and then
reads the best ``llm_passages`` as retrieved (a passage that goes on from
another, "It is located in the Gomel region", need not repeat the question's
words); with none, the answer is ``not_found`` and the model is not called (a
model finds something to cite in any passage). Whether the passages actually
answer the question is the model's call: its ``not_found`` is respected.

A passage passes on either of two signals:

- **coverage**: the weighted share of the question's content terms
  (:func:`newsbot.llm.words.content_terms`; names and numbers weigh
  :data:`NAME_WEIGHT`) that the passage or its article's title states, at
  least ``llm_min_coverage``;
- **similarity**: the retriever's cosine similarity of the passage to the
  question, where it has one, at least ``llm_min_similarity``.

Both floors were calibrated with ``scripts/llm_relevance_floor.py`` (RGB dev,
50 questions, the ONNX MiniLM embeddings, and 40 off-corpus questions asked of
the RGB and the seed corpus); the figures are in that script's docstring and
the README. They sit low on purpose: a question whose answer is in the corpus
must reach the model, and an on-topic passage that answers nothing is left
to the model's own ``not_found``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsbot.llm.words import FUNCTION_WORDS, fold, term
from newsbot.models import Evidence

#: Weight of a name (a capitalised word past the first) or a number among the question's terms.
NAME_WEIGHT = 2.0
_TOKEN_RE = re.compile(r"[^\W_]+")
#: Question words that carry no content ("Which refinery ...", "Tell me ...").
_ASKING = frozenset("which who whom what when where why how tell me please know anything".split())


def question_weights(question: str) -> dict[str, float]:
    """The question's content terms, each with its weight (names and numbers :data:`NAME_WEIGHT`, others 1)."""
    weights: dict[str, float] = {}
    for i, raw in enumerate(_TOKEN_RE.findall(question)):
        word = fold(raw)
        if word in FUNCTION_WORDS or word in _ASKING:
            continue
        heavy = any(ch.isdigit() for ch in raw) or (i > 0 and raw[:1].isupper())
        t = term(word)
        weights[t] = max(weights.get(t, 0.0), NAME_WEIGHT if heavy else 1.0)
    return weights


def coverage(weights: dict[str, float], ev: Evidence) -> float:
    """The weighted share of the question's terms that the passage (or its article's title) states."""
    total = sum(weights.values())
    if not total:
        return 0.0
    stated = {term(fold(w)) for w in _TOKEN_RE.findall(f"{ev.article.title}\n{ev.chunk.text}")}
    return sum(w for t, w in weights.items() if t in stated) / total


def above_floor(question: str, evidence: Sequence[Evidence], *, min_coverage: float,
                min_similarity: float) -> list[Evidence]:
    """The passages that reach the floor, in retrieval order (any at all: the model is asked)."""
    weights = question_weights(question)
    out = []
    for ev in evidence:
        similar = ev.dense_similarity is not None and ev.dense_similarity >= min_similarity
        if similar or coverage(weights, ev) >= min_coverage:
            out.append(ev)
    return out
