"""What the emulator records: REST calls, messages the bot sent, interactions it was sent, rules it broke."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Discord's deadline for the first response to an interaction, in seconds.
DEADLINE = 3.0


@dataclass
class Call:
    """One REST request the bot made."""

    method: str
    path: str
    query: dict[str, str]
    body: Any
    status: int = 0  # what the emulator answered


@dataclass
class Sent:
    """A message the bot sent or edited, however it got there."""

    kind: str  # "channel", "response", "followup", "edit", "update"
    channel_id: str
    message: dict[str, Any]
    body: dict[str, Any]
    token: str | None = None

    @property
    def ephemeral(self) -> bool:
        """Only the interaction's user sees it (the message's own flags: a deferral decides them)."""
        return bool((self.message.get("flags") or 0) & 64)

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return self.message.get("embeds") or []

    @property
    def content(self) -> str:
        return self.message.get("content") or ""

    def components(self) -> list[dict[str, Any]]:
        return [c for row in self.message.get("components") or [] for c in row.get("components", [])]

    def custom_ids(self) -> list[str]:
        return [c.get("custom_id", "") for c in self.components()]

    def labels(self) -> dict[str, str]:
        """Each button's custom id and the label it shows."""
        return {c.get("custom_id", ""): c.get("label") or "" for c in self.components()}


@dataclass
class Interaction:
    """One interaction dispatched to the bot, and what the bot did with it."""

    id: str
    token: str
    channel_id: str
    user: str = "alice"
    type: int = 2  # 2 command, 3 component, 5 modal submit
    created: float = 0.0  # the emulator's loop time when dispatched
    original: str | None = None  # the response message (or, for a click, the message clicked on)
    sent: list[Sent] = field(default_factory=list)
    acked: int | None = None  # the callback type of the one acknowledgement (4, 5, 6, 7, 9)
    acked_after: float | None = None  # seconds from dispatch to acknowledgement
    loading: bool = False  # a deferral's "thinking…" is shown until a follow-up or an edit replaces it
    defer_flags: int = 0
    modal: dict[str, Any] | None = None  # the modal the bot answered with
    clicked: dict[str, Any] | None = None  # the message a component or modal came from
    abandoned: bool = False  # never acknowledged, and reported as a violation

    @property
    def deferred(self) -> bool:
        return self.acked in (5, 6)


@dataclass
class RateLimit:
    """A 429 the emulator will answer to the next ``times`` requests whose path matches ``pattern``."""

    pattern: str
    retry_after: float
    times: int
