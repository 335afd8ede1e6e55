"""`newsbot bench`: ours vs the plain LangChain recipe, each in its own process, plus growth with corpus size.

Ours: warm extractive ``ask`` latency (retrieval and composition), ingest
throughput, re-ingest of an unchanged corpus and of one with 1% of articles
changed, peak RSS. Baseline: RecursiveCharacterTextSplitter(1000, 200),
all-MiniLM-L6-v2 fp32 through sentence-transformers on torch,
``Chroma.from_documents``, ``similarity_search(k=4)``, the top chunk as the
answer. Both run on the RGB dev passages plus the seed, asking the RGB
queries. Each side runs in a subprocess (:mod:`newsbot.evaluation.bench_worker`)
so its peak memory is its own.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

from rich.console import Console
from rich.table import Table

from newsbot.evaluation.corpus import read_rgb, write_corpus

GROWTH = (1_000, 5_000, 20_000)
QUICK_GROWTH = (100, 200)


def _worker(args: list[str]) -> dict:
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False", "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    proc = subprocess.run([sys.executable, "-m", "newsbot.evaluation.bench_worker", *args], capture_output=True,
                          text=True, env=env, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"bench worker {args[0]} failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run_bench(data: Path, *, quick: bool = False, baseline: bool = True) -> dict:
    """Run every side and return the figures (the JSON printed by ``newsbot bench --json``)."""
    records, docs = read_rgb(data, 4 if quick else None)
    with tempfile.TemporaryDirectory(prefix="newsbot-bench-") as tmp:
        corpus = write_corpus(docs, Path(tmp))
        queries = Path(tmp) / "queries.json"
        queries.write_text(json.dumps([{"query": r.query, "answers": r.answers, "fake": r.fake_answers}
                                       for r in records]))
        common = ["--corpus", str(corpus), "--queries", str(queries), "--work", tmp]
        result: dict = {"machine": machine(), "corpus_passages": len(docs), "questions": len(records)}
        result["ours"] = _worker(["ours", *common])
        if baseline:
            result["baseline"] = _worker(["baseline", *common])
        result["growth"] = [_worker(["growth", *common, "--size", str(n)]) for n in (QUICK_GROWTH if quick else GROWTH)]
    return result


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30 if hasattr(os, "sysconf") else 0
    return f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB RAM, Python {platform.python_version()}"


def print_table(result: dict) -> None:
    console = Console()
    table = Table(title=f"newsbot bench — {result['corpus_passages']} passages, {result['questions']} questions")
    table.add_column("figure")
    table.add_column("ours", justify="right")
    table.add_column("baseline", justify="right")
    ours, base = result["ours"], result.get("baseline", {})
    rows = [("ask p50 (ms)", "p50_ms"), ("ask p95 (ms)", "p95_ms"), ("ask max (ms)", "max_ms"),
            ("full ingest (s)", "full_ingest_s"), ("ingest chunks/s", "ingest_chunks_per_s"),
            ("ingest words/s", "ingest_words_per_s"), ("re-ingest unchanged (s)", "reload_unchanged_s"),
            ("re-ingest 1% changed (s)", "reload_1pct_changed_s"), ("peak RSS (MB)", "peak_rss_mb"),
            ("conflict share on RGB", "conflict_share")]
    for label, key in rows:
        table.add_row(label, _fmt(ours.get(key)), _fmt(base.get(key)))
    console.print(table)
    growth = Table(title="Growth (ours)")
    for col in ("chunks", "ingest_s", "p50_ms", "p95_ms"):
        growth.add_column(col, justify="right")
    for g in result["growth"]:
        growth.add_row(*(_fmt(g.get(c)) for c in ("chunks", "ingest_s", "p50_ms", "p95_ms")))
    console.print(growth)
    console.print(f"Machine: {result['machine']}")


def _fmt(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.3f}" if value < 10 else f"{value:,.1f}"
    return str(value)
