"""Questions that deny ("Didn't Lukashenko apologize?") or ask who holds a claim ("Who said …?").

A denied claim turns the sides round: whoever says he did not apologize supports it. Wording says
what each side holds in plain English ("Lukashenko did not apologize", not "it is not so that …").
"""

from __future__ import annotations

import pytest

from newsbot.engine import compose
from newsbot.engine.claim import negate
from newsbot.engine.question import analyze
from newsbot.models import Answer, Stance, Verdict
from tests.engine_helpers import ask_texts, evidence, seed_article

EVIDENCE = evidence(seed_article())


def _speaker(answer: Answer, stance: Stance) -> str:
    sides = [s for s in answer.sides if s.stance is stance]
    assert len(sides) == 1, answer.sides
    return sides[0].speaker or ""


@pytest.mark.parametrize("question", ["Didn't Lukashenko apologize?", "Did Lukashenko not apologize?",
                                      "Is it true that Lukashenko did not apologize?",
                                      "Did Lukashenko never apologize?"])
def test_a_denied_claim_is_supported_by_the_denial_and_refuted_by_the_claim(question: str) -> None:
    answer = compose(question, EVIDENCE)
    assert answer.verdict is Verdict.CONTESTED
    assert "Eismont" in _speaker(answer, Stance.SUPPORTS) and "Zelensky" in _speaker(answer, Stance.REFUTES)
    assert "Eismont (Aleksandr Lukashenko's press secretary) says Lukashenko did not apologize" in answer.summary
    assert "Zelensky says Lukashenko apologized" in answer.summary


@pytest.mark.parametrize("question", ["Who said Lukashenko apologized?", "Who says that Lukashenko apologized?",
                                      "Who denied that Lukashenko apologized?"])
def test_who_said_a_claim_names_who_says_it_and_who_denies_it(question: str) -> None:
    answer = compose(question, EVIDENCE)
    assert answer.verdict is Verdict.CONTESTED
    assert "Zelensky" in _speaker(answer, Stance.SUPPORTS) and "Eismont" in _speaker(answer, Stance.REFUTES)
    assert answer.question == question  # shown as asked


def test_who_told_an_outlet_a_denial_names_the_one_who_told_it() -> None:
    answer = compose("Who told RBC that Lukashenko did not apologize?", EVIDENCE)
    denial = next(s for s in answer.sides if s.stance is Stance.SUPPORTS)
    assert "Eismont" in (denial.speaker or "") and denial.audience == "RBC"


def test_who_reported_a_thing_is_not_read_as_a_claim() -> None:
    answer = compose("Who reported the story?", EVIDENCE)
    assert answer.kind == "value"  # "the story" states nothing to take sides on


@pytest.mark.parametrize(("statement", "negation"), [
    ("Lukashenko apologized to Zelensky", "Lukashenko did not apologize to Zelensky"),
    ("the EU imposed sanctions", "the EU did not impose sanctions"),
    ("the Latvian president resigned", "the Latvian president did not resign"),
    ("Apple bought Beats", "Apple did not buy Beats"),
    ("Tesla was founded in 2003", "Tesla was not founded in 2003"),
    ("they stopped", "they did not stop"),
    ("prices rose", "prices did not rise"),
    ("Lukashenko had witnesses", "Lukashenko did not have witnesses"),  # "had" is the verb, not an auxiliary
    ("Lukashenko had apologized", "Lukashenko had not apologized"),
    ("the army overran the town", "it is not so that the army overran the town"),  # an unknown irregular: no guess
])
def test_a_claim_is_negated_in_plain_english_or_not_at_all(statement: str, negation: str) -> None:
    assert negate(statement) == negation


@pytest.mark.parametrize(("question", "claim"), [
    ("Did Lukashenko have witnesses?", "Lukashenko had witnesses"),
    ("Does Lukashenko have witnesses?", "Lukashenko has witnesses"),
    ("Does Belarus deny it?", "Belarus denies it"),
    ("Does the refinery process Russian oil?", "the refinery processes Russian oil"),
    ("Did the battery division lose $120 million?", "the battery division lost $120 million"),  # two nouns, then the verb
    ("Did the company cut jobs?", "the company cut jobs"),
    ("Did the union vote to strike?", "the union voted to strike"),
    ("Did the Bank of Merovia raise interest rates?", "the Bank of Merovia raised interest rates"),  # one name
    ("Will the rate rise hurt small businesses?", "the rate rise will hurt small businesses"),  # "rise" a noun here
    ("Is inflation too high?", "inflation is too high"),
    ("Was anyone injured?", "anyone was injured"),
])
def test_a_questions_claim_puts_its_verb_in_the_right_form(question: str, claim: str) -> None:
    assert analyze(question).affirmative == claim


