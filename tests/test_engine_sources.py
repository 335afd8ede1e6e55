"""Who a business or politics story's sources are: unnamed sources, companies, spokespeople, and when they spoke.

A company's denial of a report of unnamed sources is the everyday news conflict; each test asks a
question of a small invented story pair and checks who each side is and what it is worded as.
"""

from __future__ import annotations

from newsbot.engine import compose
from newsbot.engine.attribution import analyze_article
from newsbot.models import Stance, Verdict
from tests.engine_helpers import article, ask_texts, evidence

REPORT = ("Acme Corp plans to cut about 500 jobs at its Dayton plant by June, two people familiar with the matter "
          "told Northwire on Monday.\nThe cuts would hit the battery division, which lost $120 million last year, "
          "one of the people said.")
DENIAL = ("Acme Corp on Tuesday denied that it plans to cut jobs at its Dayton plant.\n"
          "“There are no layoffs planned at Dayton,” spokesman Mark Ruiz told the Gazette. “We are hiring.”")


def _attribution(text: str, sentence: int = 0):  # noqa: ANN202 - an Attribution
    return analyze_article(text).sentences[sentence].attribution


def test_unnamed_sources_speak_as_written_and_the_outlet_they_told_is_the_audience() -> None:
    attr = _attribution(REPORT)
    assert attr.speaker == "two people familiar with the matter"
    assert attr.audience == "Northwire" and attr.when == "on Monday"
    assert _attribution(REPORT, 1).speaker == "one of the people"


def test_a_month_or_weekday_is_never_a_speaker() -> None:
    assert _attribution(DENIAL).speaker == "Acme Corp"  # not "Tuesday"
    assert _attribution("Prices rose by June, the bank said.").speaker != "June"


def test_a_time_inside_what_was_said_is_not_when_it_was_said() -> None:
    assert _attribution(REPORT, 1).when is None  # "lost $120 million last year, one of the people said"
    assert _attribution("The division lost $120 million last year, spokesman Tom Smith said.").when is None
    assert _attribution("Ruiz said the division had lost $80 million last year.").when is None
    assert _attribution(DENIAL).when == "on Tuesday"


def test_a_role_is_the_words_next_to_the_name_and_the_audience_has_no_full_stop() -> None:
    attr = _attribution(DENIAL, 1)
    assert attr.speaker == "Mark Ruiz" and attr.role == "spokesman" and attr.audience == "the Gazette"


def test_a_company_denying_unnamed_sources_is_a_contested_claim_in_plain_words() -> None:
    answer = compose("Is Acme cutting jobs?", evidence(article(REPORT, id="a1"), article(DENIAL, id="a2")))
    assert answer.verdict is Verdict.CONTESTED
    sides = {s.stance: s for s in answer.sides}
    assert sides[Stance.SUPPORTS].speaker == "two people familiar with the matter"
    assert "Acme Corp" in (sides[Stance.REFUTES].speaker or "")
    assert "Two people familiar with the matter say Acme is cutting jobs" in answer.summary
    assert "Acme Corp says it is not cutting jobs" in answer.summary  # "Acme Corp" and "Acme" are one company


def test_a_source_correcting_the_asked_figure_refutes_it() -> None:
    correction = "Ruiz said the battery division had lost $80 million last year, not $120 million as reported."
    answer = compose("Did the battery division lose $120 million?",
                     evidence(article(REPORT, id="a1"), article(correction, id="a2")))
    assert answer.verdict is Verdict.CONTESTED
    refuting = next(s for s in answer.sides if s.stance is Stance.REFUTES)
    assert refuting.speaker == "Ruiz" and "did not lose $120 million" in refuting.text


def test_a_described_source_speaks_as_written() -> None:
    assert _attribution("The quake killed at least 120 people, the country's interior ministry said.").speaker == \
        "the country's interior ministry"
    assert _attribution("Local officials in Velmar said on Monday that 300 people had died.").speaker == \
        "local officials in Velmar"
    rejected = _attribution("The interior ministry rejected the claim and said 134 people had been confirmed dead.")
    assert rejected.speaker == "the interior ministry"
    assert _attribution("Acme rejected the claim and Smith said it was false.").speaker != "Acme"


def test_someone_speaking_for_a_named_person_is_named_as_such() -> None:
    text = "A spokesperson for Prime Minister Grace Mensah said the prime minister had accepted the resignation."
    assert _attribution(text).speaker == "a spokesperson for Prime Minister Grace Mensah"


