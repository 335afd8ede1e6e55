"""What a Discord user and a server admin notice: who sees which command, private replies, readable /status,
mentions read as names, the bot addressed through its role, waits that never say "0 s"."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from bot.client import NewsBot
from bot.limits import RateLimits, wait_text
from bot.questions import question_text
from newsbot.settings import Settings
from tests.bot_harness import SEED_QUESTION, assert_no_pings, bot_on_own_emulator, bot_settings, running_bot
from tests.discord_emulator import DiscordEmulator

pytestmark = pytest.mark.asyncio(loop_scope="module")
INTEGRATIONS = "Server Settings → Integrations → newsbot → Manage"


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def live(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[tuple[NewsBot, DiscordEmulator]]:
    """A bot with no moderator role configured."""
    async with running_bot(bot_settings(tmp_path_factory.mktemp("bot"))) as (bot, emu):
        yield bot, emu


# --- item 3: moderator commands a moderator can see ----------------------------
async def test_without_a_moderator_role_only_manage_server_sees_the_moderator_commands(live) -> None:
    _, emu = live
    for name in ("reload", "add"):
        assert int(emu.commands[name]["default_member_permissions"]) == 1 << 5
        assert emu.commands[name]["contexts"] == [0]  # servers only
    for name in ("ask", "sources", "status"):
        assert emu.commands[name].get("default_member_permissions") is None


async def test_with_a_moderator_role_its_members_see_and_run_them_and_the_log_says_how_to_hide_them(
        tmp_path: Path, caplog) -> None:
    caplog.set_level(logging.INFO, logger="newsbot.bot")
    async with bot_on_own_emulator(tmp_path, moderators=True) as (_, emu):
        for name in ("reload", "add"):
            assert emu.commands[name].get("default_member_permissions") is None and emu.commands[name]["contexts"] == [0]
        done = await emu.final(await emu.slash("reload", user="mod"), timeout=60)  # no Manage Server
        assert done.ephemeral and done.embeds[0]["title"] == "Reload finished"
        refused = await emu.final(await emu.slash("reload", user="bob"))  # seen, but checked on the server
        assert refused.ephemeral and "only moderators" in refused.content
    note = next(r.getMessage() for r in caplog.records if "/reload and /add are shown" in r.getMessage())
    assert str(emu.moderator_role) in note and INTEGRATIONS in note and "@everyone to ✗" in note


# --- item 6: the smaller things ---------------------------------------------------
async def test_a_wait_is_rounded_up_never_zero() -> None:
    assert wait_text(0.2) == "Please wait 1 s before asking again."
    assert wait_text(9.01) == "Please wait 10 s before asking again."
    limits = RateLimits(60)
    assert limits.retry_after(1) == 0 and 59 < limits.retry_after(1) <= 60  # one question per minute …
    assert all(limits.retry_after(2, follow_up=True) == 0 for _ in range(4))  # … four in one's own thread
    assert limits.retry_after(2, follow_up=True) > 0 and limits.retry_after(2) > 0


async def test_status_and_sources_answer_only_the_asker_unless_asked_to_share(live) -> None:
    _, emu = live
    for name in ("status", "sources"):
        private = await emu.final(await emu.slash(name))
        shared = await emu.final(await emu.slash(name, {"public": True}))
        assert private.ephemeral and not shared.ephemeral and private.embeds and shared.embeds


async def test_status_shows_the_reload_time_in_each_readers_zone_and_who_by_name(live) -> None:
    bot, emu = live
    extra = bot.settings.corpus_dir / "harbour.md"
    extra.write_text("---\ntitle: Harbour\n---\nThe harbour reopened on Monday.")
    try:
        await emu.final(await emu.slash("reload", user="admin"), timeout=60)
    finally:
        extra.unlink()
    status = await emu.final(await emu.slash("status", {"public": True}))
    fields = {f["name"]: f["value"] for f in status.embeds[0]["fields"]}
    admin = emu.users["admin"]["id"]
    assert re.fullmatch(rf"<t:\d{{10}}:R> \(<t:\d{{10}}:f>\) by <@{admin}>", fields["Last reload"]), fields
    assert_no_pings(status)  # the mention shows the name and pings nobody


async def test_mentions_in_a_question_read_as_the_names_they_show(live) -> None:
    _, emu = live
    alice, bob = emu.users["alice"]["id"], emu.users["bob"]["id"]
    asked = await emu.final(await emu.slash(
        "ask", {"question": f"<@{emu.app_id}> did <@{alice}> and <@{bob}> hear that Lukashenko apologized?"}))
    assert asked.embeds[0]["title"].endswith(": did alice and bob hear that Lukashenko apologized?")
    before = len(emu.sent)
    await emu.send_message(emu.general["id"], f"<@{emu.app_id}> did <@{alice}> and <@{bob}> hear that Lukashenko "
                           "apologized?", author="bob", mentions=["newsbot", "alice", "bob"])
    said = await emu.wait_for(lambda: next((s for s in emu.sent[before:] if s.embeds), None))
    assert said.embeds[0]["title"].endswith(": did alice and bob hear that Lukashenko apologized?")
    assert_no_pings(said)


async def test_names_replace_mentions_and_the_bots_own_mention_goes() -> None:
    text = "<@445566778899001122> did <@223344556677889900> and <@!334455667788990011> hear it in <#112233445566778899>?"
    names = {223344556677889900: "Alice", 334455667788990011: "Bob", 112233445566778899: "news"}
    assert question_text(text, names, drop={445566778899001122}) == "did Alice and Bob hear it in news?"
    assert question_text(text) == "did and hear it in?"  # names unknown: dropped (never an id)


async def test_the_bot_addressed_through_its_role_answers(live) -> None:
    _, emu = live
    before = len(emu.sent)
    await emu.send_message(emu.general["id"], f"<@&{emu.bot_role}> {SEED_QUESTION}", author="bob",
                           mention_roles=[emu.bot_role])
    answer = await emu.wait_for(lambda: next((s for s in emu.sent[before:] if s.embeds), None))
    assert answer.embeds[0]["title"] == f"⚖️ Contested: {SEED_QUESTION}"
    before = len(emu.sent)
    await emu.send_message(emu.general["id"], f"<@&{emu.bot_role}>", author="bob", mention_roles=[emu.bot_role])
    hint = await emu.wait_for(lambda: next((s for s in emu.sent[before:] if s.content), None))
    assert "Ask me a question" in hint.content


async def test_the_feedback_file_follows_the_data_dir(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("NEWSBOT_DATA_DIR", str(tmp_path / "elsewhere"))
    monkeypatch.delenv("NEWSBOT_FEEDBACK_DB", raising=False)
    assert Settings().feedback_db == tmp_path / "elsewhere" / "feedback.sqlite3"
    monkeypatch.setenv("NEWSBOT_FEEDBACK_DB", str(tmp_path / "votes.sqlite3"))
    assert Settings().feedback_db == tmp_path / "votes.sqlite3"
