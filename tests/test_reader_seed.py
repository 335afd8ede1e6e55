"""The model case: the seed article's apology claim is contested, each side attributed and cited exactly."""

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


def test_seed_question_is_contested_with_zelensky_saying_yes_and_eismont_no() -> None:
    answer = _ask("Did Lukashenko apologize?")
    assert answer.verdict is Verdict.CONTESTED, answer.summary
    supports = [s for s in answer.sides if s.stance is Stance.SUPPORTS]
    refutes = [s for s in answer.sides if s.stance is Stance.REFUTES]
    assert any("Zelensky" in (s.speaker or "") for s in supports)
    assert any("Eismont" in (s.speaker or "") for s in refutes)
    eismont = next(s for s in refutes if "Eismont" in (s.speaker or ""))
    assert eismont.audience == "RBC" and "press secretary" in (eismont.speaker or "")
    quotes = {c.n: c.quote for c in answer.citations}
    assert any("Lukashenko apologized for missile strikes" in quotes[n] for s in supports for n in s.citations)
    assert any("he did not apologize" in quotes[n] for n in eismont.citations)
    assert "Contested" in answer.summary
    _assert_quotes_exact(answer)


def test_citations_carry_title_publisher_date_and_url() -> None:
    answer = _ask("Did Lukashenko apologize?")
    assert answer.citations
    for c in answer.citations:
        assert c.title == SEED.title and c.publisher == "Meduza"
        assert c.published == "2025-01-05" and c.url.startswith("https://meduza.io/")


@pytest.mark.parametrize("question", [
    "Is it true that Lukashenko apologized to Zelensky?",
    "Has Lukashenko apologized?",
    "did lukashenko apologize",
    "hey, did Lukashenko apologize?",
    "quick question: did Lukashenko apologize",
])
def test_rewordings_and_chat_messages_get_the_same_verdict(question: str) -> None:
    answer = _ask(question)
    assert answer.verdict is Verdict.CONTESTED, answer.summary
    _assert_quotes_exact(answer)


def test_asking_what_one_source_said_answers_from_that_source_and_keeps_the_other_side_as_context() -> None:
    answer = _ask("Did Zelensky say Lukashenko apologized?")
    assert answer.verdict is Verdict.SUPPORTED, answer.summary
    assert all("Zelensky" in (s.speaker or "") for s in answer.sides if s.stance is Stance.SUPPORTS)
    assert any(s.stance is Stance.CONTEXT and "Eismont" in (s.speaker or "") for s in answer.sides)
    _assert_quotes_exact(answer)


def test_a_claim_about_another_subject_takes_no_side() -> None:
    assert _ask("Did Zelensky apologize?").verdict in (Verdict.CONTEXT, Verdict.NOT_FOUND)


@pytest.mark.parametrize(("question", "value"), [
    ("Who launched the missiles?", "Putin"),
    ("When did Lukashenko warn of a tenfold response?", "2024"),
])
def test_a_value_question_gives_the_value_with_the_sentence_that_states_it(question: str, value: str) -> None:
    answer = _ask(question)
    assert answer.kind == "value"
    assert answer.verdict in (Verdict.SUPPORTED, Verdict.CONTESTED), answer.summary
    assert any(value in (s.answer or "") for s in answer.sides)
    side = next(s for s in answer.sides if value in (s.answer or ""))
    quotes = {c.n: c.quote for c in answer.citations}
    assert any(value in quotes[n] for n in side.citations)
    _assert_quotes_exact(answer)


@pytest.mark.parametrize("question", [
    "Who won the 2019 Tour de France?", "Did Putin visit Minsk in 2023?", "What is the capital of Peru?", "?", "",
])
def test_questions_the_corpus_cannot_answer_are_not_found_with_no_citations(question: str) -> None:
    answer = _ask(question)
    assert answer.verdict is Verdict.NOT_FOUND, answer.summary
    assert answer.citations == [] and answer.sides == []


def test_no_evidence_means_not_found() -> None:
    answer = compose("Did Lukashenko apologize?", [])
    assert answer.verdict is Verdict.NOT_FOUND and answer.citations == []


def test_a_sentence_is_encoded_once_across_questions_and_the_answer_is_the_same() -> None:
    from retrieval.embeddings import shared_onnx

    from newsbot.engine import Reader

    encoded: list[str] = []
    real = shared_onnx().embed_array

    def counting(texts: list[str]):  # noqa: ANN202 - the real encoder, watched
        encoded.extend(texts)
        return real(texts)

    reader = Reader(encoder=counting)
    first = reader.read("Did Lukashenko apologize?", EVIDENCE)
    sentences = [t for t in encoded if t != "Lukashenko apologize"]
    assert len(sentences) > 3 and len(set(sentences)) == len(sentences)
    encoded.clear()
    again = reader.read("Is it true that Lukashenko apologized?", EVIDENCE)
    assert set(encoded).isdisjoint(sentences)  # only the new claim is encoded
    assert first.verdict is again.verdict is Verdict.CONTESTED
    assert first.sides == reader.read("Did Lukashenko apologize?", EVIDENCE).sides
