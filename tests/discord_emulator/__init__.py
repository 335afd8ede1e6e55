"""A Discord API emulator on 127.0.0.1 for testing the real discord.py client over real sockets.

It serves the gateway websocket (HELLO, IDENTIFY, READY, GUILD_CREATE,
heartbeats, RESUME, MESSAGE_CREATE, INTERACTION_CREATE, THREAD_CREATE) and
the REST routes the bot uses, records every call the bot makes, and lets a
test act as users: run a slash command, click a button, post a message.
See ``tests/discord_emulator/README.md`` for how to test a new command.
"""

from tests.discord_emulator.records import Call, Sent
from tests.discord_emulator.server import DiscordEmulator

__all__ = ["Call", "DiscordEmulator", "Sent"]
