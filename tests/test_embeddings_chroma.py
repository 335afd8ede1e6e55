"""The embedder works as a Chroma embedding function (also in a reopened client) and as LangChain ``Embeddings``."""

from __future__ import annotations

from pathlib import Path

import chromadb
import numpy as np
from chromadb.config import Settings as ChromaSettings
from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings

from retrieval.embeddings import shared_onnx

DOCS = ["The mayor resigned after the audit.", "Floods hit the northern valley.", "The bank raised rates."]


def _client(path: Path) -> chromadb.ClientAPI:
    return chromadb.PersistentClient(path=str(path), settings=ChromaSettings(anonymized_telemetry=False))


def test_chroma_embeds_documents_and_query_texts_with_it_and_a_reopened_collection_finds_it(tmp_path: Path) -> None:
    model = shared_onnx()
    collection = _client(tmp_path).create_collection("docs", embedding_function=model)
    collection.add(ids=["a", "b", "c"], documents=DOCS)  # Chroma calls the model
    stored = np.array(collection.get(ids=["b"], include=["embeddings"])["embeddings"][0])
    assert np.allclose(stored, model.embed_query(DOCS[1]), atol=1e-5)
    hits = collection.query(query_texts=["Did the mayor step down?"], n_results=1)  # embed_query(input=[...])
    assert hits["ids"] == [["a"]]
    assert collection.configuration_json["embedding_function"]["name"] == "newsbot-onnx-minilm"

    reopened = _client(tmp_path).get_collection("docs")  # no function given: rebuilt from the stored config
    assert reopened.query(query_texts=["river flooding"], n_results=1)["ids"] == [["b"]]
    assert reopened.configuration_json["hnsw"]["space"] == "cosine"


def test_the_same_object_is_a_langchain_embeddings_for_langchains_chroma(tmp_path: Path) -> None:
    model = shared_onnx()
    assert isinstance(model, Embeddings)
    store = Chroma(client=_client(tmp_path), collection_name="langchain", embedding_function=model)
    store.add_texts(DOCS, ids=["a", "b", "c"])
    assert store.similarity_search("interest rates went up", k=1)[0].page_content == DOCS[2]
    vector = model.embed_query("interest rates went up")
    assert isinstance(vector, list) and len(vector) == model.dimension == 384