def test_who_holds_a_title_is_the_name_after_it_not_the_subject_of_another_clause() -> None:
    aides = ("Daniel Osei did not resign but was dismissed by the prime minister, three senior government aides "
             "told the Evening Post.")
    named = "A spokesperson for Prime Minister Grace Mensah said the prime minister had accepted the resignation."
    assert compose("Who is the prime minister?", evidence(article(aides))).verdict is Verdict.NOT_FOUND
    answer = compose("Who is the prime minister?", evidence(article(aides, id="a1"), article(named, id="a2")))
    assert [s.answer for s in answer.sides] == ["Grace Mensah"]


def test_an_unowned_spokesmans_we_is_the_headlines_company() -> None:
    answer = compose("Is Acme hiring?", evidence(article(DENIAL, title="Acme denies layoff report")))
    assert answer.verdict is Verdict.SUPPORTED and "Mark Ruiz" in (answer.sides[0].speaker or "")
    other = compose("Is Acme hiring?", evidence(article(DENIAL, title="Union denies strike report")))
    assert other.verdict is not Verdict.SUPPORTED


def test_declining_to_do_it_refutes_it_and_analysts_estimating_are_the_source() -> None:
    answer = compose("Did Orbit comment on Lumex's statement?",
                     evidence(article("Orbit declined to comment on Lumex's statement.")))
    assert answer.verdict is Verdict.REFUTED
    estimate = "Analysts at Bayline Research estimate the delay will cost Orbit about $300 million in lost sales."
    assert _attribution(estimate).speaker == "analysts at Bayline Research"


def test_not_proving_a_claim_is_not_denying_it() -> None:
    text = ("The Calorie Control Council, an industry group, said the study did not prove that erythritol causes "
            "heart attacks.")
    assert compose("Does erythritol cause heart attacks?", evidence(article(text))).verdict is Verdict.CONTEXT
    assert compose("Did the study prove that erythritol causes heart attacks?",
                   evidence(article(text))).verdict is Verdict.REFUTED


def test_an_acronym_names_the_body_written_out_and_an_honorific_is_not_a_name() -> None:
    fda = "The U.S. Food and Drug Administration considers erythritol safe, an agency spokesperson said."
    answer = compose("Does the FDA consider erythritol safe?", evidence(article(fda)))
    assert answer.verdict is Verdict.SUPPORTED and answer.sides[0].speaker == "an agency spokesperson"
    lead = _attribution("The study followed 4,000 adults for three years, lead author Dr. Sam Patel said.")
    assert lead.speaker == "Sam Patel"


def test_a_modal_question_keeps_its_modal() -> None:
    answer = compose("Should consumers be cautious?",
                     evidence(article("“Consumers should be cautious,” Patel told Health Daily.")))
    assert answer.verdict is Verdict.SUPPORTED and "Patel says consumers should be cautious" in answer.summary


def test_finding_no_evidence_refutes_finding_it_and_the_commission_is_who_said_it() -> None:
    text = ("International observers from the OSCE said the vote was competitive.\n"
            "They found no evidence of large-scale fraud.")
    assert compose("Did the OSCE find evidence of fraud?", evidence(article(text))).verdict is Verdict.REFUTED
    assert _attribution("Turnout was 61 percent, the commission said.").speaker == "the commission"


def test_a_share_is_given_in_percent() -> None:
    text = "President Elena Marsh claimed victory, saying she had won 54 percent of the vote."
    answer = compose("What percentage of the vote did Marsh win?", evidence(article(text)))
    assert [s.answer for s in answer.sides] == ["54 percent"]


def test_a_toll_from_a_department_and_a_count_of_workers_answer_how_many_people() -> None:
    strike = ("A drone strike hit the port of Karsk early on Friday, killing four dock workers, regional governor "
              "Ivan Belov said on Telegram.")
    answer = compose("How many people were killed in the drone strike?", evidence(article(strike)))
    assert [s.answer for s in answer.sides] == ["four dock workers"]
    toll = _attribution("The death toll rose to six, according to the regional health department.")
    assert toll.speaker == "the regional health department"
    assert _attribution("According to the prosecutor's office, the bribes totaled $2.5 million.").speaker == \
        "the prosecutor's office"


def test_a_peoples_adjective_names_its_country() -> None:
    answer = compose("Did Belov blame Veldia for the attack?",
                     evidence(article("Belov blamed the attack on Veldian forces.")))
    assert answer.verdict is Verdict.SUPPORTED


def test_who_holds_a_role_at_the_headlines_company_is_answered_from_the_role_next_to_the_name() -> None:
    text = "“We would rather ship late than ship a compromised product,” chief executive Priya Raman wrote on X."
    answer = compose("Who is Orbit's chief executive?",
                     evidence(article(text, title="Orbit delays its new phone to October")))
    assert [s.answer for s in answer.sides] == ["Priya Raman"]
    elsewhere = compose("Who is Orbit's chief executive?", evidence(article(text, title="Phones in 2025")))
    assert elsewhere.verdict is Verdict.NOT_FOUND


