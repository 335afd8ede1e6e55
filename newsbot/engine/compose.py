"""The offline reader: question → parse → statements → judge → compose → wording.

:class:`Reader` takes the retrieved passages (best first), parses their paragraphs, reads every sentence as a
statement with its speaker, judges each against the question's claim, and sorts them into sides: who says
yes and who says no (a yes/no claim), which value each source gives (who, when, how many …), or what the
sources report (an open question). Both positions present make the answer ``contested``; nothing that bears
on the question makes it ``not_found`` with no citations.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from newsbot.engine.features import Pair, article_features, context_lemmas, features, recall
from newsbot.engine.injection import is_tainted
from newsbot.engine.judge import Judge, Judgement, LearnedJudge
from newsbot.engine.lexicon import LEXICON
from newsbot.engine.parse import Parser, default_parser
from newsbot.engine.question import Question, analyze
from newsbot.engine.statements import Speaker, Statement, read_statements
from newsbot.engine.values import Value, number_key, same_value, values_in
from newsbot.engine.wording import CitationBook, side_for, summary_for
from newsbot.lru import LRU
from newsbot.models import Answer, Evidence, Side, Stance, Verdict, verdict_for

Encoder = Callable[[list[str]], np.ndarray]
MAX_SIDES = 3  # per stance
MAX_QUOTES = 3  # per side
VECTORS_KEPT = 20_000  # sentence vectors (1.5 KB each) and headlines kept by a Reader
MAX_JUDGED = 30  # sentences judged per question, best by word recall (60 judged more and found less: FNC-1 dev)
MIN_RECALL = 0.25  # share of the question's words a sentence (with its context) must state to be judged
CONTEXT_BEARING = 0.25  # bearing for relevant reporting shown as context
VALUE_RECALL = 0.5  # share of a value question's other words the answering sentence must state
VALUE_NAMES = 0.66  # share of the question's names (title-case words among them) the answering sentence states
_MEASURES = LEXICON.entities("measure")
CORROBORATION = 2  # sources a name read only loosely (another verb's place) needs
VALUE_MARGIN = 0.35  # a rival value this close to the best one's score makes the answer contested
OWN_BEARING = 0.4  # an outlet's sentence taking no side itself shows its article's side only bearing this much


@dataclass(frozen=True)
class Candidate:
    """A statement of a retrieved passage, judged, with its retrieval rank."""

    statement: Statement
    rank: int
    judgement: Judgement
    values: dict[str, float]
    before: Statement | None = None  # the sentence before it in its paragraph, which "it" and "this" point back to

    @property
    def group(self) -> str:
        st = self.statement
        return f"{st.sentence.article.id}|{st.key or 'outlet'}"


class Reader:
    """Reads retrieved passages for one question at a time (thread-safe; the parser and judge are shared)."""

    def __init__(self, parser: Parser | None = None, judge: Judge | None = None, encoder: Encoder | None = None):
        self.parser = parser or default_parser()
        self._judge = judge
        self._encoder = encoder
        self._lock = threading.Lock()
        self._vectors: LRU[str, np.ndarray] = LRU(VECTORS_KEPT)
        self._titles: LRU[str, frozenset[str]] = LRU(VECTORS_KEPT)

    @property
    def judge(self) -> Judge:
        with self._lock:
            if self._judge is None:
                self._judge = LearnedJudge()
            return self._judge

    def encode(self, texts: list[str]) -> np.ndarray:
        """MiniLM vectors of ``texts``. A sentence's vector is kept (LRU, :data:`VECTORS_KEPT`): questions on the
        same story retrieve the same sentences, and encoding them is most of an answer's time."""
        with self._lock:
            if self._encoder is None:
                from retrieval.embeddings import shared_onnx

                self._encoder = shared_onnx().embed_array
            encoder = self._encoder
        unique = list(dict.fromkeys(texts))
        found = {t: v for t in unique if (v := self._vectors.get(t)) is not None}
        missing = [t for t in unique if t not in found]
        if missing:
            for t, v in zip(missing, encoder(missing), strict=True):
                found[t] = v
                self._vectors.put(t, v)
        return np.stack([found[t] for t in texts])

    def title_lemmas(self, title: str) -> frozenset[str]:
        """A headline's lemmas and forms (kept: every question on an article asks for them again)."""
        hit = self._titles.get(title)
        if hit is None:
            hit = _title_lemmas(self.parser, title)
            self._titles.put(title, hit)
        return hit

    # --- the pipeline -------------------------------------------------------------------------------
    def read(self, question: str, evidence: Sequence[Evidence]) -> Answer:
        q = analyze(question, self.parser)
        candidates = self.candidates(q, evidence) if q.content and evidence else []
        return self.answer(q, candidates, question)

    def answer(self, q: Question, candidates: list[Candidate], asked: str | None = None) -> Answer:
        """Compose the answer from judged candidates (the last step of :meth:`read`)."""
        shown = " ".join((asked or q.text).split())
        answer = None
        if candidates:
            if q.kind == "value":
                answer = _value(q, candidates)
            elif q.kind == "open":
                answer = _open(q, candidates, self)
            else:
                answer = _yesno(q, candidates, self.judge)
        if answer is None:
            answer = Answer(question=shown, verdict=Verdict.NOT_FOUND, summary=summary_for(q, Verdict.NOT_FOUND, []))
        return answer.model_copy(update={"question": shown, "kind": q.kind})

    def statements(self, evidence: Sequence[Evidence]) -> list[tuple[Statement, int, bool]]:
        """Every statement of the retrieved passages' paragraphs: (statement, rank, inside a passage)."""
        by_article: dict[str, list[tuple[int, Evidence]]] = defaultdict(list)
        for rank, ev in enumerate(evidence):
            by_article[ev.article.id].append((rank, ev))
        out = []
        for items in by_article.values():
            article = items[0][1].article
            spans = [(ev.chunk.start, ev.chunk.end) for _, ev in items]
            sentences = self.parser.sentences(article, spans)
            for st in read_statements(sentences):
                s = st.sentence
                inside = [r for r, ev in items if s.start < ev.chunk.end and s.end > ev.chunk.start]
                out.append((st, min(inside) if inside else 10**6, bool(inside)))
        return out

    def candidates(self, q: Question, evidence: Sequence[Evidence]) -> list[Candidate]:
        """The passages' statements that state enough of the question, judged (best ranked first)."""
        read = self.statements(evidence)
        titles = {ev.article.id: self.title_lemmas(ev.article.title) for ev in evidence}
        by_article: dict[str, list[Statement]] = defaultdict(list)
        for st, _, _ in read:
            by_article[st.sentence.article.id].append(st)
        signals = {aid: article_features(sts) for aid, sts in by_article.items()}
        pairs: list[tuple[Pair, int]] = []
        for i, (st, rank, inside) in enumerate(read):
            if not inside or is_tainted(st.sentence.article.text, st.sentence.start, st.sentence.end):
                continue  # context only, or a planted instruction ("ignore previous instructions …")
            if sum(1 for t in st.sentence.span if t.is_alpha) < 3:
                continue  # "Zelensky recounted."
            before = read[i - 1][0] if i and read[i - 1][0].sentence.article.id == st.sentence.article.id else None
            after = read[i + 1][0] if i + 1 < len(read) and read[i + 1][0].sentence.article.id == \
                st.sentence.article.id else None
            pair = Pair(st, before, after, titles[st.sentence.article.id], 0.0)
            pairs.append((pair, rank))
        prelim = [(recall(q, context_lemmas(p)), -rank, p, rank) for p, rank in pairs]
        prelim = [x for x in prelim if x[0] >= MIN_RECALL]
        prelim.sort(key=lambda x: (-x[0], -x[1]))
        prelim = prelim[:MAX_JUDGED]
        if not prelim:
            return []
        about = sorted(signals[p.statement.sentence.article.id]["art_falsity"]
                       for p in {x[2].statement.sentence.article.id: x[2] for x in prelim}.values())
        median = about[len(about) // 2]
        for aid, sig in signals.items():  # how much more than the other articles on the question it calls false
            sig["art_falsity_rel"] = sig["art_falsity"] - median
        vectors = self.encode([q.claim or q.text] + [p.statement.sentence.text for _, _, p, _ in prelim])
        cos = vectors[1:] @ vectors[0]
        out = []
        for (_, _, p, rank), c, sent_vector in zip(prelim, cos, vectors[1:], strict=True):
            pair = Pair(p.statement, p.before, p.after, p.title_lemmas, float(c), vectors[0], sent_vector)
            values = features(q, pair) | signals[p.statement.sentence.article.id]
            before = p.before if p.before is not None and p.before.sentence.paragraph == p.statement.sentence.paragraph \
                else None
            out.append(Candidate(p.statement, rank, self.judge.judge(q, pair, values), values, before))
        out.sort(key=lambda c: (c.rank, c.statement.sentence.article.id, c.statement.sentence.start))
        return out


def _title_lemmas(parser: Parser, title: str) -> frozenset[str]:
    if not title:
        return frozenset()
    doc = parser.docs([title])[0]
    return frozenset(t.lemma_.lower() for t in doc if not t.is_punct) | frozenset(t.lower_ for t in doc)


# --- yes/no claims ------------------------------------------------------------------------------------
def _groups(cands: list[Candidate]) -> dict[str, list[Candidate]]:
    groups: dict[str, list[Candidate]] = defaultdict(list)
    for c in cands:
        groups[c.group].append(c)
    return groups


def _positions(q: Question, cands: list[Candidate], judge: Judge) -> list[tuple[Stance, float, list[Candidate]]]:
    """Each source's one position, with the statements that show it, best first.

    An article as a whole (all its statements that bear on the claim, with how it talks) takes a position,
    shown in its own voice (its unattributed statements); each source it quotes holds its own position too
    (Zelensky says yes, Eismont says no: one article, both sides). An article sure of its side
    (``min_article``: a debunking piece, a report that asserts the claim) is not cited for the other side:
    what it quotes against its side, it quotes in order to answer it."""
    out = []
    bearing = [c for c in cands if c.judgement.bearing >= CONTEXT_BEARING]
    by_article: dict[str, list[Candidate]] = defaultdict(list)
    for c in bearing:
        by_article[c.statement.sentence.article.id].append(c)
    for members in by_article.values():
        article = judge.position(q, [(c.judgement, c.values) for c in members], outlet=True)
        sided = article.stance is not Stance.CONTEXT
        own = [c for c in members if c.statement.speaker is None
               and (c.judgement.stance is article.stance or c.judgement.bearing >= OWN_BEARING)]
        if sided and own:  # the outlet's own voice holds the article's position, in statements that take it
            out.append((article.stance, article.confidence, sorted(own, key=lambda c: -c.judgement.bearing)))
        strong = sided and article.confidence >= getattr(judge, "min_article", 0.5)
        for group in _groups([c for c in members if c.statement.speaker is not None]).values():
            position = judge.position(q, [(c.judgement, c.values) for c in group])
            if position.stance is Stance.CONTEXT or (strong and position.stance is not article.stance):
                continue  # an article sure of its side quotes the other side in order to answer it
            if not any(_explicit(q, c, position.stance) for c in group):
                continue  # a quoted source is shown saying yes or no only in words that say so
            held = sorted(group, key=lambda c: (c.judgement.stance is not position.stance, -c.judgement.bearing))
            out.append((position.stance, position.confidence, held))
    out.sort(key=lambda x: -x[1])
    return out


def _explicit(q: Question, c: Candidate, stance: Stance) -> bool:
    """The statement says so in so many words: it states the claim's predicate, and to deny the claim's
    positive form it negates, denies or calls false what it states (a denial claim turns the sides round)."""
    v = c.values
    states = v["recall"] >= 0.5 and (v["predicate"] == 1.0 or (v["predicate"] == 0.5 and v["recall"] >= 0.75))
    if (stance is Stance.REFUTES) != q.negated:
        return states and bool(v["neg_content"] or v["denies_claim"] or v["falsity_linked"])
    return states


def _asks(q: Question, speaker: Speaker | None) -> bool:
    if speaker is None or not q.asked_terms:
        return False
    words = {re.sub(r"[’']s$", "", w.lower().strip(",.")) for w in f"{speaker.name} {speaker.role or ''}".split()}
    words.add(speaker.key)
    return bool(q.asked_terms & words)


def _yesno(q: Question, cands: list[Candidate], judge: Judge) -> Answer | None:
    positions = _positions(q, cands, judge)
    book = CitationBook()
    sides = []
    if q.asked_of:  # "Did Zelensky say …?": the asked source's words answer; everyone else's are context
        own = [p for p in positions if _asks(q, p[2][0].statement.speaker)]
        others = [p for p in positions if p not in own]
        for stance, _, held in own[:MAX_SIDES]:
            sides.append(side_for(q, stance, [c.statement for c in held[:MAX_QUOTES]], book))
        for stance, _, held in others[:2]:
            sides.append(side_for(q, Stance.CONTEXT, [c.statement for c in held[:MAX_QUOTES]], book, holds=stance))
        stances = {s.stance for s in sides}
        if not own and not others:
            return _context(q, cands)
    else:
        for stance in (Stance.SUPPORTS, Stance.REFUTES):
            for _, _, held in [p for p in positions if p[0] is stance][: getattr(judge, "max_sides", MAX_SIDES)]:
                hedged = all(c.statement.hedged for c in held)
                sides.append(side_for(q, stance, [c.statement for c in held[:MAX_QUOTES]], book, unconfirmed=hedged))
        stances = {s.stance for s in sides}
        if Stance.REFUTES in stances and Stance.SUPPORTS not in stances:
            claim = _reported_claim(positions)
            if claim is not None:  # "… denied reports that …": the claim was made, by whoever the article says
                speaker, statement = claim
                sides.insert(0, side_for(q, Stance.SUPPORTS, [statement], book, speaker=speaker, unconfirmed=True))
                stances.add(Stance.SUPPORTS)
        if not sides:
            return _context(q, cands)
    verdict = verdict_for(stances)
    return Answer(question=q.text, verdict=verdict, summary=summary_for(q, verdict, sides), sides=sides,
                  citations=book.citations)


def _reported_claim(positions: list[tuple[Stance, float, list[Candidate]]]) -> tuple[Speaker, Statement] | None:
    """The claim a denial answers, credited to whoever the article says made it ("dismissed La Repubblica's
    report that …"): the strongest refuting source whose denial names a claim."""
    for stance, _, held in positions:
        if stance is not Stance.REFUTES:
            continue
        for c in held:
            if c.statement.denies and c.statement.claimant is not None:
                return c.statement.claimant, c.statement
    return None


def _context(q: Question, cands: list[Candidate]) -> Answer | None:
    """Reporting that bears on the question but takes no side, or nothing (``None`` → not_found)."""
    sides, book = _reporting(q, cands, Stance.CONTEXT, sides=2, quotes=2)
    if not sides:
        return None
    return Answer(question=q.text, verdict=Verdict.CONTEXT, summary=summary_for(q, Verdict.CONTEXT, sides),
                  sides=sides, citations=book.citations)


def _reporting(q: Question, cands: list[Candidate], stance: Stance, *, sides: int,
               quotes: int) -> tuple[list[Side], CitationBook]:
    """The sources whose statements bear most on the question, one side each (best first)."""
    related = sorted((c for c in cands if c.judgement.bearing >= CONTEXT_BEARING),
                     key=lambda c: (-c.judgement.bearing, c.rank))
    book = CitationBook()
    out: list[Side] = []
    for members in list(_groups(related).values())[:sides]:
        out.append(side_for(q, stance, [x.statement for x in members[:quotes]], book))
    return out, book


# --- values -------------------------------------------------------------------------------------------
def _value(q: Question, cands: list[Candidate]) -> Answer | None:
    """Each value the sources give, as a side; two different values given as strongly make it contested.

    A value must stand in a sentence that states the question's numbers and names and most of its words,
    and (when the question has a verb) in the asked role of that verb. A name (not a date, count or amount)
    asked as the act's subject or object that stands only in that place of another verb ("collected the
    prize" for "Who won …?") is given when :data:`CORROBORATION` sources give it: one such sentence is as
    likely someone doing something else (chairing the final, making a debut). Nothing of the kind: not found
    — an answer of the right type from a sentence about something else would be a wrong value."""
    found: list[tuple[float, Value, Candidate]] = []
    for c in cands:
        v = c.values
        if v["recall_ctx"] < VALUE_RECALL or v["names"] < VALUE_NAMES or not _states_numbers(q, c):
            continue
        for value in values_in(q, c.statement):
            if value.role < 0.5:
                continue
            found.append((v["recall_ctx"] + v["cosine"] + value.role + 0.3 * value.specific, value, c))
    if not found:
        return None
    clusters: list[list[tuple[float, Value, Candidate]]] = []
    for item in sorted(found, key=lambda x: (-x[1].role, -x[0], x[2].rank)):
        home = next((cl for cl in clusters if any(same_value(item[1], w) for _, w, _ in cl)), None)
        if home is None:
            clusters.append([item])
        else:
            home.append(item)
    if q.wh_role in ("subject", "object") and not q.answer_types & _MEASURES:  # a name in another act's place
        # is someone doing something else (a place a preposition gives is no one's act: "came from Belarus")
        clusters = [cl for cl in clusters if max(v.role for _, v, _ in cl) >= 1.0
                    or len({c.statement.sentence.article.id for _, _, c in cl}) >= CORROBORATION]
    if not clusters:
        return None
    best = clusters[0][0][0]
    lead = clusters[0][0][1]  # the value standing best in the asked role, then the best stated
    rivals = [cl for cl in clusters[1:] if cl[0][0] >= best - VALUE_MARGIN
              and cl[0][1].specific >= lead.specific and cl[0][1].role >= lead.role][: MAX_SIDES - 1]
    book = CitationBook()
    sides = []
    for cl in [clusters[0], *rivals]:
        shown = max((v for _, v, _ in cl), key=lambda v: len(v.text))
        statements = list(dict.fromkeys(c.statement for _, _, c in cl))[:MAX_QUOTES]
        sides.append(side_for(q, Stance.SUPPORTS, statements, book, value=shown.text))
    verdict = Verdict.CONTESTED if rivals else Verdict.SUPPORTED
    return Answer(question=q.text, verdict=verdict, summary=summary_for(q, verdict, sides), sides=sides,
                  citations=book.citations)


def _states_numbers(q: Question, c: Candidate) -> bool:
    """Every number the question gives ("in 2019", "Splatoon 2") is in the sentence or the one it points back to."""
    if not q.numbers:
        return True
    spans = [c.statement.sentence.span] + ([c.before.sentence.span] if c.before is not None else [])
    have = {k for span in spans for t in span if (t.like_num or t.pos_ == "NUM") and (k := number_key(t.text))}
    return q.numbers <= have


# --- open questions -----------------------------------------------------------------------------------
def _open(q: Question, cands: list[Candidate], reader: Reader) -> Answer | None:
    """What the sources report on an open question, each source a side; contested when the best answers
    contradict each other (the best one read as a claim, the judge reads the others against it)."""
    if q.asked_terms:
        cands = [c for c in cands if _asks(q, c.statement.speaker)]
    sides, book = _reporting(q, cands, Stance.SUPPORTS, sides=MAX_SIDES, quotes=MAX_QUOTES)
    if not sides:
        return None
    verdict = Verdict.SUPPORTED
    rivals = _contradicting(q, cands, reader)
    if rivals:
        for side in sides:
            if any(n in side.citations for n in rivals(book)):
                side.stance = Stance.REFUTES
        if any(s.stance is Stance.REFUTES for s in sides) and any(s.stance is Stance.SUPPORTS for s in sides):
            verdict = Verdict.CONTESTED
        else:
            for side in sides:
                side.stance = Stance.SUPPORTS
    return Answer(question=q.text, verdict=verdict, summary=summary_for(q, verdict, sides), sides=sides,
                  citations=book.citations)


def _contradicting(q: Question, cands: list[Candidate], reader: Reader):  # noqa: ANN202 - a citation-number finder
    """The best-bearing answers that the judge reads as refuting the best one, if any: a function from the
    answer's citation book to their citation numbers."""
    ranked = sorted((c for c in cands if c.judgement.bearing >= CONTEXT_BEARING), key=lambda c: -c.judgement.bearing)
    if len(ranked) < 2:
        return None
    top = ranked[0]
    claim = analyze(f"Is it true that {top.statement.sentence.text.rstrip('.!?')}?", reader.parser)
    others = [c for c in ranked[1 : MAX_SIDES * MAX_QUOTES] if c.group != top.group]
    against = [c for c in reader.candidates(claim, _as_evidence(others))
               if c.judgement.stance is Stance.REFUTES]
    if not against:
        return None
    spans = {(c.statement.sentence.article.id, c.statement.sentence.start) for c in against}
    return lambda book: {x.n for x in book.citations if (x.article_id, x.start) in spans}


def _as_evidence(cands: list[Candidate]) -> list[Evidence]:
    """Each candidate's sentence as a passage of its own, so the reader reads exactly those sentences."""
    from newsbot.models import Chunk

    out = []
    for c in cands:
        s = c.statement.sentence
        chunk = Chunk(id=f"{s.article.id}@{s.start}", article_id=s.article.id, index=0, text=s.text, start=s.start,
                      end=s.end)
        out.append(Evidence(chunk=chunk, article=s.article))
    return out


@lru_cache(maxsize=1)
def default_reader() -> Reader:
    """The process's reader over the default parser (tests and callers without a service)."""
    return Reader()


def compose(question: str, evidence: Sequence[Evidence], reader: Reader | None = None) -> Answer:
    """The balanced, cited answer to ``question`` from ``evidence`` (best first)."""
    return (reader or default_reader()).read(question, evidence)
