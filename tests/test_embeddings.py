"""Embedding backends: int8 ONNX (default), fp32 sentence-transformers, and an OpenAI-compatible API over real HTTP."""

from __future__ import annotations

import hashlib
import json
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import numpy as np
import pytest

from newsbot.settings import Settings
from retrieval.embeddings import OnnxMiniLM, make_embedder, shared_onnx

TEXTS = [
    "Zelensky said Lukashenko apologized for the missile strikes.",
    "Lukashenko's press secretary said he did not apologize.",
    "The Mozyr refinery processes Russian crude oil.",
    "short",
]


def test_onnx_vectors_are_unit_length_and_order_and_batching_do_not_change_them() -> None:
    model = shared_onnx()
    batch = np.array(model.embed_documents(TEXTS))
    assert batch.shape == (4, 384)
    assert np.allclose(np.linalg.norm(batch, axis=1), 1.0, atol=1e-4)
    alone = np.array([model.embed_query(t) for t in TEXTS])
    assert np.allclose(batch, alone, atol=1e-4)
    reversed_batch = np.array(model.embed_documents(TEXTS[::-1]))[::-1]
    assert np.allclose(batch, reversed_batch, atol=1e-4)


def test_identical_texts_are_embedded_once() -> None:
    class Counting(OnnxMiniLM):
        seen = 0

        def _encode(self, texts: list[str]) -> np.ndarray:
            Counting.seen += len(texts)
            return super()._encode(texts)

    vectors = Counting().embed_documents(["same text", "other", "same text", "same text"])
    assert Counting.seen == 2 and vectors[0] == vectors[2] == vectors[3]


def test_paraphrase_is_closer_than_an_unrelated_sentence() -> None:
    model = shared_onnx()
    q = np.array(model.embed_query("Did the Belarusian leader say sorry?"))
    near, far = np.array(model.embed_documents([TEXTS[1], TEXTS[2]]))
    assert q @ near > q @ far


def test_int8_onnx_matches_fp32_sentence_transformers() -> None:
    pytest.importorskip("sentence_transformers", reason="the [torch] extra is not installed")
    fp32 = np.array(make_embedder(Settings(embedding_backend="sentence-transformers")).embed_documents(TEXTS))
    int8 = np.array(shared_onnx().embed_documents(TEXTS))
    assert fp32.shape == int8.shape == (len(TEXTS), 384)
    cosines = (fp32 * int8).sum(axis=1)
    assert cosines.min() > 0.99, cosines


class _EmbeddingsAPI(BaseHTTPRequestHandler):
    """A deterministic OpenAI-compatible /v1/embeddings endpoint that records each request's batch size."""

    batches: ClassVar[list[int]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
        _EmbeddingsAPI.batches.append(len(inputs))
        data = []
        for i, text in enumerate(inputs):
            seed = int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)
            data.append({"object": "embedding", "index": i,
                         "embedding": np.random.default_rng(seed).normal(size=16).tolist()})
        out = json.dumps({"object": "list", "data": data, "model": body["model"],
                          "usage": {"prompt_tokens": 1, "total_tokens": 1}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def embeddings_api() -> Iterator[str]:
    _EmbeddingsAPI.batches = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _EmbeddingsAPI)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()


def test_openai_compatible_backend_embeds_over_http(embeddings_api: str) -> None:
    settings = Settings(embedding_backend="openai", embedding_api_base=embeddings_api, embedding_model="tiny",
                        embedding_api_key="sk-test")
    model = make_embedder(settings)
    assert model.model_id == "openai/tiny"
    vectors = np.array(model.embed_documents(TEXTS))
    assert vectors.shape == (4, 16) and np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert np.allclose(model.embed_query(TEXTS[0]), vectors[0])


def test_openai_compatible_backend_sends_large_inputs_in_batches_and_keeps_order(embeddings_api: str) -> None:
    settings = Settings(embedding_backend="openai", embedding_api_base=embeddings_api, embedding_model="tiny")
    model = make_embedder(settings)
    texts = [f"passage number {i}" for i in range(300)] + ["passage number 7"]
    vectors = np.array(model.embed_documents(texts))
    assert _EmbeddingsAPI.batches == [256, 44]  # 300 distinct texts; the repeated one is sent once
    assert np.allclose(vectors[7], vectors[300])
    one = np.array(model.embed_documents(["passage number 123"]))[0]
    assert np.allclose(vectors[123], one)
    assert model.dimension == 16
    assert "key" not in json.dumps(model.get_config())  # Chroma persists the config: never the secret


def test_make_embedder_gives_one_model_per_process_per_backend() -> None:
    assert make_embedder(Settings()) is make_embedder(Settings()) is shared_onnx() is shared_onnx(0)
    assert make_embedder(Settings(embedding_threads=1)) is not shared_onnx()


def test_text_beyond_256_tokens_is_truncated_like_sentence_transformers() -> None:
    long = " ".join(f"word{i}" for i in range(400))
    model = shared_onnx()
    a, b = np.array(model.embed_documents([long, long + " and a tail that lies past the limit"]))
    assert np.allclose(a, b, atol=1e-5)


def test_sentence_transformers_backend_without_torch_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from retrieval.embeddings import EmbeddingUnavailable, SentenceTransformerMiniLM

    monkeypatch.setitem(sys.modules, "sentence_transformers", None)  # as if not installed
    with pytest.raises(EmbeddingUnavailable, match=r"pip install -e '\.\[torch\]'"):
        SentenceTransformerMiniLM()