def test_a_thing_named_in_a_be_question_is_its_subject_not_its_predicate() -> None:
    # "refinery" was taken for the predicate, so Lukashenko's warning about "the Mozyr refinery" was
    # cited as saying "the Mozyr is refinery in the Gomel region".
    answer = compose("Is the Mozyr refinery in the Gomel region?", EVIDENCE)
    assert answer.verdict is not Verdict.SUPPORTED or all("warned" not in c.quote for c in answer.citations)
    assert "is refinery" not in answer.summary
    assert not any(s.stance is Stance.SUPPORTS and "Lukashenko" in (s.speaker or "") for s in answer.sides)


@pytest.mark.parametrize("question", ["Why did Eismont say Lukashenko had nothing to apologize for?",
                                      "Why did Lukashenko not apologize?"])
def test_why_is_answered_with_the_reason_the_source_gives_after_its_claim(question: str) -> None:
    answer = compose(question, EVIDENCE)  # "nothing" was read as the relation asked about: not found
    assert answer.verdict is Verdict.SUPPORTED and "Eismont" in (answer.sides[0].speaker or "")
    quotes = " ".join(c.quote for c in answer.citations)
    assert "he did not apologize" in quotes and "because Ukraine, as we remember, was the first" in quotes


def test_a_what_question_does_not_pull_in_the_following_sentences() -> None:
    answer = compose("What did Eismont tell RBC?", EVIDENCE)
    assert not any("because Ukraine" in c.quote for c in answer.citations)


def test_a_cause_named_after_not_is_refuted() -> None:
    text = "Hendriks said the leak was caused by a faulty seal, not a failed valve."
    answer = ask_texts("Was the leak caused by a failed valve?", text)
    assert answer.verdict is Verdict.REFUTED and answer.sides[0].speaker == "Hendriks"
    assert ask_texts("Was the leak caused by a faulty seal?", text).verdict is Verdict.SUPPORTED


def test_reports_called_wrong_refute_what_they_report() -> None:
    text = "“Reports that fourteen workers were hospitalised are simply wrong,” Norvik spokesman Joost Hendriks told NOS."
    assert ask_texts("Were fourteen workers hospitalised?", text).verdict is Verdict.REFUTED
    plain = "Reports that fourteen workers were hospitalised came from the union, Joost Hendriks told NOS."
    assert ask_texts("Were fourteen workers hospitalised?", plain).verdict is Verdict.SUPPORTED


def test_no_evidence_that_a_thing_happened_neither_states_nor_denies_it() -> None:
    text = "“We have no evidence that any financial information was taken,” chief technology officer Priya Raman said."
    assert ask_texts("Was financial information taken?", text).verdict is Verdict.CONTEXT


def test_doing_the_opposite_refutes_and_not_doing_the_opposite_leaves_it_open() -> None:
    rejected = ask_texts("Did Unison accept the deal?", "Unison rejected the deal on Monday, its leaders said.")
    assert rejected.verdict is Verdict.REFUTED and "Unison did not accept the deal" in rejected.summary
    assert ask_texts("Did the lecturers reject the pay offer?",
                     "Lecturers voted to accept the pay offer on Friday.").verdict is Verdict.REFUTED
    assert ask_texts("Did Unison accept the deal?",
                     "Unison did not reject the deal outright, its leaders said.").verdict is Verdict.CONTEXT
    assert ask_texts("Did Orbit win the contract?", "Orbit lost the contract to Vega in March.").verdict is Verdict.REFUTED


def test_a_denial_of_what_the_sentence_before_said_refutes_it() -> None:
    text = "Doyle said Hallam had planned to close two bakeries. Hallam denied this on Wednesday."
    answer = ask_texts("Did Hallam plan to close bakeries?", text)
    assert answer.verdict is Verdict.CONTESTED
    assert [s.speaker for s in answer.sides if s.stance is Stance.REFUTES] == ["Hallam"]
    alone = ask_texts("Did Hallam plan to close bakeries?", "Hallam plans to expand. Hallam denied this on Wednesday.")
    assert alone.verdict is not Verdict.REFUTED


def test_released_without_bail_refutes_released_on_bail() -> None:
    answer = ask_texts("Was Salcedo released on bail?", "A judge released Salcedo on Wednesday without bail.")
    assert answer.verdict is Verdict.REFUTED


def test_a_described_source_can_be_the_one_asked_about() -> None:
    text = ("The mayor of Torrevieja, Eduardo Salcedo, was not arrested but voluntarily appeared before investigators "
            "on Tuesday, the town hall said in a statement on Wednesday.")
    answer = ask_texts("Did the town hall deny that Salcedo was arrested?", text)
    assert answer.verdict is Verdict.SUPPORTED and answer.sides[0].speaker == "the town hall"


def test_the_company_asked_about_is_the_named_company_speaking() -> None:
    text = ("Norvik Chemicals said in a statement that the leak had been contained within 40 minutes and that the "
            "public was not in danger at any time.")
    answer = ask_texts("Did the company say the public was in danger?", text)
    assert answer.verdict is Verdict.REFUTED and answer.sides[0].speaker == "Norvik Chemicals"
