"""`newsbot eval rgb`: conflict detection, citations, retrieval and abstention on RGB's counterfactual set.

Every passage of every record read goes into one fresh corpus (one neutral
document each, see :mod:`newsbot.evaluation.corpus`); each query is then
asked through the product's own path (``NewsService.ask``, extractive).

Per record, and as shares over all records:

- ``conflict_detected``: verdict ``contested`` and one citation whose quote
  contains the true answer and another whose quote contains the false one;
- ``true_answer_cited``: some citation's quote contains the true answer;
- ``citation_precision``: citations (of both passes) whose quote is exactly
  ``article.text[start:end]`` of the stored passage it names — must be 1.0;
- ``recall@5``/``recall@10``: the share of the record's ``positive`` and
  ``positive_wrong`` documents among the first 5/10 distinct documents
  retrieved (``NewsService.retrieve(q, k=DEEP)``, deeper for a large top_k); ``mrr@10``: 1/rank of the
  first of them in those 10 (0 if none);
- ``abstention`` (RGB's negative rejection): the share of ``not_found``
  answers when the record's positive and positive_wrong documents are not in
  the corpus — nor those of any other record asking the very same question
  (ids 22 and 46 both ask "When was Xenoblade Chronicles 2 released?"; each
  one's true passages answer the other);
- ``abstention_or_true_answer``: the share where that pass abstains or gives
  only the true answer or a coarser form of it (:func:`only_true_values`).
  RGB's ``negative`` passages sometimes state the answer ("released May
  2012", "founded in 2015"); answering from them is right, not a failure to
  abstain, and this share tells those apart from wrong answers.

The abstention corpus, two ways (``--abstention``):

- ``filtered`` (default, one ingest): retrieve ``DEEP`` passages from the full
  corpus, drop the record's documents, keep the first ``settings.top_k`` and
  compose. This equals asking a corpus without those documents up to the
  retriever's statistics: the dense ranking of the remaining passages is the
  same, BM25's IDF differs by the removed passages, and rank fusion sees the
  remaining passages' ranks shifted by the removed ones above them. ``DEEP``
  exceeds ``top_k`` plus the most documents any record removes (:data:`MAX_LEFT_OUT`), so
  the filtered list is never short.
- ``rebuilt``: really sync the corpus without the record's documents before
  asking (unchanged passages keep their vectors, so about a second a record).
  It measures the same thing exactly and checks the shortcut.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from newsbot.evaluation.corpus import Record, mentions, read_rgb, write_corpus
from newsbot.models import Answer, Article, Evidence, Verdict
from newsbot.service import NewsService, clean_question
from newsbot.settings import Settings

#: Passages retrieved for recall@10, MRR@10 and the filtered abstention pass (more when top_k needs it).
DEEP = 40
#: The most documents the abstention pass leaves out for one record (two records' true and false passages).
MAX_LEFT_OUT = 20
METRICS = ("conflict_detected", "true_answer_cited", "citation_precision", "recall@5", "recall@10", "mrr@10",
           "abstention", "abstention_or_true_answer")
Abstention = Literal["filtered", "rebuilt"]
_WORD_RE = re.compile(r"\w+")
_FILLER = frozenset({"of", "the", "on", "in"})
Progress = Callable[[str, int, int], None]


def ranked_documents(evidence: list[Evidence]) -> list[str]:
    """Distinct document (article) ids in retrieval order."""
    return list(dict.fromkeys(ev.article.id for ev in evidence))


def retrieval_scores(rec: Record, ranked: list[str]) -> dict[str, float]:
    """recall@5, recall@10 and MRR@10 of the record's true and contradicting documents in ``ranked``."""
    relevant = rec.relevant
    if not relevant:
        return {"recall@5": 0.0, "recall@10": 0.0, "mrr@10": 0.0}
    first = next((i for i, d in enumerate(ranked[:10], 1) if d in relevant), None)
    return {"recall@5": len(relevant & set(ranked[:5])) / len(relevant),
            "recall@10": len(relevant & set(ranked[:10])) / len(relevant),
            "mrr@10": 1.0 / first if first else 0.0}


def conflict_detected(rec: Record, answer: Answer) -> bool:
    """Contested, with one citation quoting the true answer and another quoting the false one."""
    if answer.verdict is not Verdict.CONTESTED:
        return False
    true = [c.n for c in answer.citations if mentions([c.quote], rec.answers)]
    false = [c.n for c in answer.citations if mentions([c.quote], rec.fake_answers)]
    return any(t != f for t in true for f in false)


def only_true_values(rec: Record, answer: Answer) -> bool:
    """Abstained, or every value the answer gives is the true answer or a coarser form of it.

    A value is a form of the true answer when each of its words is a word of one
    accepted spelling ("May 2012" and "2012" of "May 15 2012"; "November 21 of
    1998" of "November 21 1998"). A misspelt name ("Cristophe Gans") or a value
    of another thing ("2 August 2023") is not.
    """
    if answer.verdict is Verdict.NOT_FOUND:
        return True
    values = [s.answer for s in answer.sides if s.answer]
    truths = [set(_WORD_RE.findall(spelling.lower())) for spelling in rec.answers]
    return bool(values) and all(any(set(_WORD_RE.findall(v.lower())) - _FILLER <= t for t in truths) for v in values)


def exact_citations(answer: Answer, article: Callable[[str], Article | None]) -> int:
    """How many of the answer's citations quote exactly ``text[start:end]`` of the stored article they name."""
    exact = 0
    for c in answer.citations:
        stored = article(c.article_id)
        exact += stored is not None and 0 <= c.start <= c.end and stored.text[c.start : c.end] == c.quote
    return exact


