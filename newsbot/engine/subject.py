"""Who did it: whether the subject of a sentence's predicate is the person a yes/no question asks about.

The nearest name or pronoun before the predicate is its subject, unless a
common noun stands right before it ("missile strikes launched from …": the
strikes were launched). A pronoun is resolved to the speaker ("Zelensky said
he confronted …"), to the principal of a spokeswoman's "we", or to the last
name before it that is not someone's quoted words. A question may describe
its subject instead of naming it ("the Latvian president"); then any person
the evidence calls by all those words is it. A participle after a comma is
its clause subject's act ("he confronted Lukashenko, accusing him …"), a
speaker's own speech verb is the speaker's ("Lukashenko warned …"), "the two
leaders" are the names just before, and an opening "It" is the thing the
sentence before opens with.
"""
# Word lists are written as one "a b c".split() string, which reads best; keep them so.
# ruff: noqa: SIM905

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from newsbot.engine.attribution import (
    SPEECH_VERBS,
    ArticleAnalysis,
    SentenceInfo,
    acts,
    name_key,
)
from newsbot.engine.question import Question
from newsbot.engine.referents import (
    inside_single_quote,
    key_or_none,
    last_referent,
    other_gender,
    previous_subject,
)
from newsbot.text import WEEKDAYS, is_negation, term, term_at

Aliases = Mapping[str, frozenset[str]]
_THIRD_PERSON = frozenset("he she they it him her them".split())
#: Words for people or bodies named before: "Zelensky said the two leaders spoke" (he and Lukashenko).
GROUP = re.compile(
    r"\b(?:the two|both) (?:leaders|men|women|presidents|heads of state|sides|countries|companies|teams|"
    r"politicians|officials)\b|\bthe pair\b",
    re.IGNORECASE,
)
_FIRST_PERSON = frozenset("i we me us".split())


