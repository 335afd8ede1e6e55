"""`newsbot bench --quick` runs every side in its own process and reports the figures issue 6 names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsbot.cli import cli
from newsbot.evaluation.bench import QUICK_BOT_LOAD, QUICK_GROWTH, torch_available
from tests.test_eval_corpus import RGB_DEV, write_sample

ISSUE_KEYS = ("p50_ms", "p95_ms", "ingest_chunks_per_s", "ingest_words_per_s", "peak_rss_mb", "reload_unchanged_s",
              "full_ingest_s")
pytestmark = pytest.mark.timeout(120)


def _data(tmp_path: Path) -> Path:
    return RGB_DEV if RGB_DEV.exists() else write_sample(tmp_path)


def _shares_in_range(side: dict, *keys: str) -> None:
    for key in keys:
        assert 0.0 <= side[key] <= 1.0, key


def test_bench_quick_sets_ours_beside_the_plain_recipe_and_grows_the_corpus(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = CliRunner().invoke(cli, ["bench", "--quick", "--no-embeddings", "--data", str(_data(tmp_path)),
                                      "--out", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "plain LangChain recipe" in result.stdout and "Growth (ours)" in result.stdout
    figures = json.loads(out.read_text())
    ours, base = figures["ours"], figures["baseline"]
    assert figures["corpus"]["records"] > figures["corpus"]["questions"] == 3
    assert all(ours[key] > 0 for key in ISSUE_KEYS)
    assert ours["reload_unchanged_s"] < ours["full_ingest_s"] and ours["chunks_embedded"] == ours["chunks"]
    assert ours["reload_1pct_chunks_embedded"] >= 1
    _shares_in_range(ours, "conflict_share", "true_answer_cited", "reload_unchanged_share")
    if torch_available():
        assert all(base[key] > 0 for key in ISSUE_KEYS)
        assert base["chunks"] > 0 and base["reload_unchanged_s"] > 0
        _shares_in_range(base, "conflict_share", "true_answer_first")
        assert {t["target"] for t in figures["targets"]} >= {"ingest words/s vs the baseline's",
                                                            "peak RSS vs the baseline's"}
    else:
        assert "torch" in base["skipped"]
    growth = figures["growth"]
    assert [g["target"] for g in growth] == list(QUICK_GROWTH)
    for g in growth:
        assert g["target"] <= g["chunks"] < g["target"] + 20 and g["chunks_embedded"] == g["chunks"]
        assert g["ingest_s"] > 0 and 0 < g["p50_ms"] <= g["p95_ms"] <= g["max_ms"]
        # the corpus read ahead: every paragraph parsed (or found parsed), then asked again from a fresh process
        assert g["read_ahead_s"] > 0 and g["read_ahead_paragraphs"] >= g["articles"]
        assert 0 < g["ahead_p50_ms"] <= g["ahead_p95_ms"] <= g["ahead_max_ms"]
    bot = figures["bot"]
    assert (bot["asks"], bot["articles"]) == QUICK_BOT_LOAD and bot["answered"] == bot["asks"] and bot["errors"] == 0
    assert bot["max_lag_ms"] > 0 and "Bot under load" in result.stdout
    assert any(t["target"].startswith("event-loop lag") for t in figures["targets"])


@pytest.mark.skipif(not torch_available(), reason="the fp32 embedder needs torch")
def test_bench_quick_sets_int8_and_fp32_embeddings_side_by_side(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["bench", "--quick", "--no-baseline", "--no-bot", "--size", "30", "--json",
                                      "--data", str(_data(tmp_path))], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["baseline"] == {"skipped": "--no-baseline"}
    assert [g["target"] for g in figures["growth"]] == [30]
    embeddings = figures["embeddings"]
    for name, backend in (("int8_onnx", "onnx"), ("fp32_torch", "sentence-transformers")):
        e = embeddings[name]
        assert e["backend"] == backend and e["passages"] > 0 and e["passages_per_s"] > 0
        _shares_in_range(e, "recall@5", "recall@10", "mrr@10", "conflict_detected", "abstention", "dense_recall@5",
                         "dense_mrr@10")
    assert embeddings["int8_onnx"]["model"] != embeddings["fp32_torch"]["model"]
    assert 0.99 < embeddings["cosine_int8_fp32"]["min"] <= embeddings["cosine_int8_fp32"]["mean"] <= 1.0 + 1e-6
