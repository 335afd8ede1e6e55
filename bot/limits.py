"""How often one person may ask: a cooldown between questions, a little more room inside their own conversation.

Outside a conversation every question starts a cooldown of ``NEWSBOT_COOLDOWN_SECONDS``. In
the person's own follow-up thread (the one they opened, or their forum post) and in replies to
their own answers, follow-ups are not held to the cooldown — a question typed right after "Ask
follow-up questions here" must be answered — but a flood still is: at most
:data:`FOLLOW_UP_BURST` questions in any one cooldown window.
"""

from __future__ import annotations

import math
import time
from collections import deque

#: Questions one person may ask within one cooldown window in their own conversation.
FOLLOW_UP_BURST = 4


class RateLimits:
    """Per-user question times over the last ``seconds``; thread-unsafe, used from the event loop only."""

    def __init__(self, seconds: float, *, burst: int = FOLLOW_UP_BURST) -> None:
        self.seconds, self.burst = seconds, burst
        self._asked: dict[int, deque[float]] = {}

    def retry_after(self, user_id: int, *, follow_up: bool = False) -> float:
        """Seconds left to wait, or 0 — and then the question counts now."""
        now = time.monotonic()
        asked = self._asked.setdefault(user_id, deque())
        while asked and asked[0] <= now - self.seconds:
            asked.popleft()
        allowed = self.burst if follow_up else 1
        if len(asked) >= allowed:
            return asked[-allowed] + self.seconds - now
        asked.append(now)
        return 0.0

    def refusal(self, user_id: int, *, follow_up: bool = False) -> str | None:
        """What to tell someone who must wait, or None when the question may be asked now."""
        left = self.retry_after(user_id, follow_up=follow_up)
        return wait_text(left) if left > 0 else None


def wait_text(seconds: float) -> str:
    """"Please wait N s": rounded up, so never "0 s" while a wait remains."""
    return f"Please wait {max(1, math.ceil(seconds))} s before asking again."
