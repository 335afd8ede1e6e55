"""`newsbot eval cases`: the offline reader's evaluation set, kept as data, and the scorer that runs it.

The set (``cases/reader_cases.yaml``) holds one record per behaviour the engine's one-test-per-rule
files checked (issue 16): the articles, the question, and what the answer must show, normalised into
fields (verdict, sides with stance, speaker, audience, time and value, quotes, wording). A new reader
is scored on it end to end through ``compose(question, evidence)``, with no store: each article is cut
into fixed windows, in order, as if retrieved (as ``tests/engine_helpers.py`` does), so a case's
outcome depends on the reader alone.

Every expectation is one or more *checks*, each of one *aspect* (verdict, sides, speaker, audience,
value, quote, wording), so the summary says where a reader falls short as well as how often.
A case passes when all its checks pass.

An expected side is met by some side of the answer ("the answer has a refuting side whose speaker
names Eismont"). Its fields are checked in aspect order, each level with the ones before it: "a
refuting side" (sides), "a refuting side whose speaker names Eismont" (speaker), "… told RBC"
(audience), and so on, so a wrong speaker is counted under speaker and not as a missing side.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from newsbot.models import Answer, Article, Chunk, Evidence, Side, Stance, Verdict
from newsbot.settings import PROJECT_ROOT

#: The reader's evaluation set.
DEFAULT_CASES = Path(__file__).resolve().parent / "cases" / "reader_cases.yaml"
#: The seed article a case names with ``seed: true``, read as the engine tests read it.
SEED_FILE = PROJECT_ROOT / "seeds" / "meduza-lukashenko-apology.md"
#: Window size of the fixed retrieval windows (the engine tests' default).
WINDOW = 600
#: Defaults of an article a case writes out (those of ``tests/engine_helpers.article``).
DEFAULT_PUBLISHER = "Wire"
DEFAULT_PUBLISHED = "2024-05-01"

Aspect = Literal["verdict", "sides", "speaker", "audience", "value", "quote", "wording"]
#: The aspects in the order a side's fields are checked and the summary lists them.
ASPECTS: tuple[Aspect, ...] = ("verdict", "sides", "speaker", "audience", "value", "quote", "wording")
Compose = Callable[[str, list[Evidence]], Answer]

_ID_RE = re.compile(r"^[a-z][a-z_]*(\.[a-z0-9][a-z0-9-]*)+$")
_SOURCE_RE = re.compile(r"^[\w./-]+\.py::test_\w+$")


def _listed(value: Any) -> Any:
    """One value written alone stands for a list of one (``summary_contains: "…"``)."""
    return [value] if isinstance(value, str | Verdict) else value


StrList = Annotated[list[str], BeforeValidator(_listed)]
VerdictList = Annotated[list[Verdict], BeforeValidator(_listed)]
StanceList = Annotated[list[Stance], BeforeValidator(_listed)]


class ArticleSpec(BaseModel):
    """One article of a case: the seed by reference, or a text with optional metadata."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    seed: bool = False
    text: str | None = None
    id: str | None = None
    title: str | None = None
    publisher: str | None = None
    published: str | None = None

    @model_validator(mode="after")
    def _seed_or_text(self) -> ArticleSpec:
        if self.seed == (self.text is not None):
            raise ValueError("an article is either `seed: true` or has a `text`")
        if self.seed and self.model_fields_set - {"seed"}:
            raise ValueError("the seed article takes no other field")
        return self


