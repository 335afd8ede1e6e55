"""Hybrid retrieval: RRF fusion of dense and BM25 lists, and diversity across articles."""

from __future__ import annotations

from pathlib import Path

from newsbot.settings import Settings
from retrieval.chunking import chunk_article
from retrieval.embeddings import shared_onnx
from retrieval.search import HybridRetriever, diversify, rrf
from retrieval.store import CorpusStore
from tests.store_helpers import art


def test_rrf_rewards_items_both_lists_rank_well() -> None:
    fused = rrf([["a", "b", "c"], ["c", "b", "d"]])
    assert set(sorted(fused, key=lambda k: -fused[k])[:2]) == {"b", "c"}
    assert fused["b"] > fused["a"] and fused["c"] > fused["d"]


def test_diversify_caps_one_article_before_filling() -> None:
    ordered = ["a1", "a2", "a3", "a4", "b1"]
    article_of = {k: k[0] for k in ordered}
    assert diversify(ordered, article_of, 3, per_article=2) == ["a1", "a2", "b1"]
    assert diversify(ordered, article_of, 5, per_article=2) == ["a1", "a2", "b1", "a3", "a4"]


def test_a_rare_opposing_source_is_not_crowded_out_by_a_long_article(tmp_path: Path) -> None:
    long = " ".join(f"Officials said the governor vetoed the housing bill, report {i}." for i in range(40))
    short = "A spokesman said the governor never vetoed the housing bill."
    store = CorpusStore(Settings(data_dir=tmp_path, collection="test"), shared_onnx())
    store.sync([art("long", long), art("short", short)],
               chunker=lambda a: chunk_article(a, size=120, overlap=0))
    crowded = HybridRetriever(store, shared_onnx(), k=4, per_article=100).search("Did the governor veto the bill?")
    assert "short" not in {e.chunk.article_id for e in crowded}  # the case diversity exists for
    hits = HybridRetriever(store, shared_onnx(), k=4, per_article=3).search("Did the governor veto the bill?")
    assert len(hits) == 4 and "short" in {e.chunk.article_id for e in hits}
    assert all(e.article.text[e.chunk.start : e.chunk.end] == e.chunk.text for e in hits)


def test_lexical_match_on_a_rare_name_finds_its_passage(tmp_path: Path) -> None:
    store = CorpusStore(Settings(data_dir=tmp_path, collection="test"), shared_onnx())
    docs = [art(f"d{i}", f"Weather report number {i}: sunny skies and mild winds expected.") for i in range(20)]
    docs.append(art("x", "Quarterly results from Zyntrex Holdings beat expectations."))
    store.sync(docs, chunker=chunk_article)
    hits = HybridRetriever(store, shared_onnx(), k=3).search("Zyntrex")
    assert hits[0].article.id == "x" and hits[0].lexical_rank == 1


def _weather_store(tmp_path: Path) -> CorpusStore:
    store = CorpusStore(Settings(data_dir=tmp_path, collection="test"), shared_onnx())
    docs = [art(f"d{i}", f"Weather report number {i}: sunny skies and mild winds expected.") for i in range(12)]
    docs.append(art("x", "Quarterly results from Zyntrex Holdings beat expectations; winds of change, says CEO."))
    store.sync(docs, chunker=chunk_article)
    return store


def test_each_score_is_the_reciprocal_rank_fusion_of_its_dense_bm25_and_term_match_ranks(tmp_path: Path) -> None:
    store = _weather_store(tmp_path)
    question = "Zyntrex quarterly earnings"
    hits = HybridRetriever(store, shared_onnx(), k=8, per_article=100, candidates=40).search(question)
    dense_rank = {c.id: r for r, (c, _) in enumerate(store.dense_search(shared_onnx().embed_query(question), 40), 1)}
    assert len(hits) == 8 and any(h.lexical_rank for h in hits) and any(h.lexical_rank is None for h in hits)
    for h in hits:
        expected = 1 / (60 + dense_rank[h.chunk.id]) + (1 / (60 + h.lexical_rank) if h.lexical_rank else 0.0) \
            + (1 / (60 + h.match_rank) if h.match_rank else 0.0)
        assert abs(h.score - expected) < 1e-12 and h.dense_similarity is not None
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert hits[0].article.id == "x"  # first in both lists


def test_the_lexical_index_is_built_once_per_generation_and_rebuilt_after_a_switch(tmp_path: Path) -> None:
    store = _weather_store(tmp_path)
    retriever = HybridRetriever(store, shared_onnx(), k=3)
    retriever.search("mild winds")
    index = retriever._index
    retriever.search("sunny skies")
    assert retriever._index is index  # reused
    store.sync([art("q", "The Quillbrook ferry sank near the pier.")], prune=False, chunker=chunk_article)
    retriever.warm()  # what a reload does right after the switch
    warmed = retriever._index
    assert warmed is not index and warmed[0] == store.generation
    hits = retriever.search("Quillbrook")
    assert retriever._index is warmed and hits[0].article.id == "q" and hits[0].lexical_rank == 1


def test_an_empty_corpus_returns_nothing_and_a_stopword_question_still_gets_dense_hits(tmp_path: Path) -> None:
    empty = CorpusStore(Settings(data_dir=tmp_path / "empty", collection="test"), shared_onnx())
    assert HybridRetriever(empty, shared_onnx()).search("anything") == []
    hits = HybridRetriever(_weather_store(tmp_path), shared_onnx(), k=3).search("what is the of and")
    assert len(hits) == 3 and all(h.lexical_rank is None and h.dense_similarity is not None for h in hits)


def test_the_passage_stating_the_asked_quarter_outranks_passages_on_other_quarters(tmp_path: Path) -> None:
    store = CorpusStore(Settings(data_dir=tmp_path, collection="test"), shared_onnx())
    others = [art(f"q{i}", f"Tesla revenue in Q{1 + i % 4} {2016 + i // 4} rose as Tesla deliveries grew, "
                                f"analysts at the bank said of Tesla's quarterly revenue.") for i in range(12)
              if (1 + i % 4, 2016 + i // 4) != (1, 2019)]
    target = art("asked", "That is an increase over the $4.5 billion in revenue reported for Q1 2019.")
    store.sync([*others, target], chunker=chunk_article)
    hits = HybridRetriever(store, shared_onnx(), k=12).search("What was Tesla's revenue in Q1 2019?")
    asked = next(h for h in hits if h.article.id == "asked")
    assert asked.match_rank == 1  # the only passage with both "Q1" and "2019", though it never names Tesla
    assert asked in hits[:4] and all(h.match_rank is not None for h in hits)


def test_question_terms_weigh_numbers_over_names_over_words() -> None:
    from retrieval.search import question_terms

    weights = question_terms("What was Tesla's revenue in Q1 2021?")
    assert weights["q1"] == weights["2021"] == 2.0 and weights["tesla"] == 1.5 and weights["revenu"] == 1.0
    assert "what" not in weights and "in" not in weights
