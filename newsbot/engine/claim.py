"""A yes/no question as the claim it asks about: "Did Lukashenko apologize" -> "Lukashenko apologized".

The statement and its negation are what an LLM prompt and the answer's
wording show; the claim's verb is where the subject ends.
"""
# Word lists are written as one "a b c".split() string, which reads best; keep them so.
# ruff: noqa: SIM905

from __future__ import annotations

import re

from newsbot.engine.verbs import BASE_VERBS

_PAST = {"win": "won", "buy": "bought", "sell": "sold", "say": "said", "tell": "told", "take": "took",
         "make": "made", "give": "gave", "go": "went", "come": "came", "meet": "met", "pay": "paid",
         "lead": "led", "hold": "held", "begin": "began", "run": "ran", "lose": "lost", "leave": "left",
         "find": "found", "think": "thought", "bring": "brought", "fight": "fought", "strike": "struck",
         "hit": "hit", "put": "put", "know": "knew", "see": "saw", "write": "wrote", "speak": "spoke",
         "have": "had", "do": "did", "get": "got", "send": "sent", "build": "built", "catch": "caught",
         "shoot": "shot", "stand": "stood", "understand": "understood", "keep": "kept", "feel": "felt",
         "become": "became", "choose": "chose", "drive": "drove", "rise": "rose", "fall": "fell",
         "draw": "drew", "throw": "threw", "grow": "grew", "show": "showed", "seek": "sought",
         "teach": "taught", "spend": "spent", "lend": "lent", "flee": "fled", "forbid": "forbade",
         "cut": "cut", "let": "let", "set": "set", "shut": "shut", "hurt": "hurt", "cost": "cost", "quit": "quit",
         "spread": "spread", "split": "split", "bid": "bid", "read": "read", "lay": "laid", "sink": "sank",
         "steal": "stole", "freeze": "froze", "hide": "hid", "sit": "sat", "stick": "stuck", "tear": "tore",
         "wear": "wore", "withdraw": "withdrew", "undergo": "underwent", "forget": "forgot", "mean": "meant",
         "deal": "dealt", "break": "broke", "feed": "fed", "hang": "hung", "light": "lit",
         **{v: v + v[-1] + "ed" for v in "admit commit submit permit omit occur refer prefer transfer control "
            "regret patrol compel expel".split()}}


def _past(verb: str) -> str:
    v = verb.lower()
    if v in _PAST:
        return _PAST[v]
    if v.endswith("e"):
        return verb + "d"
    if v.endswith("y") and len(v) > 2 and v[-2] not in "aeiou":
        return verb[:-1] + "ied"
    if re.fullmatch(r"[^aeiou]*[aeiou][b-df-hj-np-tvz]", v):
        return verb + v[-1] + "ed"  # "step" -> "stepped", "ban" -> "banned"
    return verb + "ed"


_PARTICIPLES = frozenset("""made taken given seen known held paid built sent hit put struck led met bought sold
    told said found brought fought thought caught shot won lost begun run done""".split())
DETERMINERS = frozenset("the a an this that these those his her its their".split())
_ROLES = frozenset(
    """president minister secretary spokesperson spokesman spokeswoman leader chancellor king queen prince
    premier governor mayor general ceo chief head senator ambassador""".split()
)


_QUANTIFIERS = frozenset("most many some all few several both any no each every".split())
_DEGREE = frozenset("too very so still already really more less quite".split())
_MODAL_AUX = frozenset("should must may might shall can could will would".split())
_BE_HAVE = frozenset("is are was were has have had been".split())


