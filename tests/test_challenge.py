"""Challenges: random, named, expiring, single use, and read back from the JSON the studio issues."""
from __future__ import annotations

import json

import pytest

from identity.challenge import challenge_from_json, issue_challenge
from identity.errors import IdentityError
from identity.pose import DIRECTIONS


def test_challenge_names_the_user_and_the_studio():
    ch = issue_challenge("alice")
    assert "alice" in ch.sentence and "Cameo Studio" in ch.sentence
    assert len(ch.digits) == 5 and ch.digits.isdigit()
    assert len(set(ch.turns)) == 3 and set(ch.turns) <= set(DIRECTIONS)
    assert ch.expires_at > ch.issued_at


def test_challenges_are_random():
    seen = {(c.digits, c.turns, c.nonce) for c in (issue_challenge("alice") for _ in range(30))}
    assert len(seen) == 30
    assert len({c[0] for c in seen}) > 25


def test_challenge_round_trips_through_json():
    ch = issue_challenge("bob")
    assert challenge_from_json(ch.to_json()) == ch


def test_handwritten_challenge_needs_only_digits_and_turns():
    ch = challenge_from_json(json.dumps({"digits": "4 7 2 9 1", "turns": ["left", "right", "up"]}))
    assert ch.digits == "47291" and ch.turns == ("LEFT", "RIGHT", "UP") and ch.expires_at is None


@pytest.mark.parametrize(
    "payload",
    ['{"digits": "123", "turns": ["LEFT"]}', '{"digits": "12345", "turns": ["SIDEWAYS"]}', "[1, 2]", "not json"],
)
def test_bad_challenge_file_is_explained(payload):
    with pytest.raises(IdentityError) as err:
        challenge_from_json(payload)
    assert err.value.code == "bad_challenge"


def test_bad_handle_is_refused():
    with pytest.raises(IdentityError, match="3 to 32 characters"):
        issue_challenge("a b")


def test_challenge_is_single_use(store):
    ch = issue_challenge("alice")
    store.save_challenge(ch)
    assert store.consume_challenge(ch.id) is True
    assert store.consume_challenge(ch.id) is False
    assert store.challenge_used(ch.id)


def test_a_french_challenge_has_the_sentence_in_french_and_the_same_digits_and_turns():
    ch = issue_challenge("alice", language="fr")
    assert ch.language == "fr" and ch.sentence == ("Moi, alice, j'accepte que Cameo Studio crée mon caméo à partir "
                                                   "de cet enregistrement.")
    assert len(ch.digits) == 5 and ch.digits.isdigit() and len(set(ch.turns)) == 3
    assert challenge_from_json(ch.to_json()) == ch


def test_a_language_without_a_sentence_gets_the_english_one():
    ch = issue_challenge("alice", language="de")
    assert ch.language == "en" and ch.sentence.startswith("I, alice, agree")
    assert challenge_from_json(json.dumps({"digits": "12345", "turns": ["left"], "language": "xx"})).language == "en"
