"""The stance judge behind its interface, typed values, and text that must never break the reader."""

from __future__ import annotations

import json

import pytest

from newsbot.engine import Reader, compose
from newsbot.engine.judge import WEIGHTS, LearnedJudge
from newsbot.engine.values import number_key
from newsbot.models import Stance, Verdict
from tests.engine_helpers import article, ask_texts, evidence


def test_the_weights_say_what_they_were_fit_on_and_how_to_refit_them() -> None:
    raw = json.loads(WEIGHTS.read_text())
    assert "fit half" in raw["provenance"]["fit_on"] and "scripts/train_judge.py" in raw["provenance"]["command"]
    assert set(raw) >= {"bearing", "polarity", "takes", "false", "vector", "thresholds"}
    assert len(raw["vector"]["weights"]) == 1 + 2 * 384  # bias, MiniLM sentence, sentence × claim
    assert raw["provenance"]["vector_rows"] > 0


def test_the_vector_model_reads_the_sentence_and_claim_vectors_the_reader_encoded(tmp_path) -> None:  # noqa: ANN001
    """Polarity reads the vector model's output as one of its features: with the polarity model made to trust
    only that feature, a vector model that says "false" turns a plain assertion into a refutation, and a pair
    without vectors is no evidence either way (0.5)."""
    import numpy as np

    from newsbot.engine.features import POLARITY
    from newsbot.engine.judge import VectorModel

    raw = json.loads(WEIGHTS.read_text())
    raw["polarity"]["weights"] = [0.0] * (len(POLARITY) + 1)
    raw["polarity"]["weights"][1 + POLARITY.index("vector_false")] = 40.0
    raw["polarity"]["weights"][0] = -20.0  # P(false) = sigmoid(40 * vector_false - 20)
    raw["vector"]["weights"] = [30.0] + [0.0] * (2 * 384)  # says "false" of every pair with vectors
    path = tmp_path / "judge.json"
    path.write_text(json.dumps(raw))
    seen: list[bool] = []

    class Recording(LearnedJudge):
        def judge(self, q, pair, values=None):  # noqa: ANN001, ANN201
            seen.append(pair.vector is not None and pair.claim_vector is not None)
            return super().judge(q, pair, values)

    judge = Recording(path)
    assert VectorModel(np.zeros(1 + 2 * 384)).prob(_bare_pair()) == 0.5
    answer = Reader(judge=judge).read("Did the Renn dam burst?", evidence(article(
        "The Renn dam burst early on Monday, flooding three villages downstream.")))
    assert seen and all(seen)
    assert answer.verdict is Verdict.REFUTED, answer.summary


def _bare_pair():  # noqa: ANN202 - a features.Pair with no vectors
    from newsbot.engine.compose import default_reader
    from newsbot.engine.features import Pair
    from newsbot.engine.statements import read_statements

    a = article("The Renn dam burst.")
    sentence = default_reader().parser.sentences(a, [(0, len(a.text))])[0]
    return Pair(read_statements([sentence])[0], None, None, frozenset(), 0.0)


def test_weights_fit_on_other_features_are_refused_with_the_command_that_refits_them(tmp_path) -> None:  # noqa: ANN001
    raw = json.loads(WEIGHTS.read_text())
    raw["polarity"]["names"] = ["something_else", *raw["polarity"]["names"][1:]]
    path = tmp_path / "judge.json"
    path.write_text(json.dumps(raw))
    with pytest.raises(ValueError, match="train_judge.py"):
        LearnedJudge(path)
    raw = json.loads(WEIGHTS.read_text())
    raw["vector"]["form"] = "MiniLM sentence only"
    path.write_text(json.dumps(raw))
    with pytest.raises(ValueError, match="vector model .*train_judge.py"):
        LearnedJudge(path)


def test_an_assertion_supports_and_a_denial_refutes_in_two_articles() -> None:
    answer = ask_texts("Did the Renn dam burst?",
                       "The Renn dam burst early on Monday, flooding three villages downstream, officials said.",
                       "The water authority said the Renn dam had not burst and was intact.")
    stances = {s.stance for s in answer.sides}
    assert answer.verdict is Verdict.CONTESTED and stances == {Stance.SUPPORTS, Stance.REFUTES}, answer.summary
    by_stance = {s.stance: s for s in answer.sides}
    cited = {c.n: c.article_id for c in answer.citations}
    assert {cited[n] for n in by_stance[Stance.SUPPORTS].citations} == {"a0"}
    assert {cited[n] for n in by_stance[Stance.REFUTES].citations} == {"a1"}


