"""Small measuring helpers shared by both sides of the bench (kept free of heavy imports).

Both the baseline process and ours import this module, so it imports only
the standard library: whatever it loaded would count in both sides' peak RSS.
"""

from __future__ import annotations

import json
import resource
import statistics
import time
from collections.abc import Callable
from pathlib import Path

#: Timed questions per latency figure (the question list is cycled).
ASKS = 100


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    """p50, p95 (nearest rank) and max of latency samples in milliseconds."""
    if not samples_ms:
        return {"p50_ms": 0.0, "p95_ms": 0.0, "max_ms": 0.0}
    ordered = sorted(samples_ms)
    p95 = ordered[min(len(ordered) - 1, max(0, -(-95 * len(ordered) // 100) - 1))]
    return {"p50_ms": statistics.median(ordered), "p95_ms": p95, "max_ms": ordered[-1]}


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def time_calls(call: Callable[[str], object], questions: list[str], *, before: Callable[[], None] | None = None,
               n: int = ASKS) -> list[float]:
    """Warm once, then time ``n`` calls cycling through ``questions``; ``before`` runs untimed before each."""
    if not questions:
        return []
    call(questions[0])
    samples = []
    for i in range(max(n, len(questions))):
        if before is not None:
            before()
        started = time.perf_counter()
        call(questions[i % len(questions)])
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def read_jsonl(path: Path) -> list[dict]:
    """The records of a JSONL file."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def word_count(rows: list[dict]) -> int:
    """Whitespace-separated words in the records' texts (the words/s numerator, same for both sides)."""
    return sum(len(str(r["text"]).split()) for r in rows)
