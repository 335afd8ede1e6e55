"""Our side of `newsbot bench`, one measurement per process; prints one JSON line of figures.

``python -m newsbot.evaluation.ours answer --corpus C.jsonl --queries Q.json --work DIR [--asks N]``
    warm ``ask`` latency (extractive, retrieval and composition), full ingest, re-ingest unchanged and
    with 1% of the articles changed, peak RSS, conflict share on the questions.
``python -m newsbot.evaluation.ours growth --corpus C.jsonl --queries Q.json --work DIR --size N``
    the corpus repeated to about N chunks: ingest time and answer latency.
``python -m newsbot.evaluation.ours embeddings --data RGB.jsonl --work DIR --backend onnx|sentence-transformers``
    one embedder's retrieval quality on RGB (``eval rgb`` figures and dense-only recall) and speed.

Latency is measured with the question's vector not cached (the cache is
cleared before each timed ask), so every timed ask embeds its question.
Model loading is timed apart (``model_load_s``) and never inside ingest.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from newsbot.evaluation.measure import (
    ASKS,
    peak_rss_mb,
    percentiles,
    read_jsonl,
    time_calls,
    word_count,
)

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
#: Records per JSONL file of a growth corpus (a 20k-chunk corpus in one file would exceed max_article_bytes).
PART_RECORDS = 500
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def _service(work: Path, name: str, **overrides: object):  # noqa: ANN202 - imported late: chromadb is heavy
    from newsbot.service import NewsService
    from newsbot.settings import Settings

    settings = Settings(data_dir=work / f"{name}-data", corpus_dir=work / f"{name}-corpus",
                        answer_mode="extractive", collection=f"bench-{name}", **overrides)
    return NewsService(settings)


def _warm_embedder(service) -> tuple[object, float]:  # noqa: ANN001
    """The service's embedder, loaded (one question embedded and forgotten), and the seconds it took."""
    from retrieval.embeddings import make_embedder

    started = time.perf_counter()
    embedder = make_embedder(service.settings)
    embedder.embed_query("warm-up")
    embedder.clear_query_cache()
    return embedder, time.perf_counter() - started


def _timed_ingest(service, path: Path):  # noqa: ANN001, ANN202
    started = time.perf_counter()
    report = service.ingest([path], prune=True, actor="bench")
    return report, time.perf_counter() - started


