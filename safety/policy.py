"""The prompt policy: may the studio make this clip, with these cameos, for this account?

Runs before generation on the prompt, and after it on the dialogue text. One call,
`check_prompt`, returns a `PolicyDecision` with a sentence for a person. It combines:

- rules (`safety.lexicon`) over normalised text, for words that mean one thing (explicit terms,
  slurs, "pipe bomb"), in English, French, Spanish and German;
- rules of combination (`safety.composition`): two signals harmless apart and harmful together
  (a school uniform and a seductive pose, a pushed-away partner and a kiss, CCTV and a theft);
- real people (`safety.names`): a public figure or a person's full name that is not a cameo;
- impersonation: acting as a named person or a real office holder, deepfakes, face swaps;
- the semantic classifier (`safety.semantic`, a multilingual sentence encoder) for wording rules
  cannot list, reading the prompt less what it rules out for itself ("no gore":
  `lexicon.without_ruled_out`);
- each cameo owner's instructions (`safety.instructions`, read as topics: `safety.instruction_topics`);
- rule strength (`safety.context`): a rule word in a harmless frame ("suicide" in a prevention spot,
  Napoleon played for a history class) refuses only where the learned head agrees;
- the learned head (`safety.learned`): a softmax regression over the same sentence vectors,
  trained on some 4,400 labelled prompts from eight sources and writers (`python -m safety
  train-policy`). It adds refusals above its threshold, and below its veto it overrules the
  nearest-example classifier (never the rules, the people named or the owners' instructions, and
  never in strict mode): measured with a whole writer's set left out, the nearest-example layer
  refused more harmless prompts than the head at the same recall. Where the prompt shows a sign of
  harm (`composition.signals`: a school, an address, a bridge) it refuses from a lower probability;
- a guard model (`safety.guard`, Qwen3Guard-Gen) where a deployment has its weights: it can only
  add refusals.

The reason is one sentence in the prompt's language (`safety.reasons`: English, French, Spanish or
German). Sexual content involving minors is refused in every mode, with no override. `strict=True`
(a teen account, or any clip with a teen's cameo) lowers every semantic threshold and adds the
topics that are refused for teens only (romance, alcohol, gambling, smoking and drugs, horror).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from safety import composition, context, learned, lexicon, reasons, semantic
from safety.errors import SafetyError
from safety.guard import PromptGuard, configured_guard
from safety.instructions import OwnerInstructions, Violation, check_instructions, implied_switches
from safety.names import PersonMention, find_people, name_text
from safety.text import fold as fold_text, language, normalise

__all__ = ["OwnerInstructions", "PolicyDecision", "check_prompt", "CATEGORIES"]

# Most severe first: the reason names the first ones.
CATEGORIES: dict[str, str] = reasons.EN.categories
SEMANTIC_CATEGORIES = ("sexual", "violence", "self_harm", "hate", "extremism", "dangerous", "humiliation", "fake_evidence",
                       "impersonation")
MAX_PROMPT_CHARS = 4000


@dataclass(frozen=True)
class PolicyDecision:
    """allowed, the categories that refused it (most severe first), one sentence for a person, and
    the semantic score of every category checked (1.0 where a rule matched)."""

    allowed: bool
    categories: tuple[str, ...]
    reason: str
    scores: dict[str, float] = field(default_factory=dict)


def _handles(cameo_handles: Sequence[str]) -> tuple[str, ...]:
    return tuple(h.strip().lstrip("@").casefold() for h in cameo_handles if h and h.strip().lstrip("@"))


def _impersonated(cased: str, people: Sequence[PersonMention]) -> list[str]:
    """Who the prompt acts as: a named person or an office right after an impersonation verb."""
    text = name_text(cased)
    lowered = text.casefold()
    who = []
    for verb in re.finditer(lexicon.IMPERSONATION_VERBS, lowered):
        window_end = verb.end() + (20 if verb.group(0) in ("as", "als", "como", "comme") else 45)
        named = [p.name for p in people if verb.end() <= p.start <= window_end][:1]  # the one acted
        after = lowered[verb.end():window_end + 20]
        office = re.match(rf"\s+(?:(?:an?|un|une|ein|eine)\s+)?(?:{lexicon.OFFICE})", after)
        if office and len(lowered) == len(text):  # the words as written: "the President of France"
            office_words = text[verb.end():verb.end() + office.end()].strip()
        else:
            office_words = office.group(0).strip() if office else ""
        who += named + ([office_words] if office_words else [])
    return list(dict.fromkeys(who))


def _closest(semantic_only: set[str], hits: dict[str, list[str]], scores: semantic.Scores) -> set[str]:
    """The categories only the classifier found, less those it found less strongly than another:
    a beheading is near self-harm examples too, but nearer to violence. Refusal is unchanged."""
    if not semantic_only:
        return set()
    ranked = [c for c in hits if c in scores.similarity] + list(semantic_only)
    best = max(scores.similarity[c] for c in ranked)
    return {c for c in semantic_only if scores.similarity[c] >= best - 0.02}


def _learned_category(category: str, people: Sequence[PersonMention], impersonated: Sequence[str]) -> str:
    """The head's "real_person" class covers impersonation and fake evidence too (its training
    labels do not separate them): with nobody named, it is a cameo or a made-up person faked."""
    if category != "real_person" or people:
        return category
    return "impersonation" if impersonated else "fake_evidence"


def prompt_vectors(folded: str) -> np.ndarray:
    """The sentence vectors of a folded prompt, less what it rules out: the whole, then each sentence."""
    return semantic.embed(semantic.segments(lexicon.without_ruled_out(folded)))


_CONFIGURED = object()  # check_prompt's default guard: the one the settings ask for (none by default)


@dataclass(frozen=True)
class Findings:
    """What each layer but the learned head found in a prompt (categories per layer), and what the
    decision needs besides: the sentence vectors, the people named, the owners' instructions broken."""

    rules: frozenset[str]  # words, impersonation, a real person named, an owner's instruction broken
    contextual: frozenset[str]  # of those, the ones a harmless frame makes need the head's agreement
    combinations: frozenset[str]  # rules of combination
    semantic: frozenset[str]  # the nearest-example classifier, where no rule fired for the category
    people: tuple[PersonMention, ...]
    impersonated: tuple[str, ...]
    violations: tuple[Violation, ...]
    vectors: np.ndarray
    report: dict[str, float]
    lang: str
    signals: frozenset[str] = frozenset()  # the head's classes the prompt shows a sign of


