"""Rich tables for the figures of `newsbot eval rgb`, `newsbot eval cases` and `newsbot bench`."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from newsbot.evaluation.rgb import METRICS

_RGB_LABELS = {
    "conflict_detected": "conflict detected (contested, both answers cited)",
    "true_answer_cited": "true answer cited",
    "citation_precision": "citation precision (exact quotes)",
    "recall@5": "recall@5 (true + contradicting passages)",
    "recall@10": "recall@10",
    "mrr@10": "MRR@10",
    "abstention": "abstention (their passages left out -> not_found)",
    "abstention_or_true_answer": "  abstained or gave only the true answer",
}

_BENCH_ROWS = (
    ("answer p50 (ms)", "p50_ms"), ("answer p95 (ms)", "p95_ms"), ("answer max (ms)", "max_ms"),
    ("model load (s)", "model_load_s"), ("full ingest (s)", "full_ingest_s"), ("chunks", "chunks"),
    ("ingest chunks/s", "ingest_chunks_per_s"), ("ingest words/s", "ingest_words_per_s"),
    ("re-ingest unchanged (s)", "reload_unchanged_s"), ("  share of first ingest", "reload_unchanged_share"),
    ("re-ingest 1% changed (s)", "reload_1pct_changed_s"), ("  share of first ingest", "reload_1pct_changed_share"),
    ("peak RSS (MB)", "peak_rss_mb"), ("conflict share on RGB", "conflict_share"),
    ("true answer cited", "true_answer_cited"), ("true answer in the top chunk", "true_answer_first"),
)
_EMBEDDERS = {"int8_onnx": "int8 ONNX", "fp32_torch": "fp32 torch"}
_EMBEDDING_COLUMNS = (("r@5", "recall@5"), ("r@10", "recall@10"), ("MRR", "mrr@10"), ("conflict", "conflict_detected"),
                      ("abstain", "abstention"), ("dense r@5", "dense_recall@5"), ("dense MRR", "dense_mrr@10"),
                      ("passages/s", "passages_per_s"))


def fmt(value: object) -> str:
    """A figure as the tables show it (— when absent)."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if abs(value) >= 100:
            return f"{value:,.0f}"
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def print_rgb(summary: dict, out: object, console: Console | None = None) -> None:
    console = console or Console()
    table = Table(title=f"RGB — {summary['records']} records, {summary['corpus_documents']} passages")
    table.add_column("metric")
    table.add_column("value", justify="right")
    for key in METRICS:
        table.add_row(_RGB_LABELS[key], f"{summary[key]:.3f}" if key == "mrr@10" else f"{summary[key]:.1%}")
    console.print(table)
    console.print(f"Per-record results: {out}")


def print_cases(result: dict, out: object | None = None, console: Console | None = None) -> None:
    """The share of cases passed overall, per aspect and per source file, then each failed case's reasons."""
    console = console or Console()
    summary = result["summary"]
    table = Table(title=f"Reader cases — {summary['cases']} cases")
    table.add_column("")
    table.add_column("cases", justify="right")
    table.add_column("passed", justify="right")
    table.add_column("share", justify="right")
    table.add_row("all", fmt(summary["cases"]), fmt(summary["passed"]), f"{summary['share']:.1%}")
    table.add_row("  an always-not_found reader", "", "", f"{summary['abstain_floor']:.1%}")
    table.add_section()
    for aspect, row in summary["by_aspect"].items():
        if row["cases"]:
            table.add_row(f"checks {aspect}", fmt(row["cases"]), fmt(row["passed"]), f"{row['share']:.1%}")
    table.add_section()
    for source, row in summary["by_source"].items():
        table.add_row(source, fmt(row["cases"]), fmt(row["passed"]), f"{row['share']:.1%}")
    console.print(table)
    for case in result["cases"]:
        if not case["passed"]:
            console.print(f"[red]failed[/red] {case['id']}", highlight=False)
            for reason in case["reasons"]:
                console.print(f"  {reason}", highlight=False, soft_wrap=True)
    if out is not None:
        console.print(f"Per-case results: {out}")


def print_bench(result: dict, console: Console | None = None) -> None:
    console = console or Console()
    corpus = result["corpus"]
    ours, base = result["ours"], result.get("baseline", {})
    table = Table(title=f"newsbot bench — {corpus['records']:,} records ({corpus['words']:,} words), "
                        f"{corpus['questions']} questions")
    table.add_column("figure")
    table.add_column("ours", justify="right")
    table.add_column("plain LangChain recipe", justify="right")
    for label, key in _BENCH_ROWS:
        table.add_row(label, fmt(ours.get(key)), fmt(base.get(key)))
    console.print(table)
    if "skipped" in base:
        console.print(f"baseline skipped: {base['skipped']}")

    growth = Table(title="Growth (ours)")
    for col in ("chunks", "embedded", "ingest (s)", "p50 (ms)", "p95 (ms)", "read ahead (s)",
                "p50 after (ms)", "p95 after (ms)", "peak RSS (MB)"):
        growth.add_column(col, justify="right")
    for g in result["growth"]:
        growth.add_row(*(fmt(g.get(k)) for k in ("chunks", "chunks_embedded", "ingest_s", "p50_ms", "p95_ms",
                                                  "read_ahead_s", "ahead_p50_ms", "ahead_p95_ms", "peak_rss_mb")))
    console.print(growth)

    bot = result.get("bot") or {}
    if "skipped" in bot:
        console.print(f"bot under load skipped: {bot['skipped']}")
    elif bot:
        console.print(f"Bot under load: {bot['asks']} concurrent asks during a reload adding {bot['articles']} "
                      f"articles — {bot['answered']} answered ({bot['answered_during_reload']} before the reload "
                      f"finished), {bot['errors']} errors, worst event-loop lag {bot['max_lag_ms']:.0f} ms")

    emb = result.get("embeddings") or {}
    if emb:
        quality = Table(title="Embeddings on RGB (retrieval as shipped, then dense only)")
        quality.add_column("embedder", no_wrap=True)
        for col, _ in _EMBEDDING_COLUMNS:
            quality.add_column(col, justify="right")
        for name, label in _EMBEDDERS.items():
            e = emb.get(name, {})
            quality.add_row(label, *(fmt(e.get(key)) for _, key in _EMBEDDING_COLUMNS))
        console.print(quality)
        for name, label in _EMBEDDERS.items():
            if "skipped" in emb.get(name, {}):
                console.print(f"{label} skipped: {emb[name]['skipped']}")
        if "cosine_int8_fp32" in emb:
            c = emb["cosine_int8_fp32"]
            console.print(f"int8 vs fp32 passage vectors: cosine mean {c['mean']:.4f}, min {c['min']:.4f}")

    if result.get("targets"):
        goals = Table(title="Targets (issue 6)")
        for col in ("target", "measured", "goal", "met"):
            goals.add_column(col)
        for t in result["targets"]:
            goals.add_row(t["target"], fmt(t["value"]), t["goal"], "yes" if t["met"] else "[red]no[/red]")
        console.print(goals)
    m = result["machine"]
    console.print(f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB RAM, Python {m['python']}")
