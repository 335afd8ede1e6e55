"""Hybrid retrieval: RRF fusion of dense and BM25 lists, and diversity across articles."""

from __future__ import annotations

from pathlib import Path

from newsbot.models import Article
from newsbot.settings import Settings
from retrieval.chunking import chunk_article
from retrieval.embeddings import shared_onnx
from retrieval.loaders import content_hash
from retrieval.search import HybridRetriever, diversify, rrf
from retrieval.store import CorpusStore


def test_rrf_rewards_items_both_lists_rank_well() -> None:
    fused = rrf([["a", "b", "c"], ["c", "b", "d"]])
    assert set(sorted(fused, key=lambda k: -fused[k])[:2]) == {"b", "c"}
    assert fused["b"] > fused["a"] and fused["c"] > fused["d"]


def test_diversify_caps_one_article_before_filling() -> None:
    ordered = ["a1", "a2", "a3", "a4", "b1"]
    article_of = {k: k[0] for k in ordered}
    assert diversify(ordered, article_of, 3, per_article=2) == ["a1", "a2", "b1"]
    assert diversify(ordered, article_of, 5, per_article=2) == ["a1", "a2", "b1", "a3", "a4"]


def _article(aid: str, text: str) -> Article:
    a = Article(id=aid, title=aid, text=text, publisher="Wire")
    return a.model_copy(update={"content_hash": content_hash(a)})


def test_a_rare_opposing_source_is_not_crowded_out_by_a_long_article(tmp_path: Path) -> None:
    long = " ".join(f"Officials said the governor vetoed the housing bill, report {i}." for i in range(40))
    short = "A spokesman said the governor never vetoed the housing bill."
    store = CorpusStore(Settings(data_dir=tmp_path, collection="test"), shared_onnx())
    store.sync([_article("long", long), _article("short", short)],
               chunker=lambda a: chunk_article(a, size=120, overlap=0))
    crowded = HybridRetriever(store, shared_onnx(), k=4, per_article=100).search("Did the governor veto the bill?")
    assert "short" not in {e.chunk.article_id for e in crowded}  # the case diversity exists for
    hits = HybridRetriever(store, shared_onnx(), k=4, per_article=3).search("Did the governor veto the bill?")
    assert len(hits) == 4 and "short" in {e.chunk.article_id for e in hits}
    assert all(e.article.text[e.chunk.start : e.chunk.end] == e.chunk.text for e in hits)


def test_lexical_match_on_a_rare_name_finds_its_passage(tmp_path: Path) -> None:
    store = CorpusStore(Settings(data_dir=tmp_path, collection="test"), shared_onnx())
    docs = [_article(f"d{i}", f"Weather report number {i}: sunny skies and mild winds expected.") for i in range(20)]
    docs.append(_article("x", "Quarterly results from Zyntrex Holdings beat expectations."))
    store.sync(docs, chunker=chunk_article)
    hits = HybridRetriever(store, shared_onnx(), k=3).search("Zyntrex")
    assert hits[0].article.id == "x" and hits[0].lexical_rank == 1
