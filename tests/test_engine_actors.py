"""Who did what in the seed article: the subject of a participle, a speaker's own act, a speaker's own account.

"Zelensky said he confronted Lukashenko, accusing him of complicity": Zelensky accused, not Lukashenko.
"Lukashenko warned that …": the outlet reports his warning; it is not his claim about himself.
"""

from __future__ import annotations

import pytest

from newsbot.engine import compose
from newsbot.engine.question import analyze
from newsbot.models import Answer, Stance, Verdict
from tests.engine_helpers import ask_texts, evidence, seed_article

EVIDENCE = evidence(seed_article())


def _supporters(answer: Answer) -> list[str]:
    return [s.speaker or s.text.split(":", 1)[0] for s in answer.sides if s.stance is Stance.SUPPORTS]


def test_the_one_a_participle_after_a_comma_describes_is_the_clause_subject() -> None:
    answer = compose("Did Zelensky accuse Lukashenko of complicity?", EVIDENCE)
    assert answer.verdict is Verdict.SUPPORTED
    assert "accusing him of complicity" in answer.citations[0].quote
    assert compose("Did Lukashenko accuse Zelensky of complicity?", EVIDENCE).verdict is Verdict.CONTEXT


def test_a_participle_after_a_named_clause_keeps_that_name_as_its_subject() -> None:
    # "According to Zelensky, Lukashenko suggested retaliating …, emphasizing its personal importance to him."
    assert compose("Did Lukashenko emphasize the refinery's importance?", EVIDENCE).verdict is Verdict.SUPPORTED
    assert compose("Did Zelensky emphasize the refinery's importance?", EVIDENCE).verdict is Verdict.CONTEXT


def test_a_speakers_own_act_is_reported_by_the_outlet_not_claimed_by_the_speaker() -> None:
    answer = compose("Did Lukashenko threaten Ukraine?", EVIDENCE)
    assert answer.verdict is Verdict.SUPPORTED
    assert _supporters(answer) == ["Meduza, in the spring of 2024"]
    assert "Meduza says Lukashenko threatened Ukraine" in answer.summary
    assert "Lukashenko says Lukashenko" not in answer.summary


def test_a_speaker_who_is_the_claims_subject_is_worded_with_the_articles_pronoun() -> None:
    for question in ("Did Zelensky accuse Lukashenko of complicity?",
                     "Did the Ukrainian president accuse Lukashenko of complicity?"):
        answer = compose(question, EVIDENCE)
        assert "Zelensky says he accused Lukashenko of complicity" in answer.summary, answer.summary
        assert answer.sides[0].text.endswith(": he accused Lukashenko of complicity")


def test_someone_elses_claim_keeps_its_subject_named() -> None:
    answer = compose("Did Lukashenko apologize?", EVIDENCE)
    assert "Zelensky says Lukashenko apologized" in answer.summary
    assert "Eismont (Aleksandr Lukashenko's press secretary) says Lukashenko did not apologize" in answer.summary


def test_a_negation_inside_a_that_clause_does_not_deny_the_question() -> None:
    q = analyze("Did Zelensky learn that Lukashenko did not apologize?")
    assert not q.negated
    assert q.affirmative == "Zelensky learned that Lukashenko did not apologize"
    assert analyze("Didn't Lukashenko apologize?").negated


def test_it_after_a_named_sentence_is_that_sentences_subject() -> None:
    # "The Mozyr Oil Refinery, one of Belarus's largest, … . It is located in the Gomel region, …"
    answer = compose("Is the Mozyr refinery in the Gomel region?", EVIDENCE)
    assert answer.verdict is Verdict.SUPPORTED
    assert answer.citations[0].quote == "It is located in the Gomel region, which borders Ukraine."
    assert "Meduza says the Mozyr refinery is in the Gomel region" in answer.summary
    assert compose("Is the Mozyr refinery in the Brest region?", EVIDENCE).verdict is Verdict.CONTEXT


def test_a_be_claim_about_a_name_reads_with_the_verb_after_the_name() -> None:
    assert analyze("Is Lukashenko a murderer?").affirmative == "Lukashenko is a murderer"
    assert analyze("Was Putin the one launching the missiles?").affirmative == \
        "Putin was the one launching the missiles"
    assert analyze("Is Eismont Lukashenko's press secretary?").affirmative == "Eismont is Lukashenko's press secretary"
    assert analyze("Is the Mozyr refinery in the Gomel region?").affirmative == "the Mozyr refinery is in the Gomel region"


@pytest.mark.parametrize(("question", "claim"), [
    ("Did Belarus's president apologize?", "Belarus's president apologized"),
    ("Did Lukashenko's press secretary deny it?", "Lukashenko's press secretary denied it"),
    ("Did Russia's invasion start in 2022?", "Russia's invasion started in 2022"),
])
def test_a_possessive_opens_the_subject_as_the_does(question: str, claim: str) -> None:
    assert analyze(question).affirmative == claim


def test_a_be_question_between_a_possessive_phrase_and_a_name_takes_no_garbled_side() -> None:
    # "Is Lukashenko's press secretary Eismont?" was read as "Lukashenko's is press secretary Eismont".
    answer = compose("Is Lukashenko's press secretary Eismont?", EVIDENCE)
    assert "Lukashenko's is" not in answer.summary and answer.verdict is not Verdict.REFUTED


def test_a_question_with_no_verb_to_find_takes_no_side() -> None:
    # "Are the missiles Russian?" once found "It was not me. Missiles were launched …" and said "no".
    assert analyze("Are the missiles Russian?").predicate is None
    answer = compose("Are the missiles Russian?", EVIDENCE)
    assert answer.verdict in (Verdict.CONTEXT, Verdict.NOT_FOUND)
    assert not any(s.stance is Stance.REFUTES for s in answer.sides)


def test_the_two_leaders_are_the_two_named_before() -> None:
    # "Zelensky said the two leaders spoke by phone just days after Russia’s February 2022 invasion."
    answer = compose("Did Lukashenko and Zelensky speak by phone?", EVIDENCE)
    assert answer.verdict is Verdict.SUPPORTED
    assert "the two leaders spoke by phone" in answer.citations[0].quote
    assert "Lukashenko and Zelensky spoke by phone" in answer.summary
    assert compose("Did Putin and Zelensky speak by phone?", EVIDENCE).verdict is not Verdict.SUPPORTED
    assert compose("Did Zelensky speak with Lukashenko?", EVIDENCE).verdict is Verdict.SUPPORTED  # one of the two


def test_a_date_given_relative_to_another_keeps_the_relation() -> None:
    answer = compose("When did Lukashenko and Zelensky speak?", EVIDENCE)
    assert answer.verdict is Verdict.SUPPORTED
    assert answer.sides[0].answer == "just days after Russia’s February 2022 invasion"
    assert answer.summary == ("The sources answer this. According to Zelensky, just days after Russia’s "
                              "February 2022 invasion [1].")


def test_the_one_doing_it_in_a_cleft_answers_who_did_it_in_the_words_of_the_one_recounted() -> None:
    answer = compose("Who launched the missiles?", evidence(seed_article()))
    assert [s.answer for s in answer.sides] == ["Putin"]
    assert "Putin was the one launching them" in answer.citations[0].quote
    assert answer.summary.endswith("Putin, according to Zelensky, recounting Lukashenko's words [1].")


def test_a_quote_inside_a_quote_is_the_words_of_someone_other_than_the_speaker() -> None:
    answer = ask_texts("Who fired Ames?", "“Then he told me, ‘Lenoir fired Ames in March,’” Castellano said.")
    assert answer.sides[0].speaker == "Castellano, recounting another source's words"