def find(text: str, handles: Sequence[str], instructions: Sequence[OwnerInstructions], strict: bool) -> Findings:
    """Every layer but the learned head and the guard, on a non-empty prompt."""
    norm = normalise(text)
    hits = lexicon.rule_hits(norm.folded, strict)
    combinations = composition.combination_hits(norm.folded)
    people = find_people(norm.cased, handles)
    impersonated = _impersonated(norm.cased, people)
    if impersonated:
        hits.setdefault("impersonation", []).extend(impersonated)

    segment_vectors = prompt_vectors(norm.folded)
    switches = sorted(({s for o in instructions for s in o.switches} | implied_switches(instructions))
                      & set(semantic.THRESHOLDS))
    checked = SEMANTIC_CATEGORIES + (("teen",) if strict else ()) + tuple(switches)
    scores = semantic.score_vectors(segment_vectors, checked)
    fired = {c for c in SEMANTIC_CATEGORIES + (("teen",) if strict else ())
             if semantic.fires(scores, c, strict) and composition.gate_open(c, norm.folded)}
    all_hits = {c: hits.get(c, []) + combinations.get(c, []) for c in set(hits) | set(combinations)}
    rules = set(hits) | ({"real_person"} if people else set())
    contextual = context.contextual(rules, norm.folded, people, combinations)
    violations = check_instructions(instructions, norm.folded, scores, segment_vectors, people, strict,
                                    handles)
    if violations:
        rules.add("instruction")
    report = {c: round(scores.similarity[c], 3) for c in checked}
    report.update({c: 1.0 for c in all_hits})
    semantic_only = _closest(fired - set(all_hits), all_hits, scores)
    return Findings(frozenset(rules), contextual, frozenset(combinations), frozenset(semantic_only),
                    tuple(people), tuple(impersonated), tuple(violations), segment_vectors, report,
                    language(norm.folded, text), composition.signals(norm.folded))


def check_prompt(text: str, cameo_handles: Sequence[str] = (), instructions: Sequence[OwnerInstructions] = (),
                 strict: bool = False, guard: PromptGuard | None | object = _CONFIGURED,
                 learned_head: bool = True) -> PolicyDecision:
    """Check a prompt (or a line of dialogue) before the studio generates anything from it.

    cameo_handles: the clip's cameos, with or without "@"; a name that spells one is that cameo.
    instructions: the owners' instructions for those cameos. strict: a teen account or a teen's cameo.
    guard: a moderation model asked too (`safety.guard`); by default the one CAMEO_PROMPT_GUARD
    configures, which is none unless its weights are present. It can only add refusals.
    learned_head: False leaves the learned head out (how its training measures the rest of the policy).
    """
    if not isinstance(text, str):
        raise SafetyError("bad_prompt", "the prompt must be text")
    if len(text) > MAX_PROMPT_CHARS:
        raise SafetyError("prompt_too_long", f"a prompt is limited to {MAX_PROMPT_CHARS} characters",
                          {"most": MAX_PROMPT_CHARS})
    if not text.strip():
        return PolicyDecision(True, (), reasons.wording(language(fold_text(text), text)).empty, {})
    f = find(text, _handles(cameo_handles), instructions, strict)
    found = set(f.rules) | set(f.combinations)
    if learned_head:
        verdict = learned.head().decide(f.vectors, strict)
        if verdict.harm < learned.AGREE:
            found -= f.contextual
        if not verdict.vetoes:
            found |= f.semantic
        if verdict.refused and not found:
            found.add(_learned_category(verdict.category, f.people, f.impersonated))
        elif verdict.joins_signals and not found and verdict.likely in f.signals:  # a sign of the same harm
            found.add(_learned_category(verdict.likely, f.people, f.impersonated))
    else:
        found |= f.semantic
    model = configured_guard() if guard is _CONFIGURED else guard
    if model is not None:
        found |= set(model.classify(text).refused_categories(strict))
    if strict and found & {"sexual"}:
        found.add("sexual_minors")  # a clip with a teen's cameo: sexual content involves a minor

    categories = tuple(c for c in CATEGORIES if c in found)
    if not categories:
        return PolicyDecision(True, (), reasons.wording(f.lang).allowed, f.report)
    return PolicyDecision(False, categories, reasons.refusal(categories, f.people, f.impersonated, f.violations,
                                                             f.lang), f.report)
