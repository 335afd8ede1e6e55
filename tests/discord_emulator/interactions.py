"""Interaction callbacks and their webhooks, with the rules Discord enforces on them.

- The first response must come within 3 seconds of the interaction (else 10062 Unknown interaction).
- There is exactly one: a second callback is refused with 40060 "already acknowledged".
- A deferral (type 5) shows "thinking…" until the first follow-up or an edit of the original replaces it;
  that first follow-up *is* the original, with the deferral's visibility (a public "thinking…" gives a public
  reply whatever flags the follow-up asks for). Once the original is deleted, follow-ups are new messages.
- Follow-ups need an acknowledged interaction; update types (6, 7) need a component (or a modal opened
  from one); a modal (9) cannot answer a modal.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from tests.discord_emulator import rules
from tests.discord_emulator.records import DEADLINE, Interaction, Sent
from tests.discord_emulator.rules import Refusal

EDITABLE = ("content", "embeds", "components", "allowed_mentions")


class InteractionRoutes:
    """Callback, follow-up and webhook-message handlers; a mixin of :class:`DiscordEmulator`."""

    def _store(self, kind: str, channel_id: str, body: dict, token: str | None = None,
               *, flags: int | None = None) -> dict[str, Any]:
        msg = self._message(channel_id, {**body, "flags": body.get("flags") if flags is None else flags})
        self._record(Sent(kind, channel_id, msg, body, token))
        return msg

    def _record(self, sent: Sent) -> None:
        self.sent.append(sent)
        if sent.token in self.interactions:
            self.interactions[sent.token].sent.append(sent)

    def _edit(self, mid: str, channel_id: str, body: dict, token: str | None, kind: str = "edit") -> dict[str, Any]:
        """Edit a message in place; its visibility never changes."""
        msg = {**self.messages[mid], **{k: v for k, v in body.items() if k in EDITABLE}}
        self.messages[mid] = msg
        self._record(Sent(kind, channel_id, msg, body, token))
        return msg

    def _interaction(self, token: str) -> Interaction:
        record = self.interactions.get(token)
        if record is None:
            raise Refusal(404, rules.UNKNOWN_INTERACTION, "Unknown interaction")
        return record

    def _callback(self, token: str, body: dict) -> tuple[int, Any]:  # noqa: C901
        record = self._interaction(token)
        if record.acked is not None:
            raise Refusal(400, rules.ALREADY_ACKNOWLEDGED, "Interaction has already been acknowledged.",
                          violation=True)
        elapsed = asyncio.get_running_loop().time() - record.created
        if elapsed > DEADLINE:
            raise Refusal(404, rules.UNKNOWN_INTERACTION, f"Unknown interaction (answered after {elapsed:.2f} s)",
                          violation=True)
        ctype, data = body.get("type"), body.get("data") or {}
        if ctype in (6, 7) and record.clicked is None:
            raise Refusal(400, rules.INVALID_FORM_BODY, "Invalid Form Body",
                          ["update types answer only a component or a modal opened from one"], violation=True)
        if ctype == 9 and record.type == 5:
            raise Refusal(400, rules.INVALID_FORM_BODY, "Invalid Form Body", ["a modal cannot answer a modal"],
                          violation=True)
        if ctype == 4:
            rules.check_message(data, creating=True)
        elif ctype == 7:
            rules.check_message(data, creating=False)
        elif ctype == 9:
            rules.check_modal(data)
        record.acked, record.acked_after = ctype, elapsed
        message = None
        if ctype == 4:
            message = self._store("response", record.channel_id, data, token)
            record.original = message["id"]
        elif ctype == 5:  # "thinking…": a placeholder message, not a reply; the first follow-up or edit replaces it
            record.loading, record.defer_flags = True, data.get("flags") or 0
            message = self._message(record.channel_id, {"content": "", "flags": record.defer_flags})
            record.original = message["id"]
        elif ctype == 7:  # edit the message the button is on, in place
            message = self._edit(record.original or "", record.channel_id, data, token, "update")
        elif ctype == 9:
            record.modal = data
        resource = {"type": ctype, "message": message} if message else {"type": ctype}
        return 200, {"interaction": {"id": record.id, "type": record.type, "response_message_id": record.original,
                                     "response_message_loading": ctype == 5,
                                     "response_message_ephemeral": bool((data.get("flags") or 0) & 64)},
                     "resource": resource}

    def _followup(self, token: str, body: dict) -> tuple[int, Any]:
        record = self.interactions.get(token)
        if record is None or record.acked is None or record.acked == 9:
            raise Refusal(404, rules.UNKNOWN_WEBHOOK, "Unknown Webhook",
                          ["a follow-up needs an interaction answered with a message or a deferral"],
                          violation=record is not None)
        rules.check_message(body, creating=True)
        if record.loading and record.original in self.messages and record.original not in self.deleted:
            record.loading = False  # this follow-up resolves "thinking…", with the deferral's visibility
            msg = {**self.messages[record.original], **{k: v for k, v in body.items() if k in EDITABLE},
                   "flags": record.defer_flags}
            self.messages[msg["id"]] = msg
            self._record(Sent("followup", record.channel_id, msg, body, token))
            return 200, msg
        return 200, self._store("followup", record.channel_id, body, token)

    def _webhook_message(self, method: str, token: str, mid: str, body: dict) -> tuple[int, Any]:
        record = self.interactions.get(token)
        if record is None:
            raise Refusal(404, rules.UNKNOWN_WEBHOOK, "Unknown Webhook")
        mid = (record.original if mid == "@original" else mid) or ""
        answer = self._message_request(method, mid, body, lambda: self._edit(mid, record.channel_id, body, token))
        if method != "GET" and mid == record.original:
            record.loading = False  # deleted or edited: "thinking…" is over
        return answer

    def _message_request(self, method: str, mid: str, body: dict, edit: Callable[[], dict]) -> tuple[int, Any]:
        """GET, DELETE or PATCH (``edit``, once the body is within limits) of a message."""
        if mid not in self.messages or mid in self.deleted:
            raise Refusal(404, rules.UNKNOWN_MESSAGE, "Unknown Message")
        if method == "GET":
            return 200, self.messages[mid]
        if method == "DELETE":
            self.deleted.add(mid)
            return 204, None
        rules.check_message(body, creating=False)
        return 200, edit()

    def visible(self, channel_id: str, *, to: str | None = None) -> list[dict[str, Any]]:
        """The bot's messages in a channel as a user sees them: not deleted, ephemeral ones only to ``to``."""
        mine = {s.message["id"]: s for s in self.sent if s.channel_id == channel_id}
        out = []
        for mid, sent in mine.items():
            msg = self.messages.get(mid, sent.message)
            if mid in self.deleted or msg["author"]["id"] != self.app_id:
                continue
            if (msg.get("flags") or 0) & 64 and (to is None or self.interactions[sent.token or ""].user != to):
                continue
            out.append(msg)
        return out

    def unanswered(self) -> list[Interaction]:
        """Interactions the bot never acknowledged."""
        return [i for i in self.interactions.values() if i.acked is None and not i.abandoned]