def subject_matches(
    question: Question, analysis: ArticleAnalysis, s: SentenceInfo, pred_at: int, title: str, aliases: Aliases
) -> bool:
    """Does the predicate's subject in ``s`` refer to the question's subject?"""
    agent = passive_agent(question, s, pred_at)
    if agent is not None:  # "Did the prime minister dismiss Osei?" ← "Osei … was dismissed by the prime minister"
        terms = {term(t.text) for t in agent}
        heads = question.subject_terms - question.entities or question.subject_terms
        return question.subject in terms if question.subject else bool(heads) and heads <= terms
    if _passive_asked(question) and not any(t.text.lower() in PASSIVE_AUX
                                            for t in s.tokens[max(0, pred_at - 2) : pred_at + 1]):
        return _object_named(question, s, pred_at)  # "Was the mayor arrested?" ← "Police arrested the mayor …"
    if question.subject is None:
        return _described_subject(question, analysis, s, pred_at, title)
    if speaks_here(s, pred_at):  # "Natalya Eismont, told RBC …": the speaker is who told
        return is_subject(question, aliases, s.attribution.key)
    pred_at = _participle_subject_at(s, pred_at, s.attribution.key)
    group = GROUP.search(s.text, 0, s.tokens[pred_at].start - s.start)
    if group is not None and not s.text[group.end() : s.tokens[pred_at].start - s.start].strip():
        named = question.subject_terms & question.entities or {question.subject}  # "Did X and Y speak?": both
        return named <= group_names(analysis, s)  # "the two leaders spoke": named before
    if _noun_before(s, pred_at) and term(s.tokens[pred_at - 1].text) not in question.subject_terms:
        return False  # "missile strikes launched from …": the strikes were launched, no one named launched them
        # ("The Halcyon deal is worth …": "deal" is the asked subject's own head, so it goes on)
    pred_start = s.tokens[pred_at].start
    speaker_key = s.attribution.key
    excluded = {k for k in (speaker_key, key_or_none(s.attribution.audience)) if k}
    # The nearest name or pronoun before the predicate is its subject.
    names_before = [n for n in s.names if n[2] <= pred_start and name_key(n[0]) not in excluded and acts(n)]
    pronoun = None
    for tok in reversed(s.tokens[max(0, pred_at - 4) : pred_at]):
        low = tok.text.lower().strip("[]")
        if low in _THIRD_PERSON or low in _FIRST_PERSON:
            pronoun = tok
            break
    if names_before and (pronoun is None or names_before[-1][2] > pronoun.start):
        return is_subject(question, aliases, name_key(names_before[-1][0])) or _titled(question, s, names_before[-1])
    if pronoun is None:
        return question.subject in s.terms
    low = pronoun.text.lower()
    if low in _FIRST_PERSON and not inside_single_quote(s, pronoun.start):
        role_terms = {term(w) for w in (s.attribution.role or "").split()}
        if low in ("we", "us"):  # a spokeswoman's "we" is her principal's office, not her own doing
            role = s.attribution.role or ""
            if role and not any(w[:1].isupper() for w in role.split()):  # "spokesman Mark Ruiz": whose?
                role_terms |= {term(w.strip(",.:;’'")) for w in title.split() if w[:1].isupper()}  # the headline's
            return any(is_subject(question, aliases, t) for t in role_terms - {speaker_key})
        return any(is_subject(question, aliases, t) for t in role_terms | {speaker_key})
    # Third person (or "I" inside a quote within a quote): look back for who it can be.
    if speaker_key and low in ("he", "she", "it", "they") and reports_own_act(s, pronoun.start) \
            and not other_gender(low, s.attribution.role):
        return is_subject(question, aliases, speaker_key)  # "Zelensky said he confronted …", "Acme denied it …"
    if low == "it" and (thing := previous_subject(analysis, s)) is not None:
        return is_subject(question, aliases, thing)  # "The Mozyr Oil Refinery, … . It is located in …"
    if names_before:
        return is_subject(question, aliases, name_key(names_before[-1][0]))
    title_keys = {term(w.strip(",.:;’'")) for w in title.split() if w[:1].isupper()}
    referents = ({last_referent(analysis, s, excluded | {speaker_key})} | title_keys) - {speaker_key, None}
    return any(is_subject(question, aliases, k) for k in referents)


def _passive_asked(question: Question) -> bool:
    """"Was the mayor of Torrevieja arrested?": the one asked about underwent the act."""
    words = question.text.lower().rstrip("?!. ").split()
    return bool(words) and words[0] in ("was", "were", "is", "are") and any(
        w.endswith(("ed", "en")) and term(w) == question.predicate for w in words[1:])


def _object_named(question: Question, s: SentenceInfo, pred_at: int) -> bool:
    """An active sentence answers a passive question when what follows its verb, up to the clause's end,
    names the one asked about ("Police arrested the mayor of Torrevieja")."""
    clause: set[str] = set()
    for i in range(pred_at + 1, len(s.tokens)):
        if re.search(r"[,;:.!?]", s.text[s.tokens[i - 1].end - s.start : s.tokens[i].start - s.start]):
            break
        clause.add(term(s.tokens[i].text))
    wanted = question.subject_terms - {question.predicate}
    return bool(wanted) and wanted <= clause


def _titled(question: Question, s: SentenceInfo, name: tuple[str, int, int]) -> bool:
    """"Pulsetrack's chief executive, Owen Mallory, was fired" for "Was Pulsetrack's CEO fired?": the name
    comes right after the words the question describes its subject with."""
    before = [i for i, t in enumerate(s.tokens) if t.end <= name[1]]
    if len(question.subject_terms) < 2 or not before:
        return False
    gap = s.text[s.tokens[before[-1]].end - s.start : name[1] - s.start]
    lead = {term_at(s.tokens, i) for i in before[-4:]}
    return gap.strip() in ("", ",") and question.subject_terms <= lead


PASSIVE_AUX = frozenset("was were is are been be".split())  # "was dismissed", "been sentenced"


