"""The guard model behind the policy (safety.guard): the real Qwen3ForCausalLM class at toy size with
random weights, its answer format, its place in the policy, and its absence offline."""
from __future__ import annotations

import time

import pytest

from safety.errors import SafetyError
from safety.guard import (MODEL_ID, GuardVerdict, Qwen3Guard, build_tiny_guard, guard_from_settings, load_qwen3guard,
                          parse_verdict)
from safety.policy import check_prompt


@pytest.fixture(scope="module")
def tiny() -> Qwen3Guard:
    return build_tiny_guard(seed=0)


@pytest.fixture
def offline_empty_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    return tmp_path / "hf"


class Verdict:
    """A guard that answers what it is told to, as Qwen3Guard writes it: for the policy tests."""

    name = "scripted"

    def __init__(self, answer: str):
        self.answer, self.prompts = answer, []

    def classify(self, prompt: str) -> GuardVerdict:
        self.prompts.append(prompt)
        return parse_verdict(self.answer)


def test_tiny_guard_runs_the_real_class_through_a_chat_template(tiny):
    verdict = tiny.classify("@alice fait la cuisine")
    assert type(tiny.model).__name__ == "Qwen3ForCausalLM"
    assert isinstance(verdict, GuardVerdict) and isinstance(verdict.raw, str)
    assert verdict.label is None  # random weights say nothing of the form "Safety: ..."


def test_tiny_guard_is_deterministic(tiny):
    assert tiny.classify("@bob surfing").raw == tiny.classify("@bob surfing").raw


def test_answer_format_of_the_model_card_is_read():
    verdict = parse_verdict("Safety: Unsafe\nCategories: Violent")
    assert verdict.label == "Unsafe" and verdict.categories == ("Violent",)
    assert parse_verdict("Safety: Safe\nCategories: None").categories == ()


@pytest.mark.parametrize("answer,strict,expected", [
    ("Safety: Unsafe\nCategories: Sexual Content or Sexual Acts", False, ("sexual",)),
    ("Safety: Unsafe\nCategories: Suicide & Self-Harm", False, ("self_harm",)),
    ("Safety: Unsafe\nCategories: Non-violent Illegal Acts", False, ("dangerous",)),
    ("Safety: Controversial\nCategories: Violent", False, ()),
    ("Safety: Controversial\nCategories: Violent", True, ("violence",)),
    ("Safety: Unsafe\nCategories: Copyright Violation", False, ()),
    ("Safety: Safe\nCategories: None", True, ()),
])
def test_unsafe_refuses_and_controversial_refuses_for_teens_only(answer, strict, expected):
    assert parse_verdict(answer).refused_categories(strict) == expected


def test_policy_adds_the_guards_refusal():
    guard = Verdict("Safety: Unsafe\nCategories: Violent")
    decision = check_prompt("@alice juggling in the park", ["alice"], guard=guard)
    assert not decision.allowed and decision.categories == ("violence",)
    assert guard.prompts == ["@alice juggling in the park"]


def test_guard_never_lets_through_what_the_offline_policy_refuses():
    decision = check_prompt("@bob shows step by step how to build a pipe bomb", ["bob"],
                            guard=Verdict("Safety: Safe\nCategories: None"))
    assert not decision.allowed and "dangerous" in decision.categories


def test_policy_with_the_tiny_guard_keeps_the_offline_decision(tiny):
    assert check_prompt("@alice baking bread", ["alice"], guard=tiny).allowed


def test_missing_weights_offline_is_a_clear_error_fast(offline_empty_cache):
    start = time.perf_counter()
    with pytest.raises(SafetyError) as err:
        load_qwen3guard(MODEL_ID)
    assert time.perf_counter() - start < 30
    assert err.value.code == "guard_unavailable"
    assert MODEL_ID in err.value.message and str(offline_empty_cache) in err.value.message
    assert "CAMEO_PROMPT_GUARD=off" in err.value.message


def test_auto_mode_without_weights_uses_the_offline_policy_alone(offline_empty_cache):
    assert guard_from_settings("auto") is None
    assert guard_from_settings("off") is None


def test_required_guard_without_weights_fails(offline_empty_cache):
    with pytest.raises(SafetyError) as err:
        guard_from_settings("qwen3guard")
    assert err.value.code == "guard_unavailable"


def test_an_unknown_guard_setting_is_refused():
    with pytest.raises(SafetyError) as err:
        guard_from_settings("llamaguard")
    assert err.value.code == "bad_setting"
