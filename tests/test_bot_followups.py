"""Follow-up threads and conversations: Follow up always answers, follow-ups are asked as questions that
stand alone, and people are answered in their own thread without waiting out the cooldown."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from bot.client import NewsBot
from bot.limits import FOLLOW_UP_BURST, RateLimits
from tests.bot_harness import SEED_QUESTION, assert_no_pings, bot_on_own_emulator
from tests.discord_emulator import DiscordEmulator, Sent
from tests.discord_emulator import payloads as P

pytestmark = pytest.mark.asyncio(loop_scope="module")
REFINERY = "What did Lukashenko warn about the Mozyr Oil Refinery?"


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def live(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[tuple[NewsBot, DiscordEmulator]]:
    async with bot_on_own_emulator(tmp_path_factory.mktemp("bot"), forum=True) as live:
        yield live


@pytest.fixture(autouse=True)
def no_cooldown(live) -> None:
    live[0].limits = RateLimits(0)


async def ask(emu: DiscordEmulator, question: str, user: str = "alice") -> Sent:
    return await emu.final(await emu.slash("ask", {"question": question}, user=user))


async def open_thread(emu: DiscordEmulator, answer: Sent, user: str = "alice") -> str:
    """Click Follow up on ``answer``; the new thread's id."""
    follow = next(i for i in answer.custom_ids() if i.startswith("nb:follow:"))
    opened = await emu.final(await emu.click(answer, follow, user=user))
    assert opened.ephemeral and "Thread opened" in opened.content
    return emu.message_threads[answer.message["id"]]


async def in_thread(emu: DiscordEmulator, thread_id: str, text: str, user: str = "alice") -> Sent:
    """Post ``text`` in a thread; the bot's next message there."""
    before = len(emu.sent)
    await emu.send_message(thread_id, text, author=user)
    return await emu.wait_for(lambda: next((s for s in emu.sent[before:] if s.channel_id == thread_id), None))


def verdict(sent: Sent) -> str:
    return sent.embeds[0]["title"].split(":")[0]


def cited(sent: Sent) -> list[str]:
    return [f["value"] for f in sent.embeds[0]["fields"] if f["name"] == "Sources"]


# --- item 1: Follow up never leaves a spinner --------------------------------
async def test_a_second_click_links_to_the_thread_already_opened(live) -> None:
    _, emu = live
    answer = await ask(emu, SEED_QUESTION)
    thread_id = await open_thread(emu, answer)
    follow = next(i for i in answer.custom_ids() if i.startswith("nb:follow:"))
    refused = len(emu.refusals)
    again = await emu.click(answer, follow, user="bob")
    assert await emu.acknowledged(again)
    linked = await emu.final(again)
    assert linked.ephemeral and f"<#{thread_id}>" in linked.content and "already" in linked.content
    assert list(emu.message_threads.values()).count(thread_id) == 1
    assert len(emu.refusals) == refused  # the bot knew the thread: it did not try to make a second one


async def test_a_double_click_opens_one_thread_and_answers_both_clicks(live) -> None:
    _, emu = live
    answer = await ask(emu, SEED_QUESTION)
    follow = next(i for i in answer.custom_ids() if i.startswith("nb:follow:"))
    first, second = await emu.click(answer, follow), await emu.click(answer, follow, user="bob")
    replies = [await emu.final(first), await emu.final(second)]
    thread_id = emu.message_threads[answer.message["id"]]
    assert all(r.ephemeral and f"<#{thread_id}>" in r.content for r in replies)
    assert sum("Thread opened" in r.content for r in replies) == 1


async def test_a_thread_someone_made_by_hand_is_linked_and_followed(live) -> None:
    _, emu = live
    answer = await ask(emu, SEED_QUESTION)
    mid = (await emu.start_thread(answer, "by hand", user="bob"))["id"]  # through Discord's menu, not the button
    linked = await emu.final(await emu.click(answer, next(i for i in answer.custom_ids() if "follow" in i)))
    assert linked.ephemeral and f"<#{mid}>" in linked.content
    reply = await in_thread(emu, mid, "What did he warn about the Mozyr refinery?")
    assert "tenfold" in json.dumps(reply.embeds)


