"""`newsbot eval set DIR`: the shared real-news sets (FNC-1, NatConfQA), scored in one process.

The shared scorer (``../shared/tools/set_eval.py``) runs one ``newsbot ask`` process per question; it is the
measure the README reports. This command asks the same questions through the same path
(``NewsService.ask``) in one process, with the store kept between runs, and scores each answer with the
shared scorer's own ``score`` function, so its figures are the scorer's figures, in minutes instead of an
hour. It also splits each set by topic into the part the stance judge was fit on (``fit``) and the part it
never saw (``check``; see :func:`split_of`), and reports both.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import shutil
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from newsbot.settings import PROJECT_ROOT, Settings

SCORER = PROJECT_ROOT.parent / "shared" / "tools" / "set_eval.py"
STORES = PROJECT_ROOT / "eval-out" / "stores"


def split_of(unit: str) -> str:
    """``fit`` or ``check`` for a topic (FNC-1 component, NatConfQA unit): half the topics each, by hash, so a
    topic's questions and articles are never on both sides."""
    return "fit" if int(hashlib.sha256(f"newsbot-split:{unit}".encode()).hexdigest(), 16) % 2 == 0 else "check"


def load_scorer(path: Path = SCORER) -> ModuleType:
    """The shared scorer as a module (its ``score`` and ``select`` functions)."""
    spec = importlib.util.spec_from_file_location("set_eval", path)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(f"no scorer at {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_set(folder: Path) -> tuple[dict[str, dict], list[dict]]:
    arts = {}
    for line in (folder / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            a = json.loads(line)
            arts[a["id"]] = a
    qs = [json.loads(x) for x in (folder / "questions.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    return arts, qs


def set_service(folder: Path, base: Settings | None = None, *, fresh: bool = False):  # noqa: ANN201 - NewsService
    """A service over the set's articles, in a store kept under ``eval-out/stores`` (ingested once)."""
    from newsbot.service import NewsService

    digest = hashlib.sha256((folder / "articles.jsonl").read_bytes()).hexdigest()[:12]
    root = STORES / f"{folder.name}-{digest}"
    if fresh and root.exists():
        shutil.rmtree(root)
    (root / "corpus").mkdir(parents=True, exist_ok=True)
    settings = (base or Settings()).model_copy(update={"data_dir": root / "data", "corpus_dir": root / "corpus",
                                                       "answer_mode": "extractive"})
    service = NewsService(settings, role="eval")
    if service.store.is_empty():
        service.ingest([folder / "articles.jsonl"], actor="eval")
    return service


def evaluate(folder: Path, *, limit: int | None = None, split: str = "all", base: Settings | None = None,
             progress: Callable[[str, int, int], None] | None = None) -> dict[str, Any]:
    """Ask every question of the set (or a stratified ``limit`` of them, as the shared scorer picks) and score."""
    scorer = load_scorer()
    arts, qs = read_set(folder)
    texts = {k: a["text"] for k, a in arts.items()}
    if split != "all":
        qs = [q for q in qs if split_of(unit_of(q)) == split]
    qs = scorer.select(qs, limit or 0)
    service = set_service(folder, base)
    records = []
    try:
        for i, q in enumerate(qs, 1):
            started = time.perf_counter()
            answer = service.ask(q["q"]).to_json_dict()
            rec = {"id": q.get("id"), "question": q["q"], "expected": q["expect"], "got": answer["verdict"],
                   "kind": q.get("kind"), "qtype": q.get("qtype"), "split": split_of(unit_of(q)),
                   "seconds": round(time.perf_counter() - started, 3)}
            rec.update(scorer.score(q, answer, texts))
            rec["sides"] = [{"stance": s["stance"], "speaker": s["speaker"], "text": s["text"],
                             "cites": [c["article_id"] for c in answer["citations"] if c["n"] in s["citations"]]}
                            for s in answer["sides"]]
            records.append(rec)
            if progress:
                progress("asking", i, len(qs))
    finally:
        service.close()
    return {"summary": summarise(records), "records": records, "dir": str(folder)}


def unit_of(q: dict) -> str:
    return str(q.get("component") or q.get("id"))


def _share(xs: list) -> float | None:
    xs = [x for x in xs if x is not None]
    return round(sum(1 for x in xs if x) / len(xs), 3) if xs else None


def _block(rs: list[dict]) -> dict[str, Any]:
    return {"n": len(rs), "verdict_right": _share([r["verdict_right"] for r in rs]),
            "sides_right": _share([r["sides_right"] for r in rs]), "wrong_side": _share([r["wrong_side"] for r in rs]),
            "quotes_exact": _share([r["quotes_exact"] for r in rs]), "got": dict(Counter(r["got"] for r in rs))}


def summarise(records: list[dict]) -> dict[str, Any]:
    """The scorer's shares, overall, by expected verdict, by kind/qtype, and for the fit and check halves."""
    out: dict[str, Any] = _block(records)
    by: dict[str, dict[str, list[dict]]] = {"by_expect": defaultdict(list), "by_qtype": defaultdict(list),
                                            "by_split": defaultdict(list)}
    for r in records:
        by["by_expect"][r["expected"]].append(r)
        if r.get("qtype"):
            by["by_qtype"][f"{r.get('kind')}/{r['qtype']}"].append(r)
        by["by_split"][r["split"]].append(r)
    for name, groups in by.items():
        if groups:
            out[name] = {k: _block(v) for k, v in sorted(groups.items())}
    for split, rs in by["by_split"].items():
        out["by_split"][split]["by_expect"] = {k: _block([r for r in rs if r["expected"] == k])
                                               for k in sorted({r["expected"] for r in rs})}
    secs = sorted(r["seconds"] for r in records)
    out["p50_s"] = secs[len(secs) // 2] if secs else None
    out["p95_s"] = secs[min(len(secs) - 1, int(0.95 * (len(secs) - 1) + 0.5))] if secs else None
    return out
