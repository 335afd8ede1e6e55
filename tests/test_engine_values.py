"""Value questions: which value a sentence gives, and when it belongs to something else than what was asked."""

from __future__ import annotations

from newsbot.engine import compose
from newsbot.models import Verdict
from tests.engine_helpers import article, ask_texts, evidence, seed_article, side_values


def test_a_sequels_date_does_not_answer_for_the_original() -> None:
    sequel = "Sony has announced that Marvel's Spider-Man 2 will launch globally for PS5 on October 20, 2023."
    assert ask_texts("When was Marvel's Spider-Man released?", sequel).verdict is Verdict.NOT_FOUND
    original = "Marvel's Spider-Man was released for the PlayStation 4 on September 7, 2018."
    answer = ask_texts("When was Marvel's Spider-Man released?", sequel, original)
    assert answer.verdict is Verdict.SUPPORTED and side_values(answer) == {"September 7, 2018"}


def test_an_album_named_after_the_game_does_not_give_the_games_date() -> None:
    album = "The Legend of Zelda: Ocarina of Time Re-Arranged Album was released on December 22nd, 1999 in Japan."
    assert ask_texts("When was The Legend of Zelda: Ocarina of Time released?", album).verdict is Verdict.NOT_FOUND


def test_a_company_suffix_leaves_the_name_the_same_company() -> None:
    answer = ask_texts("When was OpenAI founded?", "OpenAI Inc was founded in December 2015 by Elon Musk and Sam Altman.")
    assert answer.verdict is Verdict.SUPPORTED and side_values(answer) == {"December 2015"}


def test_the_questions_own_number_is_not_read_as_a_day() -> None:
    text = "A soundtrack album for Xenoblade Chronicles was released on 2 August 2023 by Nintendo."
    assert ask_texts("When was Xenoblade Chronicles 2 released?", text).verdict is Verdict.NOT_FOUND


def test_the_asked_year_must_be_in_the_values_own_fragment_of_a_snippet() -> None:
    snippet = ("Elena Rybakina won the women's singles final at Wimbledon on Saturday ... since 2018, "
               "was the youngest women's finalist at Wimbledon since 2015 ...")
    assert ask_texts("Who won the women's singles Wimbledon in 2018?", snippet).verdict is Verdict.NOT_FOUND


def test_who_won_is_the_name_before_an_active_verb() -> None:
    answer = ask_texts("Who won the Maxwell Award in 2019?",
                  "In 2019 LSU quarterback Joe Burrow wins Camp, O'Brien, Maxwell awards at the ceremony.")
    assert answer.verdict is Verdict.SUPPORTED
    assert all("Joe Burrow" in a and "Camp" not in a for a in side_values(answer))


def test_a_kind_noun_in_the_question_need_not_be_in_the_passage() -> None:
    answer = ask_texts("Who is the director of the Avatar movie?", "Avatar: Directed by James Cameron. With Sam Worthington.")
    assert answer.verdict is Verdict.SUPPORTED and side_values(answer) == {"James Cameron"}


def test_a_label_list_does_not_make_its_heading_an_answer() -> None:
    answer = ask_texts("Who is the director of the Avatar movie?", "Who's making Avatar: Crew List ; Director. See more.")
    assert answer.verdict is Verdict.NOT_FOUND


def test_a_headline_capital_does_not_turn_a_verb_into_a_name() -> None:
    answer = ask_texts("who won the french presidential election in 2017?",
                  "Headline: Macron Won The Vote.\n\nEmmanuel Macron won the French presidential election in 2017, "
                  "defeating Marine Le Pen.")
    assert answer.verdict is Verdict.SUPPORTED and any("Macron" in a for a in side_values(answer))


def test_a_truncated_name_is_the_same_person() -> None:
    answer = ask_texts("Who directed the Assassin's Creed film?",
                  "Assassin's Creed is the most daring film yet from the director Justin Kurze.",
                  "Assassin's Creed, the film, was directed by Justin Kurzel in 2016.")
    assert answer.verdict is Verdict.SUPPORTED and len(answer.sides) == 1


def test_a_rank_question_asks_for_a_person() -> None:
    answer = ask_texts("What is women's year-end No 1 in tennis in 2020?",
                  "In 2020 Ashleigh Barty finished as the women's year-end No 1 in tennis for the second year.")
    assert answer.verdict is Verdict.SUPPORTED and side_values(answer) == {"Ashleigh Barty"}


def test_the_date_nearest_the_asked_verbside_values() -> None:
    answer = ask_texts("When was Diablo 3 released?", "Diablo 3 was announced in June 2008 and was released in May 2012.")
    assert side_values(answer) == {"May 2012"}