def verb_index(rest: list[str], aux: str = "") -> int | None:
    """Index of the claim's verb in the words after the auxiliary ("Belarus's president Lukashenko apologize").

    After "were"/"has" the verb is the participle: "Were missiles launched from Belarus" -> "launched".
    """
    if aux.lower() in _MODAL_AUX:  # "Should consumers be cautious": the verb is the first base form after one word
        at = next((i for i, w in enumerate(rest[1:], 1) if w.lower() in ("be", "have") or w.lower() in BASE_VERBS
                   and not (i + 1 < len(rest) and rest[i + 1].lower() in BASE_VERBS)), None)  # "the rate rise hurt"
        if at is not None and rest[at].lower() == "have":  # "Will staff have their pay docked": the docking
            return next((i for i, w in enumerate(rest[at + 1 : at + 5], at + 1)
                         if w[:1].islower() and (w.lower().endswith(("ed", "en")) or w.lower() in _PARTICIPLES)), at)
        if at is not None:
            return at
    if aux.lower() in COPULAS and len(rest) > 1 and rest[0][:1].islower() and rest[0].lower() not in DETERMINERS \
            and (rest[1].lower() in _DEGREE or rest[1].lower() in _ADJECTIVES):
        return 1  # "Is inflation too high": "inflation" is the subject
    if aux.lower() in _BE_HAVE:
        for i, w in enumerate(rest[1:4], 1):
            low = w.lower().strip(",.")
            if w[:1].islower() and (low.endswith(("ed", "en")) or low in _PARTICIPLES
                                    or aux.lower() in COPULAS and low.endswith("ing") and len(low) > 5
                                    and not any(x.lower() in DETERMINERS for x in rest[1:i])):
                return i
    for i, w in enumerate(rest):
        low = w.lower().strip(",.")
        if not w[:1].islower() or low in DETERMINERS or low in _QUANTIFIERS:
            continue  # "Did most members back …": "most" opens the subject
        if low in ("and", "or", "of", "for") and i + 1 < len(rest) and rest[i + 1][:1].isupper():
            continue  # "Lukashenko and Zelensky speak", "the Bank of Merovia raise": one subject
        if low in _ROLES and i + 1 < len(rest) and rest[i + 1][:1].isupper():
            continue
        if i + 1 < len(rest) and (i > 0 and (rest[i - 1].lower() in DETERMINERS or _possessive(rest[i - 1]))
                                  or low in _ROLES and (_after_determiner(rest, i)
                                                        or any(map(_possessive, rest[max(0, i - 2) : i])))):
            continue  # "the minister", "the Latvian president" is the subject, the verb comes after it
        if aux.lower() in COPULAS and _after_determiner(rest, i) and _noun_before_place(rest, i):
            continue  # "Is the Mozyr refinery in …": the refinery is what is asked about, not the predicate
        if low not in BASE_VERBS and i + 1 < len(rest) and rest[i + 1].lower() in BASE_VERBS \
                and aux.lower() in ("did", "does", "do", "will", "would", "can", "could"):
            continue  # "Did the battery division lose …": a noun before the verb is still the subject
        if aux.lower() in COPULAS and i + 1 < len(rest) and rest[i + 1].lower() in _ADJECTIVES and low not in _ADJECTIVES:
            continue  # "Is the death toll likely to rise": "toll" ends the subject, "likely" is said of it
        return _predicate_phrase_start(rest, i) if aux.lower() in COPULAS else i
    return None


def _possessive(word: str) -> bool:
    """"Lukashenko's" opens a noun phrase as "the" does: "Lukashenko's press secretary" is one subject."""
    return word[:1].isupper() and word.endswith(("'s", "’s"))


def _predicate_phrase_start(words: list[str], i: int) -> int:
    """After a named subject, a be-claim's predicate starts at its article: "Lukashenko | a murderer",
    "Putin | the one launching them" (the word found at ``i`` may be further in)."""
    for j in range(1, i):
        if (words[j].lower() in DETERMINERS or _possessive(words[j])) and all(w[:1].isupper() for w in words[:j]):
            return j
    return i


COPULAS = frozenset("is are was were".split())
_PLACE_WORDS = frozenset("in on at near inside outside within from part located based one a an the".split())
_ADJECTIVE_ENDS = ("ed", "en", "ing", "ous", "ful", "ive", "able", "ible", "ic", "al", "ant", "ent", "less")
_ADJECTIVES = frozenset("ready able likely aware close open free safe alive dead true due guilty busy worth".split())


