"""The embedder interface and the plumbing every backend shares.

``Embedder`` is what the store and the retriever need. ``BaseEmbedder`` adds,
for every backend: identical texts embedded once per call, an LRU cache of
question vectors (questions repeat), and the two faces other libraries
expect — a Chroma ``EmbeddingFunction`` and a LangChain ``Embeddings`` — on
one object, so no adapter is needed either way.
"""

from __future__ import annotations

from typing import Any, Protocol, overload

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction
from chromadb.api.types import Embeddings as ChromaEmbeddings
from langchain_core.embeddings import Embeddings as LangChainEmbeddings

from newsbot.lru import LRU

BATCH = 16
MAX_TOKENS = 256
#: Padded tokens per ONNX batch: 16 short texts, but only 4 of 256 tokens.
BATCH_TOKENS = 1024
#: Attention cells (batch x length²) per ONNX batch. The model's attention holds ~1 KB per cell while it runs
#: (scores, mask, softmax, per head), so this bounds the activation peak: 16 texts of 32 tokens, 4 of 64, 1 of 128
#: (~15 MB); a longer text goes alone. Smaller attention batches are no slower per token on CPU.
ATTENTION_CELLS = 16384


class Embedder(Protocol):
    """What the store and the retriever need from an embedding model."""

    model_id: str
    dimension: int

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


class EmbeddingUnavailable(RuntimeError):
    """The configured embedding backend cannot run here (missing package or file)."""


class BaseEmbedder(EmbeddingFunction[Documents], LangChainEmbeddings):
    """Shared plumbing: dedup, query cache, the Chroma and LangChain faces.

    One object is both a Chroma ``EmbeddingFunction`` (``__call__``, ``name``, ``get_config``,
    ``build_from_config``, ``embed_query(input=...)``) and a LangChain ``Embeddings``
    (``embed_documents``, ``embed_query(text)``), so no adapter is needed either way.
    """

    model_id = "base"
    dimension = 384

    def __init__(self) -> None:
        self._cache: LRU[str, list[float]] = LRU(1024)

    def _encode(self, texts: list[str]) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Vectors for ``texts`` in order; identical texts are computed once."""
        return self.embed_array(texts).tolist() if texts else []

    def embed_array(self, texts: list[str]) -> np.ndarray:
        """Vectors for ``texts`` in order as one float32 array (identical texts computed once).

        What the store uses: a row costs 1.5 KB, a list of 384 Python floats ~12 KB, which at 20,000
        passages is the difference between 30 MB and 250 MB held during an ingest.
        """
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        unique = list(dict.fromkeys(texts))
        vectors = np.asarray(self._encode(unique), dtype=np.float32)
        if len(unique) == len(texts):
            return vectors
        at = {t: i for i, t in enumerate(unique)}
        return vectors[[at[t] for t in texts]]

    @overload
    def embed_query(self, text: str) -> list[float]: ...

    @overload
    def embed_query(self, text: None = None, *, input: Documents) -> ChromaEmbeddings: ...

    def embed_query(self, text: str | None = None, *, input: Documents | None = None) -> Any:
        """A question's vector (cached). Chroma calls ``embed_query(input=[...])`` for its query texts:
        that form returns one array per text, as Chroma's ``EmbeddingFunction.embed_query`` does."""
        if input is not None or isinstance(text, list):
            texts = input if input is not None else text
            return [np.asarray(self._query_vector(t), dtype=np.float32) for t in texts]
        if not isinstance(text, str):
            raise TypeError("embed_query takes one question (str)")
        return self._query_vector(text)

    def _query_vector(self, text: str) -> list[float]:
        vector = self._cache.get(text)
        if vector is None:
            vector = self._encode([text])[0].tolist()
            self._cache.put(text, vector)
        return vector

    def clear_query_cache(self) -> None:
        """Forget cached question vectors (benchmarks time the uncached path)."""
        self._cache.clear()

    # Chroma's face
    def __call__(self, input: Documents) -> ChromaEmbeddings:
        return [np.asarray(v, dtype=np.float32) for v in self.embed_documents(list(input))]

    def default_space(self) -> str:  # type: ignore[override]
        return "cosine"

    def supported_spaces(self) -> list[str]:  # type: ignore[override]
        return ["cosine"]

    def get_config(self) -> dict[str, Any]:
        return {"model_id": self.model_id}

    def is_legacy(self) -> bool:
        return False
