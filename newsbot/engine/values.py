"""Values a question asks for, typed by spaCy's entities: who → a person, body, group or place; when → a
date or time; where → a place; how many → a count; how much → money, a share or a quantity.

A value is an entity of an answer type (:data:`LEXICON.wh_types`) in a sentence that states the question's
other words, and is not one of the question's own names ("Who launched the missiles?" is not answered by
"missiles"; "Who won the Tour de France?" not by "Tour de France"). A run of capitalised words that the
parser does not tag as an entity of the asked type is never an answer. Two values are the same answer when
one contains the other ("Christophe Gans" and "Gans", "May 2012" and "May 15, 2012") or their numbers agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Span, Token

from newsbot.engine.lexicon import LEXICON
from newsbot.engine.question import Question
from newsbot.engine.statements import Statement

_NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
_TIMES = LEXICON.entities("time")
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")


def number_key(text: str) -> str | None:
    """A number's value as a comparable string: "25,91,015" → "2591015", "3.1%" → "3.1", "two" → "2"; None
    for text that is not a number. Never raises, whatever the text."""
    low = text.strip().lower()
    if low in _NUMBER_WORDS:
        return str(_NUMBER_WORDS[low])
    m = _DIGITS.search(low)
    if not m:
        return None
    raw = m.group()
    if "," in raw and "." not in raw and all(len(g) in (2, 3) for g in raw.split(",")[1:]):
        raw = raw.replace(",", "")  # thousands groups, Western or Indian ("25,91,015")
    raw = raw.replace(",", ".") if raw.count(",") == 1 and "." not in raw else raw.replace(",", "")
    try:
        value = float(raw)
    except ValueError:
        return None
    if value.is_integer():
        return str(int(value))
    return f"{value:.6f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class Value:
    """An answer found in a sentence: its text as written, its article offsets, how well it stands in the
    asked role (:func:`in_role`)."""

    text: str
    label: str
    start: int
    end: int
    role: float = 0.0

    @property
    def key(self) -> str:
        return _normal(self.text)

    @property
    def specific(self) -> float:
        """1 for a value that pins itself down (a number, a year, a name), 0 for "last year", "recently"."""
        if self.label in _TIMES:
            return 1.0 if re.search(r"\d", self.text) else 0.0
        return 1.0


def _normal(text: str) -> str:
    text = re.sub(r"^(?:the|a|an)\s+", "", text.strip().lower())
    return re.sub(r"[’']s$", "", text).strip(" .,;:")


def in_role(q: Question, ent: Span) -> float:
    """How well an entity stands where the question's value stands.

    1.0: in the asked place of the asked verb ("Who won …?" — the subject of "won", the agent of "was won by",
    the antecedent of "who won"), or tied to the asked noun ("revenue was $10 billion", "President
    Lukashenko"); 0.5: in that place of another verb (a synonym the parse cannot know), or anywhere in the
    asked verb's clause for a time or place; 0.3 elsewhere in the asked verb's clause; 0 otherwise."""
    root = ent.root
    if q.wh_role == "attribute" and q.attribute:
        nouns = [t for t in ent.sent if t.lemma_.lower() == q.attribute]
        for t in nouns:
            siblings = root.head.i == t.head.i and root.i != t.head.i and root.head.lemma_ in ("be", "become", "remain")
            if root.head.i == t.i or t.head.i == root.i or siblings or \
                    (root.head.dep_ == "prep" and root.head.head.i == t.i):
                return 1.0
        return 0.0 if nouns else (0.5 if root.dep_ in ("nsubj", "nsubjpass") else 0.25)
    slot = _slot(root)
    verbs = [t for t in ent.sent if q.predicate and t.lemma_.lower() == q.predicate]
    for verb in verbs:  # the entity is one of the asked verb's own arguments
        if slot is not None and slot[0].i == verb.i:
            asked_place = q.wh_role == "adjunct" or slot[1] == q.wh_role
            return 1.0 if asked_place and not _other_arguments(q, verb, root) else 0.3
        controller = _controller(verb)
        if controller is not None and controller.i == root.i:  # "Thiem defeated Zverev … to win the title"
            return 1.0 if q.wh_role == "subject" and not _other_arguments(q, verb, root) else 0.3
    for verb in verbs:  # or stands under it, with no other verb between (not "the region, which borders Ukraine")
        path = _path_to(root, verb)
        if path is not None:
            direct = not any(t.pos_ in ("VERB", "AUX") for t in path)
            return 1.0 if q.wh_role == "adjunct" and direct and not _other_arguments(q, verb, root) else 0.3
    if q.wh_role == "adjunct":  # "located in the Gomel region", "on May 15": a time or place a preposition gives
        head = root
        while head.dep_ in ("compound", "amod", "nmod") and head.head.i != head.i:
            head = head.head  # "the Gomel region": the region is what the preposition governs
        governed = head.dep_ in ("pobj", "npadvmod", "tmod")
        return (0.75 if governed else 0.5) if not verbs else 0.3
    if verbs:
        return 0.3  # the asked verb is there, and this is not its subject (or object)
    return 0.5 if slot is not None and slot[1] == q.wh_role else 0.0


#: Dependents that belong to a noun phrase's own description ("the 2021 US Open women's singles title"), not
#: what follows it ("stage 13 of the Tour de France", "an album featuring …").
_CORE_DEPS = ("compound", "amod", "poss", "nummod", "nmod", "flat", "npadvmod", "case", "quantmod", "appos")


def _core(noun: Token, deps: tuple[str, ...] | None = None) -> set[str]:
    """The content words (lemma and form) of a noun phrase's head and its own description."""
    deps = _CORE_DEPS if deps is None else deps
    out, todo = set(), [noun]
    if noun.dep_ == "attr" and noun.head.lemma_ == "be":  # "GPT-3 is a model released in 2020": the model is GPT-3
        todo += [c for c in noun.head.children if c.dep_ == "nsubj"]
    while todo:
        t = todo.pop()
        if not (t.is_stop or t.is_punct or t.like_num):
            out |= {t.lemma_.lower(), t.lower_}
        todo += [c for c in t.children if c.dep_ in deps]
    return out


#: A noun phrase's own description without its owner ("Splatoon 2's" of "Splatoon 2's 3.0 update").
_UNOWNED_DEPS = tuple(d for d in _CORE_DEPS if d != "poss")


def _owned(arg: Token, core: set[str], asked: frozenset[str]) -> bool:
    """The asked thing is only the owner of this argument ("Splatoon 2's 3.0 update" for "Splatoon 2"): the
    argument (whose :func:`_core` is ``core``) is something of it, not it."""
    return bool(asked & core) and not asked & _core(arg, _UNOWNED_DEPS)


def _arguments(verb: Token) -> list[tuple[Token, str]]:
    """The verb's subject and object noun phrases in logical roles (a passive's subject is its object; "which"
    and a participle's noun stand for the noun they modify)."""
    out = []
    passive = any(c.dep_ == "auxpass" for c in verb.children)  # "When was Tarn released?" tags Tarn nsubj
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass", "dobj"):
            role = "subject" if c.dep_ == "nsubj" and not passive else "object"
            out.append((verb.head if c.tag_ in ("WP", "WDT") and verb.dep_ == "relcl" else c, role))
        elif c.dep_ == "agent":
            out += [(p, "subject") for p in c.children if p.dep_ == "pobj"]
    if verb.dep_ == "acl" and verb.tag_ == "VBN" and not any(r == "object" for _, r in out):
        out.append((verb.head, "object"))  # "the game released in 2017"
    if not any(r == "subject" for _, r in out) and (controller := _controller(verb)) is not None:
        out.append((controller, "subject"))
    return out


def _controller(verb: Token) -> Token | None:
    """Who did what a verb without a subject of its own says: the subject of the verb it is joined to ("…
    and won the title") or whose result it is ("Thiem defeated Zverev to win the title"). None when the
    parse names no one, or when the verb it completes only wants, tries or asks for it (:data:`LEXICON`
    ``unrealised``: "urged him to win", "hoped to win")."""
    if any(c.dep_ in ("nsubj", "nsubjpass", "csubj", "agent") for c in verb.children):
        return None
    head = verb.head
    if head.i == verb.i or head.pos_ not in ("VERB", "AUX"):
        return None
    if verb.dep_ in ("xcomp", "advcl"):
        if not any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children) or \
                head.lemma_.lower() in LEXICON.unrealised:
            return None
        if verb.dep_ == "xcomp" and not any(c.dep_ == "dobj" for c in head.children):
            return None  # "set out to win": a complement of the head, not what its act achieved
    elif verb.dep_ != "conj":
        return None
    subject = next((c for c in head.children if c.dep_ == "nsubj"), None)
    if subject is None and not any(c.dep_ == "auxpass" for c in head.children):
        return _controller(head)
    return subject