def score_record(rec: Record, answer: Answer, ranked: list[str], abstained: Answer,
                 article: Callable[[str], Article | None]) -> dict:
    """One record's figures and what is needed to see why (verdicts, values, labelled top 10)."""
    return {
        "id": rec.id, "query": rec.query, "answer": rec.answers[:1], "fakeanswer": rec.fake_answers[:1],
        "verdict": answer.verdict.value, "summary": answer.summary,
        "conflict_detected": conflict_detected(rec, answer),
        "true_answer_cited": mentions([c.quote for c in answer.citations], rec.answers),
        "false_answer_cited": mentions([c.quote for c in answer.citations], rec.fake_answers),
        "sides": [{"stance": s.stance.value, "answer": s.answer, "citations": s.citations} for s in answer.sides],
        "citations": len(answer.citations) + len(abstained.citations),
        "exact_citations": exact_citations(answer, article) + exact_citations(abstained, article),
        **retrieval_scores(rec, ranked),
        "top10": [rec.label(d) for d in ranked[:10]],
        "abstained": abstained.verdict is Verdict.NOT_FOUND,
        "abstention_verdict": abstained.verdict.value, "abstention_summary": abstained.summary,
        "abstention_quotes": [c.quote for c in abstained.citations],
        "abstention_true_only": only_true_values(rec, abstained),
    }


def summarize(rows: list[dict], corpus_documents: int) -> dict:
    """The shares over all records (the object ``--json`` prints)."""
    n = len(rows) or 1
    cited = sum(r["citations"] for r in rows)
    return {
        "records": len(rows),
        "conflict_detected": sum(r["conflict_detected"] for r in rows) / n,
        "true_answer_cited": sum(r["true_answer_cited"] for r in rows) / n,
        "citation_precision": sum(r["exact_citations"] for r in rows) / cited if cited else 1.0,
        "recall@5": sum(r["recall@5"] for r in rows) / n,
        "recall@10": sum(r["recall@10"] for r in rows) / n,
        "mrr@10": sum(r["mrr@10"] for r in rows) / n,
        "abstention": sum(r["abstained"] for r in rows) / n,
        "abstention_or_true_answer": sum(r["abstention_true_only"] for r in rows) / n,
        "corpus_documents": corpus_documents,
    }


def eval_settings(base: Settings, root: Path) -> Settings:
    """``base`` (embedding backend, top_k, chunking) on a fresh store under ``root``, extractive."""
    return base.model_copy(update={"data_dir": root / "data", "corpus_dir": root / "corpus",
                                   "answer_mode": "extractive", "collection": "rgbeval"})


def evaluate(data: Path, *, limit: int | None = None, settings: Settings | None = None,
             abstention: Abstention = "filtered", progress: Progress | None = None) -> dict:
    """Run the evaluation; returns ``{"summary": {...}, "records": [...], "settings": {...}}``."""
    records, docs = read_rgb(data, limit)
    with tempfile.TemporaryDirectory(prefix="newsbot-rgb-") as tmp:
        cfg = eval_settings(settings or Settings(), Path(tmp))
        service = NewsService(cfg)
        try:
            service.ingest([write_corpus(docs, cfg.corpus_dir)], prune=True, actor="eval rgb")
            asked: list[tuple[Record, Answer, list[Evidence]]] = []
            deep_k = max(DEEP, cfg.top_k + MAX_LEFT_OUT)
            left_out = answering_documents(records)
            for i, rec in enumerate(records, 1):
                asked.append((rec, service.ask(rec.query, mode="extractive"), service.retrieve(rec.query, k=deep_k)))
                if progress:
                    progress("questions", i, len(records))
            article = service.store.article
            if abstention == "filtered":
                abstained = [service.compose(clean_question(rec.query),
                                             [ev for ev in deep if ev.article.id not in left_out[rec.id]][: cfg.top_k])
                             for rec, _, deep in asked]
            else:
                abstained = _rebuilt_abstention(service, records, docs, cfg, left_out, progress)
            rows = [score_record(rec, answer, ranked_documents(deep), absent, article)
                    for (rec, answer, deep), absent in zip(asked, abstained, strict=True)]
        finally:
            service.close()
    return {"summary": summarize(rows, len(docs)), "records": rows,
            "settings": {"embedding_backend": cfg.embedding_backend, "top_k": cfg.top_k, "deep": deep_k,
                         "chunk_size": cfg.chunk_size, "chunk_overlap": cfg.chunk_overlap, "abstention": abstention,
                         "data": str(data), "limit": limit}}


def answering_documents(records: list[Record]) -> dict[int, set[str]]:
    """Per record id, the documents that answer its question: its own true and false passages and those
    of every record asking the same question (compared in lower case, spaces collapsed)."""
    by_question: dict[str, set[str]] = {}
    for rec in records:
        by_question.setdefault(" ".join(rec.query.lower().split()), set()).update(rec.relevant)
    return {rec.id: by_question[" ".join(rec.query.lower().split())] for rec in records}


def _rebuilt_abstention(service: NewsService, records: list[Record], docs: dict[str, str], cfg: Settings,
                        left_out: dict[int, set[str]], progress: Progress | None) -> list[Answer]:
    """Each record asked of the corpus really synced without its true and contradicting documents.

    The full corpus is synced back at the end, so the caller checks every citation
    against a store holding every passage.
    """
    out = []
    for i, rec in enumerate(records, 1):
        kept = {did: text for did, text in docs.items() if did not in left_out[rec.id]}
        service.ingest([write_corpus(kept, cfg.corpus_dir)], prune=True, actor="eval rgb abstention")
        out.append(service.ask(rec.query, mode="extractive"))
        if progress:
            progress("abstention (rebuilt corpora)", i, len(records))
    service.ingest([write_corpus(docs, cfg.corpus_dir)], prune=True, actor="eval rgb")  # the full corpus again
    return out
