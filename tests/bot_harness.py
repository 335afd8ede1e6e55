"""Starts the real bot against the Discord emulator, with its own corpus and store in a temp folder."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bot.client import NewsBot
from newsbot.settings import Settings
from tests.discord_emulator import DiscordEmulator, Sent
from tests.engine_helpers import SEED

SEED_QUESTION = "Did Lukashenko apologize?"  # the seed article's question: contested, two sides


def bot_settings(tmp: Path, **overrides: object) -> Settings:
    corpus = tmp / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    shutil.copy(SEED, corpus / SEED.name)
    values = {"data_dir": tmp / "data", "corpus_dir": corpus, "feedback_db": tmp / "data" / "bot.sqlite3",
              "answer_mode": "extractive", "cooldown_seconds": 0.0, **overrides}
    return Settings(**values)  # type: ignore[arg-type]


@asynccontextmanager
async def running_bot(settings: Settings, emulator: DiscordEmulator | None = None, *,
                      token: str = "emulator-token") -> AsyncIterator[
        tuple[NewsBot, DiscordEmulator]]:
    """The bot connected to a (new or given) emulator; closed and stopped on exit."""
    emu = emulator or DiscordEmulator()
    if emulator is None:
        await emu.start()
    emu.install()
    settings = settings.model_copy(update={"discord_guild_id": int(emu.guild_id)})
    bot = NewsBot(settings, guild_ready_timeout=0.05)  # READY waits this long after GUILD_CREATE (default 2 s)
    task = asyncio.create_task(bot.start(token))
    try:
        await asyncio.wait_for(bot.wait_until_ready(), 60)
        yield bot, emu
        await emu.settle()  # every interaction answered within Discord's deadline
        assert not emu.violations, f"the bot broke Discord's rules: {emu.violations}"
    finally:
        await bot.close()
        task.cancel()
        if emulator is None:
            await emu.stop()
        else:
            emu.uninstall()


@asynccontextmanager
async def bot_on_own_emulator(tmp: Path, *, forum: bool = False, moderators: bool = False,
                              **overrides: object) -> AsyncIterator[tuple[NewsBot, DiscordEmulator]]:
    """The bot on an emulator of its own, so that its settings can name the emulator's ids.

    ``forum``: every post of the emulator's forum is answered; ``moderators``: the emulator's
    moderator role is the bot's.
    """
    emu = DiscordEmulator()
    await emu.start()
    if forum:
        overrides["answer_channel_ids"] = [int(emu.forum["id"])]
    if moderators:
        overrides["moderator_role_id"] = int(emu.moderator_role)
    try:
        async with running_bot(bot_settings(tmp, **overrides), emu) as live:
            yield live
    finally:
        await emu.stop()


def assert_no_pings(sent: Sent) -> None:
    """The message was sent with every mention disabled (AllowedMentions.none())."""
    allowed = sent.body.get("allowed_mentions")
    assert allowed is not None and allowed.get("parse") == [], sent.body
    assert not allowed.get("users") and not allowed.get("roles") and not allowed.get("replied_user")