def _noun_before_place(words: list[str], i: int) -> bool:
    """``words[i]`` reads as a noun and a place or part follows ("refinery in"), not "ready for"."""
    low = words[i].lower().strip(",.")
    return (i + 1 < len(words) and words[i + 1].lower() in _PLACE_WORDS and low not in _ADJECTIVES
            and not low.endswith(_ADJECTIVE_ENDS))


def _after_determiner(words: list[str], i: int) -> bool:
    """``words[i]`` follows a determiner with only names between ("the Latvian president", not "the EU impose")."""
    j = i - 1
    while j >= 0 and words[j][:1].isupper():
        j -= 1
    return j >= 0 and words[j].lower() in DETERMINERS


_BASE = {past: base for base, past in _PAST.items()} | {"added": "add"}
#: Endings of a regular past whose base form ends in "e" ("apologized" -> "apologize").
_E_PASTS = ("ized", "ised", "ated", "uced", "ured", "ared", "ored", "ired", "oved", "ived", "aved", "osed",
            "used", "ased", "aded", "ided", "oded", "uded", "ined", "oned", "aned", "oted")
#: Endings of a regular past whose base form is the past less "ed" ("launched" -> "launch").
_PLAIN_PASTS = ("ched", "shed", "cked", "nted", "rted", "sted", "lted", "nded", "rded", "rned", "gned", "ened",
                "ained", "oined", "ested", "ssed", "lled", "ffed", "ered", "owed", "ayed", "eyed", "rked", "lked",
                "rmed", "lped", "ited", "ected", "acted", "upted", "pted", "xed", "ooted")
_MODALS = frozenset("is are was were has have had can could will would should may might must".split())


def _base(past: str) -> str | None:
    """The base form of a past-tense verb ("apologized" -> "apologize"), or None when unsure."""
    v = past.lower()
    if v in _BASE:
        return _BASE[v]
    if not v.endswith("ed") or len(v) < 5:
        return None
    if v.endswith("ied"):
        return v[:-3] + "y"
    if v[-3] == v[-4] and v[-3] not in "lsfz" and v[-3] not in "aeiou":
        return v[:-3]  # "stopped" -> "stop"
    if v.endswith(_PLAIN_PASTS):
        return v[:-2]
    if v.endswith(_E_PASTS):
        return v[:-1]
    return None


def negate(statement: str) -> str:
    """"Lukashenko apologized" -> "Lukashenko did not apologize"; "it is not so that …" when the verb is unclear."""
    words = statement.split()
    if words and words[0].lower() in ("all", "every"):  # "all the aircraft have been inspected"
        return "not " + statement
    if words and words[0].lower() in _NOBODY:  # "anyone was injured" -> "no one was injured"
        return " ".join([_NOBODY[words[0].lower()], *words[1:]])
    at = verb_index(words, "")
    if at == 0:  # "they stopped": a pronoun is the subject
        at = verb_index(words[1:], "")
        at = None if at is None else at + 1
    be = next((i for i, w in enumerate(words) if i and w.lower() in COPULAS), None)
    if be is not None and (not at or be < at or _base(words[at].lower()) is None
                           and words[at].lower() not in _HAVE and words[at].lower() not in _MODALS):
        # "card data was exposed" -> "card data was not exposed" ("data" read as a verb is no verb)
        return " ".join([*words[: be + 1], "not", *words[be + 1 :]])
    if at:
        verb = words[at].lower()
        if verb in _HAVE and not _participle_follows(words, at):  # "had witnesses": had is the verb itself
            return " ".join([*words[:at], _HAVE[verb], "not have", *words[at + 1 :]])
        if verb in _MODALS:
            return " ".join([*words[: at + 1], "not", *words[at + 1 :]])
        base = _base(verb)
        if base is not None:
            return " ".join([*words[:at], "did not", base, *words[at + 1 :]])
    return f"it is not so that {statement}"


