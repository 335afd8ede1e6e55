"""Mentions in a question go before it is asked: they address people, they are not words about the news."""

from __future__ import annotations

from bot.questions import is_question, question_text

ROLE, USER, CHANNEL, BOT = 112233445566778899, 223344556677889900, 334455667788990011, 445566778899001122


def test_user_role_and_channel_mentions_go() -> None:
    text = f"<@{BOT}> <@&{ROLE}> <@!{USER}> Did Lukashenko apologize <#{CHANNEL}>?"
    assert question_text(text) == "Did Lukashenko apologize?"


def test_everyone_and_here_go_but_addresses_containing_them_stay() -> None:
    assert question_text("@everyone @here Did everyone at the hearing agree? ") == "Did everyone at the hearing agree?"
    assert question_text("Who wrote to press@everyone.org?") == "Who wrote to press@everyone.org?"


def test_a_question_of_only_mentions_becomes_empty() -> None:
    assert question_text(f"<@{BOT}>  @everyone <@&{ROLE}>") == ""


def test_invisible_characters_go_like_white_space() -> None:
    assert question_text(f"<@{BOT}> \u200b\u2060 Did Lukashenko\u200b apologize?") == "Did Lukashenko apologize?"


def test_only_letters_or_digits_make_a_question() -> None:
    assert is_question("Did Lukashenko apologize?") and is_question("2024?") and is_question("Лукашенко?")
    assert not is_question("") and not is_question("? …") and not is_question("👍")
