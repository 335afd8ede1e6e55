"""Streaming: a readable draft grows as the model writes, then the verified answer comes last, whatever happens."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator

import pytest

from newsbot.llm import stream_llm
from newsbot.llm.draft import Draft, render
from newsbot.models import Answer, Verdict
from newsbot.settings import Settings
from tests.llm_servers import (
    ScriptedServer,
    answer_json,
    refusing_formats,
    status,
    streams,
)
from tests.llm_servers.checks import (
    EIS,
    EVIDENCE,
    OFFLINE_NOTES,
    QUESTION,
    ZEL,
    assert_sound,
    same_fallback,
    settings_for,
)

SIDES = [("supports", "Zelensky", ZEL), ("refutes", "Eismont", EIS)]


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    s = ScriptedServer()
    yield s
    s.close()


async def collect(settings: Settings, question: str = QUESTION, *, pause: float = 0.0) -> list[str | Answer]:
    items: list[str | Answer] = []
    async for item in stream_llm(question, EVIDENCE, settings):
        items.append(item)
        if pause:
            await asyncio.sleep(pause)  # a slow consumer, like a bot editing a Discord message
    return items


def split(items: list[str | Answer]) -> tuple[str, Answer]:
    assert isinstance(items[-1], Answer) and all(isinstance(i, str) for i in items[:-1])
    return "".join(items[:-1]), items[-1]  # type: ignore[arg-type]


async def test_the_draft_is_readable_text_and_the_verified_answer_comes_last(server: ScriptedServer) -> None:
    server.reply = streams(lambda body: answer_json(body, SIDES), size=15)
    draft, final = split(await collect(settings_for(server.url)))
    assert draft == "• Zelensky (supports): Zelensky says so\n• Eismont (refutes): Eismont says so"
    assert final.mode == "llm" and final.verdict is Verdict.CONTESTED
    assert all(n.startswith(OFFLINE_NOTES) for n in final.notes)  # no failure note
    assert server.requests[0]["stream"] is True
    assert_sound(final)


async def test_the_verified_answer_repairs_what_was_streamed(server: ScriptedServer) -> None:
    server.reply = streams(lambda body: answer_json(body, [("supports", "Zelensky", ZEL), ("refutes", "Sergei Lavrov", EIS, 1)]))
    draft, final = split(await collect(settings_for(server.url)))
    assert "• Sergei Lavrov (refutes)" in draft  # the draft shows what the model wrote, unverified
    assert final.verdict is Verdict.CONTESTED and final.sides[1].speaker == "Meduza"
    assert any("not 1; citation corrected" in r for r in final.repairs)
    assert any("'Sergei Lavrov', to whom" in r and "is not named in the article" in r for r in final.repairs)


@pytest.mark.parametrize(
    ("plan", "note"),
    [({"drop_after": 3}, "dropped the connection"), ({"stall_after": 3}, "timed out")],
    ids=["connection-dropped", "stalled"],
)
async def test_a_stream_that_breaks_off_ends_in_the_extractive_answer(server: ScriptedServer, plan: dict,
                                                                      note: str) -> None:
    server.reply = streams(lambda body: answer_json(body, SIDES), size=20, **plan)
    started = time.monotonic()
    items = await collect(settings_for(server.url, timeout=0.5))
    _, final = split(items)
    assert time.monotonic() - started < 5
    assert note in final.notes[0]
    same_fallback(final)
    assert_sound(final)


async def test_a_stream_that_trickles_forever_is_cut_off_by_the_overall_deadline(server: ScriptedServer) -> None:
    server.reply = streams(lambda body: " " * 200 + answer_json(body, SIDES), size=1, pause=0.05)
    started = time.monotonic()
    _, final = split(await collect(settings_for(server.url, timeout=0.3)))
    assert 1.0 <= time.monotonic() - started < 4  # 4 x llm_timeout, though no single read waited that long
    assert final.mode == "extractive" and "timed out" in final.notes[0]


async def test_a_slow_consumer_is_never_cancelled_by_the_streams_deadline(server: ScriptedServer) -> None:
    server.reply = streams(lambda body: answer_json(body, SIDES), size=30)
    items = await collect(settings_for(server.url, timeout=0.25), pause=0.2)
    assert isinstance(items[-1], Answer) and len(items) > 2


async def test_a_consumer_that_stops_early_hangs_up_so_the_model_stops_generating(server: ScriptedServer) -> None:
    server.reply = streams(lambda body: answer_json(body, SIDES), size=5, pause=0.02)
    items = stream_llm(QUESTION, EVIDENCE, settings_for(server.url))
    assert isinstance(await anext(items), str)
    await items.aclose()
    for _ in range(100):
        if server.abandoned:
            break
        await asyncio.sleep(0.02)
    assert server.abandoned == 1


@pytest.mark.parametrize(
    ("reply", "note"),
    [(status(500), "HTTP 500"), (streams(lambda body: '{"verdict": contested'), "not valid JSON"),
     (streams(lambda body: ""), "empty reply")],
    ids=["500", "invalid-json", "empty"],
)
async def test_a_failed_stream_yields_the_extractive_answer_with_a_note(server: ScriptedServer, reply,
                                                                        note: str) -> None:
    server.reply = reply
    _, final = split(await collect(settings_for(server.url)))
    assert final.mode == "extractive" and note in final.notes[0]


async def test_a_model_writing_prose_is_shown_as_written_then_replaced(server: ScriptedServer) -> None:
    server.reply = streams(lambda body: "Lukashenko apologized, says Zelensky.", size=7)
    draft, final = split(await collect(settings_for(server.url)))
    assert draft == "Lukashenko apologized, says Zelensky."
    assert final.mode == "extractive" and "not valid JSON" in final.notes[0]


async def test_streaming_negotiates_the_structured_output_form_too(server: ScriptedServer) -> None:
    server.reply = refusing_formats("json_object", then=streams(lambda body: answer_json(body, SIDES)))
    _, final = split(await collect(settings_for(server.url)))
    assert [r["response_format"]["type"] for r in server.requests] == ["json_object", "json_schema"]
    assert final.mode == "llm"


async def test_nothing_relevant_yields_only_the_abstention(server: ScriptedServer) -> None:
    items = await collect(settings_for(server.url), "Who won the 2019 Tour de France?")
    assert len(items) == 1 and isinstance(items[0], Answer) and items[0].verdict is Verdict.NOT_FOUND
    assert server.requests == []


def test_the_draft_only_ever_grows_whatever_the_pieces() -> None:
    text = json.dumps({"verdict": "contested", "sides": [
        {"stance": "supports", "speaker": "Zelensky", "statement": 'He said "sorry" \\ twice — “ok”\nthen',
         "evidence": [{"passage": 1, "quote": "x"}]},
        {"speaker": "Eismont", "stance": "refutes", "statement": "No apology \u00e9.", "evidence": []}]})
    expected = render(text)
    assert expected == ('• Zelensky (supports): He said "sorry" \\ twice — “ok”\nthen\n'
                        "• Eismont (refutes): No apology é.")
    for size in (1, 2, 3, 7, 50):
        draft, shown = Draft(), ""
        for i in range(0, len(text), size):
            added = draft.feed(text[i : i + size])
            shown += added
            assert expected.startswith(shown)
        assert shown == expected


def test_a_draft_of_a_fenced_reply_shows_no_json() -> None:
    assert render('```json\n{"verdict": "contested", "sides": [{"stance": "refutes", "speaker": "Eis') == ""
    assert render('```json\n{"sides": [{"stance": "refutes", "speaker": "Eismont", "statement": "No') == \
        "• Eismont (refutes): No"
