"""Common English verbs in their base form, as news questions use them ("Did the division lose …?").

Only a tiebreaker: a question's words carry no part-of-speech tags, so "Did the battery division
lose $120 million?" needs to know that "lose", not "division", is the verb. Words that are as often
nouns as verbs ("plan", "vote") are here too; the reader only asks when two lower-case words in a
row could each be the verb, and takes the second when only it is listed.
"""
# Word lists are written as one "a b c".split() string, which reads best; keep them so.
# ruff: noqa: SIM905

from __future__ import annotations

BASE_VERBS = frozenset(
    """accept accuse acquire act add admit agree aim allow announce answer apologize apologise appear apply
    appoint approve argue arrest arrive ask attack attend avoid back ban be beat become begin believe block
    boost borrow break bring build buy call cancel capture carry cause change charge choose claim close
    collapse come comment complain confirm consider continue control cost cover create cross cut deal
    decide decline defeat defend delay deliver deny depart describe destroy die discover discuss dismiss
    do drop earn elect emerge employ end enter escape expand expect explain face fail fall fear file fine
    fire flee fly follow force form found free gain get give go grow guarantee halt happen have hear help
    hide hire hit hold hurt identify impose improve include increase injure insist intend introduce invade
    invest investigate invite issue join keep kill know launch lay lead leave lend let lie lift limit list
    live lose make manage mark meet mention merge miss move name need negotiate nominate note obtain occur
    offer open order own pass pay plan play plead pledge post postpone predict prepare present press
    prevent process produce promise propose protect protest prove provide publish pull purchase push put
    raise reach read receive recognize record recover reduce refuse reject release remain remove repeat
    replace report represent request require resign respond restore retire return reveal rise rule run
    sack save say score see seek seize sell send sentence serve settle share shoot shut sign sink slash
    speak spend split start state stay steal stop strike struggle submit succeed sue suffer suggest supply
    support surrender survive suspend take talk target tell test testify threaten throw tie top trade
    train travel treat try turn understand unveil urge use veto visit vote wait walk want warn welcome
    win withdraw work write ignore explode resume ground hack bomb shell raid detain convict acquit jail rescue
    evacuate flood burn crash damage smuggle bribe leak lift carry cause step quit hospitalise hospitalize breach
    steal expose notify reopen strike access disclose contain collect compensate dock estimate exceed refund recall
    storm overturn appeal award fund cite breach encrypt""".split()
)