def test_reporting_about_the_topic_that_takes_no_side_is_context_or_nothing() -> None:
    answer = ask_texts("Did the Renn dam burst?",
                       "Engineers will inspect the Renn dam on Thursday, the water authority said.")
    assert answer.verdict in (Verdict.CONTEXT, Verdict.NOT_FOUND)
    assert all(s.stance is Stance.CONTEXT for s in answer.sides)


def test_a_judge_is_swappable_behind_its_interface() -> None:
    class Contrary:
        """Says every statement refutes: the reader must follow its judge, not rules of its own."""

        def judge(self, q, pair, values=None):  # noqa: ANN001, ANN201
            from newsbot.engine.judge import Judgement
            return Judgement(Stance.REFUTES, 0.9, 0.9, 0.9)

        def position(self, q, members, *, outlet=False):  # noqa: ANN001, ANN201
            from newsbot.engine.judge import Position
            return Position(Stance.REFUTES, 0.9, 0.9, 0.9)

    reader = Reader(judge=Contrary())
    answer = reader.read("Did the Renn dam burst?", evidence(article("The Renn dam burst early on Monday.")))
    assert answer.verdict is Verdict.REFUTED


def test_an_article_side_is_shown_only_in_its_own_sentences_that_bear_on_the_claim() -> None:
    """An article read as saying yes is quoted in the sentences that say it (or bear on it strongly), never in
    one that merely sits beside them: a judge that finds one sentence saying yes and the others barely bearing
    gets that one sentence quoted."""
    from newsbot.engine.judge import Judgement, Position

    class OneYes:
        def judge(self, q, pair, values=None):  # noqa: ANN001, ANN201
            says = "burst early" in pair.statement.sentence.text
            return Judgement(Stance.SUPPORTS if says else Stance.CONTEXT, 0.8, 0.9 if says else 0.3, 0.1)

        def position(self, q, members, *, outlet=False):  # noqa: ANN001, ANN201
            return Position(Stance.SUPPORTS, 0.9, 0.9, 0.1)

    text = ("The Renn valley road was closed to traffic near the Renn dam on Monday.\n"
            "The Renn dam burst early on Monday.")
    answer = Reader(judge=OneYes()).read("Did the Renn dam burst?", evidence(article(text)))
    assert answer.verdict is Verdict.SUPPORTED, answer.summary
    assert [c.quote for c in answer.citations] == ["The Renn dam burst early on Monday."]


def test_a_who_question_is_answered_by_a_name_never_a_date_or_a_capitalised_word() -> None:
    answer = ask_texts("Who won the Harwood Prize?",
                       "On Thursday night Selim Ode won the Harwood Prize for his debut novel, judges said.")
    assert answer.verdict is Verdict.SUPPORTED, answer.summary
    assert [s.answer for s in answer.sides] == ["Selim Ode"]


def test_a_nationality_describing_the_answer_is_not_the_answer() -> None:
    answer = ask_texts("Who is the director of Tarn?", "Tarn is the latest film from the Australian director Mara Lind.")
    assert "Australian" not in [s.answer for s in answer.sides], answer.summary


def test_two_sources_giving_two_values_make_a_value_question_contested() -> None:
    answer = ask_texts("How many people did the storm kill in Vesna?",
                       "The storm killed 12 people in Vesna, officials said on Monday.",
                       "The storm killed 3 people in Vesna, the regional government said.")
    assert answer.verdict is Verdict.CONTESTED, answer.summary
    assert {s.answer for s in answer.sides} == {"12", "3"}


def test_a_question_whose_year_no_sentence_states_is_not_answered_from_another_year() -> None:
    answer = ask_texts("Who won the Harwood Prize in 2019?", "Selim Ode won the Harwood Prize in 2021.")
    assert answer.verdict is Verdict.NOT_FOUND


