"""The model case: the seed article's apology claim is contested, each side attributed and cited."""

from __future__ import annotations

import pytest

from newsbot.engine import compose
from newsbot.models import Answer, Stance, Verdict
from tests.engine_helpers import evidence, seed_article

SEED = seed_article()
EVIDENCE = evidence(SEED)


def _ask(question: str) -> Answer:
    return compose(question, EVIDENCE)


def _assert_quotes_exact(answer: Answer) -> None:
    for c in answer.citations:
        assert SEED.text[c.start : c.end] == c.quote
    cited = {n for side in answer.sides for n in side.citations}
    assert cited == {c.n for c in answer.citations}


def test_seed_question_is_contested_with_zelensky_supporting_and_eismont_refuting() -> None:
    answer = _ask("Did Lukashenko apologize?")
    assert answer.verdict is Verdict.CONTESTED
    supports = [s for s in answer.sides if s.stance is Stance.SUPPORTS]
    refutes = [s for s in answer.sides if s.stance is Stance.REFUTES]
    assert len(supports) == 1 and "Zelensky" in (supports[0].speaker or "")
    assert len(refutes) == 1 and "Eismont" in (refutes[0].speaker or "")
    assert refutes[0].audience == "RBC"
    assert "Lex Fridman" in (supports[0].audience or "")
    quotes = {c.n: c.quote for c in answer.citations}
    assert any("Lukashenko apologized for missile strikes" in quotes[n] for n in supports[0].citations)
    assert any("he did not apologize" in quotes[n] for n in refutes[0].citations)
    _assert_quotes_exact(answer)


def test_citations_carry_title_publisher_date_and_url() -> None:
    answer = _ask("Did Lukashenko apologize?")
    for c in answer.citations:
        assert c.title == SEED.title and c.publisher == "Meduza"
        assert c.published == "2025-01-05" and c.url.startswith("https://meduza.io/")


@pytest.mark.parametrize(
    "question",
    [
        "Did Lukashenko apologise?",
        "Has Lukashenko apologized?",
        "Did Lukashenko apologize to Zelensky?",
        "Is it true that Lukashenko said sorry?",
        "Did Lukashenko say sorry to Zelensky?",
        "Was there an apology from Lukashenko?",
        "Did Belarus's president Lukashenko apologize for the missile strikes?",
        "did lukashenko apologize",
    ],
)
def test_paraphrases_of_the_seed_question_get_the_same_verdict(question: str) -> None:
    answer = _ask(question)
    assert answer.verdict is Verdict.CONTESTED, answer.summary
    _assert_quotes_exact(answer)


def test_claim_about_another_subject_does_not_borrow_lukashenkos_apology() -> None:
    answer = _ask("Did Zelensky apologize?")
    assert answer.verdict not in (Verdict.CONTESTED, Verdict.SUPPORTED, Verdict.REFUTED)


@pytest.mark.parametrize(
    ("question", "must_quote"),
    [
        ("What did Lukashenko warn would happen if drones targeted the Mozyr refinery?", "tenfold response"),
        ("What is the tenfold response?", "tenfold response"),
        ("What did Lukashenko suggest about the Mozyr Oil Refinery?", "retaliating against the Mozyr Oil Refinery"),
        ("Where is the Mozyr refinery?", "located in the Gomel region"),
        ("When did Lukashenko warn of a tenfold response?", "In the spring of 2024"),
    ],
)
def test_other_facts_in_the_article_are_answered_with_the_right_citation(question: str, must_quote: str) -> None:
    answer = _ask(question)
    assert answer.verdict in (Verdict.SUPPORTED, Verdict.CONTEXT)
    assert any(must_quote in c.quote for c in answer.citations)
    _assert_quotes_exact(answer)


@pytest.mark.parametrize(
    "question",
    ["Who won the 2019 Tour de France?", "Did Putin visit Minsk in 2023?", "What is the capital of Peru?", "?", ""],
)
def test_questions_the_corpus_cannot_answer_are_not_found_with_no_citations(question: str) -> None:
    answer = _ask(question)
    assert answer.verdict is Verdict.NOT_FOUND
    assert answer.citations == [] and answer.sides == []


def test_no_evidence_means_not_found() -> None:
    answer = compose("Did Lukashenko apologize?", [])
    assert answer.verdict is Verdict.NOT_FOUND and answer.citations == []


@pytest.mark.parametrize("message", ["hey, did Lukashenko apologize?", "Hi all! Did Lukashenko apologize?",
                                     "Anna Did Lukashenko apologize?", "quick question: did Lukashenko apologize"])
def test_a_question_inside_a_chat_message_is_found(message: str) -> None:
    assert _ask(message).verdict is Verdict.CONTESTED
