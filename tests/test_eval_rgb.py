"""`newsbot eval rgb` scores conflicts, citations, retrieval and abstention as issue 6 defines them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsbot.cli import cli
from newsbot.evaluation.corpus import Record, read_rgb
from newsbot.evaluation.measure import percentiles
from newsbot.evaluation.rgb import (
    answering_documents,
    conflict_detected,
    evaluate,
    exact_citations,
    only_true_values,
    retrieval_scores,
)
from newsbot.models import Answer, Article, Citation, Side, Stance, Verdict
from newsbot.settings import Settings
from tests.test_eval_corpus import RGB_DEV, SAMPLE, write_sample

KEYS = {"records", "conflict_detected", "true_answer_cited", "citation_precision", "recall@5", "recall@10", "mrr@10",
        "abstention"}
PASSAGE = "Facebook acquired Instagram in 2012. Apple acquired Instagram in 2012, another source says."
# A record whose "negative" passage does answer: with its true and false passages gone, it must not abstain.
ANSWERED_ELSEWHERE = {
    "id": 2, "query": "Who won the 2019 Tour de France?", "answer": "Egan Bernal", "fakeanswer": "Geraint Thomas",
    "positive": ["Egan Bernal won the 2019 Tour de France, ahead of his teammate, after the Alps stages."],
    "positive_wrong": ["Geraint Thomas won the 2019 Tour de France, ahead of his teammate, after the Alps stages."],
    "negative": ["In 2019 the Tour de France was won by Egan Bernal of Colombia."],
}


def _record() -> Record:
    return Record(0, "Who acquired Instagram?", ["Facebook"], ["Apple"], positive={"p1", "p2"}, wrong={"w1"},
                  negative={"n1"})


def _answer(verdict: Verdict, *quotes: str) -> Answer:
    cites = [Citation(n=i, article_id="a", title="t", quote=q, start=PASSAGE.find(q), end=PASSAGE.find(q) + len(q))
             for i, q in enumerate(quotes, 1)]
    return Answer(question="Who acquired Instagram?", verdict=verdict, summary="s", citations=cites)


def test_a_conflict_needs_contested_and_a_citation_quoting_each_answer() -> None:
    rec = _record()
    true_quote, false_quote = "Facebook acquired Instagram in 2012.", "Apple acquired Instagram in 2012"
    assert conflict_detected(rec, _answer(Verdict.CONTESTED, true_quote, false_quote))
    assert not conflict_detected(rec, _answer(Verdict.SUPPORTED, true_quote, false_quote))
    assert not conflict_detected(rec, _answer(Verdict.CONTESTED, true_quote))
    assert not conflict_detected(rec, _answer(Verdict.CONTESTED, PASSAGE)), "one quote holding both is one side"


def test_retrieval_scores_count_the_true_and_contradicting_documents_in_the_top_k() -> None:
    rec = _record()
    ranked = ["n1", "x", "p1", "y", "z", "w1", "a", "b", "c", "p2", "d"]
    scores = retrieval_scores(rec, ranked)
    assert scores == {"recall@5": pytest.approx(1 / 3), "recall@10": 1.0, "mrr@10": pytest.approx(1 / 3)}
    assert retrieval_scores(rec, ["n1", "x"]) == {"recall@5": 0.0, "recall@10": 0.0, "mrr@10": 0.0}


def test_citation_precision_counts_only_exact_slices_of_the_stored_passage() -> None:
    stored = {"a": Article(id="a", title="t", text=PASSAGE)}
    exact = _answer(Verdict.CONTESTED, "Facebook acquired Instagram in 2012.")
    shifted = exact.model_copy(update={"citations": [exact.citations[0].model_copy(update={"start": 1})]})
    unknown = exact.model_copy(update={"citations": [exact.citations[0].model_copy(update={"article_id": "gone"})]})
    assert exact_citations(exact, stored.get) == 1
    assert exact_citations(shifted, stored.get) == 0
    assert exact_citations(unknown, stored.get) == 0


def test_latency_percentiles_use_the_nearest_rank() -> None:
    figures = percentiles([float(v) for v in range(1, 101)])
    assert figures == {"p50_ms": 50.5, "p95_ms": 95.0, "max_ms": 100.0}
    assert percentiles([]) == {"p50_ms": 0.0, "p95_ms": 0.0, "max_ms": 0.0}


def test_eval_rgb_prints_the_documented_keys_and_writes_every_record(tmp_path: Path) -> None:
    out = tmp_path / "per-record.json"
    result = CliRunner().invoke(cli, ["eval", "rgb", "--data", str(write_sample(tmp_path)), "--json", "--out", str(out)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert KEYS <= set(summary) and summary["records"] == 2 and summary["corpus_documents"] == 7
    assert all(0.0 <= summary[k] <= 1.0 for k in KEYS - {"records"})
    assert summary["citation_precision"] == 1.0
    assert summary["conflict_detected"] == 1.0 and summary["recall@5"] == 1.0 and summary["abstention"] == 1.0
    saved = json.loads(out.read_text())
    assert saved["summary"] == summary
    rows = {r["id"]: r for r in saved["records"]}
    assert set(rows) == {0, 1}
    for row in rows.values():
        assert row["verdict"] == "contested" and row["abstention_verdict"] == "not_found"
        assert set(row["top10"][:2]) == {"positive", "positive_wrong"}, "both sides retrieved first"


def test_eval_rgb_table_names_each_metric(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["eval", "rgb", "--data", str(write_sample(tmp_path, SAMPLE[:1])),
                                      "--out", str(tmp_path / "o.json")], catch_exceptions=False)
    assert result.exit_code == 0
    for label in ("conflict detected", "citation precision", "recall@5", "MRR@10", "abstention"):
        assert label in result.stdout
    assert "100.0%" in result.stdout


def test_filtered_abstention_agrees_with_a_corpus_really_rebuilt_without_the_passages(tmp_path: Path) -> None:
    data = write_sample(tmp_path, [*SAMPLE, ANSWERED_ELSEWHERE])
    settings = Settings(_env_file=None)
    filtered = evaluate(data, settings=settings, abstention="filtered")
    rebuilt = evaluate(data, settings=settings, abstention="rebuilt")
    verdicts = [[r["abstained"] for r in run["records"]] for run in (filtered, rebuilt)]
    assert verdicts[0] == verdicts[1] == [True, True, False]
    assert filtered["summary"]["abstention"] == pytest.approx(2 / 3)
    assert rebuilt["summary"]["citation_precision"] == 1.0


@pytest.mark.skipif(not RGB_DEV.exists(), reason="the shared RGB dev file is not here")
def test_eval_rgb_limit_runs_on_the_dev_file(tmp_path: Path) -> None:
    out = tmp_path / "dev.json"
    result = CliRunner().invoke(cli, ["eval", "rgb", "--data", str(RGB_DEV), "--limit", "3", "--json", "--out", str(out)],
                                catch_exceptions=False)
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["records"] == 3 and KEYS <= set(summary)
    assert all(0.0 <= summary[k] <= 1.0 for k in KEYS - {"records"})
    assert summary["citation_precision"] == 1.0
    assert [r["id"] for r in json.loads(out.read_text())["records"]] == [0, 1, 2]


def test_eval_rgb_refuses_a_missing_data_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["eval", "rgb", "--data", str(tmp_path / "absent.jsonl")])
    assert result.exit_code == 2 and "absent.jsonl" in result.output


def _twin(rid: int, query: str, wording: str) -> dict:
    return {"id": rid, "query": query, "answer": [["May 1 2015", "May 1, 2015"]], "fakeanswer": "June 2, 2016",
            "positive": [wording.format("May 1, 2015")], "positive_wrong": [wording.format("June 2, 2016")],
            "negative": [f"Star Quest is a role-playing game; review number {rid} says little about its history."]}


def test_abstention_leaves_out_the_passages_of_every_record_asking_the_same_question(tmp_path: Path) -> None:
    twins = [_twin(0, "When was Star Quest released?", "Star Quest was released on {} for consoles."),
             _twin(1, "when was star quest  released?", "The studio released Star Quest on {}, it said.")]
    assert answering_documents(read_rgb(write_sample(tmp_path, twins))[0])[0] == \
        answering_documents(read_rgb(write_sample(tmp_path, twins))[0])[1]
    for mode in ("filtered", "rebuilt"):
        run = evaluate(write_sample(tmp_path, twins), settings=Settings(_env_file=None), abstention=mode)
        assert [r["conflict_detected"] for r in run["records"]] == [True, True]
        assert [r["abstained"] for r in run["records"]] == [True, True], mode


def test_an_answer_counts_as_true_only_when_each_value_is_a_form_of_the_true_answer() -> None:
    rec = Record(0, "When was Diablo 3 released?", ["May 15 2012", "May 15, 2012"], ["May 1, 2002"])

    def given(*values: str) -> Answer:
        sides = [Side(stance=Stance.SUPPORTS, text=v, answer=v) for v in values]
        return Answer(question=rec.query, verdict=Verdict.SUPPORTED, summary="s", sides=sides)

    assert only_true_values(rec, Answer(question=rec.query, verdict=Verdict.NOT_FOUND, summary="s"))
    assert only_true_values(rec, given("May 2012")) and only_true_values(rec, given("2012", "May 15 of 2012"))
    assert not only_true_values(rec, given("2 August 2023"))
    assert not only_true_values(rec, given("May 2012", "May 1, 2002")), "a false side spoils the answer"
    assert not only_true_values(rec, given()), "an answer with no value is not the true one"