def test_a_body_speaking_of_its_own_act_is_worded_with_it() -> None:
    text = "The interior ministry rejected the claim and said 134 people had been confirmed dead."
    answer = compose("Did the interior ministry reject the claim?", evidence(article(text)))
    assert "The interior ministry says it rejected the claim" in answer.summary


def test_a_weekday_is_not_the_subject_and_a_progressive_question_keeps_its_verb() -> None:
    denial = ("Porto president Rui Santos said on Wednesday that the club had not agreed to sell Dani Costa and that "
              "Rovers' offer of 70 million euros was rejected.")
    answer = compose("Did Porto agree to sell Costa?", evidence(article(denial)))
    assert answer.verdict is Verdict.REFUTED  # "Wednesday" stood nearest the verb as its subject
    talks = compose("Are talks continuing?", evidence(article("Costa's agent, Mario Lenz, said talks were continuing.")))
    assert "says talks are continuing" in talks.summary  # was "says yes"


def test_what_happened_to_someone_gives_every_account_of_it() -> None:
    resigned = "Finance Minister Daniel Osei resigned on Monday, days after prosecutors opened an investigation."
    dismissed = "Daniel Osei did not resign but was dismissed by the prime minister, three senior aides told the Post."
    answer = compose("What happened to Osei?", evidence(article(resigned, id="a1"), article(dismissed, id="a2")))
    assert answer.verdict is Verdict.SUPPORTED and len(answer.sides) == 2  # "happened" is no word to look for


def test_a_court_story_reads_pleas_appeals_titles_and_passives() -> None:
    courier = ("Former Harlow mayor Peter Quill was sentenced on Monday to eight years in prison for fraud.\n"
               "Judge Anna Weiss said Quill had stolen more than 3 million pounds from the city's pension fund.\n"
               "Quill, who pleaded not guilty, plans to appeal, his lawyer said.")
    lawyer = "Defence lawyer Omar Haddad said on Tuesday that the conviction of Peter Quill would be overturned."
    ev = evidence(article(courier, id="a1"), article(lawyer, id="a2"))
    assert compose("Did Quill plead guilty?", ev).verdict is Verdict.REFUTED  # "pleaded not guilty"
    appeal = compose("Will Quill appeal?", ev)  # the "not" of "not guilty," does not reach "appeal"
    assert appeal.verdict is Verdict.SUPPORTED and appeal.sides[0].speaker == "his lawyer"
    assert [s.answer for s in compose("Who is Quill's lawyer?", ev).sides] == ["Omar Haddad"]  # not "Defence"
    assert compose("Who sentenced Quill?", ev).verdict is Verdict.NOT_FOUND  # not "Former Harlow", who was sentenced
    assert [s.answer for s in compose("How much did Quill steal?", ev).sides] == ["more than 3 million pounds"]


def test_no_one_denies_anyone_and_the_speakers_it_answers_who() -> None:
    police = compose("Was anyone injured?", evidence(article(
        "The rocket exploded after lifting off.\nNo one was injured, according to local police.")))
    assert police.verdict is Verdict.REFUTED and "Local police say no one was injured" in police.summary
    faa = ("The Federal Aviation Authority said on Tuesday it had grounded Nova Orbital's rockets until an "
           "investigation is complete.")
    answer = compose("Who grounded Nova Orbital's rockets?", evidence(article(faa)))
    assert [s.answer for s in answer.sides] == ["Federal Aviation Authority"]


def test_a_role_question_takes_the_body_from_the_storys_lead() -> None:
    story = ("The Bank of Merovia raised its main interest rate by half a percentage point on Thursday.\n"
             "Governor Lina Marx said inflation, which rose to 6.1% in March, was far too high.")
    answer = compose("Who is the governor of the Bank of Merovia?",
                     evidence(article(story, title="Central bank raises rates")))
    assert [s.answer for s in answer.sides] == ["Lina Marx"]


def test_a_description_between_a_name_and_its_verb_does_not_take_the_speech() -> None:
    voss = ask_texts("What did Dmitri Voss tell TechCrunch?", "Dmitri Voss, a researcher at threat intelligence firm "
                     "Hollowpoint, told TechCrunch that the sample included card numbers.")
    assert voss.sides[0].speaker == "Dmitri Voss (researcher at threat intelligence firm Hollowpoint)"
    app = ask_texts("Did hackers access the data?", "Pulsetrack, the fitness-tracking app owned by Kestrel Health, "
                    "said on Thursday that hackers had accessed the data.")
    assert app.sides[0].speaker == "Pulsetrack" and "Pulsetrack says hackers accessed the data" in app.summary