class SideSpec(BaseModel):
    """A side the answer must (``sides``) or must not (``no_side``) have; every field given must hold.

    ``speaker``, ``audience``, ``when`` and ``answer`` compare exactly, and ``null`` means the side has
    none; the ``_contains`` forms compare a substring (``speaker_contains`` may list several, all
    required). ``stance`` may list acceptable stances.
    ``first`` means the side must be the answer's first. ``holder`` is the speaker, or where there is
    none the text before the side's first colon (who the side is worded as). ``quote_contains``: one
    of the side's own citations quotes it.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    stance: StanceList | None = None
    first: bool = False
    speaker: str | None = None
    speaker_contains: StrList | None = None
    holder: str | None = None
    audience: str | None = None
    audience_contains: str | None = None
    when: str | None = None
    when_contains: str | None = None
    answer: str | None = None
    answer_contains: str | None = None
    quote_contains: str | None = None
    text_contains: str | None = None
    text_not_contains: str | None = None
    text_endswith: str | None = None

    def given(self) -> list[str]:
        """The fields this spec sets, in aspect order (``first: false`` is no constraint)."""
        return [f for f in _SIDE_FIELDS if f in self.model_fields_set and (f != "first" or self.first)]


#: Each side field's aspect, in the order the fields are checked.
_SIDE_FIELDS: dict[str, Aspect] = {
    "stance": "sides", "first": "sides",
    "speaker": "speaker", "speaker_contains": "speaker", "holder": "speaker",
    "audience": "audience", "audience_contains": "audience", "when": "audience", "when_contains": "audience",
    "answer": "value", "answer_contains": "value",
    "quote_contains": "quote",
    "text_contains": "wording", "text_not_contains": "wording", "text_endswith": "wording",
}


class CitationMeta(BaseModel):
    """What every citation must carry of its article."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str | None = None
    publisher: str | None = None
    published: str | None = None
    url_startswith: str | None = None


class Expectations(BaseModel):
    """What a case's answer must show. Every field is optional; each one given is checked.

    verdict: the verdict, or a list of acceptable ones; not_verdict: verdicts it must not be.
    kind: the answer's ``kind`` (yesno / value / open). question_shown: ``answer.question``.
    sides / no_side: see :class:`SideSpec` (each spec is met by some side, independently);
    sides_only: every side meets one of ``sides``; stance_counts: exactly so many sides of a stance;
    side_count: exactly so many sides. values: the set of the sides' values ("" for a side without
    one); answers: the sides' values in order; values_exclude: values no side gives;
    value_contains / all_values_contain / no_value_contains: a substring some / every / no value has;
    values_in_quotes: every side's value is in each quote it cites. quote_contains /
    quote_not_contains: some / no citation quotes it; first_quote(_contains): the first citation;
    cites_nothing: no citations; cited_articles: the set of cited article ids; citation_count;
    quotes_exact: every quote is its article's text at its offsets and the sides cite exactly the
    citations; citation_meta: see :class:`CitationMeta`. summary (exact), summary_contains,
    summary_not_contains, summary_startswith, summary_endswith: the summary's wording.
    any_of: alternatives, one of which must hold in full.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    verdict: VerdictList | None = None
    not_verdict: VerdictList | None = None
    kind: Literal["yesno", "value", "open"] | None = None
    question_shown: str | None = None
    sides: list[SideSpec] = Field(default_factory=list)
    no_side: list[SideSpec] = Field(default_factory=list)
    sides_only: bool = False
    stance_counts: dict[Stance, int] | None = None
    side_count: int | None = None
    values: list[str] | None = None
    answers: list[str | None] | None = None
    values_exclude: StrList = Field(default_factory=list)
    value_contains: str | None = None
    all_values_contain: str | None = None
    no_value_contains: str | None = None
    values_in_quotes: bool = False
    quote_contains: StrList = Field(default_factory=list)
    quote_not_contains: StrList = Field(default_factory=list)
    first_quote: str | None = None
    first_quote_contains: str | None = None
    cites_nothing: bool = False
    cited_articles: list[str] | None = None
    citation_count: int | None = None
    quotes_exact: bool = False
    citation_meta: CitationMeta | None = None
    summary: str | None = None
    summary_contains: StrList = Field(default_factory=list)
    summary_not_contains: StrList = Field(default_factory=list)
    summary_startswith: str | None = None
    summary_endswith: str | None = None
    any_of: list[Expectations] = Field(default_factory=list)

    def expects_something(self) -> bool:
        """Whether any expectation is set (a case that checks nothing is a conversion slip)."""
        return bool(self.model_fields_set & set(Expectations.model_fields))


class Case(Expectations):
    """One case: where it came from, what it checks in words, its input, and its expectations.

    ``internal_check`` records the assertion on an engine internal that the case stands in for
    end to end, where it does.
    """

    id: str
    source: str
    note: str
    question: str
    articles: list[ArticleSpec]
    internal_check: str | None = None

    @model_validator(mode="after")
    def _well_formed(self) -> Case:
        if not _ID_RE.match(self.id):
            raise ValueError(f"id {self.id!r} is not of the form file.what-it-checks (lower case, dots, dashes)")
        if not _SOURCE_RE.match(self.source):
            raise ValueError(f"source {self.source!r} is not of the form tests/FILE.py::test_name")
        if not self.note.strip():
            raise ValueError("note is empty")
        if not self.expects_something():
            raise ValueError("the case expects nothing")
        return self

    @property
    def source_file(self) -> str:
        """The test file the case came from (the summary's per-file grouping)."""
        return self.source.split("::", 1)[0]


class CaseFileError(ValueError):
    """The case file cannot be read or a case in it is malformed (the message says which)."""


@dataclass
class Check:
    """One checked expectation: its aspect, what it asked, whether it held, and why not."""

    aspect: Aspect
    what: str
    passed: bool
    reason: str = ""


@dataclass
class CaseResult:
    """A case's outcome: passed when every check held and ``compose`` did not fail."""

    id: str
    source: str
    note: str
    passed: bool
    checks: list[Check] = field(default_factory=list)
    error: str | None = None
    verdict: str | None = None
    summary: str | None = None

    @property
    def reasons(self) -> list[str]:
        """Why the case failed, one line per failed check (or the error)."""
        if self.error:
            return [self.error]
        return [f"{c.aspect}: {c.reason}" for c in self.checks if not c.passed]

    def to_dict(self) -> dict:
        """The JSON shape of ``--out``."""
        return {**asdict(self), "reasons": self.reasons}


# ---------------------------------------------------------------------------- loading and selection


def load_cases(path: Path = DEFAULT_CASES) -> list[Case]:
    """The cases of a case file (a mapping with ``cases:``; other keys such as ``texts:`` hold YAML anchors).

    Raises :class:`CaseFileError` naming the case when the file is unreadable, a case is malformed
    (unknown fields are errors, so a misspelt expectation cannot pass silently) or an id repeats.
    """
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CaseFileError(f"cannot read {path}: {exc}") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("cases"), list):
        raise CaseFileError(f"{path}: expected a mapping with a list under `cases`")
    cases: list[Case] = []
    for n, record in enumerate(raw["cases"], 1):
        label = record.get("id", f"#{n}") if isinstance(record, dict) else f"#{n}"
        try:
            cases.append(Case.model_validate(record))
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'case'}: {e['msg']}" for e in exc.errors())
            raise CaseFileError(f"{path}: case {label}: {problems}") from exc
    repeated = [i for i, k in Counter(c.id for c in cases).items() if k > 1]
    if repeated:
        raise CaseFileError(f"{path}: ids repeated: {', '.join(sorted(repeated))}")
    return cases


