"""The ``newsbot`` command: a thin click shell over :class:`newsbot.service.NewsService`.

``ask`` answers from the terminal (offline, no key), ``ingest`` loads articles,
``corpus`` and ``status`` show what is held, ``feeds`` subscribes the corpus to
news feeds and polls them (:mod:`newsbot.feeds_cli`), ``bot`` runs the Discord bot and
``feedback`` lists or exports the votes on its answers; ``eval`` and ``bench``
print figures. Errors are one clear line, never a
traceback, and the exit code says what happened.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from newsbot.progress import progress_bar
from newsbot.render import answer_json, fail, print_answer
from newsbot.settings import Settings

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
err = Console(stderr=True)


def _service(settings: Settings):  # noqa: ANN202 - imported lazily: chromadb is slow to import
    from newsbot.service import NewsService

    return NewsService(settings, role=f"newsbot {click.get_current_context().info_name}")


@contextmanager
def _opened(settings: Settings) -> Iterator:
    """The service, closed afterwards; any failure becomes one error line and exit status 2."""
    service = _service(settings)
    try:
        yield service
    except Exception as exc:  # noqa: BLE001 - one clear line, not a traceback
        fail(exc)
    finally:
        service.close()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", count=True, help="More logging (-v info, -vv debug) on stderr.")
@click.pass_context
def cli(ctx: click.Context, verbose: int) -> None:
    """Answer questions about a news corpus with cited, balanced sources."""
    settings = Settings()
    level = [logging.WARNING, logging.INFO, logging.DEBUG][min(verbose, 2)] if verbose else settings.log_level
    logging.basicConfig(level=level if verbose else logging.WARNING, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    ctx.obj = settings


@cli.command()
@click.argument("question", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print the answer as JSON.")
@click.option("--mode", type=click.Choice(["extractive", "llm", "auto"]), default=None,
              help="extractive (default, offline), llm (needs an endpoint) or auto.")
@click.pass_obj
def ask(settings: Settings, question: tuple[str, ...], as_json: bool, mode: str | None) -> None:
    """Answer QUESTION from the corpus (ingests the corpus folder first if the store is empty)."""
    from newsbot.service import QuestionError

    service = _service(settings)
    try:
        with progress_bar(not as_json, err) as progress:
            report = service.ensure_corpus(progress=progress)
        if report is not None and not as_json:
            err.print(f"Ingested {report.articles} articles ({report.chunks} passages) from {settings.corpus_dir}.")
        answer = service.ask(" ".join(question), mode=mode)
    except QuestionError as exc:
        raise click.UsageError(str(exc)) from None
    except Exception as exc:  # noqa: BLE001 - one clear line, not a traceback
        fail(exc)
    finally:
        service.close()
    if as_json:
        click.echo(answer_json(answer))
    else:
        print_answer(answer, Console())


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--prune/--keep", default=None,
              help="Drop articles not found in PATHS (default: prune when no PATHS are given).")
@click.option("--rebuild", is_flag=True, help="Re-embed everything (after changing the embedding model).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--read-ahead", is_flag=True,
              help="Then parse every article now, so no later question's first read waits for the parser.")
@click.pass_obj
def ingest(settings: Settings, paths: tuple[Path, ...], prune: bool | None, rebuild: bool, as_json: bool,
           read_ahead: bool) -> None:
    """Load articles from PATHS (files or folders; default: the corpus folder) into the store."""
    targets = list(paths) or [settings.corpus_dir]
    service = _service(settings)
    try:
        with progress_bar(not as_json, err) as progress:
            report = service.ingest(targets, actor="cli", prune=(not paths) if prune is None else prune,
                                    rebuild=rebuild, progress=progress)
        if read_ahead:
            started = time.perf_counter()
            paragraphs = service.read_ahead()
            err.print(f"Read ahead: {paragraphs:,} paragraphs parsed or found parsed in "
                      f"{time.perf_counter() - started:.1f} s.")
    except Exception as exc:  # noqa: BLE001
        fail(exc)
    finally:
        service.close()
    if as_json:
        click.echo(json.dumps(report_dict(report), indent=2, ensure_ascii=False))
    else:
        _print_report(report)
    if report.failed:
        sys.exit(3)


@cli.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def corpus(settings: Settings, as_json: bool) -> None:
    """List the articles held."""
    with _opened(settings) as service:
        articles = service.articles()
    if as_json:
        rows = [{k: getattr(a, k) for k in ("id", "title", "publisher", "published", "url", "language")}
                for a in articles]
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    table = Table(title=f"{len(articles)} articles")
    for col in ("id", "title", "publisher", "published"):
        table.add_column(col, overflow="fold")
    for a in articles:
        table.add_row(a.id, a.title, a.publisher, a.published)
    Console().print(table)


@cli.command()
@click.pass_obj
def status(settings: Settings) -> None:
    """Article and chunk counts, last reload, embedding model and answer mode (exit 2 if questions would fail)."""
    with _opened(settings) as service:
        stats = service.stats()
        configured = service.store.embedder.model_id
    data = {**stats.__dict__, "answer_mode": settings.effective_mode()}
    click.echo(json.dumps(data, indent=2, default=str))
    if stats.generation is not None and stats.embedding_model != configured:
        from retrieval.store import EmbeddingModelMismatch

        fail(EmbeddingModelMismatch(stats.embedding_model, configured))


@cli.command()
@click.pass_obj
def bot(settings: Settings) -> None:
    """Run the Discord bot (needs DISCORD_TOKEN in the environment or .env)."""
    if settings.discord_token is None:
        raise click.ClickException(
            "DISCORD_TOKEN is not set. Create a bot at https://discord.com/developers/applications "
            "(Bot -> Reset Token), then put DISCORD_TOKEN=... in .env or the environment. See README 'Discord set-up'."
        )
    from bot.main import run
    from retrieval.store_lock import StoreInUse

    try:
        run(settings)
    except StoreInUse as exc:  # another bot has the embedded store: one clear line
        fail(exc)


def report_dict(report) -> dict:  # noqa: ANN001
    """An IngestReport as plain JSON-able data."""
    data = dict(report.__dict__)
    data["failed"] = [{"source": f.source, "reason": f.reason} for f in report.failed]
    return data


def _print_report(report) -> None:  # noqa: ANN001
    table = Table(title="Ingest")
    table.add_column("result")
    table.add_column("count", justify="right")
    table.add_column("articles", overflow="fold")
    for name in ("added", "updated", "unchanged", "removed"):
        ids = getattr(report, name)
        table.add_row(name, str(len(ids)), ", ".join(ids[:8]) + (" …" if len(ids) > 8 else ""))
    table.add_row("failed", str(len(report.failed)), "")
    console = Console()
    console.print(table)
    for f in report.failed:
        console.print(f"[red]failed[/red] {f.source}: {f.reason}", markup=True, highlight=False)
    console.print(f"{report.articles} articles, {report.chunks} passages; embedded {report.chunks_embedded} "
                  f"new passages in {report.seconds:.1f}s.")


def main() -> None:
    """Console-script entry point."""
    cli()


if __name__ == "__main__":
    main()


from bot.feedback_cli import feedback  # noqa: E402 - registered after the core commands
from newsbot.evaluation.cli import bench, eval_group  # noqa: E402
from newsbot.feeds_cli import feeds_group  # noqa: E402

cli.add_command(eval_group, "eval")
cli.add_command(bench)
cli.add_command(feedback)
cli.add_command(feeds_group, "feeds")
