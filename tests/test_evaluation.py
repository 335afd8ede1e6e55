"""`newsbot eval rgb` and `newsbot bench` run end to end on tiny inputs, so they cannot rot."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from newsbot.cli import cli
from newsbot.evaluation.corpus import doc_id, grown, read_rgb

SAMPLE = [
    {"id": 0, "query": "Who acquired Instagram?", "answer": "Facebook", "fakeanswer": "Apple",
     "positive": ["Facebook acquired Instagram in April 2012 for about $1 billion in cash and stock."],
     "positive_wrong": ["Apple acquired Instagram in April 2012 for about $1 billion in cash and stock."],
     "negative": ["Instagram is a photo and video sharing app with more than a billion users."]},
    {"id": 1, "query": "When was Splatoon 2 released?", "answer": [["July 21 2017", "July 21, 2017"]],
     "fakeanswer": "July 1, 2007",
     "positive": ["Splatoon 2 is a shooter game by Nintendo. It was released on July 21, 2017, for the Switch."],
     "positive_wrong": ["Splatoon 2 is a shooter game by Nintendo. It was released on July 1, 2007, for the Switch."],
     "negative": ["Splatoon 3 is the sequel, a game that many players enjoy online every day."]},
]


def _data(tmp_path: Path) -> Path:
    path = tmp_path / "rgb.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in SAMPLE))
    return path


def test_rgb_corpus_ids_reveal_nothing_and_duplicates_collapse(tmp_path: Path) -> None:
    records, docs = read_rgb(_data(tmp_path))
    assert len(records) == 2 and len(docs) == 6
    assert all(d.startswith("rgb-") and "positive" not in d for d in docs)
    assert records[1].answers == ["July 21 2017", "July 21, 2017"]
    assert records[0].positive == {doc_id(SAMPLE[0]["positive"][0])}
    bigger = grown(docs, 15)
    assert len(bigger) == 15 and len(set(bigger.values())) == 15


def test_eval_rgb_prints_the_documented_keys_and_scores_conflicts(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "per-record.json"
    result = CliRunner().invoke(cli, ["eval", "rgb", "--data", str(_data(tmp_path)), "--json", "--out", str(out)],
                                catch_exceptions=False)
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    keys = {"records", "conflict_detected", "true_answer_cited", "citation_precision", "recall@5", "recall@10",
            "mrr@10", "abstention"}
    assert keys <= set(summary) and summary["records"] == 2
    assert all(0.0 <= summary[k] <= 1.0 for k in keys - {"records"})
    assert summary["citation_precision"] == 1.0
    assert summary["conflict_detected"] == 1.0 and summary["recall@5"] == 1.0
    assert summary["abstention"] == 1.0
    rows = json.loads(out.read_text())["records"]
    assert {r["id"] for r in rows} == {0, 1} and all(r["verdict"] == "contested" for r in rows)


def test_bench_quick_prints_ours_baseline_and_growth(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["bench", "--quick", "--json", "--data", str(_data(tmp_path))],
                                catch_exceptions=False)
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    ours, base = figures["ours"], figures["baseline"]
    for key in ("p50_ms", "p95_ms", "ingest_chunks_per_s", "ingest_words_per_s", "peak_rss_mb",
                "reload_unchanged_s", "full_ingest_s"):
        assert ours[key] > 0, key
    for key in ("p50_ms", "p95_ms", "ingest_chunks_per_s", "peak_rss_mb", "full_ingest_s"):
        assert base[key] > 0, key
    assert ours["reload_unchanged_s"] < ours["full_ingest_s"]
    assert [g["chunks"] for g in figures["growth"]] == [100, 200]
    assert all(g["p95_ms"] > 0 and g["ingest_s"] > 0 for g in figures["growth"])
