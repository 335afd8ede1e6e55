"""The stance judge: judge(claim, statement) → supports / refutes / neutral, with a confidence.

One interface (:class:`Judge`), swappable like a model plugin. The offline judge (:class:`LearnedJudge`) is
two logistic models over :mod:`newsbot.engine.features`: *bearing* (does the statement take a position on
the claim?) and *polarity* (does it say the claim's positive form is false?). Polarity reads, among its
features, what a third model over the MiniLM vectors of claim and sentence says (:class:`VectorModel`): the
parse sees "not" and "hoax"; the vectors see a debunking piece's way of talking that no word list holds.
A claim that is itself a denial ("X didn't …", "FAKE NEWS: …") flips polarity: a statement that the positive claim is false agrees with it.

The weights live in ``data/judge.json`` with what they were fit on and the command that reproduces them
(``python scripts/train_judge.py``); no data set ships, only the weights.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from newsbot.engine.features import BEARING, POLARITY, SOURCE, Pair, features, source_features, vector
from newsbot.engine.lexicon import DATA
from newsbot.engine.question import Question
from newsbot.models import Stance

WEIGHTS = DATA / "judge.json"


@dataclass(frozen=True)
class Judgement:
    """A statement's stance on the claim with the judge's confidence in it, and how strongly it bears on it."""

    stance: Stance
    confidence: float
    bearing: float
    refuting: float  # P(the statement says the claim as asked is false | it bears on it)


@dataclass(frozen=True)
class Position:
    """One source's position on the claim, from all its statements: a stance and the confidence in it."""

    stance: Stance
    confidence: float
    takes: float  # P(the source takes a position at all)
    refuting: float  # P(it says the claim as asked is false | it takes one)


class Judge(Protocol):
    """Anything that can judge a statement against a claim, and a source's statements together."""

    def judge(self, q: Question, pair: Pair, values: dict[str, float] | None = None) -> Judgement: ...

    def position(self, q: Question, members: list[tuple[Judgement, dict[str, float]]], *,
                 outlet: bool = False) -> Position: ...


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, x))))


@dataclass
class LogisticModel:
    """A logistic model over named features (weights[0] is the bias)."""

    names: tuple[str, ...]
    weights: list[float]

    def prob(self, values: dict[str, float]) -> float:
        return _sigmoid(sum(w * x for w, x in zip(self.weights, vector(self.names, values), strict=True)))


VECTOR_SCALE = 20.0  # the claim-by-sentence product is small (unit vectors, 384 dimensions): scaled to weigh like
# the sentence
VECTOR_FORM = f"MiniLM sentence, sentence * claim * {VECTOR_SCALE:g}"  # what judge.json's vector weights were fit on


def vector_form(claim: np.ndarray, sentence: np.ndarray) -> np.ndarray:
    """What :class:`VectorModel` reads of a pair: the sentence's MiniLM vector, and its product with the claim's
    (how a debunking piece talks, and which of the claim's directions the sentence turns round)."""
    return np.concatenate([sentence, sentence * claim * VECTOR_SCALE])


@dataclass
class VectorModel:
    """A logistic model over :func:`vector_form`: P(the sentence says the claim's positive form is false)."""

    weights: np.ndarray  # bias first

    def prob(self, pair: Pair) -> float:
        if pair.vector is None or pair.claim_vector is None:
            return 0.5  # no vectors (a caller that did not encode): no evidence either way
        x = vector_form(pair.claim_vector, pair.vector)
        return _sigmoid(float(self.weights[0] + x @ self.weights[1:]))