def test_a_company_named_before_its_spokesperson_is_the_source_asked_about() -> None:
    answer = ask_texts("Did Pulsetrack deny that card data was exposed?",
                       "A Pulsetrack spokesperson, Emily Hart, denied that any card data had been exposed.")
    assert answer.verdict is Verdict.SUPPORTED
    assert "Emily Hart (Pulsetrack spokesperson) says card data was not exposed" in answer.summary


def test_a_name_particle_stays_with_the_name_and_an_audience_keeps_its_nouns() -> None:
    groot = ask_texts("Do patients remain in serious condition?",
                      "“Two of them remain in serious condition,” de Groot told Reuters.")
    assert groot.sides[0].speaker == "de Groot"
    council = ask_texts("Has the plant been cited for safety violations?", "Ahmed Bakkali said the plant had been "
                        "cited for safety violations twice. “This is not the first warning,” Bakkali told the "
                        "municipal council on Tuesday evening.")
    assert council.sides[0].audience == "the municipal council"


def test_bodies_and_people_described_by_their_job_speak_as_written() -> None:
    union = ask_texts("Did most members back the offer?",
                      "The union said on Friday that 68% of members who took part in the ballot backed the offer.")
    assert union.sides[0].speaker == "the union" and "The union says most members backed the offer" in union.summary
    director = ask_texts("Did the director take responsibility?", "The director said she took full responsibility.")
    assert "The director says she took responsibility" in director.summary
    leaders = ask_texts("Did Unison accept the deal?", "Unison rejected the deal on Monday, its leaders said.")
    assert "Its leaders say Unison did not accept the deal" in leaders.summary
    board = ask_texts("Did the Dutch Safety Board find the valve faulty?",
                      "The Dutch Safety Board said its inspectors found the valve faulty.")
    assert board.sides[0].speaker == "Dutch Safety Board"


def test_a_described_body_speaking_of_its_own_act_answers_who_did_it() -> None:
    answer = ask_texts("Who opened an investigation?", "The Dutch labour inspectorate said it had opened an investigation.")
    assert [s.answer for s in answer.sides] == ["The Dutch labour inspectorate"]
    assert answer.summary.endswith("The Dutch labour inspectorate, by its own account [1].")


def test_an_allegation_has_its_speaker_and_a_trailing_body_is_who_said_it() -> None:
    alleged = ask_texts("Did Salcedo take bribes?", "Prosecutors allege that Salcedo took bribes from developers.")
    assert alleged.sides[0].speaker == "prosecutors"
    hall = ask_texts("Was Salcedo arrested?", "Salcedo was not arrested, the town hall said.")
    assert hall.verdict is Verdict.REFUTED and hall.sides[0].speaker == "the town hall"
    toll = ask_texts("How many people died?", "At least 23 people died off the island of Samar, the coast guard said.")
    assert toll.sides[0].speaker == "the coast guard"


def test_a_name_before_another_subject_does_not_speak_for_it() -> None:
    answer = ask_texts("Was Salcedo arrested?", "Salcedo was not arrested, the village elder said.")
    assert answer.verdict is Verdict.REFUTED and answer.sides[0].speaker is None  # the outlet's, not Salcedo's


def test_a_who_clause_after_a_name_does_not_take_the_speech_and_nobody_speaks_in_a_negated_verb() -> None:
    ames = ask_texts("What did Victor Ames allege?", "Victor Ames, who managed the Grammy-winning singer from 2016 "
                     "until last year, alleges that Lenoir fired him to avoid paying his share.")
    assert ames.sides[0].speaker == "Victor Ames"
    deal = ask_texts("Is the Halcyon deal worth $60 million?", "The Halcyon deal is worth $60 million, though neither "
                     "the label nor Lenoir has confirmed the figure.")
    assert all(s.speaker != "Lenoir" for s in deal.sides)


def test_whose_lawyers_is_not_a_lawyer_and_a_body_before_a_title_is_part_of_the_role() -> None:
    assert ask_texts("Who is Victor Ames' lawyer?", "Mara Lenoir's lawyers said Victor Ames was dismissed.").verdict \
        is Verdict.NOT_FOUND
    mutua = ask_texts("Did Paul Mutua promise to cooperate?", "Athletics Kenya president Paul Mutua said the "
                      "federation would cooperate fully with the AIU.")
    assert mutua.sides[0].speaker == "Paul Mutua (Athletics Kenya president)"


def test_what_did_a_source_say_takes_only_that_sources_words() -> None:
    text = "The airline is expected to seek compensation from engine maker Pratt & Whitney Canada, analysts said."
    assert ask_texts("What did the engine maker say?", text).verdict is Verdict.NOT_FOUND
    assert ask_texts("What did the analysts say?", text).verdict is not Verdict.NOT_FOUND