@pytest.mark.parametrize(("question", "text", "value"), [
    ("Who won the Harwood Prize?", "Selim Ode won the reading medal; the Harwood Prize went unawarded.", None),
    ("When was Tarn released?", "A soundtrack album of Tarn's music was released on 3 May 2021.", None),
    ("When was Tarn released?", "The game Tarn was released on 3 May 2021.", "3 May 2021"),
    ("When was Tarn released?", "Its maker said Tarn's first update will be released on 3 May 2021.", None),
    ("Who won the Harwood Prize?", "The Harwood Prize was won by Selim Ode.", "Selim Ode"),
    ("Who won the Harwood Prize?", "Selim Ode beat Mara Lind in the last round to win the Harwood Prize.",
     "Selim Ode"),  # the infinitive's subject is the subject of the verb it completes
    ("Who won the Harwood Prize?", "Selim Ode defeated Mara Lind and won the Harwood Prize.", "Selim Ode"),
    ("Who won the Harwood Prize?", "Selim Ode urged Mara Lind to win the Harwood Prize.", None),  # only urged
    ("Who won the Harwood Prize?", "Selim Ode hoped to win the Harwood Prize.", None),
])
def test_a_value_is_an_answer_only_when_the_act_is_the_one_asked_about(question: str, text: str,
                                                                      value: str | None) -> None:
    """The asked verb's other arguments must be the question's: an album's release date is not the game's."""
    answer = ask_texts(question, text)
    if value is None:
        assert answer.verdict is Verdict.NOT_FOUND, answer.summary
    else:
        assert [s.answer for s in answer.sides] == [value], answer.summary


@pytest.mark.parametrize(("text", "key"), [("25,91,015", "2591015"), ("1,200", "1200"), ("3.1%", "3.1"),
                                           ("two", "2"), ("Q1", "1"), ("abc", None), ("", None), ("“", None)])
def test_numbers_are_read_whatever_their_grouping(text: str, key: str | None) -> None:
    assert number_key(text) == key


@pytest.mark.parametrize("text", [
    "There were 25,91,015 confirmed cases, of which 18,08,784 recovered.",
    "“Unclosed quote and ‘another one. \"Straight ones\" too",
    "Лукашенко извинился? 卢卡申科道歉了吗？ لوكاشينكو اعتذر",
    "...!!!???",
    "A" * 5000,
    "Line one\n\n\n\nLine two\r\nLine three\t\ttabbed",
])
def test_odd_text_never_breaks_the_reader_and_quotes_stay_exact(text: str) -> None:
    art = article(text)
    for question in ("How many people recover from COVID-19?", "Did Lukashenko apologize?", "Who said it?"):
        answer = compose(question, evidence(art))
        for c in answer.citations:
            assert art.text[c.start : c.end] == c.quote


def test_a_denial_of_reports_is_the_deniers_no_and_the_reports_unconfirmed_yes() -> None:
    answer = ask_texts("Is Orlen Motors recalling 40,000 cars?",
                       "Orlen Motors on Tuesday dismissed reports that it was recalling 40,000 cars as baseless, "
                       "a spokeswoman told Reuters.")
    assert answer.verdict is Verdict.CONTESTED, answer.summary
    claim = next(s for s in answer.sides if s.stance is Stance.SUPPORTS)
    denial = next(s for s in answer.sides if s.stance is Stance.REFUTES)
    assert claim.speaker == "media reports" and "(unconfirmed)" in claim.text
    assert denial.audience == "Reuters" and "spokeswoman" in (denial.speaker or "")


def test_an_open_question_is_contested_when_its_best_answers_contradict_each_other() -> None:
    answer = ask_texts("What caused the fire at the Orvo factory?",
                       "An electrical fault caused the fire at the Orvo factory, the fire brigade said on Monday.",
                       "The fire at the Orvo factory was not caused by an electrical fault, the owners said.")
    assert answer.kind == "open" and answer.verdict is Verdict.CONTESTED, answer.summary
    assert {s.stance for s in answer.sides} == {Stance.SUPPORTS, Stance.REFUTES}


def test_an_article_is_judged_as_a_whole_its_own_voice_and_whom_it_quotes() -> None:
    """The article-level source models read every bearing statement of an article (a debunk often speaks
    through a quoted spokesman), and how the article talks reaches them as features."""
    seen: list[tuple[bool, int]] = []

    class Recording(LearnedJudge):
        def position(self, q, members, *, outlet=False):  # noqa: ANN001, ANN201
            if outlet:
                seen.append((any(v["attributed"] for _, v in members), len(members)))
            return super().position(q, members, outlet=outlet)

    text = ("The Renn dam burst early on Monday, reports said. "
            "\"The Renn dam did not burst, and the reports are false,\" a spokesman for the water authority said.")
    reader = Reader(judge=Recording())
    reader.read("Did the Renn dam burst?", evidence(article(text)))
    assert seen and seen[0][0] and seen[0][1] >= 2, seen


