"""Running the bot for real: ``newsbot bot`` calls :func:`run`.

Logging never shows the token (discord.py does not log it, and settings keep
it as a SecretStr), and every line is printed once: discord.py's handler
replaces whatever the CLI had installed. SIGTERM closes cleanly: answers and a
reload in flight get up to ten seconds, a reload still running is cancelled and
its moderator told, then the gateway and the store close.
"""

from __future__ import annotations

import asyncio
import logging
import signal

import discord

from bot.client import NewsBot
from newsbot.settings import Settings


def build(settings: Settings) -> NewsBot:
    """The client: sharded (AutoShardedClient behaviour) when NEWSBOT_SHARD_COUNT is set."""
    if settings.discord_api_base:
        discord.http.Route.BASE = settings.discord_api_base.rstrip("/")
    if settings.discord_gateway_url:
        import yarl

        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.discord_gateway_url)
    if settings.shard_count:
        return ShardedNewsBot(settings, shard_count=settings.shard_count)
    return NewsBot(settings)


class ShardedNewsBot(NewsBot, discord.AutoShardedClient):
    """The same bot over several gateway shards, for bots in many guilds."""


async def _main(settings: Settings) -> None:
    bot = build(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    assert settings.discord_token is not None
    runner = asyncio.create_task(bot.start(settings.discord_token.get_secret_value()))
    stopper = asyncio.create_task(stop.wait())
    await asyncio.wait({runner, stopper}, return_when=asyncio.FIRST_COMPLETED)
    await bot.close()  # graceful: answers in flight finish first
    stopper.cancel()
    if runner.done() and runner.exception() is not None:
        raise runner.exception()  # type: ignore[misc]
    runner.cancel()


def setup_logging(settings: Settings) -> None:
    """One handler on the root logger, discord.py's (the CLI's ``basicConfig`` one is replaced, not doubled)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    discord.utils.setup_logging(level=getattr(logging, settings.log_level.upper(), logging.INFO), root=True)


def run(settings: Settings) -> None:
    """Start the bot and block until it is closed."""
    setup_logging(settings)
    asyncio.run(_main(settings))
