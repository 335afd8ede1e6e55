"""A sentence that names the asked act without asserting it takes no side.

Hedges and reports ("reportedly", "is believed to"), conditions ("if", "until"),
another time than the question's ("would be reopened" for "Was it reopened?"),
and what a sentence itself leaves open ("it was not immediately clear whether")
are context; a correction ("An earlier version … incorrectly said") and "There
is no truth in the suggestion that …" refute; "eight of the 12" refutes "all".
"""

from __future__ import annotations

import pytest

from newsbot.models import Verdict
from tests.engine_helpers import ask_texts


@pytest.mark.parametrize(("question", "text"), [
    ("Did the airline skip scheduled maintenance?", "The airline reportedly skipped scheduled maintenance last year."),
    ("Did the airline skip scheduled maintenance?",
     "According to media reports, the airline skipped scheduled maintenance last year."),
    ("Was the fire started by a downed power line?",
     "The fire is believed to have been started by a downed power line, according to the BC Wildfire Service."),
    ("Was the man arrested over the fire?", "Police arrested a 34-year-old man near the fire, but it was not "
     "immediately clear whether the arrest was connected to the blaze."),
    ("Has a state of emergency been declared?", "Lindqvist said the city would ask the province to declare a state "
     "of emergency if the fire crossed Highway 1."),
    ("Was the mine reopened?", "The company said the mine would be reopened if inspectors approved the repairs."),
    ("Have all the aircraft been inspected?", "“We cannot allow these aircraft to fly until every one of them has "
     "been inspected,” said Lars Brekke, the authority's director of flight safety."),
    ("Will more wards be closed?", "Two wards at St James's University Hospital were closed on Tuesday."),
    ("Has the B sample been tested?", "His agent, Marco Bellini, said the athlete would ask for his B sample to be "
     "tested."),
    ("Did the minister visit the site?", "An earlier version of this story said the minister had visited the site."),
])
def test_a_sentence_that_does_not_assert_the_act_is_context(question: str, text: str) -> None:
    assert ask_texts(question, text).verdict is Verdict.CONTEXT


def test_a_plain_statement_of_the_same_act_still_answers() -> None:
    assert ask_texts("Did the airline skip scheduled maintenance?",
                     "The airline skipped scheduled maintenance last year, regulators said.").verdict is Verdict.SUPPORTED
    assert ask_texts("Will more wards be closed?", "Two more wards will be closed on Friday, the trust said.").verdict \
        is Verdict.SUPPORTED
    assert ask_texts("Was the man arrested?", "Police arrested a 34-year-old man near the fire, but it was not "
                     "immediately clear whether more arrests would follow.").verdict is Verdict.SUPPORTED


def test_a_correction_and_no_truth_in_a_suggestion_refute_it() -> None:
    corrected = ask_texts("Did the fire destroy 16 homes?",
                          "An earlier version of this story incorrectly said the fire had destroyed 16 homes.")
    assert corrected.verdict is Verdict.REFUTED
    hiding = ask_texts("Is the trust hiding cases?",
                       "“There is no truth in the suggestion that we are hiding cases,” a spokesman for the trust said.")
    assert hiding.verdict is Verdict.REFUTED
    assert hiding.summary == "Refuted by the sources. A spokesman for the trust says it is not hiding cases [1]."


def test_a_part_of_the_whole_refutes_all() -> None:
    answer = ask_texts("Have all the aircraft been inspected?", "Dahl said eight of the 12 aircraft had been inspected.")
    assert answer.verdict is Verdict.REFUTED and "Dahl says not all the aircraft have been inspected" in answer.summary


def test_most_is_checked_against_the_share_given() -> None:
    assert ask_texts("Did most members back the offer?", "The union said 30% of members backed the offer.").verdict \
        is Verdict.REFUTED
    assert ask_texts("Did most members back the offer?", "The union said 68% of members backed the offer.").verdict \
        is Verdict.SUPPORTED