def select(cases: Sequence[Case], prefixes: Iterable[str] = ()) -> list[Case]:
    """The cases whose id starts with one of ``prefixes`` (all when none is given).

    Raises ``ValueError`` when prefixes are given and no case matches, so a typo is not a 0-case run.
    """
    wanted = tuple(p for p in prefixes if p)
    if not wanted:
        return list(cases)
    chosen = [c for c in cases if c.id.startswith(wanted)]
    if not chosen:
        raise ValueError(f"no case id starts with {' or '.join(map(repr, wanted))}")
    return chosen


# ---------------------------------------------------------------------------- input


@cache
def seed_article() -> Article:
    """The seed article parsed straight from its file (front matter + verbatim body), as the engine tests do."""
    raw = SEED_FILE.read_text(encoding="utf-8")
    _, front, body = raw.split("---\n", 2)
    meta = yaml.safe_load(front)
    return Article(id=meta["id"], title=meta["title"], text=body, publisher=meta["publisher"],
                   published=str(meta["published"]), url=meta["url"])


def build_articles(case: Case) -> list[Article]:
    """A case's articles: the seed, or its text with id ``a0``, ``a1``, … by position and the tests' defaults."""
    out: list[Article] = []
    for n, spec in enumerate(case.articles):
        if spec.seed:
            out.append(seed_article())
            continue
        art_id = spec.id or f"a{n}"
        out.append(Article(id=art_id, title=spec.title if spec.title is not None else f"Story {art_id}",
                           text=spec.text or "", publisher=spec.publisher or DEFAULT_PUBLISHER,
                           published=spec.published or DEFAULT_PUBLISHED))
    return out