_HAVE = {"had": "did", "has": "does", "have": "do"}
_NOBODY = {"anyone": "no one", "anybody": "nobody", "anything": "nothing", "someone": "no one",
           "somebody": "nobody", "something": "nothing"}


def _participle_follows(words: list[str], at: int) -> bool:
    """"had apologized", "has been": "have" is an auxiliary here, not the verb."""
    nxt = words[at + 1].lower() if at + 1 < len(words) else ""
    return nxt == "been" or nxt in _PARTICIPLES or nxt.endswith("ed") and _base(nxt) is not None


def _third_person(verb: str) -> str:
    """"apologize" -> "apologizes", "have" -> "has", "go" -> "goes", "deny" -> "denies"."""
    v = verb.lower()
    if v in ("have", "do", "go"):
        return {"have": "has", "do": "does", "go": "goes"}[v]
    if v.endswith(("s", "sh", "ch", "x", "z")):
        return verb + "es"
    if v.endswith("y") and len(v) > 2 and v[-2] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


def affirm(statement: str) -> str:
    """A statement whose negation was taken out, in plain form: "Lukashenko did apologize" -> "Lukashenko apologized"."""
    words = statement.split()
    for i, w in enumerate(words[:-1]):
        if w.lower() in ("did", "does", "do") and words[i + 1][:1].islower():
            verb = {"did": _past, "does": _third_person}.get(w.lower(), str)(words[i + 1])
            return " ".join([*words[:i], verb, *words[i + 2 :]])
    return statement


def claim_statements(question_body: str, claim_body: str) -> tuple[str | None, str | None]:
    """("Lukashenko apologized", "Lukashenko did not apologize") for "Did Lukashenko apologize"."""
    if claim_body:
        return claim_body, negate(claim_body)
    words = question_body.split()
    if len(words) < 2:
        return None, None
    aux, rest = words[0].lower(), words[1:]
    if rest[0].lower() == "there" and aux in ("is", "are", "was", "were"):
        return " ".join(["there", aux, *rest[1:]]), " ".join(["there", aux, "not", *rest[1:]])
    verb_at = verb_index(rest, aux)
    if aux in ("did", "does", "do") and verb_at is not None:
        subj, verb, tail = rest[:verb_at], rest[verb_at], rest[verb_at + 1 :]
        if not subj:
            return None, None
        if aux == "did" and subj[0].lower() == "any":  # "Did any workers die?" -> "some workers died" / "no …"
            return " ".join(["some", *subj[1:], _past(verb), *tail]), " ".join(["no", *subj[1:], _past(verb), *tail])
        if aux == "did":
            aff = " ".join([*subj, _past(verb), *tail])
            neg = " ".join([*subj, "did not", verb, *tail])
        else:
            aff = " ".join([*subj, _third_person(verb) if aux == "does" else verb, *tail])
            neg = " ".join([*subj, aux + " not", verb, *tail])
        return aff, neg
    if aux in ("is", "are", "was", "were", "has", "have", "had", "can", "could", "will", "would", "should", "must",
               "may", "might", "shall") and verb_at:
        if aux in _MODAL_AUX:  # "Will staff have their pay docked": the subject ends before "have"
            verb_at = next((i for i in range(1, verb_at) if rest[i].lower() in ("have", "be")), verb_at)
        subj, tail = rest[:verb_at], rest[verb_at:]
        if len(subj) == 1 and subj[0].lower() in _NOBODY:  # "Was anyone injured?" -> "no one was injured"
            return " ".join([*subj, aux, *tail]), " ".join([_NOBODY[subj[0].lower()], aux, *tail])
        if subj[0].lower() in ("all", "every"):  # "not all the aircraft have been inspected"
            return " ".join([*subj, aux, *tail]), " ".join(["not", *subj, aux, *tail])
        return " ".join([*subj, aux, *tail]), " ".join([*subj, aux, "not", *tail])
    return None, None
