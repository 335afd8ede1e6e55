"""The linguistic base: paragraphs parsed once and cached with exact offsets, statements read off the parse,
questions read for what they ask."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsbot.engine.parse import ParseCache, Parser, default_parser, paragraphs, sentence_spans
from newsbot.engine.question import analyze, clean
from newsbot.engine.statements import quote_mask, read_statements
from newsbot.models import Article

TEXT = ("Update: The company's chief executive, Dana Wells, told Reuters on Monday that the plant would not close.\n"
        "“We are not leaving this town. We never planned to,” she said.\n\n"
        "According to two people familiar with the matter, the board discussed a sale.\n"
        "The mayor denied reports that the city had offered a subsidy.")
ART = Article(id="a", title="Plant stays open", text=TEXT, publisher="Wire", published="2024-05-01")


def _statements(article: Article = ART) -> list:
    parser = default_parser()
    return read_statements(parser.sentences(article, [(0, len(article.text))]))


def test_sentences_are_exact_slices_of_the_article_and_never_cross_a_line_break() -> None:
    sents = default_parser().sentences(ART, [(0, len(TEXT))])
    assert sents and all(TEXT[s.start : s.end] == s.text == s.text.strip() for s in sents)
    assert all("\n" not in s.text for s in sents)
    assert [s.start for s in sents] == sorted(s.start for s in sents)
    assert sentence_spans(TEXT) == [(s.start, s.end) for s in sents]


def test_paragraphs_split_at_line_breaks_and_cut_a_very_long_one() -> None:
    long = "Word " * 2000 + "end."
    parts = paragraphs("First line.\n\n  Second line. \n" + long)
    assert [p.number for p in parts[:2]] == [0, 1]
    assert all(p.end - p.start <= 4000 for p in parts)


def test_a_parse_is_read_back_from_the_disk_cache_by_a_new_parser(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    path = tmp_path / "parses.sqlite3"
    first = Parser(ParseCache(path))
    want = [[(t.text, t.lemma_, t.dep_, t.head.i, t.ent_type_) for t in d] for d in first.docs(["Dana Wells told "
                                                                                                  "Reuters on Monday."])]
    first.close()
    second = Parser(ParseCache(path))
    monkeypatch.setattr(second.nlp, "pipe", lambda *a, **k: (_ for _ in ()).throw(AssertionError("parsed again")))
    got = [[(t.text, t.lemma_, t.dep_, t.head.i, t.ent_type_) for t in d] for d in second.docs(["Dana Wells told "
                                                                                                  "Reuters on Monday."])]
    assert got == want
    second.close()


def test_a_broken_cache_file_is_reported_and_parsing_goes_on(tmp_path: Path, caplog) -> None:  # noqa: ANN001
    path = tmp_path / "parses.sqlite3"
    path.write_bytes(b"this is not a database")
    parser = Parser(ParseCache(path))
    assert parser.docs(["It still works."])[0].text == "It still works."


def test_speaker_role_audience_and_time_come_from_the_reporting_verb() -> None:
    first = _statements()[0]
    assert first.speaker is not None and first.speaker.name == "Dana Wells"
    assert first.speaker.role == "The company's chief executive"
    assert first.audience == "Reuters" and first.when == "on Monday"
    assert "would not close" in first.sentence.span.doc[first.content[0]:first.content[1]].text


def test_a_quote_takes_the_speaker_its_attribution_names_and_she_is_the_last_named_speaker() -> None:
    sts = _statements()
    quote = next(s for s in sts if s.sentence.text.startswith("“We are not leaving"))
    assert quote.quoted and quote.speaker is not None and quote.speaker.key == "wells"


def test_according_to_and_described_sources_speak_as_written() -> None:
    st = next(s for s in _statements() if s.sentence.text.startswith("According to"))
    assert st.speaker is not None and st.speaker.described and "two people familiar" in st.speaker.name


def test_a_denial_of_reports_is_a_denial_that_names_who_made_the_claim() -> None:
    st = next(s for s in _statements() if "denied" in s.sentence.text)
    assert st.denies and st.speaker is not None and st.speaker.name == "The mayor"
    assert st.claimant is not None and st.claimant.name == "media reports"


def test_quote_mask_covers_curly_and_straight_quotes_and_an_unclosed_one() -> None:
    text = 'He said “yes” and "no" then “open'
    mask = quote_mask(text)
    assert mask[text.index("yes")] and mask[text.index("no")] and mask[text.index("open")]
    assert not mask[text.index("He")] and not mask[text.index("then")]


@pytest.mark.parametrize(("question", "kind", "types"), [
    ("Did Lukashenko apologize?", "yesno", set()),
    ("Is it true that the dam burst?", "yesno", set()),
    ("Who launched the missiles?", "value", {"PERSON"}),
    ("When did Russia invade Ukraine?", "value", {"DATE"}),
    ("How many people died?", "value", {"CARDINAL"}),
    ("What was Tesla's revenue in Q1 2021?", "value", {"MONEY"}),
    ("What did Zelensky claim about Lukashenko?", "open", set()),
])
def test_what_a_question_asks(question: str, kind: str, types: set[str]) -> None:
    q = analyze(question, default_parser())
    assert q.kind == kind
    assert types <= set(q.answer_types)


def test_a_denial_claim_is_negated_and_a_source_question_names_its_source() -> None:
    parser = default_parser()
    assert analyze("Is it true that the minister did not resign?", parser).negated
    assert analyze("Is it true that the photo of the crab is fake?", parser).negated
    assert not analyze("Did the minister resign?", parser).negated
    q = analyze("Did Eismont deny that Lukashenko apologized?", parser)
    assert q.asked_of == "Eismont" and q.asked_denial and q.negated
    assert {t.lemma for t in q.terms} >= {"lukashenko", "apologize"}
    assert analyze("Did Lukashenko apologize?", parser).affirmative == "Lukashenko did apologize"


@pytest.mark.parametrize(("question", "source", "claim"), [
    ("Did Zelensky say Lukashenko apologized?", "Zelensky", "Lukashenko apologized"),
    ("Does the Harbour Board believe the dam is safe?", "the Harbour Board", "the dam is safe"),
    ("Do observations show that the glacier is shrinking?", None, "that the glacier is shrinking"),
    ("Did the review find that the work was done with integrity?", None, "that the work was done with integrity"),
    ("Is it claimed that the dam is unsafe?", None, "that the dam is unsafe"),
    ("Is the glacier predicted to vanish by 2030?", None, "the glacier is predicted to vanish by 2030"),
])
def test_a_source_question_asks_of_a_named_source_and_evidence_in_general_asks_the_claim(
        question: str, source: str | None, claim: str) -> None:
    """Only a name is a source whose own words answer; "observations show …" and "it is claimed …" ask
    whether the clause holds, and a passive reporting verb has no speaker at all."""
    q = analyze(question, default_parser())
    assert (q.asked_of, q.claim) == (source, claim)


@pytest.mark.parametrize(("message", "question"), [
    ("hey, did Lukashenko apologize?", "did Lukashenko apologize?"),
    ("Anna Did Lukashenko apologize?", "Did Lukashenko apologize?"),
    ("quick question: did he go?", "did he go?"),
])
def test_chat_openers_are_not_part_of_the_question(message: str, question: str) -> None:
    assert clean(message) == question


def test_british_and_american_spellings_meet_and_quotes_keep_the_article_spelling() -> None:
    """The model's own spelling table makes "apologise" and "apologized" one lemma (and tags the British form
    a verb in a question); the sentence stays the article's exact text."""
    text = "The harbour master apologised to the organisation on Monday, officials said."
    art = Article(id="b", title="", text=text, publisher="Wire", published="2024-05-01")
    sent = default_parser().sentences(art, [(0, len(text))])[0]
    assert sent.text == text == art.text[sent.start : sent.end]
    assert {"apologize", "organization"} <= {t.lemma_ for t in sent.span}
    q = analyze("Did the harbour master apologise?", default_parser())
    assert [(t.lemma, t.role) for t in q.terms if t.role == "predicate"] == [("apologize", "predicate")]


def test_an_inverted_question_is_read_as_the_statement_it_asks_about() -> None:
    """The parse of "Was the Renn dam built …?" finds no predicate; its statement form does."""
    q = analyze("Was the Renn dam built in 1921?", default_parser())
    assert (q.affirmative, q.negative) == ("the Renn dam was built in 1921", "the Renn dam was not built in 1921")
    assert [t.lemma for t in q.terms if t.role == "predicate"] == ["build"]