def test_how_a_source_talks_is_weighted_by_how_much_each_statement_bears() -> None:
    from newsbot.engine.features import TRAITS, source_features

    def values(**traits: float) -> dict[str, float]:
        return {t: 0.0 for t in TRAITS} | {"cosine": 0.5, "attributed": 0.0} | traits

    out = source_features([(0.9, 0.8, values(negation=1.0, claim_noun=1.0)), (0.1, 0.2, values())])
    assert out["negation_share"] > 0.85 and out["negation_any"] == 1.0 and out["falsity_any"] == 0.0
    assert out["bearing_max"] == 0.9 and out["polarity_max"] == 0.8 and out["own_share"] > 0.99


@pytest.mark.parametrize(("question", "text"), [
    ("Did the Harbour Board reject the offer?", "The Harbour Board rejected the offer on Monday."),
    ("Have tide gauges revealed a rise in the harbour?", "Tide gauges since 1990 reveal a steady rise in the harbour."),
])
def test_a_claim_that_is_itself_a_report_is_stated_by_its_speaker(question: str, text: str) -> None:
    """When the asked act is the reporting verb, the one who reports is the claim's subject, not someone else."""
    answer = ask_texts(question, text)
    assert answer.verdict is Verdict.SUPPORTED, answer.summary


@pytest.mark.parametrize(("text", "conflict"), [
    ("The Renn dam was built in 1898 by the river authority.", 1.0),  # another year where the claim's stands
    ("The Renn dam was built in 1921 by the river authority.", 0.0),  # the claim's own year
    ("In 1898 the town of Renn was founded, and the dam came later.", 0.0),  # a year of something else
])
def test_a_number_conflicts_only_where_the_claims_number_stands(text: str, conflict: float) -> None:
    from newsbot.engine.compose import default_reader
    from newsbot.engine.features import Pair, features
    from newsbot.engine.question import analyze
    from newsbot.engine.statements import read_statements

    reader = default_reader()
    a = article(text)
    sentence = reader.parser.sentences(a, [(0, len(a.text))])[0]
    pair = Pair(read_statements([sentence])[0], None, None, frozenset(), 0.0)
    assert features(analyze("Was the Renn dam built in 1921?", reader.parser), pair)["numbers_conflict"] == conflict


def test_a_value_read_from_another_verb_needs_a_second_source() -> None:
    """"Selim Ode collected the Harwood Prize" may answer "Who won …?" — or say something else of him (he
    collected it for someone): one such source is not enough; two that agree are, and one that uses the asked
    verb is."""
    loose = "Selim Ode collected the Harwood Prize at the ceremony on Thursday."
    assert ask_texts("Who won the Harwood Prize?", loose).verdict is Verdict.NOT_FOUND
    answer = ask_texts("Who won the Harwood Prize?", loose, "Selim Ode collected the Harwood Prize in Oslo, judges said.")
    assert [s.answer for s in answer.sides] == ["Selim Ode"], answer.summary


def test_wordnet_gives_a_words_forms_in_other_parts_of_speech() -> None:
    from newsbot.engine.wordnet import RELATIONS, wordnet

    wn = wordnet()
    assert "inhibit" in wn.forms("inhibitor") and "inhibitor" in wn.forms("inhibit")
    assert "belarus" in wn.forms("belarusian") and "belarusian" in wn.forms("belarus")  # a pertainym, both ways
    assert wn.forms("zzyzx") == frozenset() and wn.forms("Belarus") == frozenset()  # lower-case words only
    import gzip

    with gzip.open(RELATIONS, "rt", encoding="utf-8") as fh:
        raw = json.load(fh)
    assert "WordNet 3.0" in raw["source"] and "Princeton" in raw["licence"] and "build_wordnet" in raw["command"]


@pytest.mark.parametrize(("question", "text", "plain"), [
    ("Does green tea inhibit the virus?", "Green tea holds an inhibitor of the virus, the study found.", "inhibitor"),
    ("Did Belarus close the border?", "Belarusian guards closed the border on Monday.", "Belarusian"),
])
def test_a_word_in_another_part_of_speech_states_the_claims_word(question: str, text: str, plain: str) -> None:
    from newsbot.engine.compose import default_reader
    from newsbot.engine.features import Pair, features
    from newsbot.engine.question import analyze
    from newsbot.engine.statements import read_statements

    reader = default_reader()
    q = analyze(question, reader.parser)

    def recall(sentence_text: str) -> float:
        a = article(sentence_text)
        sentence = reader.parser.sentences(a, [(0, len(a.text))])[0]
        return features(q, Pair(read_statements([sentence])[0], None, None, frozenset(), 0.0))["recall"]

    assert recall(text) == 1.0
    assert recall(text.replace(plain, "big")) < 1.0  # the form is what matched