def passive_agent(question: Question, s: SentenceInfo, pred_at: int) -> list | None:
    """The words after "by" when ``s`` puts the verb in the passive ("was dismissed by the prime minister")
    and the question asks it in the active ("Did the prime minister dismiss Osei?"); None otherwise."""
    if " by " in f" {question.text.lower()} " or pred_at < 1 or pred_at + 1 >= len(s.tokens):
        return None
    if s.tokens[pred_at + 1].text.lower() != "by" or not any(
            t.text.lower() in PASSIVE_AUX for t in s.tokens[max(0, pred_at - 2) : pred_at]):
        return None
    gap = s.text[s.tokens[pred_at].end - s.start :]
    stop = re.search(r"[,;.]", gap)
    limit = s.tokens[pred_at].end + (stop.start() if stop else len(gap))
    return [t for t in s.tokens[pred_at + 2 : pred_at + 7] if t.end <= limit]


def _described_subject(question: Question, analysis: ArticleAnalysis, s: SentenceInfo, pred_at: int,
                       title: str) -> bool:
    """"Did the committee chair resign?": the thing described must be there to have done it.

    True when the words just before the verb call it so, when a speaker says "we" for it, or when it is
    named in the sentence, the one before or the title and no pronoun for the speaker stands before the
    verb instead; "Senator Ruiz said he resigned from the committee" names no chair, so it does not say
    a chair resigned.
    """
    heads = [t for t in (term(w.strip("?,.")) for w in question.text.lower().split()) if t in question.subject_terms]
    if not heads:
        return True  # "Was there an apology …?": no one is described
    head, window = heads[-1], s.tokens[max(0, pred_at - 5) : pred_at]
    if any(term_at(s.tokens, i) == head for i in range(max(0, pred_at - 5), pred_at)):
        return True  # "the chief executive … was fired" for "Was the CEO fired?"
    if s.attribution.speaker and any(t.text.lower() == "we" for t in window):
        return True  # "“We have nothing to apologize for,” said Colonel Ivan Petrov": the army speaks as "we"
    prev = analysis.sentences[s.index - 1] if s.index else None
    around = s.terms | (prev.terms if prev and prev.paragraph == s.paragraph else frozenset()) \
        | {term(w) for w in title.split()}
    pronoun = next((t for t in reversed(window) if t.text.lower() in _THIRD_PERSON), None)
    if pronoun is not None and reports_own_act(s, pronoun.start):  # "The university has said it will not …"
        return head in {term(w) for w in (s.attribution.speaker or "").split()}
    return head in around


#: Words that may stand between a subject and its verb: auxiliaries, negations, adverbs, relative pronouns.
_BETWEEN = frozenset(
    """did does do is are was were has have had can could will would should may might must shall be been being
    also then later still just never not already again once first finally reportedly allegedly apparently
    who which that and or but to""".split()
)


def _noun_before(s: SentenceInfo, pred_at: int) -> bool:
    """The predicate follows a common word that is its own subject ("strikes launched", "forces launched").

    A name, a pronoun, an auxiliary, a negation or an adverb before it leaves the subject to be found
    further back; a lower-case noun right before it is the subject, and it is not a person the question names.
    """
    if pred_at == 0:
        return False
    prev = s.tokens[pred_at - 1]
    low = prev.text.lower().strip("[]")
    if prev.is_capitalized or not low.isalpha() or low.endswith("ly") or is_negation(low):
        return False
    between = s.text[prev.end - s.start : s.tokens[pred_at].start - s.start]
    return between.strip() == "" and low not in _BETWEEN | _THIRD_PERSON | _FIRST_PERSON


def group_names(analysis: ArticleAnalysis, s: SentenceInfo) -> frozenset[str]:
    """Terms of the names in ``s`` and before it in its paragraph and the one before: whom "the two leaders" are."""
    return frozenset(term(t.text) for o in analysis.sentences[: s.index + 1] if o.paragraph >= s.paragraph - 1
                     for _, start, end in o.names for t in o.tokens if start <= t.start < end)


