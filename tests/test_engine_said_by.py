"""Whether one source holds a claim: "Did Zelensky say Lukashenko apologized?".

The asked source's own words answer; everyone else's side on the claim stays in the answer as context,
worded as what they hold, so a reader still sees that the claim is disputed.
"""

from __future__ import annotations

import pytest

from newsbot.engine import compose
from newsbot.engine.question import analyze
from newsbot.models import Answer, Stance, Verdict
from tests.engine_helpers import evidence, seed_article

EVIDENCE = evidence(seed_article())


def _side(answer: Answer, stance: Stance) -> str:
    sides = [s for s in answer.sides if s.stance is stance]
    assert len(sides) == 1, answer.sides
    return sides[0].text


@pytest.mark.parametrize("question", ["Did Zelensky say Lukashenko apologized?",
                                      "Did the Ukrainian president say that Lukashenko apologized?",
                                      "Has Zelensky claimed that Lukashenko apologized?"])
def test_a_source_that_makes_the_claim_supports_the_question(question: str) -> None:
    answer = compose(question, EVIDENCE)
    assert answer.verdict is Verdict.SUPPORTED
    assert "Zelensky" in _side(answer, Stance.SUPPORTS) and _side(answer, Stance.SUPPORTS).endswith(
        ": Lukashenko apologized")
    assert "Eismont" in _side(answer, Stance.CONTEXT)  # the denial is still shown
    assert "The claim itself is disputed: Natalya Eismont" in answer.summary


@pytest.mark.parametrize("question", ["Did Eismont say Lukashenko apologized?",
                                      "Did Lukashenko's press secretary say he apologized?",
                                      "Did Zelensky say that Lukashenko did not apologize?"])
def test_a_source_that_says_the_opposite_refutes_the_question(question: str) -> None:
    answer = compose(question, EVIDENCE)
    assert answer.verdict is Verdict.REFUTED
    refuting, context = _side(answer, Stance.REFUTES), _side(answer, Stance.CONTEXT)
    assert ("Eismont" in refuting) == ("Eismont" in question or "secretary" in question)
    assert {refuting.split(": ")[1], context.split(": ")[1]} == {"Lukashenko apologized",
                                                                  "Lukashenko did not apologize"}


@pytest.mark.parametrize("question", ["Did Eismont deny that Lukashenko apologized?",
                                      "Did Eismont tell RBC that Lukashenko did not apologize?"])
def test_a_denial_asked_about_is_supported_by_the_sources_denial(question: str) -> None:
    answer = compose(question, EVIDENCE)
    assert answer.verdict is Verdict.SUPPORTED
    assert _side(answer, Stance.SUPPORTS).endswith(": Lukashenko did not apologize")
    assert answer.sides[0].audience == "RBC"


def test_a_source_the_corpus_never_quotes_on_the_claim_is_said_so_with_who_does() -> None:
    answer = compose("Did Biden say Lukashenko apologized?", EVIDENCE)
    assert answer.verdict is Verdict.CONTEXT
    assert answer.summary.startswith("The sources do not quote Biden on whether Lukashenko apologized.")
    assert all(s.stance is Stance.CONTEXT for s in answer.sides) and len(answer.sides) == 2


def test_a_pronoun_in_the_claim_is_the_source_itself() -> None:
    answer = compose("Did Zelensky say he confronted Lukashenko?", EVIDENCE)
    assert answer.verdict is Verdict.SUPPORTED
    assert any("he confronted Lukashenko" in c.quote for c in answer.citations)


@pytest.mark.parametrize("question", ["Does the article say Lukashenko apologized?",
                                      "Do the sources say that Lukashenko apologized?"])
def test_asking_what_the_sources_say_is_asking_the_claim(question: str) -> None:
    q = analyze(question)
    assert not q.asked_of and q.affirmative == "Lukashenko apologized"
    assert compose(question, EVIDENCE).verdict is Verdict.CONTESTED


def test_a_verb_with_an_object_is_not_a_question_about_a_source() -> None:
    q = analyze("Did Lukashenko deny the strikes?")  # "the strikes" states nothing
    assert not q.asked_of and q.affirmative == "Lukashenko denied the strikes"
