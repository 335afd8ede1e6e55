"""Subprocess helper: a newsbot process that keeps an embedded store open until told to quit.

``python -m tests.store_holder DATA CORPUS ROLE``: opens the store as ROLE, ingests CORPUS if the
store is empty, prints ``ready``, then answers ``ask QUESTION`` lines with one JSON line (verdict,
cited article ids, article count) until ``quit``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from newsbot.service import NewsService
from newsbot.settings import Settings


def main() -> None:
    data, corpus, role = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    service = NewsService(Settings(data_dir=data, corpus_dir=corpus, answer_mode="extractive"), role=role, wait=0)
    service.ensure_corpus()
    print("ready", flush=True)
    for line in sys.stdin:
        command, _, rest = line.strip().partition(" ")
        if command == "ask":
            answer = service.ask(rest)
            print(json.dumps({"verdict": answer.verdict.value, "cited": sorted({c.article_id for c in answer.citations}),
                              "articles": sorted(a.id for a in service.articles())}), flush=True)
        elif command == "quit":
            break
    service.close()


if __name__ == "__main__":
    main()