def test_a_day_of_a_year_written_with_of_is_a_full_date() -> None:
    answer = ask_texts("When was Ocarina of Time released?", "Ocarina of Time was released on November 21 of 1998 in Japan.")
    assert side_values(answer) == {"November 21 of 1998"}


def test_third_quarter_in_words_meets_q3() -> None:
    answer = ask_texts("What was Tesla's revenue in Q3 2019?", "Tesla's third-quarter revenue for 2019 was $6.3 billion.")
    assert answer.verdict is Verdict.SUPPORTED and side_values(answer) == {"$6.3 billion"}


def test_a_title_shortened_from_the_front_still_names_it() -> None:
    a = "Nintendo has revealed that Breath of the Wild will release on March 3, 2017, alongside the Switch."
    b = "Nintendo has revealed that Breath of the Wild will release on March 13, 2019, alongside the Switch."
    answer = ask_texts("When was The Legend of Zelda: Breath of the Wild released?", a, b)
    assert answer.verdict is Verdict.CONTESTED and side_values(answer) == {"March 3, 2017", "March 13, 2019"}


def test_a_date_of_an_earlier_list_item_is_not_the_named_things() -> None:
    text = "Version 2.0.0 (Released September 13, 2018) · New title screen for Xenoblade Chronicles 2 · Fixes."
    assert ask_texts("When was Xenoblade Chronicles 2 released?", text).verdict is Verdict.NOT_FOUND


def test_a_heading_then_its_value_in_a_listside_values() -> None:
    answer = ask_texts("Who was awarded the 2019 Nobel Prize in Literature?",
                  "The Nobel Prize in Literature 2019 · Peter Handke · Nobel Prizes and laureates ...",
                  "The Nobel Prize in Literature 2019 · Olga Tokarczuk · Nobel Prizes and laureates ...")
    assert answer.verdict is Verdict.CONTESTED and side_values(answer) == {"Peter Handke", "Olga Tokarczuk"}


def test_a_name_described_by_another_name_is_the_person_asked_for() -> None:
    answer = compose("Who interviewed Zelensky?", evidence(seed_article()))
    assert answer.verdict is Verdict.SUPPORTED and side_values(answer) == {"Lex Fridman"}  # not "U.S." of "U.S. podcaster"


def test_who_is_a_named_person_quotes_what_the_sources_say_of_them() -> None:
    answer = compose("Who is Natalya Eismont?", evidence(seed_article()))
    assert answer.verdict is Verdict.SUPPORTED
    assert any("press secretary, Natalya Eismont" in c.quote for c in answer.citations)


def test_the_headline_says_what_the_game_of_an_opening_sentence_is() -> None:
    art = article("The game was launched on May 15, 2012. Console versions came out the following year.",
                  title="Diablo 3 turns ten: a look back")
    answer = compose("When was Diablo 3 released?", evidence(art))
    assert answer.verdict is Verdict.SUPPORTED and side_values(answer) == {"May 15, 2012"}
    untitled = article("The game was launched on May 15, 2012. Console versions came out the following year.",
                       title="A look back")
    assert compose("When was Diablo 3 released?", evidence(untitled)).verdict is Verdict.NOT_FOUND


def test_a_thing_that_only_mentions_the_game_gives_its_own_date() -> None:
    album = ("A second soundtrack album featuring the remastered tracks used in Star Quest: Definitive Edition "
             "was released on 2 August 2023.")
    assert ask_texts("When was Star Quest Definitive Edition released?", album).verdict is Verdict.NOT_FOUND
    game = "Star Quest: Definitive Edition was released on May 29, 2020 for the Nintendo Switch."
    answer = ask_texts("When was Star Quest Definitive Edition released?", album, game)
    assert answer.verdict is Verdict.SUPPORTED and side_values(answer) == {"May 29, 2020"}


def test_the_target_after_against_is_not_who_did_it() -> None:
    answer = ask_texts("Who imposed sanctions first?", "The council was the first to impose sanctions against Belarus.")
    assert "Belarus" not in side_values(answer)


def test_who_did_it_is_the_name_opening_a_because_clause_past_an_aside() -> None:
    text = ("“First and foremost, because Ukraine, as we remember, was the first to impose sanctions against Belarus, "
            "before even America and the entire West,” she said.")
    answer = ask_texts("Who imposed sanctions first?", text)
    assert answer.verdict is Verdict.SUPPORTED and side_values(answer) == {"Ukraine"}


