"""Who holds a role: "Who is the president of Belarus?" and "Is Eismont Lukashenko's press secretary?".

A title written before a name ("Belarusian President Aleksandr Lukashenko") is the
outlet's description of who someone is, so the outlet is cited for it, not the
person speaking in that sentence.
"""

from __future__ import annotations

from newsbot.engine import compose
from newsbot.engine.identity import identity_question
from newsbot.models import Answer, Stance, Verdict
from tests.engine_helpers import ask_texts, evidence, seed_article, side_values

SEED = evidence(seed_article())


def _ask(question: str) -> Answer:
    return compose(question, SEED)


def test_a_title_before_a_name_answers_who_holds_it_for_the_body_named_before_the_title() -> None:
    belarus = _ask("Who is the president of Belarus?")
    assert belarus.verdict is Verdict.SUPPORTED and side_values(belarus) == {"Aleksandr Lukashenko"}
    assert side_values(_ask("who is the president of ukraine")) == {"Volodymyr Zelensky"}
    assert _ask("Who is the president of France?").verdict is Verdict.NOT_FOUND


def test_the_outlet_not_the_speaker_is_cited_for_a_title_it_wrote() -> None:
    answer = _ask("Who is Lukashenko's press secretary?")
    assert side_values(answer) == {"Natalya Eismont"}
    assert answer.sides[0].speaker is None and answer.summary.endswith("according to Meduza [1].")


def test_is_a_person_the_holder_of_a_role_is_supported_when_the_sources_name_them() -> None:
    answer = _ask("Is Eismont Lukashenko's press secretary?")
    assert answer.verdict is Verdict.SUPPORTED
    assert answer.summary == "Supported by the sources. Meduza says Eismont is Lukashenko's press secretary [1]."
    assert "Natalya Eismont" in answer.citations[0].quote
    assert _ask("Is Lukashenko the president of Belarus?").verdict is Verdict.SUPPORTED


def test_another_holder_of_a_role_one_person_holds_refutes_the_asked_name() -> None:
    answer = _ask("Is Putin the president of Belarus?")
    assert answer.verdict is Verdict.REFUTED and answer.sides[0].stance is Stance.REFUTES
    assert "Aleksandr Lukashenko is the president of Belarus" in answer.summary


def test_another_holder_of_a_role_many_hold_says_nothing_against_the_asked_name() -> None:
    text = "Acme spokesman Mark Ruiz said the plant would reopen on Monday after the inspection ended."
    assert ask_texts("Is Mark Ruiz a spokesman for Acme?", text).verdict is Verdict.SUPPORTED
    assert ask_texts("Is Dana Wells a spokesman for Acme?", text).verdict is not Verdict.REFUTED


def test_only_is_questions_naming_a_person_and_a_role_read_as_identity() -> None:
    assert identity_question("Is Eismont Lukashenko's press secretary?").role == "Lukashenko's press secretary"
    asked = identity_question("Was Natalya Eismont the press secretary of Lukashenko?")
    assert asked.name == "Natalya Eismont" and asked.sole
    assert not identity_question("Is Mark Ruiz a spokesman for Acme?").sole
    assert identity_question("Is Lukashenko a murderer?") is None  # no role
    assert identity_question("Did Eismont deny the apology?") is None


def test_a_principal_is_a_role_whose_body_the_lead_names() -> None:
    story = ("Staff at the University of Edinburgh will return to work on Monday.\n"
             "Principal Sir Duncan Rhodes said the improved offer would be paid for by delaying a new library.")
    answer = ask_texts("Who is the principal of the University of Edinburgh?", story)
    assert side_values(answer) == {"Sir Duncan Rhodes"}
