"""Click commands `newsbot eval rgb`, `newsbot eval cases` and `newsbot bench`, registered by ``newsbot.cli``.

Heavy modules (chromadb, the engine, numpy) are imported inside the commands
so that ``newsbot --help`` stays fast. Failures are one error line and exit
status 2, as in the rest of the CLI.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from rich.console import Console

from newsbot.progress import progress_bar
from newsbot.settings import PROJECT_ROOT, Settings

DEFAULT_RGB = PROJECT_ROOT.parent / "shared" / "data" / "rgb" / "en_fact.dev.jsonl"
_err = Console(stderr=True)


@contextmanager
def _failures() -> Iterator[None]:
    try:
        yield
    except click.ClickException:
        raise
    except Exception as exc:  # noqa: BLE001 - one clear line, not a traceback
        _err.print(f"[red]error:[/red] {exc}", highlight=False)
        sys.exit(2)


@click.group("eval")
def eval_group() -> None:
    """Evaluate answer quality on benchmark data."""


@eval_group.command("rgb")
@click.option("--data", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=DEFAULT_RGB,
              show_default=True, help="An RGB en_fact JSONL file (see its README).")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Only the first N records.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=Path("eval-out/rgb.json"),
              show_default=True, help="Where the per-record results go (JSON).")
@click.option("--abstention", type=click.Choice(["filtered", "rebuilt"]), default="filtered", show_default=True,
              help="Leave a record's passages out by filtering the retrieved list (fast) or by a real re-sync.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object.")
@click.pass_obj
def rgb(settings: Settings | None, data: Path, limit: int | None, out: Path, abstention: str, as_json: bool) -> None:
    """Conflict detection, citations, retrieval and abstention on RGB's counterfactual questions."""
    from newsbot.evaluation.rgb import evaluate
    from newsbot.evaluation.tables import print_rgb

    with _failures(), progress_bar(not as_json, _err) as progress:
        result = evaluate(data, limit=limit, settings=settings or Settings(), abstention=abstention,  # type: ignore[arg-type]
                          progress=progress)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    if as_json:
        click.echo(json.dumps(result["summary"]))
    else:
        print_rgb(result["summary"], out)


@eval_group.command("set")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="Only N questions, picked as the shared scorer's --limit picks them.")
@click.option("--split", type=click.Choice(["all", "fit", "check"]), default="all", show_default=True,
              help="Only the topics the stance judge was fit on, or only those it never saw.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where the per-question records go (JSON; default eval-out/<set>.json).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object.")
@click.pass_obj
def set_command(settings: Settings | None, folder: Path, limit: int | None, split: str, out: Path | None,
                as_json: bool) -> None:
    """A shared real-news set (FNC-1, NatConfQA: a folder with articles.jsonl and questions.jsonl), scored in one
    process with the shared scorer's rules."""
    from newsbot.evaluation.sets import evaluate

    with _failures(), progress_bar(not as_json, _err) as progress:
        result = evaluate(folder, limit=limit, split=split, base=settings, progress=progress)
        out = out or Path("eval-out") / f"{folder.name}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    summary = result["summary"]
    if as_json:
        click.echo(json.dumps(summary))
        return
    click.echo(json.dumps({k: summary[k] for k in ("n", "verdict_right", "sides_right", "wrong_side", "got")}))
    for name in ("by_expect", "by_qtype", "by_split"):
        for key, block in (summary.get(name) or {}).items():
            click.echo(f"  {name}/{key}: n={block['n']} verdict={block['verdict_right']} sides={block['sides_right']} "
                       f"wrong={block['wrong_side']} got={block['got']}")
    click.echo(f"records: {out}")


@eval_group.command("cases")
@click.option("--data", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="A case file (YAML); default: the reader's set, newsbot/evaluation/cases/reader_cases.yaml.")
@click.option("--only", "prefixes", multiple=True, metavar="PREFIX",
              help="Only the cases whose id starts with PREFIX (repeatable), e.g. stance. or seed.paraphrase")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the per-case results (every check, pass or fail) to this JSON file.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary and the failed cases as one JSON object.")
def cases(data: Path | None, prefixes: tuple[str, ...], out: Path | None, as_json: bool) -> None:
    """The offline reader's evaluation set: verdicts, sides, speakers, values and quotes, case by case."""
    from newsbot.evaluation.cases import DEFAULT_CASES, evaluate, load_cases, select
    from newsbot.evaluation.tables import print_cases

    with _failures():
        result = evaluate(select(load_cases(data or DEFAULT_CASES), prefixes))
        if out is not None:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    if as_json:
        failed = [{"id": c["id"], "source": c["source"], "reasons": c["reasons"]}
                  for c in result["cases"] if not c["passed"]]
        click.echo(json.dumps({"summary": result["summary"], "failed": failed}, ensure_ascii=False))
    else:
        print_cases(result, out)


@click.command()
@click.option("--data", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=DEFAULT_RGB,
              show_default=True, help="RGB JSONL: its passages (with the seeds) are the corpus, its queries the questions.")
@click.option("--seeds", type=click.Path(file_okay=False, path_type=Path), default=PROJECT_ROOT / "seeds",
              show_default=True, help="Seed articles added to the corpus.")
@click.option("--quick", is_flag=True, help="Tiny sizes (for tests): 3 records, 10 asks, growth at 40/80 chunks.")
@click.option("--size", "sizes", type=click.IntRange(min=1), multiple=True,
              help="Growth sizes in chunks (repeatable; default 1k, 5k, 10k, 20k).")
@click.option("--no-baseline", is_flag=True, help="Skip the LangChain + torch baseline.")
@click.option("--no-embeddings", is_flag=True, help="Skip the int8 vs fp32 embedding comparison.")
@click.option("--no-bot", is_flag=True, help="Skip the bot under load (concurrent asks during a reload).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the figures to this JSON file.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def bench(data: Path, seeds: Path, quick: bool, sizes: tuple[int, ...], no_baseline: bool, no_embeddings: bool,
          no_bot: bool, out: Path | None, as_json: bool) -> None:
    """Latency, ingest speed and memory: ours vs the plain LangChain recipe, growth, int8 vs fp32."""
    from newsbot.evaluation.bench import run_bench
    from newsbot.evaluation.tables import print_bench

    def stage(text: str) -> None:
        if not as_json:
            _err.print(f"[dim]bench:[/dim] {text}", highlight=False)

    with _failures():
        result = run_bench(data, seeds=seeds, quick=quick, baseline=not no_baseline, embeddings=not no_embeddings,
                           sizes=sizes or None, bot=not no_bot, stage=stage)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    if as_json:
        click.echo(json.dumps(result))
    else:
        print_bench(result)