def windows(articles: Sequence[Article], size: int = WINDOW) -> list[Evidence]:
    """Each article cut into fixed-size windows, in order, as if retrieved (no store, no scores)."""
    out: list[Evidence] = []
    for art in articles:
        for n, start in enumerate(range(0, len(art.text), size)):
            end = min(len(art.text), start + size)
            chunk = Chunk(id=f"{art.id}#{n}", article_id=art.id, index=n, text=art.text[start:end],
                          start=start, end=end)
            out.append(Evidence(chunk=chunk, article=art))
    return out


# ---------------------------------------------------------------------------- checks


def _show(side: Side) -> str:
    """A side in one line, for reasons."""
    extra = ", ".join(f"{k}={v!r}" for k, v in (("speaker", side.speaker), ("audience", side.audience),
                                                ("when", side.when), ("answer", side.answer)) if v is not None)
    return f"[{side.stance.value}{'; ' + extra if extra else ''}] {side.text!r}"


def _show_sides(answer: Answer) -> str:
    return "; ".join(_show(s) for s in answer.sides) or "no sides"


def _holder(side: Side) -> str:
    return side.speaker or side.text.split(":", 1)[0]


def _side_field_ok(name: str, spec: SideSpec, side: Side, index: int, answer: Answer) -> bool:
    """Whether ``side`` (at ``index`` in the answer) meets one field of ``spec``."""
    want = getattr(spec, name)
    if name == "stance":
        return side.stance in want
    if name == "first":
        return index == 0
    if name in ("speaker", "audience", "when", "answer"):
        return getattr(side, name) == want
    if name == "speaker_contains":
        return all(part in (side.speaker or "") for part in want)
    if name in ("audience_contains", "when_contains", "answer_contains"):
        return want in (getattr(side, name.removesuffix("_contains")) or "")
    if name == "holder":
        return _holder(side) == want
    if name == "quote_contains":
        quotes = {c.n: c.quote for c in answer.citations}
        return any(want in quotes.get(n, "") for n in side.citations)
    if name == "text_contains":
        return want in side.text
    if name == "text_not_contains":
        return want not in side.text
    if name == "text_endswith":
        return side.text.endswith(want)
    raise AssertionError(name)  # every field of _SIDE_FIELDS is handled above


def _describe(spec: SideSpec, names: Sequence[str]) -> str:
    parts = []
    for name in names:
        value = getattr(spec, name)
        if name == "stance":
            parts.insert(0, "/".join(s.value for s in value))
        elif name == "first":
            parts.append("first")
        else:
            parts.append(f"{name}={value!r}")
    return "side " + (" ".join(parts) if parts else "(any)")


def _side_checks(specs: Sequence[SideSpec], answer: Answer) -> list[Check]:
    """One check per spec and aspect it names: some side meets the spec's fields of that aspect and before."""
    checks: list[Check] = []
    order = ASPECTS[1:]
    for spec in specs:
        names = spec.given()
        for level, aspect in enumerate(order):
            if not any(_SIDE_FIELDS[f] == aspect for f in names):
                continue
            fields = [f for f in names if order.index(_SIDE_FIELDS[f]) <= level]
            ok = any(all(_side_field_ok(f, spec, s, j, answer) for f in fields) for j, s in enumerate(answer.sides))
            described = _describe(spec, fields)
            checks.append(Check(aspect, f"a {described}", ok,
                                "" if ok else f"no {described}; sides: {_show_sides(answer)}"))
    return checks


def _sides_only_check(specs: Sequence[SideSpec], answer: Answer) -> Check:
    """Every side of the answer is one of the expected sides (with ``sides``: the sides are exactly those)."""
    names = [s.given() for s in specs]
    aspect = max((_SIDE_FIELDS[f] for fs in names for f in fs), key=ASPECTS.index, default="sides")
    extra = [s for j, s in enumerate(answer.sides)
             if not any(all(_side_field_ok(f, spec, s, j, answer) for f in fs) for spec, fs in zip(specs, names))]
    return Check(aspect, "no side but the expected ones", not extra, f"unexpected {_show(extra[0])}" if extra else "")


