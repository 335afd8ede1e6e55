"""An ideal model's answers come through unchanged: its verdict, sides, speakers, statements and quotes.

The ideal model (:mod:`tests.llm_servers.ideal`) is a real OpenAI-compatible
server on 127.0.0.1 that reads the passages it is sent and answers with exact
whole-sentence quotes — among them questions the offline reader has missed
("What did Zelensky claim about Lukashenko?"). Whatever the offline reader
reads now may only add notes, and sides marked "also found". Questions the
seed does not answer stay ``not_found``, asked of the model or not. Asked three
ways: of fixed-size passages, of the real chunker's overlapping passages, and
through the whole service (real Chroma, real embeddings, the relevance floor
on real similarities).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsbot.llm import compose_llm, stream_llm
from newsbot.models import Answer, Evidence, Verdict
from newsbot.service import NewsService
from retrieval.chunking import chunk_article
from tests.llm_servers import ScriptedServer
from tests.llm_servers.checks import OFFLINE_NOTES, SEED, assert_sound, model_sides, settings_for
from tests.llm_servers.ideal import OFF_SEED, SEED_READINGS, answer_for, ideal_model, ideal_stream, passage_texts
from tests.llm_servers.scripted import chat_reply

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = list(SEED_READINGS)


def fixed() -> list[Evidence]:
    from tests.engine_helpers import evidence

    return evidence(SEED)  # 600-character windows: some sentences are cut between two passages


def chunked() -> list[Evidence]:
    return [Evidence(chunk=c, article=SEED) for c in chunk_article(SEED, size=600, overlap=120)]


EVIDENCE_KINDS = {"fixed": fixed, "chunked": chunked}


@pytest.fixture(scope="module")
def server() -> Iterator[ScriptedServer]:
    s = ScriptedServer()
    s.reply = ideal_model(SEED_READINGS)
    yield s
    s.close()


def assert_unchanged(answer: Answer, question: str, body: dict) -> None:
    """``answer`` is what the ideal model replied to ``body``, side for side, quote for quote."""
    replied = answer_for(SEED_READINGS[question], passage_texts(body))
    assert answer.mode == "llm" and answer.repairs == [], answer.repairs
    assert answer.verdict.value == replied["verdict"]
    mine = model_sides(answer)
    assert [(s.stance.value, s.speaker, s.text, s.answer, s.audience, s.when) for s in mine] == [
        (r["stance"], r["speaker"], f"{r['speaker']}: {r['statement']}", r.get("answer"), r.get("audience"),
         r.get("when")) for r in replied["sides"]]
    assert [[answer.citations[n - 1].quote for n in s.citations] for s in mine] == [
        [e["quote"] for e in r["evidence"]] for r in replied["sides"]]
    assert all(note.startswith(OFFLINE_NOTES) for note in answer.notes), answer.notes
    assert_sound(answer)


@pytest.mark.parametrize("kind", list(EVIDENCE_KINDS))
@pytest.mark.parametrize("question", QUESTIONS)
def test_an_ideal_models_answer_comes_through_unchanged(server: ScriptedServer, question: str, kind: str) -> None:
    answer = compose_llm(question, EVIDENCE_KINDS[kind](), settings_for(server.url))
    assert_unchanged(answer, question, server.requests[-1])
    assert answer.verdict is not Verdict.NOT_FOUND  # the seed answers every one of these


@pytest.mark.parametrize("kind", list(EVIDENCE_KINDS))
@pytest.mark.parametrize("question", OFF_SEED)
def test_a_question_the_seed_does_not_answer_stays_not_found(server: ScriptedServer, question: str,
                                                             kind: str) -> None:
    asked = len(server.requests)
    answer = compose_llm(question, EVIDENCE_KINDS[kind](), settings_for(server.url))
    assert (answer.verdict, answer.citations, answer.sides, answer.mode) == (Verdict.NOT_FOUND, [], [], "llm")
    if len(server.requests) > asked:  # it reached the model, which found nothing to answer with
        assert not any(n.startswith("No passage reached") for n in answer.notes)


def test_an_on_topic_question_without_an_answer_reaches_the_model_which_declines(server: ScriptedServer) -> None:
    asked = len(server.requests)
    answer = compose_llm("What is the capital of Belarus?", fixed(), settings_for(server.url))
    assert len(server.requests) == asked + 1 and answer.verdict is Verdict.NOT_FOUND and answer.citations == []


def test_the_ideal_model_quotes_whole_sentences_where_a_passage_holds_them(server: ScriptedServer) -> None:
    answer = compose_llm("Did Lukashenko apologize?", chunked(), settings_for(server.url))
    whole = {s for r in SEED_READINGS["Did Lukashenko apologize?"].sides for s in r.sentences}
    assert {c.quote for c in answer.citations} == whole


@pytest.mark.parametrize("question", QUESTIONS[:3])
async def test_a_streamed_ideal_answer_is_the_same_answer(question: str) -> None:
    s = ScriptedServer()
    try:
        s.reply = ideal_stream(SEED_READINGS)
        items = [item async for item in stream_llm(question, chunked(), settings_for(s.url))]
        final = items[-1]
        assert isinstance(final, Answer) and all(isinstance(i, str) for i in items[:-1]) and len(items) > 1
        assert_unchanged(final, question, s.requests[-1])
    finally:
        s.close()


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, server: ScriptedServer) -> Iterator[NewsService]:
    root = tmp_path_factory.mktemp("ideal")
    corpus = root / "corpus"
    corpus.mkdir()
    shutil.copy(ROOT / "seeds" / "meduza-lukashenko-apology.md", corpus)
    svc = NewsService(settings_for(server.url, data_dir=root / "data", corpus_dir=corpus))
    svc.ensure_corpus()
    yield svc
    svc.close()


@pytest.mark.parametrize("question", QUESTIONS)
def test_through_the_service_an_ideal_models_answer_comes_through_unchanged(service: NewsService,
                                                                           server: ScriptedServer,
                                                                           question: str) -> None:
    answer = service.ask(question, mode="llm")
    assert_unchanged(answer, question, server.requests[-1])
    assert all(ev.dense_similarity is not None for ev in service.retrieve(question))  # the floor saw similarities


@pytest.mark.parametrize("question", OFF_SEED)
def test_through_the_service_a_question_the_seed_does_not_answer_stays_not_found(service: NewsService,
                                                                                question: str) -> None:
    answer = service.ask(question, mode="llm")
    assert (answer.verdict, answer.citations, answer.sides) == (Verdict.NOT_FOUND, [], [])


def test_the_ideal_model_answers_not_found_to_what_it_is_not_sent() -> None:
    body = {"messages": [{"role": "user", "content": "<passages>\n[1] (x)\nNothing here.\n</passages>\n\n"
                                                    "Question: Did Lukashenko apologize?"}]}
    assert ideal_model(SEED_READINGS)(body) == (200, chat_reply('{"verdict": "not_found", "sides": []}'))
