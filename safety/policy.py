"""The prompt policy: may the studio make this clip, with these cameos, for this account?

Runs before generation on the prompt, and after it on the dialogue text. One call,
`check_prompt`, returns a `PolicyDecision` with a sentence for a person. It combines:

- rules (`safety.lexicon`) over normalised text, for words that mean one thing (explicit terms,
  slurs, "pipe bomb"), in English, French, Spanish and German;
- real people (`safety.names`): a public figure or a person's full name that is not a cameo;
- impersonation: acting as a named person or a real office holder, deepfakes, face swaps;
- the semantic classifier (`safety.semantic`) for wording rules cannot list, reading the prompt less
  what it rules out for itself ("no gore": `lexicon.without_ruled_out`);
- each cameo owner's instructions (`safety.instructions`).

Prompts in French, Spanish or German are judged mostly by the rules: the English sentence model
needs a higher score there (`semantic.OTHER_LANGUAGE_OFFSET`). Sexual content involving minors is
refused in every mode, with no override. `strict=True` (a teen
account, or any clip with a teen's cameo) lowers every semantic threshold and adds the topics that
are refused for teens only (romance, alcohol, gambling, smoking and drugs, horror).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

from safety import composition, lexicon, semantic
from safety.errors import SafetyError
from safety.instructions import OwnerInstructions, Violation, check_instructions
from safety.names import PersonMention, find_people, name_text
from safety.text import language, normalise

__all__ = ["OwnerInstructions", "PolicyDecision", "check_prompt", "CATEGORIES"]

# Most severe first: the reason names the first ones.
CATEGORIES: dict[str, str] = {
    "sexual_minors": "sexual content involving minors",
    "sexual": "sexual content",
    "violence": "graphic violence or gore",
    "self_harm": "self-harm or suicide",
    "hate": "hate or harassment",
    "extremism": "extremist propaganda",
    "dangerous": "instructions for serious harm",
    "impersonation": "an impersonation of a real person",
    "fake_evidence": "fabricated evidence against a person (footage, a news report or messages showing a crime or a "
                     "scandal)",
    "real_person": "a real person who is not one of the clip's cameos",
    "humiliation": "the humiliation of a cameo",
    "teen": "romance, alcohol, gambling, drugs or horror",
    "instruction": "something a cameo's owner asked not to be shown in",
}
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


def _violations_sentence(violations: Sequence[Violation]) -> str:
    parts = [f"{'@' + v.handle.lstrip('@')}'s instruction \"{v.instruction}\"" for v in violations[:2]]
    return " and ".join(parts)


def _reason(categories: Sequence[str], people: Sequence[PersonMention], impersonated: Sequence[str],
            violations: Sequence[Violation], strict: bool) -> str:
    harmful = [c for c in categories if c != "instruction"]
    if not harmful:
        return f"This prompt goes against {_violations_sentence(violations)}."
    if harmful == ["real_person"] and people:
        names = " and ".join(list(dict.fromkeys(p.name for p in people))[:2])
        tail = f", and it goes against {_violations_sentence(violations)}" if violations else ""
        return (f"This prompt names {names}, who is not one of the clip's cameos: the studio only shows "
                f"people who recorded a cameo and consented{tail}.")
    if "real_person" in harmful and "impersonation" in harmful and set(impersonated) >= {p.name for p in people}:
        harmful.remove("real_person")  # the impersonation already names them
    phrases = []
    for cat in harmful[:2]:
        if cat == "real_person" and people:
            names = ", ".join(dict.fromkeys(p.name for p in people))
            phrases.append(f"a real person who is not one of the clip's cameos ({names})")
        elif cat == "impersonation" and impersonated:
            phrases.append(f"an impersonation of {', '.join(impersonated[:2])}")
        else:
            phrases.append(CATEGORIES[cat])
    what = " and ".join(phrases)
    rule = "which the studio does not make for teen accounts" if harmful[0] == "teen" else \
        "which the studio does not make"
    tail = f", and it goes against {_violations_sentence(violations)}" if violations else ""
    return f"This prompt asks for {what}, {rule}{tail}."


def check_prompt(text: str, cameo_handles: Sequence[str] = (), instructions: Sequence[OwnerInstructions] = (),
                 strict: bool = False) -> PolicyDecision:
    """Check a prompt (or a line of dialogue) before the studio generates anything from it.

    cameo_handles: the clip's cameos, with or without "@"; a name that spells one is that cameo.
    instructions: the owners' instructions for those cameos. strict: a teen account or a teen's cameo.
    """
    if not isinstance(text, str):
        raise SafetyError("bad_prompt", "the prompt must be text")
    if len(text) > MAX_PROMPT_CHARS:
        raise SafetyError("prompt_too_long", f"a prompt is limited to {MAX_PROMPT_CHARS} characters")
    if not text.strip():
        return PolicyDecision(True, (), "This prompt is empty.", {})
    handles = _handles(cameo_handles)
    norm = normalise(text)
    hits = lexicon.rule_hits(norm.folded, strict)
    for category, phrases in composition.combination_hits(norm.folded).items():
        hits.setdefault(category, []).extend(phrases)
    people = find_people(norm.cased, handles)
    impersonated = _impersonated(norm.cased, people)
    if impersonated:
        hits.setdefault("impersonation", []).extend(impersonated)

    segment_vectors = semantic.embed(semantic.segments(lexicon.without_ruled_out(norm.folded)))
    switches = sorted({s for o in instructions for s in o.switches if s in semantic.THRESHOLDS})
    checked = SEMANTIC_CATEGORIES + (("teen",) if strict else ()) + tuple(switches)
    scores = semantic.score_vectors(segment_vectors, checked)
    english = language(norm.folded) == "en"
    fired = {c for c in SEMANTIC_CATEGORIES + (("teen",) if strict else ())
             if semantic.fires(scores, c, strict, english) and composition.gate_open(c, norm.folded)}
    found = set(hits) | _closest(fired - set(hits), hits, scores)
    if people:
        found.add("real_person")
    if strict and found & {"sexual"}:
        found.add("sexual_minors")  # a clip with a teen's cameo: sexual content involves a minor
    violations = check_instructions(instructions, norm.folded, scores, segment_vectors, people, strict, english)
    if violations:
        found.add("instruction")

    categories = tuple(c for c in CATEGORIES if c in found)
    report = {c: round(scores.similarity[c], 3) for c in checked}
    report.update({c: 1.0 for c in hits})
    if not categories:
        return PolicyDecision(True, (), "This prompt is within the studio's policy.", report)
    return PolicyDecision(False, categories, _reason(categories, people, impersonated, violations, strict), report)