@lru_cache(maxsize=256)  # one question, read against every value of every retrieved sentence
def _asked_arguments(q: Question) -> dict[str, frozenset[str]]:
    """The words of each argument the question names for its verb, by logical role (not the asked one)."""
    verb = next((t for t in q.doc if q.predicate and t.lemma_.lower() == q.predicate), None) if q.doc else None
    out: dict[str, frozenset[str]] = {}
    for arg, role in _arguments(verb) if verb is not None else []:
        if arg.pos_ == "PRON" or any(t.tag_ in ("WP", "WDT", "WRB", "WP$") for t in arg.subtree):
            continue  # the asked value's own place
        if words := _core(arg):
            out[role] = out.get(role, frozenset()) | words
    return out


def _other_arguments(q: Question, verb: Token, value: Token) -> bool:
    """The asked verb's act is someone else's: an argument of it (subject or object, in logical roles) is not
    the one the question names in that role ("When was X released?" in "a soundtrack album … was released on
    2 August 2023"; "Who won the Tour de France?" in "Cavendish wins stage 13"). Both sides are read by the
    same parse and the same rules. A pronoun may be anyone, and when the question's words stand in another
    argument the two parses disagree on voice: neither conflicts."""
    asked = _asked_arguments(q)
    args = [(a, role, _core(a)) for a, role in _arguments(verb) if a.i != value.i and a.pos_ != "PRON"]
    everything = set().union(*(core for _, _, core in args))
    if any(role in asked and _owned(a, core, asked[role]) for a, role, core in args):
        return True
    return any(role in asked and core and not asked[role] & everything for _, role, core in args)