def answer(corpus: Path, queries: list[dict], work: Path, asks: int = ASKS) -> dict:
    """Ingest, re-ingest and answer figures for the product as configured (extractive)."""
    from newsbot.evaluation.corpus import Record, mentions
    from newsbot.evaluation.rgb import conflict_detected

    rows = read_jsonl(corpus)
    service = _service(work, "ours")
    embedder, model_load = _warm_embedder(service)
    report, full = _timed_ingest(service, corpus)
    _, unchanged = _timed_ingest(service, corpus)

    questions = [q["query"] for q in queries]
    samples = time_calls(service.ask, questions, before=embedder.clear_query_cache, n=asks)
    detected = true_cited = 0
    for i, q in enumerate(queries):
        reply = service.ask(q["query"])
        detected += conflict_detected(Record(i, q["query"], q["answers"], q["fake"]), reply)
        true_cited += mentions([c.quote for c in reply.citations], q["answers"])

    changed = work / "ours-changed" / corpus.name
    n_changed = max(1, len(rows) // 100)
    changed.parent.mkdir(parents=True, exist_ok=True)
    changed.write_text("".join(json.dumps({**r, "text": r["text"] + (" (Updated.)" if i < n_changed else "")},
                                          ensure_ascii=False) + "\n" for i, r in enumerate(rows)), encoding="utf-8")
    changed_report, one_pct = _timed_ingest(service, changed)
    service.close()
    n = len(queries) or 1
    return {
        **percentiles(samples), "asks": len(samples), "model_load_s": model_load, "full_ingest_s": full,
        "articles": report.articles, "chunks": report.chunks, "chunks_embedded": report.chunks_embedded,
        "ingest_chunks_per_s": report.chunks / full, "ingest_words_per_s": word_count(rows) / full,
        "reload_unchanged_s": unchanged, "reload_unchanged_share": unchanged / full,
        "reload_1pct_changed_s": one_pct, "reload_1pct_changed_share": one_pct / full,
        "reload_1pct_articles": n_changed, "reload_1pct_chunks_embedded": changed_report.chunks_embedded,
        "peak_rss_mb": peak_rss_mb(), "conflict_share": detected / n, "true_answer_cited": true_cited / n,
    }


def growth(corpus: Path, queries: list[dict], work: Path, size: int, asks: int = ASKS) -> dict:
    """Ingest time and answer latency of the corpus repeated to about ``size`` chunks."""
    from newsbot.evaluation.corpus import write_jsonl
    from newsbot.evaluation.growth import grow

    service = _service(work, f"growth{size}")
    rows, expected = grow(read_jsonl(corpus), size, size=service.settings.chunk_size,
                          overlap=service.settings.chunk_overlap)
    folder = work / f"growth{size}-corpus"
    for part in range(0, len(rows), PART_RECORDS):  # files a user would have: none over the size limit
        write_jsonl(rows[part : part + PART_RECORDS], folder / f"part-{part // PART_RECORDS:04d}.jsonl")
    embedder, model_load = _warm_embedder(service)
    report, ingest = _timed_ingest(service, folder)
    if report.failed or report.chunks < expected:
        raise SystemExit(f"growth {size}: ingested {report.chunks} of {expected} chunks; "
                         f"failed: {[f.reason for f in report.failed][:3]}")
    questions = [q["query"] for q in queries]
    samples = time_calls(service.ask, questions, before=embedder.clear_query_cache, n=asks)
    started = time.perf_counter()
    paragraphs = service.read_ahead()  # what the bot does in the background after a reload
    read_ahead = time.perf_counter() - started
    service.close()
    # a fresh process on the read-ahead corpus: parses come from parses.sqlite3, sentence vectors are not cached
    service = _service(work, f"growth{size}")
    ahead = percentiles(time_calls(service.ask, questions, before=embedder.clear_query_cache, n=asks))
    service.close()
    return {"target": size, "chunks": report.chunks, "chunks_embedded": report.chunks_embedded,
            "articles": report.articles, "ingest_s": ingest, "model_load_s": model_load, **percentiles(samples),
            "read_ahead_s": read_ahead, "read_ahead_paragraphs": paragraphs,
            **{f"ahead_{k}": v for k, v in ahead.items()}, "peak_rss_mb": peak_rss_mb()}


def embeddings(data: Path, work: Path, backend: str, limit: int | None = None) -> dict:
    """One embedding backend on RGB: the ``eval rgb`` figures, dense-only retrieval, encoding speed.

    The passage vectors are saved to ``work/vectors-<backend>.npy`` (rows in corpus order) so the
    caller can compare backends vector by vector.
    """
    import numpy as np

    from newsbot.evaluation.corpus import read_rgb
    from newsbot.evaluation.rgb import evaluate, retrieval_scores
    from newsbot.settings import Settings
    from retrieval.embeddings import make_embedder

    settings = Settings(embedding_backend=backend)
    records, docs = read_rgb(data, limit)
    embedder = make_embedder(settings)
    started = time.perf_counter()
    embedder.embed_query("warm-up")
    model_load = time.perf_counter() - started
    ids, texts = list(docs), list(docs.values())
    started = time.perf_counter()
    vectors = np.asarray(embedder.embed_documents(texts), dtype=np.float32)
    encode_s = time.perf_counter() - started
    np.save(work / f"vectors-{backend}.npy", vectors)
    questions = np.asarray([embedder.embed_query(r.query) for r in records], dtype=np.float32)
    similarity = questions @ vectors.T
    dense = [retrieval_scores(rec, [ids[j] for j in np.argsort(-similarity[i])[:10]]) for i, rec in enumerate(records)]
    n = len(records) or 1
    summary = evaluate(data, limit=limit, settings=settings)["summary"]
    return {
        "backend": backend, "model": embedder.model_id, "passages": len(texts), "model_load_s": model_load,
        "passages_per_s": len(texts) / encode_s if encode_s else 0.0,
        **{key: summary[key] for key in ("recall@5", "recall@10", "mrr@10", "conflict_detected", "abstention")},
        **{f"dense_{key}": sum(d[key] for d in dense) / n for key in ("recall@5", "recall@10", "mrr@10")},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("side", choices=["answer", "growth", "embeddings"])
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--queries", type=Path)
    parser.add_argument("--data", type=Path, help="The RGB file (embeddings).")
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--asks", type=int, default=ASKS)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--backend", default="onnx")
    args = parser.parse_args()
    if args.side == "embeddings":
        out = embeddings(args.data, args.work, args.backend, args.limit)
    else:
        queries = json.loads(args.queries.read_text(encoding="utf-8"))
        if args.side == "answer":
            out = answer(args.corpus, queries, args.work, args.asks)
        else:
            out = growth(args.corpus, queries, args.work, args.size, args.asks)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