def _no_side_checks(specs: Sequence[SideSpec], answer: Answer) -> list[Check]:
    checks: list[Check] = []
    for spec in specs:
        names = spec.given()
        aspect = max((_SIDE_FIELDS[f] for f in names), key=ASPECTS.index, default="sides")
        hits = [s for j, s in enumerate(answer.sides) if all(_side_field_ok(f, spec, s, j, answer) for f in names)]
        what = f"no {_describe(spec, names)}"
        checks.append(Check(aspect, what, not hits, f"found {_show(hits[0])}" if hits else ""))
    return checks


def _check(checks: list[Check], aspect: Aspect, what: str, ok: bool, reason: Callable[[], str]) -> None:
    checks.append(Check(aspect, what, ok, "" if ok else reason()))


def check_answer(exp: Expectations, answer: Answer, articles: Sequence[Article] = ()) -> list[Check]:
    """Every check ``exp`` asks of ``answer`` (``articles`` are the case's, for ``quotes_exact``)."""
    out: list[Check] = []
    verdict = answer.verdict.value
    if exp.verdict is not None:
        want = [v.value for v in exp.verdict]
        _check(out, "verdict", f"verdict {' or '.join(want)}", answer.verdict in exp.verdict,
               lambda: f"verdict is {verdict}, expected {' or '.join(want)}; summary: {answer.summary!r}")
    if exp.not_verdict is not None:
        banned = [v.value for v in exp.not_verdict]
        _check(out, "verdict", f"verdict not {' nor '.join(banned)}", answer.verdict not in exp.not_verdict,
               lambda: f"verdict is {verdict}, which it must not be; summary: {answer.summary!r}")
    if exp.kind is not None:
        _check(out, "value", f"kind {exp.kind}", answer.kind == exp.kind,
               lambda: f"kind is {answer.kind}, expected {exp.kind}")
    if exp.question_shown is not None:
        _check(out, "wording", "question shown as asked", answer.question == exp.question_shown,
               lambda: f"question shown as {answer.question!r}, expected {exp.question_shown!r}")

    if exp.stance_counts is not None:
        for stance, n in exp.stance_counts.items():
            have = sum(s.stance is stance for s in answer.sides)
            _check(out, "sides", f"{n} {stance.value} side(s)", have == n,
                   lambda have=have, n=n, stance=stance: f"{have} {stance.value} side(s), expected {n}; "
                                                         f"sides: {_show_sides(answer)}")
    if exp.side_count is not None:
        _check(out, "sides", f"{exp.side_count} side(s)", len(answer.sides) == exp.side_count,
               lambda: f"{len(answer.sides)} side(s), expected {exp.side_count}; sides: {_show_sides(answer)}")
    out += _side_checks(exp.sides, answer)
    if exp.sides_only:
        out.append(_sides_only_check(exp.sides, answer))
    out += _no_side_checks(exp.no_side, answer)

    values = {s.answer or "" for s in answer.sides}
    if exp.values is not None:
        _check(out, "value", f"values {sorted(exp.values)}", values == set(exp.values),
               lambda: f"values are {sorted(values)}, expected {sorted(exp.values or [])}")
    if exp.answers is not None:
        given = [s.answer for s in answer.sides]
        _check(out, "value", f"answers {exp.answers}", given == exp.answers,
               lambda: f"answers are {given}, expected {exp.answers}")
    for value in exp.values_exclude:
        _check(out, "value", f"no value {value!r}", value not in values, lambda value=value: f"a side gives {value!r}")
    if exp.value_contains is not None:
        _check(out, "value", f"a value with {exp.value_contains!r}", any(exp.value_contains in v for v in values),
               lambda: f"values are {sorted(values)}")
    if exp.all_values_contain is not None:
        _check(out, "value", f"every value with {exp.all_values_contain!r}",
               all(exp.all_values_contain in v for v in values), lambda: f"values are {sorted(values)}")
    if exp.no_value_contains is not None:
        _check(out, "value", f"no value with {exp.no_value_contains!r}",
               not any(exp.no_value_contains in v for v in values), lambda: f"values are {sorted(values)}")

    quotes = [c.quote for c in answer.citations]
    by_n = {c.n: c.quote for c in answer.citations}
    if exp.values_in_quotes:
        bad = [s for s in answer.sides if not s.answer or not all(s.answer in by_n.get(n, "") for n in s.citations)]
        _check(out, "quote", "each side's value in the quotes it cites", not bad,
               lambda: f"not so for {_show(bad[0])}")
    for text in exp.quote_contains:
        _check(out, "quote", f"a quote with {text!r}", any(text in q for q in quotes),
               lambda text=text: f"no citation quotes {text!r}; quotes: {quotes}")
    for text in exp.quote_not_contains:
        _check(out, "quote", f"no quote with {text!r}", not any(text in q for q in quotes),
               lambda text=text: f"a citation quotes {text!r}: {next(q for q in quotes if text in q)!r}")
    if exp.first_quote is not None:
        _check(out, "quote", "the first quote", bool(quotes) and quotes[0] == exp.first_quote,
               lambda: f"first quote is {quotes[0] if quotes else None!r}, expected {exp.first_quote!r}")
    if exp.first_quote_contains is not None:
        _check(out, "quote", f"the first quote with {exp.first_quote_contains!r}",
               bool(quotes) and exp.first_quote_contains in quotes[0],
               lambda: f"first quote is {quotes[0] if quotes else None!r}")
    if exp.cites_nothing:
        _check(out, "quote", "no citations", not quotes, lambda: f"{len(quotes)} citation(s): {quotes}")
    if exp.cited_articles is not None:
        cited = {c.article_id for c in answer.citations}
        _check(out, "quote", f"cites articles {sorted(exp.cited_articles)}", cited == set(exp.cited_articles),
               lambda: f"cites articles {sorted(cited)}")
    if exp.citation_count is not None:
        _check(out, "quote", f"{exp.citation_count} citation(s)", len(quotes) == exp.citation_count,
               lambda: f"{len(quotes)} citation(s): {quotes}")
    if exp.quotes_exact:
        out.append(_exact_quotes(answer, articles))
    if exp.citation_meta is not None:
        out.append(_citation_meta(exp.citation_meta, answer))

    summary = answer.summary
    if exp.summary is not None:
        _check(out, "wording", "the summary", summary == exp.summary, lambda: f"summary is {summary!r}")
    for text in exp.summary_contains:
        _check(out, "wording", f"summary with {text!r}", text in summary,
               lambda: f"summary is {summary!r}")
    for text in exp.summary_not_contains:
        _check(out, "wording", f"summary without {text!r}", text not in summary,
               lambda: f"summary is {summary!r}")
    if exp.summary_startswith is not None:
        _check(out, "wording", f"summary starting {exp.summary_startswith!r}",
               summary.startswith(exp.summary_startswith), lambda: f"summary is {summary!r}")
    if exp.summary_endswith is not None:
        _check(out, "wording", f"summary ending {exp.summary_endswith!r}", summary.endswith(exp.summary_endswith),
               lambda: f"summary is {summary!r}")
    if exp.any_of:
        out.append(_any_of(exp.any_of, answer, articles))
    return out