class LearnedJudge:
    """The offline judge: bearing and polarity models plus the thresholds that turn them into a stance."""

    def __init__(self, path: Path = WEIGHTS) -> None:
        raw = json.loads(path.read_text(encoding="utf-8"))
        for part, names in (("bearing", BEARING), ("polarity", POLARITY), ("takes", SOURCE), ("false", SOURCE)):
            if part in raw and tuple(raw[part]["names"]) != names:
                raise ValueError(f"{path.name} was fit on other {part} features than the reader computes; "
                                 "refit it with `python scripts/train_judge.py`")
        self.bearing = LogisticModel(tuple(raw["bearing"]["names"]), raw["bearing"]["weights"])
        self.polarity = LogisticModel(tuple(raw["polarity"]["names"]), raw["polarity"]["weights"])
        self.takes = LogisticModel(tuple(raw["takes"]["names"]), raw["takes"]["weights"]) if "takes" in raw else None
        self.false = LogisticModel(tuple(raw["false"]["names"]), raw["false"]["weights"]) if "false" in raw else None
        if "vector" in raw and raw["vector"].get("form") != VECTOR_FORM:
            raise ValueError(f"{path.name}'s vector model was fit on another form than the reader computes; "
                             "refit it with `python scripts/train_judge.py`")
        self.vector = VectorModel(np.array(raw["vector"]["weights"], dtype=np.float32)) if "vector" in raw else None
        self.min_bearing: float = raw["thresholds"]["bearing"]
        self.min_confidence: float = raw["thresholds"]["confidence"]
        self.min_takes: float = raw["thresholds"].get("takes", 0.5)
        self.min_article: float = raw["thresholds"].get("article", 0.5)  # an article this sure is cited for its side only
        self.min_position: float = raw["thresholds"].get("position", self.min_confidence)  # a source of statements
        self.max_sides: int = int(raw["thresholds"].get("sides", 3))  # sources shown per stance
        self.provenance: dict = raw.get("provenance", {})

    def judge(self, q: Question, pair: Pair, values: dict[str, float] | None = None) -> Judgement:
        """``values``: the pair's :func:`features`, when the caller has them already (the reader does)."""
        values = features(q, pair) if values is None else values
        if other_subject(q, values) or (values["recall"] == 0.0 and not values["refers"]):
            return Judgement(Stance.CONTEXT, 1.0, 0.0, 0.5)  # about another proposition, or about nothing asked
        bearing = self.bearing.prob(values)
        vector_false = self.vector.prob(pair) if self.vector is not None else 0.5
        false_positive = self.polarity.prob(values | {"vector_false": vector_false})  # the positive claim is false
        refuting = 1.0 - false_positive if q.negated else false_positive
        return self.restance(q, Judgement(Stance.CONTEXT, 0.0, bearing, refuting))

    def restance(self, q: Question, j: Judgement) -> Judgement:
        """The stance and confidence of a judgement's probabilities under the current thresholds."""
        if j.bearing < self.min_bearing:
            return Judgement(Stance.CONTEXT, 1.0 - j.bearing, j.bearing, j.refuting)
        stance = Stance.REFUTES if j.refuting >= 0.5 else Stance.SUPPORTS
        confidence = j.bearing * (j.refuting if stance is Stance.REFUTES else 1.0 - j.refuting)
        if confidence < self.min_confidence:
            return Judgement(Stance.CONTEXT, confidence, j.bearing, j.refuting)
        return Judgement(stance, confidence, j.bearing, j.refuting)


    def position(self, q: Question, members: list[tuple[Judgement, dict[str, float]]], *,
                 outlet: bool = False) -> Position:
        """A source's stance. An article as a whole (``outlet``: every statement of it that bears on the claim,
        its own voice and those it quotes) is read by the source models — whether its statements, with how the
        article talks, take a position and which; that is what article-level labels teach. A quoted source, or
        a single statement, holds what its most confident statement says."""
        if self.takes is None or self.false is None or len(members) == 1 or not outlet:
            best = max(members, key=lambda m: m[0].confidence)[0]  # one statement is its own position
            return Position(best.stance, best.confidence, best.bearing, best.refuting)
        positive_false = [(j.bearing, 1.0 - j.refuting if q.negated else j.refuting, v) for j, v in members]
        values = source_features(positive_false)
        takes = self.takes.prob(values)
        false = self.false.prob(values)
        refuting = 1.0 - false if q.negated else false
        stance = Stance.REFUTES if refuting >= 0.5 else Stance.SUPPORTS
        confidence = takes * (refuting if stance is Stance.REFUTES else 1.0 - refuting)
        if takes < self.min_takes or confidence < self.min_position:
            return Position(Stance.CONTEXT, confidence, takes, refuting)
        return Position(stance, confidence, takes, refuting)


def other_subject(q: Question, values: dict[str, float]) -> bool:
    """The sentence states the claim's predicate of someone else ("we have nothing to apologize for", "he did
    not apologize to Zelensky" for "Did Zelensky apologize?"): another proposition, so it bears on nothing.
    An alignment precondition, not a weight: no data set here holds enough such pairs to learn it."""
    has_subject = any(t.role == "subject" and t.pos in ("PROPN", "NOUN") for t in q.terms)
    return has_subject and values["predicate"] == 1.0 and values["subject"] == 0.0


def fit_logistic(x: np.ndarray, y: np.ndarray, *, l2: float = 1.0, weights: np.ndarray | None = None,
                 iterations: int = 50) -> np.ndarray:
    """L2-regularised logistic regression by Newton's method (column 0 of ``x`` is the bias, not penalised)."""
    n, d = x.shape
    w = np.zeros(d)
    sw = np.ones(n) if weights is None else weights
    reg = np.full(d, l2)
    reg[0] = 1e-6
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        grad = x.T @ (sw * (p - y)) + reg * w
        hess = (x * (sw * p * (1 - p))[:, None]).T @ x + np.diag(reg)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-7:
            break
    return w


__all__ = ["BEARING", "POLARITY", "SOURCE", "Judge", "Judgement", "LearnedJudge", "LogisticModel", "Position",
           "VECTOR_FORM", "VectorModel", "fit_logistic", "vector_form"]
