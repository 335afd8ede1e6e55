"""`newsbot eval cases` loads the reader's evaluation set, checks it is well formed, and scores answers.

These are tests of the scorer, not of the engine: where an answer is needed, a stub ``compose``
returns a fixed one, so they hold whatever reader the set is run on.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from newsbot.cli import cli
from newsbot.evaluation import cases as scorer
from newsbot.evaluation.cases import (
    ASPECTS,
    Case,
    CaseFileError,
    build_articles,
    check_answer,
    evaluate,
    load_cases,
    run_case,
    select,
    windows,
)
from newsbot.models import Answer, Citation, Evidence, Side, Stance, Verdict

ROOT = Path(__file__).resolve().parent.parent
SEED_TEXT = "Zelensky said Lukashenko apologized. Eismont told RBC that he did not apologize."


def _answer(question: str = "Did Lukashenko apologize?") -> Answer:
    """A contested answer with a supporting Zelensky side and a refuting Eismont side told to RBC."""
    first, second = "Zelensky said Lukashenko apologized.", "Eismont told RBC that he did not apologize."
    start = SEED_TEXT.index(second)
    return Answer(
        question=question, verdict=Verdict.CONTESTED, kind="yesno",
        summary="Contested. Zelensky says Lukashenko apologized [1]; Eismont says he did not [2].",
        sides=[Side(stance=Stance.SUPPORTS, speaker="Zelensky", text="Zelensky: Lukashenko apologized", citations=[1]),
               Side(stance=Stance.REFUTES, speaker="Natalya Eismont", audience="RBC",
                    text="Natalya Eismont, to RBC: Lukashenko did not apologize", citations=[2])],
        citations=[Citation(n=1, article_id="a0", title="Story a0", quote=first, start=0, end=len(first)),
                   Citation(n=2, article_id="a0", title="Story a0", quote=second, start=start,
                            end=start + len(second))])


def _stub(question: str, evidence: list[Evidence]) -> Answer:
    return _answer(question)


def _case(**fields: object) -> Case:
    record = {"id": "stub.case", "source": "tests/test_engine_stub.py::test_stub", "note": "a stub",
              "articles": [{"text": SEED_TEXT}], "question": "Did Lukashenko apologize?", **fields}
    return Case.model_validate(record)


def _write(tmp_path: Path, records: list[dict]) -> Path:
    path = tmp_path / "cases.yaml"
    path.write_text(yaml.safe_dump({"cases": records}, allow_unicode=True), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------- the set itself


def test_the_reader_set_loads_with_unique_ids_from_every_rule_test_file() -> None:
    cases = load_cases()
    assert len({c.id for c in cases}) == len(cases) > 0
    files = {c.source_file for c in cases}
    assert files == {f"tests/test_engine_{name}.py" for name in
                     ("actors", "assertion", "lexicon", "negated", "roles", "said_by", "seed", "sources", "stance",
                      "values")}


def test_every_case_is_well_formed() -> None:
    defined: dict[str, set[str]] = {}
    for case in load_cases():
        file, function = case.source.split("::")
        short = Path(file).stem.removeprefix("test_engine_")
        assert case.id.startswith(short + "."), f"{case.id}: id names another file than {file}"
        assert case.note.strip() and case.expects_something(), case.id
        assert all(spec.given() for spec in [*case.sides, *case.no_side]), f"{case.id}: a side spec with no field"
        for art, ev in zip(build_articles(case), [windows([a]) for a in build_articles(case)], strict=True):
            assert art.text, f"{case.id}: an empty article"
            assert all(e.chunk.text == art.text[e.chunk.start : e.chunk.end] for e in ev)
        path = ROOT / file
        if path.exists():  # the rule tests go when the new reader lands; the cases stay
            if file not in defined:
                tree = ast.parse(path.read_text(encoding="utf-8"))
                defined[file] = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
            assert function in defined[file], f"{case.id}: {case.source} does not exist"


def test_the_seed_is_used_by_reference_verbatim() -> None:
    seed_case = next(c for c in load_cases() if any(a.seed for a in c.articles))
    [seed] = build_articles(seed_case)
    raw = (ROOT / "seeds" / "meduza-lukashenko-apology.md").read_text(encoding="utf-8")
    assert raw.endswith(seed.text) and seed.publisher == "Meduza" and seed.url.startswith("https://meduza.io/")


def test_articles_take_the_rule_tests_defaults_and_are_cut_into_windows_in_order() -> None:
    case = _case(articles=[{"text": "x" * 1300}, {"text": "y", "id": "b", "title": "T", "published": "2020-01-02"}],
                 verdict="contested")
    first, second = build_articles(case)
    assert (first.id, first.title, first.publisher, first.published) == ("a0", "Story a0", "Wire", "2024-05-01")
    assert (second.id, second.title, second.published) == ("b", "T", "2020-01-02")
    ev = windows([first, second])
    assert [(e.chunk.id, e.chunk.start, e.chunk.end) for e in ev] == [
        ("a0#0", 0, 600), ("a0#1", 600, 1200), ("a0#2", 1200, 1300), ("b#0", 0, 1)]


# ---------------------------------------------------------------------------- malformed files


@pytest.mark.parametrize(("record", "message"), [
    ({"verdcit": "contested"}, "verdcit"),  # a misspelt expectation must not pass silently
    ({"verdict": "maybe"}, "verdict"),
    ({"sides": [{"stance": "supports", "speakr": "Zelensky"}]}, "speakr"),
    ({}, "expects nothing"),
    ({"verdict": "contested", "articles": [{"seed": True, "text": "x"}]}, "either"),
    ({"verdict": "contested", "id": "Not An Id"}, "id"),
])
def test_a_malformed_case_is_an_error_naming_it(tmp_path: Path, record: dict, message: str) -> None:
    base = {"id": "stub.bad", "source": "tests/test_engine_stub.py::test_stub", "note": "n",
            "articles": [{"text": "t"}], "question": "q"}
    with pytest.raises(CaseFileError, match=message) as err:
        load_cases(_write(tmp_path, [{**base, **record}]))
    assert "stub.bad" in str(err.value) or "Not An Id" in str(err.value)


def test_a_repeated_id_is_an_error(tmp_path: Path) -> None:
    record = {"id": "stub.same", "source": "tests/test_engine_stub.py::test_stub", "note": "n",
              "articles": [{"text": "t"}], "question": "q", "verdict": "supported"}
    with pytest.raises(CaseFileError, match="repeated: stub.same"):
        load_cases(_write(tmp_path, [record, record]))


# ---------------------------------------------------------------------------- checking answers


def test_a_case_whose_expectations_hold_passes() -> None:
    case = _case(verdict=["contested", "supported"], not_verdict="not_found", kind="yesno",
                 stance_counts={"supports": 1, "refutes": 1},
                 sides=[{"stance": "supports", "speaker_contains": "Zelensky"},
                        {"stance": "refutes", "speaker_contains": ["Eismont"], "audience": "RBC",
                         "quote_contains": "did not apologize"},
                        {"first": True, "holder": "Zelensky", "text_endswith": ": Lukashenko apologized"}],
                 no_side=[{"stance": "context"}], quote_contains="apologized", citation_count=2,
                 cited_articles=["a0"], quotes_exact=True, summary_contains="Eismont says")
    result = run_case(case, _stub)
    assert result.passed, result.reasons
    assert {c.aspect for c in result.checks} == {"verdict", "sides", "speaker", "audience", "value", "quote",
                                                 "wording"}


def test_a_wrong_verdict_is_reported_with_what_came_instead() -> None:
    result = run_case(_case(verdict="refuted"), _stub)
    assert not result.passed
    assert result.reasons == [result.reasons[0]] and result.reasons[0].startswith(
        "verdict: verdict is contested, expected refuted")


def test_a_wrong_speaker_is_a_speaker_failure_not_a_missing_side() -> None:
    result = run_case(_case(sides=[{"stance": "refutes", "speaker_contains": "Zelensky"}]), _stub)
    assert not result.passed
    by_aspect = {c.aspect: c.passed for c in result.checks}
    assert by_aspect == {"sides": True, "speaker": False}
    [reason] = result.reasons
    assert reason.startswith("speaker: no side refutes speaker_contains=['Zelensky']") and "Natalya Eismont" in reason


def test_every_kind_of_wrong_expectation_fails_with_a_reason() -> None:
    wrong = [
        {"not_verdict": "contested"}, {"kind": "value"}, {"question_shown": "something else"},
        {"side_count": 3}, {"stance_counts": {"refutes": 2}}, {"no_side": [{"speaker": "Zelensky"}]},
        {"sides": [{"first": True, "stance": "refutes"}]}, {"sides": [{"when": "on Monday"}]},
        {"values": ["Minsk"]}, {"answers": ["Minsk"]}, {"value_contains": "Minsk"},
        {"quote_contains": "Minsk"}, {"quote_not_contains": "Zelensky"}, {"first_quote": "x"},
        {"cites_nothing": True}, {"cited_articles": ["b"]}, {"citation_count": 1},
        {"citation_meta": {"publisher": "Meduza"}}, {"summary": "x"}, {"summary_startswith": "Refuted"},
        {"sides": [{"stance": "supports"}], "sides_only": True},
        {"any_of": [{"verdict": "refuted"}, {"quote_contains": "Minsk"}]},
    ]
    for fields in wrong:
        result = run_case(_case(**fields), _stub)
        assert not result.passed and result.reasons and all(r.split(": ", 1)[1] for r in result.reasons), fields


def test_exact_quotes_fail_when_a_quote_is_not_the_articles_text_at_its_offsets() -> None:
    answer = _answer()
    answer.citations[1].start += 1
    [check] = [c for c in check_answer(_case(quotes_exact=True), answer, build_articles(_case(verdict="contested")))]
    assert not check.passed and "citations [2]" in check.reason


def test_a_crash_in_compose_fails_the_case_and_still_counts_in_its_aspects() -> None:
    def crash(question: str, evidence: list[Evidence]) -> Answer:
        raise IndexError("list index out of range")

    case = _case(verdict="contested", sides=[{"stance": "supports", "speaker": "Zelensky"}])
    result = run_case(case, crash)
    assert not result.passed and result.reasons == ["compose raised IndexError: list index out of range"]
    summary = evaluate([case], crash)["summary"]
    assert summary["by_aspect"]["speaker"] == {"cases": 1, "passed": 0, "share": 0.0, "checks": 1,
                                               "checks_passed": 0}


def test_the_summary_gives_shares_overall_per_aspect_and_per_source_file() -> None:
    good = _case(id="stub.good", verdict="contested")
    bad = _case(id="stub.bad", verdict="refuted", values=[""], source="tests/test_engine_other.py::test_x")
    result = evaluate([good, bad], _stub)
    summary = result["summary"]
    assert (summary["cases"], summary["passed"], summary["share"]) == (2, 1, 0.5)
    assert summary["by_aspect"]["verdict"] == {"cases": 2, "passed": 1, "share": 0.5, "checks": 2,
                                               "checks_passed": 1}
    assert summary["by_aspect"]["value"]["passed"] == 1  # the bad case's value check held
    assert set(summary["by_aspect"]) == set(ASPECTS)
    assert summary["by_source"] == {"tests/test_engine_other.py": {"cases": 1, "passed": 0, "share": 0.0},
                                    "tests/test_engine_stub.py": {"cases": 1, "passed": 1, "share": 1.0}}
    assert summary["abstain_floor"] == 0.0  # neither case passes on not_found
    assert [c["passed"] for c in result["cases"]] == [True, False]


# ---------------------------------------------------------------------------- selection and the command


def test_selection_by_id_prefix() -> None:
    cases = load_cases()
    stance = select(cases, ["stance."])
    assert stance and all(c.id.startswith("stance.") for c in stance)
    assert {c.source_file for c in stance} == {"tests/test_engine_stance.py"}
    both = select(cases, ["stance.", "seed.paraphrase"])
    assert len(both) == len(stance) + sum(c.id.startswith("seed.paraphrase") for c in cases)
    assert select(cases, []) == cases
    with pytest.raises(ValueError, match="no case id starts with 'nope'"):
        select(cases, ["nope"])


def test_the_command_prints_the_table_and_each_failed_case_with_its_reason(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scorer, "_engine_compose", lambda: _stub)
    base = {"source": "tests/test_engine_stub.py::test_stub", "note": "n", "articles": [{"text": SEED_TEXT}],
            "question": "Did Lukashenko apologize?"}
    data = _write(tmp_path, [{**base, "id": "stub.right", "verdict": "contested"},
                             {**base, "id": "stub.wrong", "verdict": "refuted"},
                             {**base, "id": "other.left-out", "verdict": "refuted"}])
    out = tmp_path / "res" / "cases.json"
    result = CliRunner().invoke(cli, ["eval", "cases", "--data", str(data), "--only", "stub.", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "2 cases" in result.stdout and "50.0%" in result.stdout
    assert "failed stub.wrong" in result.stdout and "verdict is contested, expected refuted" in result.stdout
    assert "other.left-out" not in result.stdout
    written = json.loads(out.read_text(encoding="utf-8"))
    assert [c["id"] for c in written["cases"]] == ["stub.right", "stub.wrong"]

    as_json = CliRunner().invoke(cli, ["eval", "cases", "--data", str(data), "--json"])
    printed = json.loads(as_json.stdout)
    assert printed["summary"]["cases"] == 3 and [f["id"] for f in printed["failed"]] == ["stub.wrong",
                                                                                          "other.left-out"]


def test_the_command_fails_in_one_line_on_a_bad_file_or_an_unknown_prefix(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("cases: [{id: x}]", encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", "cases", "--data", str(bad)])
    assert result.exit_code == 2 and result.stderr.startswith("error:") and "case x" in result.stderr
    unknown = CliRunner().invoke(cli, ["eval", "cases", "--only", "nope."])
    assert unknown.exit_code == 2 and "no case id starts with 'nope.'" in unknown.stderr
