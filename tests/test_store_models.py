"""A corpus embedded by one model, opened with another backend: clear error, stats still readable, rebuild fixes it."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from newsbot.settings import Settings
from retrieval.embeddings import BaseEmbedder, shared_onnx
from retrieval.search import HybridRetriever
from retrieval.store import CorpusStore, EmbeddingModelMismatch
from tests.store_helpers import art, chunker


class HashEmbedder(BaseEmbedder):
    """Another backend (its own Chroma function name): 16-dim vectors seeded by each text's hash."""

    model_id = "hash/16"
    dimension = 16

    def __init__(self) -> None:
        super().__init__()
        self.embedded = 0

    @staticmethod
    def name() -> str:
        return "newsbot-test-hash"

    @staticmethod
    def build_from_config(config: dict) -> HashEmbedder:
        return HashEmbedder()

    def _encode(self, texts: list[str]) -> np.ndarray:
        self.embedded += len(texts)
        rows = [np.random.default_rng(int(hashlib.sha256(t.encode()).hexdigest()[:8], 16)).normal(size=16)
                for t in texts]
        arr = np.asarray(rows, dtype=np.float32)
        return arr / np.linalg.norm(arr, axis=1, keepdims=True)


ARTICLES = [art("a", "The mayor resigned on Monday after the audit."), art("b", "Floods hit the northern valley.")]


def test_another_backend_opens_the_store_and_is_told_how_to_rebuild(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, collection="test")
    CorpusStore(settings, shared_onnx()).sync(ARTICLES, chunker=chunker)
    other = HashEmbedder()
    store = CorpusStore(settings, other)  # opening works: only reading vectors is refused
    stats = store.stats()
    assert stats.embedding_model == "onnx-int8/all-MiniLM-L6-v2" and stats.articles == 2
    with pytest.raises(EmbeddingModelMismatch) as err:
        store.dense_search([0.0] * 16, 3)
    message = str(err.value)
    assert "onnx-int8/all-MiniLM-L6-v2" in message and "hash/16" in message
    assert "newsbot ingest --rebuild" in message and "data directory" in message
    with pytest.raises(EmbeddingModelMismatch):
        HybridRetriever(store, other).search("mayor")
    with pytest.raises(EmbeddingModelMismatch):
        store.sync(ARTICLES, chunker=chunker)  # a plain reload would mix two models' vectors

    report = store.sync(ARTICLES, chunker=chunker, rebuild=True)
    texts = {c.text for a in ARTICLES for c in chunker(a)}
    assert report.switched and report.unchanged == ["a", "b"] and report.chunks_embedded == len(texts)
    assert other.embedded == len(texts) and store.stats().embedding_model == "hash/16"
    hits = HybridRetriever(store, other, k=1).search("The mayor resigned on Monday after the audit.")
    assert hits[0].article.id == "a"

    back = CorpusStore(settings, shared_onnx())  # and now the first model is the one told to rebuild
    with pytest.raises(EmbeddingModelMismatch, match="'hash/16' but 'onnx-int8/all-MiniLM-L6-v2'"):
        back.articles()