def _exact_quotes(answer: Answer, articles: Sequence[Article]) -> Check:
    texts = {a.id: a.text for a in articles}
    wrong = [c.n for c in answer.citations if texts.get(c.article_id, "")[c.start : c.end] != c.quote]
    cited = {n for side in answer.sides for n in side.citations}
    numbered = {c.n for c in answer.citations}
    problems = ([f"citations {wrong} do not quote their article's text at their offsets"] if wrong else []) + \
               ([f"sides cite {sorted(cited)} but the citations are {sorted(numbered)}"] if cited != numbered else [])
    return Check("quote", "quotes exact and all cited by a side", not problems, "; ".join(problems))


def _citation_meta(meta: CitationMeta, answer: Answer) -> Check:
    problems = []
    for c in answer.citations:
        for name in ("title", "publisher", "published"):
            want = getattr(meta, name)
            if want is not None and getattr(c, name) != want:
                problems.append(f"citation {c.n} {name} is {getattr(c, name)!r}, expected {want!r}")
        if meta.url_startswith is not None and not c.url.startswith(meta.url_startswith):
            problems.append(f"citation {c.n} url is {c.url!r}")
    return Check("quote", "citations carry their article's metadata", not problems, "; ".join(problems))


def _any_of(alternatives: Sequence[Expectations], answer: Answer, articles: Sequence[Article]) -> Check:
    runs = [check_answer(alt, answer, articles) for alt in alternatives]
    aspects = [c.aspect for run in runs for c in run] or ["verdict"]
    aspect = max(aspects, key=ASPECTS.index)
    ok = any(all(c.passed for c in run) for run in runs)
    what = "one of: " + " | ".join(", ".join(c.what for c in run) for run in runs)
    reason = "none holds: " + " | ".join("; ".join(c.reason for c in run if not c.passed) for run in runs)
    return Check(aspect, what, ok, "" if ok else reason)