async def test_answers_in_threads_and_forum_posts_offer_no_follow_up(live) -> None:
    _, emu = live
    thread_id = await open_thread(emu, await ask(emu, SEED_QUESTION))
    in_a_thread = await in_thread(emu, thread_id, "Did Eismont speak to RBC?")
    post = await emu.create_forum_post("Apology?", SEED_QUESTION)
    in_a_post = await emu.wait_for(lambda: next((s for s in emu.sent if s.channel_id == post["id"] and s.embeds), None))
    slash_in_thread = await emu.final(await emu.slash("ask", {"question": SEED_QUESTION}, channel_id=thread_id))
    for answer in (in_a_thread, in_a_post, slash_in_thread):
        ids = answer.custom_ids()
        assert any(i.startswith("nb:vote:") for i in ids) and not any(i.startswith("nb:follow:") for i in ids)


async def test_an_old_follow_up_button_inside_a_thread_says_where_to_ask(live) -> None:
    bot, emu = live
    thread_id = await open_thread(emu, await ask(emu, SEED_QUESTION))
    answer_id = bot.store.save_answer(bot.service.ask(SEED_QUESTION), None)
    button = {"type": 2, "style": 1, "label": "Follow up", "custom_id": f"nb:follow:{answer_id}"}
    old = P.message(P.snowflake(), thread_id, emu.bot, {"components": [{"type": 1, "components": [button]}]},
                    emu.guild_id)
    refused = len(emu.refusals)
    clicked = await emu.click(old, f"nb:follow:{answer_id}")
    assert await emu.acknowledged(clicked)
    told = await emu.final(clicked)
    assert told.ephemeral and "already in a thread" in told.content
    assert old["id"] not in emu.message_threads and len(emu.refusals) == refused  # known without trying


async def test_a_failing_button_answers_with_an_apology_and_an_error_id(live, monkeypatch, caplog) -> None:
    bot, emu = live
    answer = await ask(emu, SEED_QUESTION)

    def broken(answer_id: str) -> int | None:  # noqa: ARG001 - a failure that cannot happen on demand
        raise RuntimeError("sqlite exploded")

    monkeypatch.setattr(bot.store, "thread_of_answer", broken)
    clicked = await emu.click(answer, next(i for i in answer.custom_ids() if "follow" in i))
    assert await emu.acknowledged(clicked)
    sorry = await emu.final(clicked)
    assert sorry.ephemeral and "error id" in sorry.content and "Traceback" not in sorry.content
    assert any(sorry.content.split("`")[1] in r.getMessage() for r in caplog.records)


# --- item 2: conversations ----------------------------------------------------
async def test_a_question_right_after_the_thread_opens_is_answered_despite_the_cooldown(live) -> None:
    bot, emu = live
    bot.limits = RateLimits(60)
    thread_id = await open_thread(emu, await ask(emu, SEED_QUESTION))  # the /ask started alice's cooldown
    intro = next(s for s in emu.sent if s.channel_id == thread_id)
    assert "Ask follow-up questions here" in intro.content
    assert_no_pings(intro)
    answers = [await in_thread(emu, thread_id, q) for q in ("Who launched the missiles?",
                                                            "Where were they launched from?",
                                                            "What did Eismont tell RBC?")]
    assert all(a.embeds and verdict(a) in ("✅ Supported", "✅ Answered") for a in answers)
    assert FOLLOW_UP_BURST == 4  # the /ask and three follow-ups fill the window: a flood is still held back
    flood = await in_thread(emu, thread_id, "Did Lukashenko apologize to Zelensky?")
    assert not flood.embeds and re.fullmatch(r"Please wait [1-9]\d* s before asking again\.", flood.content)
    others = await in_thread(emu, thread_id, "Who launched the missiles?", user="bob")  # not bob's thread
    assert others.embeds  # bob had not asked yet
    again = await in_thread(emu, thread_id, "Who launched the missiles?", user="bob")
    assert "Please wait" in again.content