def test_a_date_in_the_clause_someone_is_quoted_saying_is_not_the_date_of_what_came_before() -> None:
    text = ("In an interview with podcaster Lex Fridman, published on Sunday, Zelensky said the two leaders "
            "spoke by phone in February 2022.")
    published = ask_texts("When was the interview published?", text)  # the story is dated 2024-05-01, a Wednesday
    assert published.verdict is Verdict.SUPPORTED and side_values(published) == {"on Sunday (April 28, 2024)"}
    answer = ask_texts("When did the two leaders speak by phone?", text)
    assert answer.verdict is Verdict.SUPPORTED and side_values(answer) == {"February 2022"}


def test_where_from_is_the_place_after_from_with_its_noun() -> None:
    text = "The president apologized for missile strikes launched from Belarusian territory in February."
    answer = ask_texts("Where were the missiles launched from?", text)
    assert answer.verdict is Verdict.SUPPORTED and side_values(answer) == {"Belarusian territory"}


def test_the_noun_a_sentence_opens_with_borrows_the_names_of_its_earlier_mention() -> None:
    text = "Acme Corp plans to cut jobs at its Dayton plant by June.\nThe plant employs about 2,300 people."
    answer = ask_texts("How many people does the Dayton plant employ?", text)
    assert answer.verdict is Verdict.SUPPORTED and side_values(answer) == {"about 2,300 people"}  # with its bound and unit
    other = "Acme Corp plans to cut jobs at its Dayton plant.\nThe Toledo plant employs about 900 people."
    assert "900" not in side_values(ask_texts("How many people does the Dayton plant employ?", other))


def test_a_weekday_is_read_against_the_storys_date_and_the_frame_is_the_outlets() -> None:
    # article() dates every story 2024-05-01, a Wednesday: "on Monday" is April 29, "last Wednesday" April 24.
    answer = ask_texts("When did the union vote?", "The union voted on Monday to authorize a strike, Tom Baker said.")
    assert answer.verdict is Verdict.SUPPORTED and side_values(answer) == {"on Monday (April 29, 2024)"}
    last = ask_texts("When did the union vote?", "The union voted last Wednesday to authorize a strike.")
    assert side_values(last) == {"last Wednesday (April 24, 2024)"}
    framed = ask_texts("Who interviewed Zelensky?",
                       "In an interview with U.S. podcaster Lex Fridman, Zelensky said the two leaders spoke by phone.")
    assert side_values(framed) == {"Lex Fridman"} and framed.sides[0].speaker is None  # the outlet's, not Zelensky's


def test_a_count_keeps_its_bound_and_belongs_to_the_verb_on_its_side_of_and() -> None:
    text = "The earthquake struck on Sunday, killing at least 120 people and injuring more than 400, the ministry said."
    assert side_values(ask_texts("How many people were injured?", text)) == {"more than 400"}
    assert side_values(ask_texts("How many people were killed?", text)) == {"at least 120 people"}


def test_a_death_toll_disputed_between_the_ministry_and_local_officials_is_contested() -> None:
    ministry = ("A magnitude 6.8 earthquake struck northern Ardania on Sunday, killing at least 120 people and "
                "injuring more than 400, the country's interior ministry said.")
    local = ("Local officials in Velmar said on Monday that at least 300 people had died in the earthquake, "
             "more than twice the government's figure.")
    answer = ask_texts("How many people died in the earthquake?", ministry, local)
    assert answer.verdict is Verdict.CONTESTED
    assert {(s.speaker, s.answer) for s in answer.sides} == {("the country's interior ministry", "at least 120 people"),
                                                             ("local officials in Velmar", "at least 300 people")}
    assert ask_texts("Did Kral die?", "President Kral's forces killed 12 people in Velmar.").verdict \
        is not Verdict.SUPPORTED  # killing twelve is not dying


def test_a_count_in_words_is_a_count() -> None:
    answer = ask_texts("How many days of mourning were declared?", "President Ivan Kral declared three days of mourning.")
    assert answer.verdict is Verdict.SUPPORTED and side_values(answer) == {"three days"}


def test_one_as_a_pronoun_is_no_count() -> None:
    text = "Missiles were launched from my territory, and Putin was the one launching them."
    assert ask_texts("How many missiles were launched?", text).verdict is Verdict.NOT_FOUND


def test_a_place_right_after_the_verb_is_where() -> None:
    text = "A magnitude 6.8 earthquake struck northern Ardania on Sunday, the interior ministry said."
    assert side_values(ask_texts("Where did the earthquake strike?", text)) == {"Ardania"}


