"""Click commands `newsbot eval rgb` and `newsbot bench`, registered on the main CLI group."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from newsbot.settings import PROJECT_ROOT

DEFAULT_RGB = PROJECT_ROOT.parent / "shared" / "data" / "rgb" / "en_fact.dev.jsonl"


@click.group("eval")
def eval_group() -> None:
    """Evaluate answer quality on benchmark data."""


@eval_group.command("rgb")
@click.option("--data", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=DEFAULT_RGB,
              show_default=True, help="An RGB en_fact JSONL file.")
@click.option("--limit", type=int, default=None, help="Only the first N records.")
@click.option("--out", type=click.Path(path_type=Path), default=Path("eval-out/rgb.json"), show_default=True,
              help="Per-record results (JSON).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object.")
@click.pass_obj
def rgb(settings, data: Path, limit: int | None, out: Path, as_json: bool) -> None:  # noqa: ANN001
    """Conflict detection, citations, retrieval and abstention on RGB's counterfactual questions."""
    from newsbot.evaluation.rgb import evaluate, write_report

    result = evaluate(data, limit=limit, settings=settings)
    write_report(result, out)
    summary = result["summary"]
    if as_json:
        click.echo(json.dumps(summary))
        return
    table = Table(title=f"RGB ({summary['records']} records, {summary['corpus_documents']} passages)")
    table.add_column("metric")
    table.add_column("value", justify="right")
    for key in ("conflict_detected", "true_answer_cited", "citation_precision", "recall@5", "recall@10", "mrr@10",
                "abstention"):
        table.add_row(key, f"{summary[key]:.1%}" if key != "mrr@10" else f"{summary[key]:.3f}")
    Console().print(table)
    Console().print(f"Per-record results: {out}")


@click.command()
@click.option("--data", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=DEFAULT_RGB,
              show_default=True, help="RGB JSONL used as the shared corpus and questions.")
@click.option("--quick", is_flag=True, help="Tiny sizes (for tests): a few records, growth at 100/200 chunks.")
@click.option("--no-baseline", is_flag=True, help="Skip the LangChain + torch baseline.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def bench(data: Path, quick: bool, no_baseline: bool, as_json: bool) -> None:
    """Latency, ingest speed and memory: ours vs a plain LangChain recipe, and growth with corpus size."""
    from newsbot.evaluation.bench import print_table, run_bench

    result = run_bench(data, quick=quick, baseline=not no_baseline)
    if as_json:
        click.echo(json.dumps(result))
    else:
        print_table(result)
