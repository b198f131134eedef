"""Each cameo owner's instructions, enforced on the prompt: the three switches and the free text.

Switches (identity.consent.SWITCHES) are checked with rules in four languages plus the semantic
classifier's topic examples (`safety.exemplars.SWITCH_TOPICS`); `no_political` also refuses any
politician or royal from the public-figure list, and `no_violence` is stricter than the general
violence policy (a boxing match, a sword fight, a shooting range).

Free text is read clause by clause for what it forbids (`safety.instruction_topics`): a topic family
(alcohol, smoking, drugs, gambling, romance, swimwear, ads, politics, violence, weapons, swearing,
horror, religion, meat, dogs, uniforms, being shown as an animal) named in English, French, Spanish,
German or the commonest words of Italian, Portuguese, Dutch and Polish (other scripts by the
multilingual encoder), with its polarity ("never", "pas de", "nada de", "keine"; "only wholesome"
forbids what is not), and another cameo the owner will not appear with ("never with @rico"). A
topic is checked on the prompt with its own multilingual words, less what the prompt rules out
("sans alcool", "alcohol-free"), and for politics and violence with the switch's rules and
examples too. A clause that names no known topic ("never use my voice to sing") is matched as
before: each target's content words, or the encoder's similarity to the target
(`FREE_TEXT_THRESHOLD`). Limits, honestly: positive wishes ("always show me smiling", "only cooking
videos") are not enforceable on a prompt and are ignored; a topic's words are families, not every
word (a brand the list lacks, a slang drink); degrees are not read ("near water" against "far from
water"). An instruction is applied to the whole prompt, not only to the clauses that mention its
owner's cameo.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import numpy as np

from safety import instruction_topics as topics, lexicon, semantic
from safety.lexicon import any_of
from safety.names import POLITICAL_KINDS, PersonMention
from safety.text import fold, language

SWITCH_LABELS = {
    "no_political": "no political content",
    "no_violence": "no violence",
    "keep_clothes": "keep my clothes as they are",
}

SWITCH_RULES: dict[str, tuple[str, ...]] = {
    "no_political": (
        any_of(r"politic\w*", r"elections?", r"electoral", r"vot(?:e|es|ed|ing|er|ers)", r"ballots?",
               r"polling (?:station|booth)s?",
               r"voting booths?", r"protest\w*", r"campaign (?:rally|rallies|trail|speech|ad|poster|hat|sign)s?",
               r"rall(?:y|ies)",
               r"politicians?", r"senators?", r"congress\w*", r"parliament\w*", r"president\w*", r"prime minister",
               r"democrats?", r"republicans?", r"government", r"referendum", r"maga", r"left[- ]wing", r"right[- ]wing",
               r"candidates?", r"white house", r"(?:march|marching|rally) (?:for|against)", r"political march",
               r"slogans?", r"picket\w*", r"activis\w*", r"policy debate", r"abortion", r"gun control",
               r"immigration policy"),
        any_of(r"politique\w*", r"elections?", r"voter", r"vote", r"manif(?:estation)?s?", r"manifest(?:e|ent|er|ant)", r"gouvernement",
               r"deputes?",
               r"senat\w*", r"campagne electorale", r"parti politique", r"presidentielle\w*", r"municipales?"),
        any_of(r"politic[oa]s?", r"elecciones", r"eleccion", r"votar", r"votando", r"protestas?", r"manifestacion\w*",
               r"presidente", r"gobierno", r"campana electoral", r"partido politico"),
        any_of(r"politik\w*", r"wahl(?:en|kampf\w*|lokal|plakat\w*)?", r"abstimmung\w*", r"demonstration\w*", r"kanzler\w*",
               r"regierung\w*", r"partei\w*", r"bundestag"),
    ),
    "no_violence": (
        any_of(r"fight\w*", r"punch(?:es|ing|ed)?", r"kick\w* (?:someone|him|her|them)",
               r"hit\w* (?:someone|him|her|them)",
               r"slap\w*", r"weapons?", r"guns?", r"gunfight\w*", r"rifles?", r"pistols?", r"shotguns?", r"firearms?",
               r"shoot\w* (?:at|someone|him|her|them|a gun|the gun|a rifle|a pistol)", r"shooting range", r"shootout",
               r"swords?", r"knife fight", r"stab\w*", r"blood\w*", r"wars?", r"warfare", r"battle\w*", r"combat",
               r"boxing", r"boxers?", r"wrestl\w*", r"martial arts?", r"karate", r"mma", r"assault\w*", r"attack\w*",
               r"kill\w*", r"murder\w*", r"violence", r"violent", r"brawl\w*", r"duel\w*", r"beat\w* up", r"grenades?",
               r"explosions?", r"bombs?", r"sniper", r"soldiers?", r"armed"),
        any_of(r"bagarre\w*", r"se batt\w*", r"se bat", r"combats?", r"frapp\w*", r"coups? de poing", r"armes?",
               r"fusils?",
               r"pistolets?", r"epees?", r"tuer", r"guerre", r"violen\w*"),
        any_of(r"pelea\w*", r"golpe\w*", r"armas?", r"pistolas?", r"espadas?", r"guerra", r"violencia", r"matar"),
        any_of(r"kampf\w*", r"kampfen", r"schlagerei\w*", r"prugel\w*", r"waffen?", r"pistolen?", r"gewehre?",
               r"schwert\w*",
               r"krieg\w*", r"gewalt\w*", r"box(?:t|en|kampf)", r"kopfnuss", r"faustschlag\w*", r"k\.? ?o\.?"),
        r"(?:schlagerei|prugelei|messerstecherei|schiesserei)\w*",
    ),
    "keep_clothes": (
        any_of(r"bikinis?", r"swimsuits?", r"swimwear", r"swimming trunks", r"costumes?", r"outfits?",
               r"dress(?:es)?",
               r"dressed (?:as|in|up)", r"dresses up", r"wearing", r"wears", r"wear", r"changes? into",
               r"changing into",
               r"puts? on (?:a|an|his|her|their)", r"uniforms?", r"lingerie", r"underwear", r"naked", r"nude",
               r"topless",
               r"shirtless", r"disguise\w*", r"cosplay\w*", r"tuxedos?", r"tux", r"gowns?", r"robes?",
               r"suit of armou?r",
               r"armou?r", r"pajamas", r"pyjamas", r"kimonos?", r"onesies?", r"undress\w*", r"strip\w*",
               r"takes? off (?:his|her|their)",
               r"in a (?:suit|hat|cape|mask|jersey|kilt|sari|tutu|wig)"),
        any_of(r"deguis\w*", r"costumes?", r"maillot de bain", r"robe", r"tenue\w*", r"habille\w* en", r"porte une?"),
        any_of(r"disfraz\w*", r"disfrazad[oa]s?", r"traje de bano", r"vestid[oa] de", r"vestido", r"uniforme"),
        any_of(r"kostum\w*", r"verkleid\w*", r"badeanzug", r"kleid", r"uniform", r"zieht \w+ an"),
    ),
}


@dataclass(frozen=True)
class OwnerInstructions:
    """What one cameo owner asked for: their handle, their free text, and their switches."""

    handle: str
    text: str = ""
    switches: tuple[str, ...] = ()


@dataclass(frozen=True)
class Violation:
    handle: str
    instruction: str  # the words to quote to a person: a switch's label or the clause of free text
    how: str  # "rule", "name", "semantic" or "words"


# Switches -------------------------------------------------------------------------------------
def switch_violated(switch: str, folded: str, scores: semantic.Scores, people: Sequence[PersonMention],
                    strict: bool) -> str | None:
    """How the prompt goes against this switch ("rule", "name", "semantic"), or None."""
    if lexicon.find(SWITCH_RULES[switch], folded):
        return "rule"
    if switch == "keep_clothes" and topics.shows(topics.BY_NAME["revealing"], folded):
        return "rule"
    if switch == "no_political" and any(p.kind in POLITICAL_KINDS for p in people):
        return "name"
    if semantic.fires(scores, switch, strict):
        return "semantic"
    return None


# Free text ------------------------------------------------------------------------------------
_NEGATION = re.compile(
    r"\b(?:no|never|not|don'?t|do not|dont|doesn'?t|avoid|without|nothing|none|stop|refuse|ban|banned|forbid\w*"
    r"|pas de|jamais|pas|plus de|sans|aucune?|evite\w*|interdi\w*|nada de|nunca|jamas|sin|evita\w*|prohibid\w*"
    r"|kein\w*|nie|niemals|nicht|ohne|vermeide\w*|verboten)\b"
)
_NOT_A_BAN = re.compile(r"\b(?:don'?t|do not|doesn'?t|never) (?:mind|care|worry)|\bno problem\b|\bnot only\b")
_FILLER = re.compile(
    r"^(?:(?:en train de|en train d'|please|pls|ever|any|anything|more|with|show|showing|put|putting|make|making|have|having|let|want|i|me|my"
    r"|myself|to|be|being|see|seen|depict|depicting|feature|featuring|use|using|include|including|in|involve|involving"
    r"|related|about|allowed|ok|okay|like|of|the|a|an|want|wanted|do|doing|videos?|clips?|content|stuff|things?|mon"
    r"|ma|mes|moi|me|m'|de|d'|du|des|la|le|les|en|en train de|en train d'|montrer|montrez|montre|mettre|voir|faire"
    r"|jamais|pas|plus|un|une|mi|mostrar|muestres|muestren|muestra|poner|ver|haciendo|nunca|el|los|las|una|con|ni"
    r"|veux|voudrais|apparaitre|etre|avec|quiero|aparecer|salir|que|will|mochte|erscheinen|sein|mich|mir|zeigen|zeig|zeigt|beim|im|am|bei|mit|dem|der|die|das|ein|eine|einen|einem|bitte|nie|nicht)\s+)+",
)
_STOP = frozenset("a an the of in on at to for with and or me my i you your any near by from into onto "
                  "please ever show put make be being".split())
_TARGET_SPLIT = re.compile(r",|\bor\b|\bnor\b|\band\b|/|\bou\b|\bni\b|\bo\b|\boder\b|\bund\b|\bet\b|\by\b")


@dataclass(frozen=True)
class Target:
    clause: str  # the clause of the instruction, as the owner wrote it: quoted in refusals
    phrase: str  # what it forbids, folded: "eating meat"


def clauses(text: str) -> list[str]:
    """An instruction's clauses: each sentence, and what comes before and after a "but"."""
    return [c.strip() for c in re.split(r"[.;!\n]+|\bbut\b", text) if c.strip()]