def test_a_month_without_a_year_takes_the_storys_year_and_a_date_right_after_another_verb_is_that_acts() -> None:
    # article() dates every story 2024-05-01.
    delay = "Orbit Inc will delay the launch of its Nova 3 phone to October, the company said."
    assert side_values(ask_texts("When will the Nova 3 launch?", delay)) == {"to October (2024)"}
    past = "Sales of the phone began in December, the company said."
    assert side_values(ask_texts("When did sales of the phone begin?", past)) == {"in December (2023)"}
    vote = "The union voted on Monday to authorize a strike if the company cuts jobs."
    assert ask_texts("When will the job cuts happen?", vote).verdict is Verdict.NOT_FOUND


def test_an_amount_keeps_its_bound() -> None:
    text = "According to Bayline Research, the delay could cost Orbit as much as $500 million."
    assert side_values(ask_texts("How much will the delay cost Orbit?", text)) == {"as much as $500 million"}


def test_how_old_takes_an_age_and_how_long_a_length_of_time() -> None:
    fee = "Rovers agreed a fee of 85 million euros with Porto for striker Dani Costa."
    age = "Costa, 23, is expected to sign a five-year contract after a medical on Friday."
    assert side_values(ask_texts("How old is Dani Costa?", fee + "\n" + age)) == {"23"}  # not the fee
    assert side_values(ask_texts("How long is Costa's contract?", fee + "\n" + age)) == {"five-year"}  # not the age
    study = "The study followed 4,000 adults in Ohio for three years."
    assert side_values(ask_texts("How long did the study follow the adults?", study)) == {"three years"}


def test_a_weekday_in_a_clause_about_what_is_to_come_is_the_next_one() -> None:
    # the helper's articles are published 2024-05-01, a Wednesday
    answer = ask_texts("When will staff return to work?", "Staff will return to work on Monday.")
    assert side_values(answer) == {"on Monday (May 6, 2024)"}
    past = ask_texts("When did the strike end?", "The strike ended on Monday, the union said.")
    assert side_values(past) == {"on Monday (April 29, 2024)"}


def test_a_date_is_taken_for_the_act_asked_about_not_for_the_statement() -> None:
    text = "The company said on Wednesday that the plant would reopen on Friday."
    assert side_values(ask_texts("When will the plant reopen?", text)) == {"on Friday (May 3, 2024)"}


def test_how_long_takes_the_length_of_the_act_asked_about() -> None:
    text = ("Staff will return to work after members voted to accept a 7% pay rise over two years, ending a strike "
            "that lasted five weeks.")
    assert side_values(ask_texts("How long did the strike last?", text)) == {"five weeks"}


def test_a_number_word_opening_a_sentence_is_a_count() -> None:
    answer = ask_texts("How many people were arrested?", "Two people were arrested in Swansea on Monday, police said.")
    assert side_values(answer) == {"Two people"}
    quoted = ask_texts("How many people were taken to hospital?",
                       "“Fourteen people were taken to hospital, and two of them remain in serious condition,” she said.")
    assert side_values(quoted) == {"Fourteen people"}


def test_a_preposition_in_the_question_is_not_a_word_the_source_must_state() -> None:
    text = "An ammonia leak at a plant in the port of Rotterdam sent 14 workers to hospital on Tuesday, officials said."
    answer = ask_texts("How many workers were hospitalised after the ammonia leak?", text)
    assert side_values(answer) == {"14 workers"}


def test_amounts_in_pounds_and_euros_and_a_share_asked_how_much() -> None:
    reward = ask_texts("How much is the reward?", "A reward of 20,000 pounds has been offered by an insurer.")
    assert side_values(reward) == {"20,000 pounds"}
    shares = ask_texts("How much did Kestrel Health shares fall?", "Kestrel Health shares fell 6% in New York trading.")
    assert side_values(shares) == {"6%"}


def test_ages_are_not_how_many_and_men_are_people_counted() -> None:
    text = "Two men, aged 34 and 41, were arrested in Swansea on Monday afternoon on suspicion of burglary, police said."
    assert side_values(ask_texts("How many people were arrested?", text)) == {"Two men"}
    assert ask_texts("How many soldiers were arrested?", text).verdict is Verdict.NOT_FOUND


def test_who_did_someone_hire_is_answered_by_the_name_after_the_verb() -> None:
    text = ("Pulsetrack has notified regulators in the United States and the European Union and hired the "
            "cybersecurity firm Mandiant to investigate.")
    assert side_values(ask_texts("Who did Pulsetrack hire to investigate?", text)) == {"Mandiant"}
    accused = ask_texts("Who did Zelensky accuse?", "Zelensky said he confronted Lukashenko, accusing him of complicity.")
    assert side_values(accused) == {"Lukashenko"}


