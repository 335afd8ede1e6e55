"""How the engine reads the words of web and news text: fact boxes, bodies' acronyms, demonyms, brand names.

Each test asks a question of small invented passages and checks the verdict
and the values, so a change in reading that loses or invents a side fails here.
"""

from __future__ import annotations

from newsbot.engine.attribution import analyze_article
from newsbot.models import Verdict
from newsbot.text import sentence_spans, terms_of, tokens
from tests.engine_helpers import ask_texts, side_values


def test_a_fact_box_label_stays_with_the_date_it_labels() -> None:
    text = "Digital. Star Quest™ 2. Release date. December 1, 2017 ; No. of players. Single System (1)."
    assert [text[a:b] for a, b in sentence_spans(text)][2] == "Release date. December 1, 2017 ; No. of players."
    two = "He won. 2019 was a good year."
    assert [two[a:b] for a, b in sentence_spans(two)] == ["He won.", "2019 was a good year."]


def test_two_copies_of_a_fact_box_that_differ_in_the_date_are_contested() -> None:
    page = "Digital. Star Quest™ 2. Digital. Star Quest™ 2 Expansion Pass Bundle ... Release date. {} ..."
    answer = ask_texts("When was Star Quest 2 released?", page.format("December 1, 2017"), page.format("November 8, 2021"))
    assert answer.verdict is Verdict.CONTESTED and side_values(answer) == {"December 1, 2017", "November 8, 2021"}


def test_a_tours_acronym_says_whose_ranking_it_is() -> None:
    assert {"women", "tenni"} <= terms_of(tokens("the WTA’s Year-End World No.1"))
    women = "Nov 16, 2020 ... Australia's {} finishes the year as the WTA Year-End World No.1 for the second year."
    answer = ask_texts("What is women's year-end No 1 in tennis in 2020?",
                  women.format("Ashleigh Barty"), women.format("Angelique Kerber"))
    assert answer.verdict is Verdict.CONTESTED and side_values(answer) == {"Ashleigh Barty", "Angelique Kerber"}
    assert ask_texts("What is men's year-end No 1 in tennis in 2020?", women.format("Ashleigh Barty")).verdict \
        is Verdict.NOT_FOUND


def test_who_holds_a_rank_is_the_person_opening_the_clause_not_the_ranking() -> None:
    men = "Nov 14, 2019 ... {} has clinched the year-end No. 1 ATP Ranking for a fifth time, at the Nitto ATP Finals."
    answer = ask_texts("What is men's year-end No 1 in tennis in 2019?", men.format("Rafael Nadal"),
                  men.format("Novak Djokovic"))
    assert answer.verdict is Verdict.CONTESTED and side_values(answer) == {"Rafael Nadal", "Novak Djokovic"}


def test_voters_choosing_a_president_answer_who_won_the_election() -> None:
    text = "May 7, 2017 ... Voters in France chose {} to be their next president. See where the vote was strongest."
    answer = ask_texts("Who won the French Presidential Election 2017?", text.format("Emmanuel Macron"),
                  text.format("Marine Le Pen"))
    assert answer.verdict is Verdict.CONTESTED and side_values(answer) == {"Emmanuel Macron", "Marine Le Pen"}


def test_a_brand_written_lower_case_first_must_be_in_the_passage() -> None:
    text = "It was released in Japan on {}, the United States on November 23, 1998, Europe on December 11, 1998."
    assert ask_texts("When does the iPhone 11 release?", text.format("November 21, 1998"),
                text.format("November 1, 2020")).verdict is Verdict.NOT_FOUND


def test_the_united_states_does_not_report_speech() -> None:
    info = analyze_article("It was released in Japan on November 21, 1998, the United States on November 23, 1998.")
    assert info.sentences[0].attribution.speaker is None


def test_a_common_word_of_a_name_must_be_written_as_a_name() -> None:
    text = "After 19 days of competition at the 2018 Winter Olympics, {} came out on top of the final medal count."
    assert ask_texts("Who won the World Cup Final in 2018?", text.format("Norway"),
                text.format("Germany")).verdict is Verdict.NOT_FOUND


def test_every_form_of_a_word_meets_its_synonym_not_only_the_listed_forms() -> None:
    answer = ask_texts("Did Acme release the phone?", "Acme launches the phone in Europe this week, the company said.")
    assert answer.verdict is Verdict.SUPPORTED
    threats = ask_texts("Did Lukashenko warn Ukraine?",
                        "Lukashenko was threatening Ukraine with a tenfold response, officials said.")
    assert threats.verdict is Verdict.SUPPORTED


def test_stepping_down_and_quitting_are_resigning_and_sacking_is_firing() -> None:
    text = "Helen Carys-Price stepped down on Tuesday, the board said."
    assert ask_texts("Did Helen Carys-Price resign?", text).verdict is Verdict.SUPPORTED
    assert side_values(ask_texts("Who resigned?", text)) == {"Helen Carys-Price"}
    assert ask_texts("Did Helen Carys-Price quit?", "Helen Carys-Price resigned on Tuesday.").verdict is Verdict.SUPPORTED
    assert ask_texts("Did Helen Carys-Price resign?", "Helen Carys-Price did not step down, the board said.").verdict \
        is Verdict.REFUTED
    assert ask_texts("Was Owen Mallory sacked?", "Owen Mallory was fired by the board on Friday.").verdict \
        is Verdict.SUPPORTED


def test_a_two_word_verb_in_the_question_is_the_claim_and_is_worded_in_the_past_tense() -> None:
    answer = ask_texts("Did the museum director step down?", "The museum's director stepped down on Tuesday.")
    assert answer.verdict is Verdict.SUPPORTED and "the museum director stepped down" in answer.summary


def test_shutting_is_closing() -> None:
    text = "Environmental group Milieudefensie called for the plant to be shut until the inspection is complete."
    assert ask_texts("Did Milieudefensie call for the plant to be closed?", text).verdict is Verdict.SUPPORTED


def test_a_chief_executive_is_a_ceo_and_an_intrusion_a_breach() -> None:
    text = ("Pulsetrack's chief executive, Owen Mallory, was fired by the Kestrel Health board on Friday, according "
            "to two people familiar with the matter.")
    assert side_values(ask_texts("Who is Pulsetrack's CEO?", text)) == {"Owen Mallory"}
    assert ask_texts("Was Pulsetrack's CEO sacked?", text).verdict is Verdict.SUPPORTED
    found = ask_texts("When was the breach discovered?", "The intrusion was discovered on April 22, Raman said.")
    assert side_values(found) == {"April 22 (2024)"}
