"""Discord API object shapes (users, members, guilds, channels, messages, interactions) for the emulator."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

_ids = itertools.count(1_100_000_000_000_000_000)

#: Permission bits used by the tests.
MANAGE_GUILD = 1 << 5
ADMINISTRATOR = 1 << 3
EVERYONE_PERMISSIONS = (1 << 10) | (1 << 11) | (1 << 14) | (1 << 15) | (1 << 16) | (1 << 31) | (1 << 38)


def snowflake() -> str:
    return str(next(_ids))


def now() -> str:
    return datetime.now(UTC).isoformat()


def user(uid: str, name: str, *, bot: bool = False) -> dict[str, Any]:
    return {"id": uid, "username": name, "discriminator": "0", "global_name": name, "avatar": None, "bot": bot,
            "public_flags": 0, "flags": 0}


def member(u: dict[str, Any], roles: list[str], permissions: int) -> dict[str, Any]:
    return {"user": u, "roles": roles, "permissions": str(permissions), "joined_at": now(), "deaf": False,
            "mute": False, "flags": 0, "nick": None, "avatar": None, "pending": False}


def role(rid: str, name: str, permissions: int, position: int, *, bot_id: str | None = None) -> dict[str, Any]:
    """A role; ``bot_id`` makes it the managed role Discord gives a bot when it joins (named after it)."""
    data = {"id": rid, "name": name, "permissions": str(permissions), "position": position, "color": 0,
            "hoist": False, "managed": bot_id is not None, "mentionable": True, "flags": 0}
    if bot_id is not None:
        data["tags"] = {"bot_id": bot_id}
    return data


def channel(cid: str, guild_id: str, name: str, ctype: int = 0, parent_id: str | None = None) -> dict[str, Any]:
    data = {"id": cid, "guild_id": guild_id, "name": name, "type": ctype, "position": 0,
            "permission_overwrites": [], "nsfw": False, "parent_id": parent_id, "topic": None,
            "last_message_id": None, "rate_limit_per_user": 0}
    if ctype == 15:
        data.update({"available_tags": [], "default_reaction_emoji": None, "default_sort_order": None,
                     "default_forum_layout": 0, "flags": 0})
    if ctype in (11, 12):
        data.update({"owner_id": None, "member_count": 1, "message_count": 0,
                     "thread_metadata": {"archived": False, "auto_archive_duration": 1440,
                                         "archive_timestamp": now(), "locked": False}})
    return data


def guild(gid: str, owner_id: str, roles: list[dict], channels: list[dict], members: list[dict]) -> dict[str, Any]:
    return {"id": gid, "name": "Newsroom", "icon": None, "splash": None, "discovery_splash": None,
            "owner_id": owner_id, "afk_channel_id": None, "afk_timeout": 300, "verification_level": 0,
            "default_message_notifications": 0, "explicit_content_filter": 0, "roles": roles, "emojis": [],
            "features": [], "mfa_level": 0, "application_id": None, "system_channel_id": None,
            "system_channel_flags": 0, "rules_channel_id": None, "vanity_url_code": None, "description": None,
            "banner": None, "premium_tier": 0, "preferred_locale": "en-US", "public_updates_channel_id": None,
            "nsfw_level": 0, "stickers": [], "premium_progress_bar_enabled": False, "joined_at": now(),
            "large": False, "unavailable": False, "member_count": len(members), "voice_states": [],
            "members": members, "channels": channels, "threads": [], "presences": [], "stage_instances": [],
            "guild_scheduled_events": [], "soundboard_sounds": []}


def message(mid: str, channel_id: str, author: dict[str, Any], body: dict[str, Any], guild_id: str | None,
            *, mentions: list[dict] | None = None) -> dict[str, Any]:
    return {"id": mid, "channel_id": channel_id, "guild_id": guild_id, "author": author,
            "content": body.get("content") or "", "timestamp": now(), "edited_timestamp": None, "tts": False,
            "mention_everyone": False, "mentions": mentions or [], "mention_roles": [], "mention_channels": [],
            "attachments": body.get("attachments", []), "embeds": body.get("embeds") or [], "pinned": False,
            "type": 19 if body.get("message_reference") else 0, "flags": body.get("flags") or 0,
            "components": body.get("components") or [],
            **({"message_reference": body["message_reference"]} if body.get("message_reference") else {})}


def interaction(iid: str, app_id: str, itype: int, data: dict, *, guild_id: str, channel: dict[str, Any],
                member_payload: dict[str, Any], token: str, message_payload: dict | None = None) -> dict[str, Any]:
    payload = {"id": iid, "application_id": app_id, "type": itype, "data": data, "guild_id": guild_id,
               "channel_id": channel["id"], "channel": channel, "member": member_payload, "token": token,
               "version": 1, "app_permissions": str((1 << 53) - 1), "locale": "en-US", "guild_locale": "en-US",
               "entitlements": [], "authorizing_integration_owners": {"0": guild_id}, "context": 0,
               "attachment_size_limit": 8 * 1024 * 1024}
    if message_payload is not None:
        payload["message"] = message_payload
    return payload