# ---------------------------------------------------------------------------- running


def _engine_compose() -> Compose:
    from newsbot.engine import compose  # the engine is heavy; imported when a case is run

    return compose


def run_case(case: Case, compose: Compose | None = None) -> CaseResult:
    """Ask the case's question of its articles' windows and check every expectation.

    An exception from ``compose`` fails the case with the exception as its reason, so one crash
    does not stop a run.
    """
    compose = compose or _engine_compose()
    articles = build_articles(case)
    result = CaseResult(id=case.id, source=case.source, note=case.note, passed=False)
    try:
        answer = compose(case.question, windows(articles))
    except Exception as exc:  # noqa: BLE001 - a crash is this case's failure, not the run's
        result.error = f"compose raised {type(exc).__name__}: {exc}"
        # the checks it would have made, all failed, so the per-aspect counts still include the case
        blank = Answer(question=case.question, verdict=Verdict.NOT_FOUND, summary="")
        result.checks = [Check(c.aspect, c.what, False, result.error) for c in check_answer(case, blank, articles)]
        return result
    result.verdict, result.summary = answer.verdict.value, answer.summary
    result.checks = check_answer(case, answer, articles)
    result.passed = all(c.passed for c in result.checks)
    return result


def summarize(results: Sequence[CaseResult]) -> dict:
    """Shares passed: overall, per aspect (cases checking it and checks), and per source file.

    A case counts as passed for an aspect when all its checks of that aspect hold.
    """
    def share(passed: int, total: int) -> float:
        return passed / total if total else 1.0

    by_aspect: dict[str, dict] = {}
    for aspect in ASPECTS:
        mine = [[c for c in r.checks if c.aspect == aspect] for r in results]
        mine_cases = [cs for cs in mine if cs]
        cases_passed = sum(all(c.passed for c in cs) for cs in mine_cases)
        checks = sum(len(cs) for cs in mine)
        checks_passed = sum(c.passed for cs in mine for c in cs)
        by_aspect[aspect] = {"cases": len(mine_cases), "passed": cases_passed,
                             "share": share(cases_passed, len(mine_cases)),
                             "checks": checks, "checks_passed": checks_passed}
    by_source: dict[str, dict] = {}
    for r in results:
        row = by_source.setdefault(r.source.split("::", 1)[0], {"cases": 0, "passed": 0})
        row["cases"] += 1
        row["passed"] += r.passed
    for row in by_source.values():
        row["share"] = share(row["passed"], row["cases"])
    passed = sum(r.passed for r in results)
    return {"cases": len(results), "passed": passed, "share": share(passed, len(results)),
            "by_aspect": by_aspect, "by_source": dict(sorted(by_source.items()))}


def abstain_floor(cases: Sequence[Case]) -> float:
    """The share of cases a reader that always answers ``not_found`` with nothing would pass.

    Many cases only say what must not happen ("not supported", "no value Belarus"), so this is the
    figure to read the share passed against.
    """
    passed = sum(run_case(c, _abstain).passed for c in cases)
    return passed / len(cases) if cases else 0.0


def _abstain(question: str, evidence: list[Evidence]) -> Answer:
    return Answer(question=question, verdict=Verdict.NOT_FOUND, summary="")


def evaluate(cases: Sequence[Case], compose: Compose | None = None) -> dict:
    """Run every case; returns ``{"summary": {...}, "cases": [per-case results as dicts]}``.

    The summary adds ``abstain_floor`` (see :func:`abstain_floor`).
    """
    results = [run_case(c, compose) for c in cases]
    summary = {**summarize(results), "abstain_floor": abstain_floor(cases)}
    return {"summary": summary, "cases": [r.to_dict() for r in results]}
