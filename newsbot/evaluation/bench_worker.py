"""One side of `newsbot bench`, run in its own process; prints one JSON line of figures.

``python -m newsbot.evaluation.bench_worker ours|baseline|growth --corpus C --queries Q --work DIR [--size N]``
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import time
from pathlib import Path

ASKS = 100


def _percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {"p50_ms": statistics.median(ordered), "p95_ms": p95, "max_ms": ordered[-1]}


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rows(corpus: Path) -> list[dict]:
    return [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]


def _contains(texts: list[str], spellings: list[str]) -> bool:
    return any(s.lower() in t.lower() for t in texts for s in spellings)


def _service(work: Path, name: str):  # noqa: ANN202
    from newsbot.service import NewsService
    from newsbot.settings import Settings

    settings = Settings(data_dir=work / f"{name}-data", corpus_dir=work, answer_mode="extractive",
                        collection=f"bench{name}")
    return NewsService(settings)


def _time_asks(ask, queries: list[dict], before=lambda: None) -> list[float]:  # noqa: ANN001
    ask(queries[0]["query"])  # warm: model loaded, BM25 index built
    samples = []
    for i in range(max(ASKS, len(queries))):
        q = queries[i % len(queries)]["query"]
        before()  # e.g. drop cached question vectors: every timed ask embeds its question
        started = time.perf_counter()
        ask(q)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def _uncached() -> None:
    from retrieval.embeddings import shared_onnx

    shared_onnx().clear_query_cache()


def ours(corpus: Path, queries: list[dict], work: Path) -> dict:
    from newsbot.models import Verdict

    rows = _rows(corpus)
    words = sum(len(r["text"].split()) for r in rows)
    service = _service(work, "ours")
    started = time.perf_counter()
    report = service.ingest([corpus], prune=True)
    full = time.perf_counter() - started
    started = time.perf_counter()
    service.ingest([corpus], prune=True)
    unchanged = time.perf_counter() - started
    changed = work / "changed" / corpus.name
    changed.parent.mkdir(exist_ok=True)
    n_changed = max(1, len(rows) // 100)
    with changed.open("w", encoding="utf-8") as fh:
        for i, r in enumerate(rows):
            fh.write(json.dumps({**r, "text": r["text"] + (" (Updated.)" if i < n_changed else "")}) + "\n")
    started = time.perf_counter()
    service.ingest([changed], prune=True)
    one_pct = time.perf_counter() - started
    samples = _time_asks(service.ask, queries, _uncached)
    detected = 0
    for q in queries:
        answer = service.ask(q["query"])
        quotes = [c.quote for c in answer.citations]
        detected += answer.verdict is Verdict.CONTESTED and _contains(quotes, q["answers"]) and _contains(quotes, q["fake"])
    service.close()
    return {**_percentiles(samples), "full_ingest_s": full, "ingest_chunks_per_s": report.chunks / full,
            "ingest_words_per_s": words / full, "reload_unchanged_s": unchanged, "reload_1pct_changed_s": one_pct,
            "chunks": report.chunks, "peak_rss_mb": _peak_rss_mb(), "conflict_share": detected / len(queries)}


def baseline(corpus: Path, queries: list[dict], work: Path) -> dict:
    import chromadb
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_core.embeddings import Embeddings
    from langchain_text_splitters import RecursiveCharacterTextSplitter
    from sentence_transformers import SentenceTransformer

    from retrieval.embeddings import _st_model_dir

    class STEmbeddings(Embeddings):
        def __init__(self) -> None:
            self.model = SentenceTransformer(str(_st_model_dir()), device="cpu")

        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return self.model.encode(texts, normalize_embeddings=True).tolist()

        def embed_query(self, text: str) -> list[float]:
            return self.model.encode([text], normalize_embeddings=True)[0].tolist()

    rows = _rows(corpus)
    words = sum(len(r["text"].split()) for r in rows)
    docs = [Document(page_content=r["text"], metadata={"id": r["id"]}) for r in rows]
    embeddings = STEmbeddings()
    settings = chromadb.config.Settings(anonymized_telemetry=False)

    def build(name: str):  # noqa: ANN202
        chunks = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200).split_documents(docs)
        store = Chroma.from_documents(chunks, embeddings, collection_name=name, client_settings=settings,
                                      persist_directory=str(work / f"baseline-{name}"))
        return store, len(chunks)

    started = time.perf_counter()
    store, n_chunks = build("first")
    full = time.perf_counter() - started
    started = time.perf_counter()
    build("again")  # the plain recipe has no incremental ingest: a reload re-embeds everything
    again = time.perf_counter() - started
    samples = _time_asks(lambda q: store.similarity_search(q, k=4)[0].page_content, queries)
    detected = 0
    for q in queries:
        top = [d.page_content for d in store.similarity_search(q["query"], k=4)]
        detected += _contains(top, q["answers"]) and _contains(top, q["fake"])
    return {**_percentiles(samples), "full_ingest_s": full, "ingest_chunks_per_s": n_chunks / full,
            "ingest_words_per_s": words / full, "reload_unchanged_s": again, "chunks": n_chunks,
            "peak_rss_mb": _peak_rss_mb(), "conflict_share": detected / len(queries)}


def growth(corpus: Path, queries: list[dict], work: Path, size: int) -> dict:
    from newsbot.evaluation.corpus import grown, write_corpus

    base = {r["id"]: r["text"] for r in _rows(corpus)}
    path = write_corpus(grown(base, size), work / f"growth-{size}")
    service = _service(work, f"g{size}")
    started = time.perf_counter()
    report = service.ingest([path], prune=True)
    ingest = time.perf_counter() - started
    samples = _time_asks(service.ask, queries, _uncached)
    service.close()
    return {"chunks": report.chunks, "ingest_s": ingest, **_percentiles(samples), "peak_rss_mb": _peak_rss_mb()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("side", choices=["ours", "baseline", "growth"])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--queries", type=Path, required=True)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--size", type=int, default=1000)
    args = parser.parse_args()
    queries = json.loads(args.queries.read_text())
    if args.side == "ours":
        out = ours(args.corpus, queries, args.work)
    elif args.side == "baseline":
        out = baseline(args.corpus, queries, args.work)
    else:
        out = growth(args.corpus, queries, args.work, args.size)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