def _path_to(tok: Token, ancestor: Token) -> list[Token] | None:
    """The tokens strictly between ``tok`` and its ``ancestor`` in the tree, or None when it is not one."""
    path = []
    for a in tok.ancestors:
        if a.i == ancestor.i:
            return path
        path.append(a)
    return None


def _slot(tok: Token) -> tuple[Token, str] | None:
    """The verb an entity is an argument of and whether it is its subject or object, with passives turned
    round ("was won by X": X is the subject of "win") and relative clauses followed ("Handke, who won …")."""
    dep, head = tok.dep_, tok.head
    if dep == "pobj" and head.lower_ == "by" and head.dep_ in ("agent", "prep"):
        return head.head, "subject"
    if dep == "pobj" and head.lower_ == "to" and head.head.pos_ == "VERB":
        return head.head, "object"  # "was awarded to X", "sold it to X": the one it went to
    if dep == "nsubj":
        attr = next((c for c in head.children if c.dep_ == "attr"), None) if head.lemma_ == "be" else None
        act = next((c for c in attr.children if c.dep_ in ("acl", "relcl")), None) if attr is not None else None
        if act is not None:  # "Putin was the one launching them", "she is the woman who won": the act's subject
            return act, "subject"
        return head, "subject"
    if dep in ("dobj", "nsubjpass", "dative", "attr", "oprd"):
        return head, "object"
    if dep == "appos":
        return _slot(head)
    rel = next((c for c in tok.children if c.dep_ == "relcl"), None)
    if rel is not None:
        rel_subj = next((c for c in rel.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if rel_subj is not None and rel_subj.tag_ in ("WP", "WDT"):
            return rel, "subject" if rel_subj.dep_ == "nsubj" else "object"
    return None


def values_in(q: Question, st: Statement) -> list[Value]:
    """Entities of the asked type in ``st``'s sentence that are not the question's own words."""
    span: Span = st.sentence.span
    asked = {t.lemma for t in q.terms} | {t.text.lower() for t in q.terms}
    out: list[Value] = []
    for ent in span.ents:
        if ent.label_ not in q.answer_types or ent.root.dep_ == "amod":
            continue  # of another type, or describing the noun it modifies ("the Australian director Kurzel")
        words = {t.lemma_.lower() for t in ent if not t.is_punct} | {t.lower_ for t in ent if not t.is_punct}
        if (words and words <= asked | {"the", "'s"}) or ent.root.lemma_.lower() in asked or ent.root.lower_ in asked:
            continue  # the question's own name ("Aleksandr Lukashenko" for "Who is Lukashenko's …?")
        start, end = st.sentence.at(ent[0]), st.sentence.at(ent[-1]) + len(ent[-1].text)
        out.append(Value(text=st.sentence.article.text[start:end], label=ent.label_, start=start, end=end,
                         role=in_role(q, ent)))
    if "PERSON" in q.answer_types:  # who-questions: a name the tagger missed
        out += _unlabelled_names(q, st, span, asked, [(v.start, v.end) for v in out])
    return out


def _unlabelled_names(q: Question, st: Statement, span: Span, asked: set[str],
                      taken: list[tuple[int, int]]) -> list[Value]:
    """A proper-noun phrase standing exactly where the asked value stands ("Facebook acquired Instagram" for
    "Who acquired Instagram?"), when the entity tagger gave it no label or a wrong one."""
    out = []
    for tok in span:
        if tok.pos_ != "PROPN" or tok.dep_ in ("compound", "flat") or tok.lemma_.lower() in asked:
            continue
        parts = [t for t in tok.subtree if t.i <= tok.i and (t.pos_ == "PROPN" or t.dep_ in ("compound", "flat"))]
        first = min(parts, key=lambda t: t.i) if parts else tok
        phrase = span.doc[first.i : tok.i + 1]
        start, end = st.sentence.at(phrase[0]), st.sentence.at(tok) + len(tok.text)
        if any(s < end and start < e for s, e in taken):
            continue
        role = in_role(q, phrase)
        if role >= 1.0:
            out.append(Value(text=st.sentence.article.text[start:end], label="PROPN", start=start, end=end, role=role))
    return out


def same_value(a: Value, b: Value) -> bool:
    """One answer given twice: one text inside the other, or the same number."""
    ka, kb = a.key, b.key
    if ka == kb or (len(ka) > 3 and ka in kb) or (len(kb) > 3 and kb in ka):
        return True
    na, nb = number_key(ka), number_key(kb)
    if a.label in _TIMES or b.label in _TIMES:
        ya, yb = re.findall(r"\b\d{4}\b", ka), re.findall(r"\b\d{4}\b", kb)
        if ya and yb and ya != yb:
            return False
        return bool(ya and yb and (set(ka.split()) <= set(kb.split()) or set(kb.split()) <= set(ka.split())))
    return na is not None and na == nb and a.label == b.label