def speaks_here(s: SentenceInfo, pred_at: int) -> bool:
    """The predicate is the speaker's own speech verb, right after their name ("Lukashenko warned that …")."""
    attr = s.attribution
    if not attr.speaker or attr.inherited or s.tokens[pred_at].text.lower() not in SPEECH_VERBS:
        return False
    return s.text[: s.tokens[pred_at].start - s.start].rstrip(" ,").endswith(attr.speaker)


def _participle_subject_at(s: SentenceInfo, pred_at: int, speaker_key: str | None) -> int:
    """Where to look for the subject of a participle that opens a clause after a comma.

    In "Zelensky said he confronted Lukashenko, accusing him of complicity" the one accusing is
    the subject of the clause before the comma ("he": Zelensky), not the name right before it.
    Returns the index of the word after that clause's subject (a pronoun, or a name other than
    the speaker's), so the usual search finds it; ``pred_at`` itself when the predicate is no such participle.
    """
    tok = s.tokens[pred_at]
    if pred_at == 0 or not tok.text.lower().endswith("ing"):
        return pred_at
    prev = s.tokens[pred_at - 1]
    if s.text[prev.end - s.start : tok.start - s.start].strip() != ",":
        return pred_at
    begin = 0  # the clause before the comma runs back to the comma before it
    for i in range(pred_at - 1, 0, -1):
        if "," in s.text[s.tokens[i - 1].end - s.start : s.tokens[i].start - s.start]:
            begin = i
            break
    name_ends = {start: end for name, start, end in s.names if name_key(name) != speaker_key}
    for i in range(begin, pred_at):
        t = s.tokens[i]
        if t.start in name_ends:
            return next((j for j in range(i, pred_at) if s.tokens[j].start >= name_ends[t.start]), pred_at)
        if t.text.lower() in _THIRD_PERSON | _FIRST_PERSON and not inside_single_quote(s, t.start):
            return i + 1
    return pred_at


def aliases_of(analyses: Iterable[ArticleAnalysis]) -> Aliases:
    """Every word these articles use for each person or body, by key (one article may name the office,
    another only the surname)."""
    out: dict[str, frozenset[str]] = {}
    for analysis in analyses:
        for key, words in analysis.name_terms.items():
            out[key] = out.get(key, frozenset()) | words
    return out


def is_subject(question: Question, aliases: Aliases, key: str | None) -> bool:
    """The person or body ``key`` is the question's subject: the same name, or, for a subject the question
    describes in two or more name words ("the Belarusian President"), one the article calls by all of them
    ("Belarusian President Aleksandr Lukashenko"). One word ("the President") is too loose to say who.
    """
    if key is None:
        return False
    if key == question.subject:
        return True
    if question.subject in aliases.get(key, frozenset()) and any(
            w.strip("?,.").isupper() and term(w.strip("?,.")) == question.subject for w in question.text.split()):
        return True  # "the FDA": the article's "Food and Drug Administration"
    described = question.subject_terms
    return len(described) >= 2 and described <= aliases.get(key, frozenset())


def reports_own_act(s: SentenceInfo, pos: int) -> bool:
    """The pronoun at ``pos`` follows its speaker's speech verb ("said he", "said that he", "said on Tuesday it"),
    outside any quote."""
    at = next((i for i, t in enumerate(s.tokens) if t.start == pos), None)
    if at is None or at == 0 or inside_single_quote(s, pos) or "“" in s.text[: pos - s.start]:
        return False
    before = [t.text.lower() for t in s.tokens[max(0, at - 5) : at]]
    while before and before[-1] in _TIME_WORDS:  # "said on Tuesday it had grounded …"
        before = before[:-1]
    if before and before[-1] == "that":
        before = before[:-1]
    return bool(before) and before[-1] in SPEECH_VERBS


_TIME_WORDS = frozenset(WEEKDAYS) | frozenset("on yesterday today last week month year earlier later".split())