async def test_chit_chat_in_a_thread_is_left_alone(live) -> None:
    _, emu = live
    thread_id = await open_thread(emu, await ask(emu, SEED_QUESTION))
    before = len(emu.sent)
    for chat in ("thanks, that's really helpful!", "ok", "great, thanks 👍"):
        await emu.send_message(thread_id, chat)
    answer = await in_thread(emu, thread_id, "Who launched the missiles?")
    assert answer.embeds and "Who launched the missiles?" in answer.embeds[0]["title"]
    assert [s for s in emu.sent[before:] if s.channel_id == thread_id] == [answer]


async def test_a_follow_up_is_answered_at_least_as_well_as_the_same_question_asked_fresh(live) -> None:
    _, emu = live
    thread_id = await open_thread(emu, await ask(emu, SEED_QUESTION))
    for question in ("What did Eismont tell RBC?", "Who launched the missiles?", "Did Zelensky confront him?"):
        followed, fresh = await in_thread(emu, thread_id, question), await ask(emu, question)
        assert verdict(followed) != "🔍 Not found" or verdict(fresh) == "🔍 Not found"
        if "him" not in question:  # nothing to resolve: exactly the fresh answer
            assert verdict(followed) == verdict(fresh) and cited(followed) == cited(fresh)
        assert followed.embeds[0]["title"].endswith(question)  # the user's own words, nothing piled on


async def test_he_it_and_they_take_the_earlier_subject_and_the_title_keeps_the_users_words(live) -> None:
    _, emu = live
    thread_id = await open_thread(emu, await ask(emu, REFINERY))
    located = await in_thread(emu, thread_id, "Where is it located?")
    fresh_raw = await ask(emu, "Where is it located?")
    fresh_resolved = await ask(emu, "Where is the Mozyr Oil Refinery located?")
    assert verdict(fresh_raw) == "🔍 Not found"  # alone, "it" is nothing
    assert verdict(located) == verdict(fresh_resolved) == "✅ Answered" and "Gomel" in json.dumps(located.embeds)
    assert located.embeds[0]["title"] == "✅ Answered: Where is it located?"
    assert "read as “Where is the Mozyr Oil Refinery located?”" in located.embeds[0]["footer"]["text"]
    warned = await in_thread(emu, thread_id, "What did he warn about the Mozyr refinery?")
    assert "tenfold" in json.dumps(warned.embeds) and "Lukashenko" in warned.embeds[0]["footer"]["text"]


async def test_a_reply_to_an_answer_is_a_follow_up_of_that_answer(live) -> None:
    _, emu = live
    answer = await ask(emu, REFINERY)
    before = len(emu.sent)
    await emu.send_message(emu.general["id"], "thanks!", reply_to=answer, reply_ping=False)
    await emu.send_message(emu.general["id"], "Where is it located?", reply_to=answer, reply_ping=False)
    reply = await emu.wait_for(lambda: next((s for s in emu.sent[before:] if s.embeds), None))
    assert reply.channel_id == emu.general["id"] and "Gomel" in json.dumps(reply.embeds)
    assert reply.message["message_reference"]["message_id"] is not None
    assert [s for s in emu.sent[before:] if s.channel_id == emu.general["id"] and s.kind == "channel"] == [reply]
    assert any(i.startswith("nb:follow:") for i in reply.custom_ids())  # in a channel, a thread can follow
    assert_no_pings(reply)


async def test_a_forum_post_becomes_a_conversation(live) -> None:
    _, emu = live
    post = await emu.create_forum_post("Refinery", REFINERY)
    await emu.wait_for(lambda: next((s for s in emu.sent if s.channel_id == post["id"] and s.embeds), None))
    before = len(emu.sent)
    await emu.send_message(post["id"], "thanks, that's really helpful!")
    located = await in_thread(emu, post["id"], "Where is it located?")
    assert "Gomel" in json.dumps(located.embeds)
    assert [s for s in emu.sent[before:] if s.channel_id == post["id"]] == [located]
