"""Text normalisation for the prompt rules: one spelling for the many ways people disguise a word.

The rules in `safety.lexicon` are written once, in plain lowercase ASCII, and matched against the
output of `normalise`. That is what lets one pattern catch "S3XY", "n.u.d.e", "s e x", "nuuude",
"décapité" and "naked" alike, instead of one pattern per disguise.

Handles (`@alice`) are replaced by "someone" before anything else, so that a handle such as
`@p0rn_0` is never decoded into a word, and a handle never reads as a person's name.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

HANDLE = re.compile(r"@([A-Za-z0-9_.]*[A-Za-z0-9_])")
HANDLE_STAND_IN = "someone"

# Characters used as letters in leetspeak. Applied only inside a word that also holds a letter,
# so "1488", "9/11" and "2024" stay numbers.
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b",
                       "$": "s", "@": "a", "!": "i", "|": "l", "€": "e"})
# Number-led words that are units or ordinals, not disguised letters: "3d", "4k", "14yo", "10th".
_UNIT = re.compile(r"^\d+(?:d|k|s|x|th|st|nd|rd|am|pm|mm|cm|m|km|kg|lb|lbs|h|hr|hrs|min|yo|yr|yrs|fps|p|g|gb|mb|e|er"
                   r"|eme|ans|anos|jahre)$|^u\d{1,2}$")  # "u14": an age group
_WORD = re.compile(r"[a-z0-9$@!|€]+")
# Three or more single characters in a row, split by one separator each: "n.u.d.e", "s e x", "k-i-l-l".
_SPACED = re.compile(r"(?<![\w])(?:[a-z0-9$@!](?:[.\-_* ]|$)){2,}[a-z0-9$@!](?![\w])")
_REPEAT = re.compile(r"[a-z]*([a-z])\1{2,}[a-z]*")  # a word with a letter stretched: "nuuude"


@dataclass(frozen=True)
class Normalised:
    """The prompt in the two forms the checks need."""

    folded: str  # lowercase ASCII, handles replaced, disguises undone: what the rules read
    cased: str  # accents stripped, handles replaced, case kept: what name detection reads


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def replace_handles(text: str) -> str:
    return HANDLE.sub(HANDLE_STAND_IN, text)


def _unspace(match: re.Match) -> str:
    return re.sub(r"[.\-_* ]", "", match.group(0))


def _unleet(match: re.Match) -> str:
    word = match.group(0)
    core = word.strip("!|")  # "wow!" is an exclamation, "k!ll" is a disguise
    if not re.search(r"[a-z]", core) or not re.search(r"[0-9$@!|€]", core) or _UNIT.match(core):
        return word
    start = word.index(core)
    return word[:start] + core.translate(_LEET) + word[start + len(core):]


def _unstretch(match: re.Match) -> str:
    """"nuuude" -> "nude", "sexxx" -> "sex"; a word of one letter ("kkk", "xxx") stays as it is."""
    word = match.group(0)
    return word if len(set(word)) == 1 else re.sub(r"([a-z])\1{2,}", r"\1", word)


def fold(text: str) -> str:
    """Lowercase ASCII with leetspeak, spacing tricks and stretched letters undone."""
    text = strip_accents(text).casefold()
    text = text.replace("’", "'").replace("`", "'")
    text = _SPACED.sub(_unspace, text)
    text = _WORD.sub(_unleet, text)
    text = _REPEAT.sub(_unstretch, text)
    text = _fix_misspellings(text)
    return re.sub(r"\s+", " ", text).strip()


# Short function words that tell the four languages of the rules apart ("la", "de", "en" are shared
# and count for each), and letters only one of them writes. Enough to answer a prompt in its own
# language and to know which template reads an owner's instruction.
_FUNCTION_WORDS = {
    "en": frozenset("the a an and with of in on at to is are his her their while from by for this that into "
                    "who then as but".split()),
    "fr": frozenset("le la les un une des et avec de du dans sur au aux est sont son sa ses qui pour se sous "
                    "ce cette il elle pendant puis mais tout toute tous comme ou aussi tres sans chez leur".split()),
    "es": frozenset("el la los las un una y con de del en por para es son su sus que al se muy esta "
                    "mientras luego pero todo toda todos todas como hasta sin donde cuando tambien sobre otra otro unos "
                    "unas le lo les".split()),
    "de": frozenset("der die das ein eine einen und mit von im in auf ist sind sein seine ihre zum zur den dem "
                    "beim sich wie nicht wird vor einem einer allen dann aber alle wahrend nach ihr ihm".split()),
}
# Letters that only one of the languages uses (counted in the text before accents are stripped).
_LETTERS = {"fr": "çèêëîïôœùûâ", "es": "ñ¿¡áíóú", "de": "äöüß"}


def language(folded: str, original: str = "") -> str:
    """"en", "fr", "es" or "de": the language whose function words (and, given the original text,
    letters) the text uses most; "en" when none stands out."""
    words = re.findall(r"[a-z']+", folded)
    counts = {lang: float(sum(w in vocab for w in words)) for lang, vocab in _FUNCTION_WORDS.items()}
    lowered = original.casefold()
    for lang, letters in _LETTERS.items():
        counts[lang] += 1.5 * sum(lowered.count(c) for c in letters)
    best = max(counts, key=lambda lang: (counts[lang], lang == "en"))
    return best if counts[best] > counts["en"] else "en"


def normalise(text: str) -> Normalised:
    without_handles = replace_handles(text)
    return Normalised(folded=fold(without_handles), cased=strip_accents(without_handles))


# Misspellings ------------------------------------------------------------------------------
# Words a rule depends on, which people misspell on purpose or by accident. A word of the prompt
# one edit away from one of these (and not itself a word the sentence model knows, so "regard"
# never becomes "retard" and "massage" never "massacre") is read as that word.
FUZZY_TARGETS = (
    "suicide", "beheading", "behead", "decapitate", "decapitated", "dismember", "dismembered", "gruesome",
    "disembowel", "disemboweled", "mutilated", "mutilation", "massacre", "pornography", "pornographic",
    "masturbating", "masturbate", "striptease", "explosives", "swastika", "molotov", "terrorist",
    "terrorists", "jihadist", "genocide", "torturing", "nigger", "faggot", "naked", "topless",
    "methamphetamine", "fentanyl", "intestines", "self-harm", "overdose", "holocaust", "auschwitz", "lynching",
    "waterboarding", "strangling", "strangled", "thinspiration", "swastikas", "atomwaffen", "immolation",
    "beheaded", "masturbation", "pedophile", "decapite", "decapitado", "descuartizado", "enthauptet", "selbstmord",
    "suicidio", "pornographie", "pornografia", "vergewaltigt", "vergewaltigung", "hakenkreuz", "terroriste",
    "terrorista", "egorge", "degollado",
)


@lru_cache(maxsize=1)
def _known_words() -> frozenset[str]:
    """Real words we must not 'correct': the whole words of six letters or more of BERT's uncased
    English vocabulary (Apache-2.0; the list all-MiniLM-L6-v2 shipped), kept in safety/data."""
    try:
        return frozenset((Path(__file__).parent / "data" / "known_words.txt").read_text(encoding="utf-8").split())
    except OSError:
        return frozenset()


def one_edit_apart(a: str, b: str) -> bool:
    """One substitution, insertion, deletion or swap of neighbours apart (and not equal)."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
        return len(diffs) == 1 or (len(diffs) == 2 and diffs[1] == diffs[0] + 1
                                   and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = next((k for k in range(len(short)) if short[k] != long_[k]), len(short))
    return short[i:] == long_[i + 1:]


@lru_cache(maxsize=4096)
def _correct(word: str) -> str:
    if len(word) < 6 or word in _known_words():
        return word
    for target in FUZZY_TARGETS:
        if target[0] == word[0] and one_edit_apart(word, target):
            return target
    return word


def _fix_misspellings(text: str) -> str:
    return re.sub(r"[a-z][a-z\-]{4,}[a-z]", lambda m: _correct(m.group(0)), text)