def test_a_date_written_before_the_asked_act_is_that_acts_own() -> None:
    seed = evidence(seed_article())
    assert side_values(compose("When did Russia invade Ukraine?", seed)) == {"February 2022"}
    assert side_values(compose("When did Zelensky and Lukashenko speak?", seed)) == {
        "just days after Russia’s February 2022 invasion"}


def test_a_place_after_the_port_of_and_a_company_suffix_is_the_same_company() -> None:
    text = ("An ammonia leak at a fertiliser plant operated by Norvik Chemicals in the port of Rotterdam sent 14 "
            "workers to hospital on Tuesday, the regional safety authority said.")
    assert side_values(ask_texts("Where is the Norvik plant?", text)) == {"Rotterdam"}


def test_a_clock_time_answers_when_joined_to_the_day_next_to_it() -> None:
    assert side_values(ask_texts("When was the alarm triggered?", "The alarm was triggered at 3:12 a.m., police said.")) \
        == {"3:12 a.m."}
    assert side_values(ask_texts("When was the alarm triggered?",
                                 "The alarm was triggered at 3:12 a.m. on Sunday, police said.")) \
        == {"3:12 a.m. on Sunday (April 28, 2024)"}
    began = ask_texts("When did the leak begin?", "The leak began shortly after 6 a.m. when a valve failed, officials said.")
    assert side_values(began) == {"shortly after 6 a.m."}


def test_where_to_takes_the_place_after_to_not_the_speaker() -> None:
    text = "Shipping line Atlantic Container Link said it had diverted three vessels to Saint John, New Brunswick."
    assert side_values(ask_texts("Where were ships diverted to?", text)) == {"Saint John, New Brunswick"}


def test_a_range_and_pesos_are_amounts() -> None:
    cost = ask_texts("How much will the recall cost?",
                     "Analysts estimated the recall would cost the company between 60 million and 80 million euros.")
    assert side_values(cost) == {"between 60 million and 80 million euros"}
    offer = ask_texts("How much has the company offered?", "The company has offered 100,000 pesos to each victim's family.")
    assert side_values(offer) == {"100,000 pesos"}


def test_a_two_word_title_and_a_body_named_with_and() -> None:
    farrow = ask_texts("Who is the chief executive?",
                       "Chief executive Dominic Farrow told investors on a call that the company would move on.")
    assert side_values(farrow) == {"Dominic Farrow"}
    cma = ask_texts("Who blocked the deal?", "The Competition and Markets Authority blocked the deal on Wednesday.")
    assert side_values(cma) == {"Competition and Markets Authority"}


def test_who_did_it_is_never_what_it_was_done_to() -> None:
    answer = ask_texts("Who blocked the takeover?", "The regulator blocked the takeover of Crustworth by Hallam Foods.")
    assert "Crustworth" not in side_values(answer)


def test_a_count_after_including_is_a_part_and_a_name_and_others_counts_the_name() -> None:
    text = ("Mayor Eduardo Salcedo, 58, and four other people, including two municipal planning officials, were "
            "detained in early-morning raids, the Civil Guard said in a statement.")
    answer = ask_texts("How many people were detained?", text)
    assert side_values(answer) == {"Mayor Eduardo Salcedo, 58, and four other people"}  # five, not two


def test_number_words_in_a_yes_no_question_must_be_the_sources() -> None:
    assert ask_texts("Were nine people arrested?", "Police said 14 people had been arrested.").verdict \
        is not Verdict.SUPPORTED
    assert ask_texts("Were three wards closed?", "Two wards were closed on Tuesday.").verdict is not Verdict.SUPPORTED


def test_a_datelines_day_and_the_whole_of_a_part_are_not_the_count() -> None:
    text = ("LEEDS, England, April 30 (Reuters) - Two wards at St James's University Hospital were closed on "
            "Tuesday, the hospital trust said.")
    wards = ask_texts("How many wards were closed?", text)
    assert side_values(wards) == {"Two wards"} and wards.sides[0].speaker == "the hospital trust"
    inspected = ask_texts("How many aircraft have been inspected?", "Eight of the 12 aircraft have been inspected, "
                          "Nordavia said.")
    assert side_values(inspected) == {"Eight"}


def test_a_place_a_described_speaker_is_at_is_not_who_acted() -> None:
    text = "Nurses at St James's University Hospital have accused managers of playing down an outbreak."
    answer = ask_texts("Who accused managers of playing down the outbreak?", text)
    assert "University Hospital" not in side_values(answer)
