"""Follow-ups made to stand alone: pronouns take the earlier subject; chit-chat is told from questions."""

from __future__ import annotations

import pytest

from bot.conversation import asks_something, referents, resolve

SEED = "Did Lukashenko apologize?"


@pytest.mark.parametrize(("earlier", "question", "alone"), [
    ([SEED], "What did he warn about the Mozyr refinery?", "What did Lukashenko warn about the Mozyr refinery?"),
    (["What did Lukashenko warn about the Mozyr Oil Refinery?"], "Where is it located?",
     "Where is the Mozyr Oil Refinery located?"),
    (["Who launched the missiles?"], "Where were they launched from?", "Where were the missiles launched from?"),
    ([SEED], "Who is his press secretary?", "Who is Lukashenko's press secretary?"),
    (["Who is Lukashenko's press secretary?"], "What did she tell RBC?",
     "What did Lukashenko's press secretary tell RBC?"),
    (["Did Lukashenko apologize to Zelensky?"], "When did he call him?", "When did Lukashenko call Zelensky?"),
    (["Did Norvik Chemicals close the plant?"], "Why did they close it?", "Why did Norvik Chemicals close the plant?"),
    (["Did the mayor resign?"], "Why did he resign?", "Why did the mayor resign?"),
    ([SEED], "He said what?", "Lukashenko said what?"),
])
def test_a_pronoun_takes_the_earlier_subject_of_its_kind(earlier: list[str], question: str, alone: str) -> None:
    assert resolve(question, earlier) == alone


@pytest.mark.parametrize("question", [
    "Who launched the missiles?",  # no pronoun: nothing is added, whatever came before
    "Did Lukashenko say he was sorry?",  # its own antecedent
    "Is it true that the refinery closed?",  # "it" stands for nothing
])
def test_nothing_is_added_where_nothing_is_missing(question: str) -> None:
    assert resolve(question, [SEED, "What did Eismont tell RBC about the refinery?"]) == question


def test_it_for_what_was_said_stays_and_a_pronoun_is_replaced_once() -> None:
    assert resolve("Did he say it to RBC?", [SEED]) == "Did Lukashenko say it to RBC?"
    assert resolve("Did he say he was sorry?", [SEED]) == "Did Lukashenko say he was sorry?"


def test_the_newest_question_wins_and_he_and_she_are_not_told_apart() -> None:
    history = ["Did Lukashenko apologize?", "What did Natalya Eismont tell RBC?"]
    assert resolve("Did she deny it?", history) == "Did Natalya Eismont deny it?"
    assert resolve("Did he deny it?", history) == "Did Natalya Eismont deny it?"  # a known limit: no genders


def test_names_are_people_unless_they_end_in_a_thing_or_are_acronyms() -> None:
    kinds = {r.text: r.kind for r in referents("Did Zelensky tell RBC about the Mozyr Oil Refinery and the missiles?")}
    assert kinds == {"Zelensky": "person", "RBC": "thing", "the Mozyr Oil Refinery and the missiles": "plural",
                     "the Mozyr Oil Refinery": "thing", "the missiles": "plural"}


@pytest.mark.parametrize(("text", "asks"), [
    ("thanks, that's really helpful!", False), ("Thanks!", False), ("ok?", False), ("great, thanks 👍", False),
    ("Lukashenko apology", False), ("Who launched the missiles", True), ("tell me more about Eismont", True),
    ("and Eismont?", True), ("Did he say it to RBC?", True), ("Belarus?", True),
])
def test_only_questions_and_requests_ask_something(text: str, asks: bool) -> None:
    assert asks_something(text) is asks


@pytest.mark.parametrize(("earlier", "question", "alone"), [
    (["Did the nurse see the accident?"], "What did she say about it?", "What did the nurse say about the accident?"),
    (["Did the police arrest the driver?"], "Why did they arrest him?", "Why did the police arrest the driver?"),
    (["Did the company close the plant in 2021?"], "Did it apologise?", "Did the company apologise?"),
    (["Did Belarus and Russia deny the reports?"], "Why did they deny them?",
     "Why did Belarus and Russia deny the reports?"),
    (["Did Natalya Eismont call Lukashenko?"], "Who is her press secretary?", "Who is Natalya Eismont's press secretary?"),
    (["Did Lukashenko call Natalya Eismont?"], "Did he apologise to her?", "Did Lukashenko apologise to Natalya Eismont?"),
])
def test_what_a_referent_is_comes_from_the_parse_and_wordnet(earlier: list[str], question: str, alone: str) -> None:
    """Kinds no word list of this module names: "nurse" and "driver" are people, "police" and "company" groups
    (WordNet); two names joined by "and" are "they"; "her" before a noun is a possessive, after a verb an object."""
    assert resolve(question, earlier) == alone


def test_they_prefers_things_in_the_plural_to_an_organisation() -> None:
    earlier = ["Did Zelensky tell RBC about the missiles?"]
    assert resolve("Were they fired from Belarus?", earlier) == "Were the missiles fired from Belarus?"
    assert resolve("What did they report?", ["What did RBC say about Eismont?"]) == "What did RBC report?"
