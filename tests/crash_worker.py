"""Subprocess helper for the crash tests: reload a corpus (to be killed), or report the store's state."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from newsbot.service import NewsService
from newsbot.settings import Settings


def main() -> None:
    action, data, corpus = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    service = NewsService(Settings(data_dir=data, corpus_dir=corpus, answer_mode="extractive"))
    if action == "reload":
        service.stats()  # store open
        print("started", flush=True)
        report = service.reload(actor="crash-test")
        print(json.dumps({"switched": report.switched, "articles": report.articles}), flush=True)
        return
    store = service.store
    articles = {a.id for a in service.articles()}
    chunk_ids = {c.article_id for c in store.chunks()}
    answer = service.ask("Did Lukashenko apologize?")
    print(json.dumps({"articles": sorted(articles), "chunk_article_ids": sorted(chunk_ids),
                      "generation": store.generation, "verdict": answer.verdict.value,
                      "stats_articles": service.stats().articles}), flush=True)


if __name__ == "__main__":
    main()