def clause_targets(clause: str) -> list[Target]:
    """What one clause of a free-text instruction forbids: one target per forbidden thing."""
    folded = fold(clause)
    cue = _NEGATION.search(folded)
    if cue is None or _NOT_A_BAN.search(folded):
        return []
    targets = []
    rest = folded[cue.end():]
    pieces = _TARGET_SPLIT.split(rest)
    for piece in pieces + ([rest] if len(pieces) > 1 else []):  # "ads", "product placement", and both
        phrase = _FILLER.sub("", piece.strip(" '\"-")).strip()
        phrase = re.sub(r"\s+(?:please|pls|thanks|thank you|ever|at all|bitte|danke|por favor|gracias"
                        r"|s'il vous plait|merci|erscheinen|sehen|zeigen|sein)$", "", phrase)
        phrase = re.sub(r"^(?:d|l|m|qu)'", "", phrase)
        if phrase and any(w not in _STOP for w in phrase.split()):
            targets.append(Target(clause, phrase))
    return targets


def negation_targets(text: str) -> list[Target]:
    """What a free-text instruction forbids: one target per forbidden thing."""
    return [t for clause in clauses(text) for t in clause_targets(clause)]


def _stem(word: str) -> str:
    for suffix in ("ing", "es", "s", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _content_stems(text: str) -> set[str]:
    return {_stem(w) for w in re.findall(r"[a-z]+", text) if w not in _STOP and len(w) > 2}


# Free text is matched on the cosine between the prompt (or one of its sentences) and the target
# phrase set in a template ("a video showing {}", in the instruction's own language), minus that
# template's 99th-percentile cosine to the harmless examples of safety.exemplars: targets differ in
# how close everything is to them ("near water" is close to any beach), and the baseline takes that
# out. Calibrated with the multilingual encoder on safety.exemplars.INSTRUCTION_CASES (12 targets,
# 36 prompts against them, 36 near misses; `calibrate_free_text`): AUC 0.953, best balanced
# accuracy 0.90 at 0.00 above the baseline. -0.04 is kept instead, where 97% of the prompts against
# a target and 22% of the near misses ("eating an apple" for "eating meat") are refused: near misses
# are the hard case on purpose, and an owner's wish is better kept a little too well than not at
# all (the MiniLM encoder before it was run at the same point: 97% / 22%). Of the templates tried
# (the phrase alone, "someone {}", both, at quantiles 0.5/0.9/0.99), this one separated best.
FREE_TEXT_MARGIN = -0.04
FREE_TEXT_TEMPLATES = {"en": "a video showing {}", "fr": "une vidéo montrant {}", "es": "un vídeo que muestra {}",
                       "de": "ein Video, das {} zeigt"}
FREE_TEXT_BASELINE_QUANTILE = 0.99


@lru_cache(maxsize=256)
def _target_vectors(phrase: str, lang: str = "en") -> tuple[np.ndarray, np.ndarray]:
    """The target in its language's template, and its baseline against the harmless examples."""
    vectors = semantic.embed([FREE_TEXT_TEMPLATES.get(lang, FREE_TEXT_TEMPLATES["en"]).format(phrase)])
    baselines = np.quantile(semantic.bank().benign @ vectors.T, FREE_TEXT_BASELINE_QUANTILE, axis=0)
    return vectors, baselines


def target_score(target: Target, segment_vectors: np.ndarray) -> float:
    """How far above its harmless baseline the prompt's closest sentence is to the target."""
    vectors, baselines = _target_vectors(target.phrase, language(fold(target.clause), target.clause))
    return float(((segment_vectors @ vectors.T) - baselines).max())


def target_violated(target: Target, folded: str, segment_vectors: np.ndarray) -> str | None:
    words = _content_stems(target.phrase)
    if words and words <= _content_stems(folded):
        return "words"
    if target_score(target, segment_vectors) >= FREE_TEXT_MARGIN:
        return "semantic"
    return None


def calibrate_free_text() -> dict:
    """Scores of the INSTRUCTION_CASES prompts against their targets, and the best single margin."""
    from safety.exemplars import INSTRUCTION_CASES

    pos, neg = [], []
    for phrase, against, fine in INSTRUCTION_CASES:
        target = Target(phrase, phrase)
        pos += [target_score(target, semantic.embed([p])) for p in against]
        neg += [target_score(target, semantic.embed([p])) for p in fine]
    pos_a, neg_a = np.array(pos), np.array(neg)
    grid = np.arange(-0.20, 0.60, 0.01)
    accuracy = [(np.mean(pos_a >= t) + np.mean(neg_a < t)) / 2 for t in grid]
    auc = float(np.mean([p > n for p in pos_a for n in neg_a]))
    return {"best_margin": round(float(grid[int(np.argmax(accuracy))]), 2),
            "best_balanced_accuracy": round(float(max(accuracy)), 3), "auc": round(auc, 3),
            "recall_at_margin": round(float(np.mean(pos_a >= FREE_TEXT_MARGIN)), 3),
            "near_miss_rate_at_margin": round(float(np.mean(neg_a >= FREE_TEXT_MARGIN)), 3)}


@lru_cache(maxsize=1024)
def clause_rule(clause: str) -> tuple[str | None, tuple[str, ...], tuple[str, ...]]:
    """(polarity, topics, handles) of one clause: what it forbids, read as topics
    (`safety.instruction_topics`) and as other cameos the owner will not appear with."""
    folded = fold(clause)
    polarity = topics.polarity(folded)
    if polarity is None or _NOT_A_BAN.search(folded):
        return None, (), ()
    named = topics.topics_by_words(folded)
    if polarity == "only" and not named:
        return polarity, (), ()  # "only cooking videos": a wish the text of a prompt cannot enforce
    if not named:  # words no cue covers, or a script (Japanese, say)
        named = topics.topics_by_meaning(clause)
    handles = ()
    if polarity == "forbid":  # "never put me in a video with @diego_f", "pas avec lea"
        handles = tuple(h.casefold() for h in re.findall(r"@([\w.]*\w)", clause)) + tuple(
            re.findall(r"\b(?:with|avec|con|mit|and|et|y|und)\s+@?([a-z][\w.]*\w)", folded))
    return polarity, tuple(named), handles


def implied_switches(instructions: Sequence[OwnerInstructions]) -> set[str]:
    """The switches whose examples read the prompt for a topic named in free text ("keine Gewalt")."""
    return {topics.SWITCH_OF[t] for o in instructions for c in clauses(o.text or "") for t in clause_rule(c)[1]
            if t in topics.SWITCH_OF}


def topic_violated(topic: str, folded: str, scores: semantic.Scores, people: Sequence[PersonMention],
                   strict: bool) -> str | None:
    """How the prompt shows a topic an owner forbade: the switch's rules and examples where the topic
    is one, else the topic's words."""
    if topic in topics.SWITCH_OF:
        return switch_violated(topics.SWITCH_OF[topic], folded, scores, people, strict)
    return "rule" if topics.shows(topics.BY_NAME[topic], folded) else None


def clause_violated(clause: str, folded: str, scores: semantic.Scores, segment_vectors: np.ndarray,
                    people: Sequence[PersonMention], handles: Sequence[str], strict: bool) -> str | None:
    """How the prompt goes against one clause of an owner's free text, or None. A clause that names
    a topic is decided by the topic alone; one that names none by the words and meaning of its
    targets (`target_violated`)."""
    polarity, named, banned = clause_rule(clause)
    if polarity is None:
        return None
    if set(banned) & set(handles):
        return "words"
    if named:
        return next((how for t in named if (how := topic_violated(t, folded, scores, people, strict))), None)
    if polarity == "only":
        return None
    return next((how for t in clause_targets(clause) if (how := target_violated(t, folded, segment_vectors))), None)


def check_instructions(instructions: Sequence[OwnerInstructions], folded: str, scores: semantic.Scores,
                       segment_vectors: np.ndarray, people: Sequence[PersonMention], strict: bool,
                       handles: Sequence[str] = ()) -> list[Violation]:
    """Every owner instruction the prompt goes against, in the order given. handles: the clip's
    cameos (an owner may refuse to appear with one)."""
    found = []
    for owner in instructions:
        for switch in owner.switches:
            if switch in SWITCH_RULES and (how := switch_violated(switch, folded, scores, people, strict)):
                found.append(Violation(owner.handle, SWITCH_LABELS[switch], how))
        others = [h for h in handles if h != owner.handle.lstrip("@").casefold()]
        for clause in clauses(owner.text or ""):
            if how := clause_violated(clause, folded, scores, segment_vectors, people, others, strict):
                found.append(Violation(owner.handle, clause, how))
                break  # one quoted clause per owner is enough for a person to act on
    return found
