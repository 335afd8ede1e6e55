"""Subprocess helper for the crash tests: reload a corpus (to be killed), or report the store's state."""

from __future__ import annotations

import hashlib
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
        print(json.dumps({"switched": report.switched, "articles": report.articles,
                          "generation": report.generation}), flush=True)
        return
    store = service.store
    articles = service.articles()
    chunks = store.chunks()
    answer = service.ask("Did Lukashenko apologize?")
    content = json.dumps([sorted((a.id, a.text) for a in articles),
                          sorted((c.article_id, c.index, c.text) for c in chunks)])
    print(json.dumps({"articles": sorted(a.id for a in articles), "chunk_article_ids": sorted({c.article_id for c in chunks}),
                      "content": hashlib.sha256(content.encode()).hexdigest(), "chunks": len(chunks),
                      "generation": store.generation, "verdict": answer.verdict.value,
                      "stats_articles": service.stats().articles, "stats_chunks": service.stats().chunks}), flush=True)


if __name__ == "__main__":
    main()
