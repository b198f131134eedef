"""Read a prompt as a scene: who is in it, who says what, where and when, and how the camera moves.

The preview renderer and the sound both need the same reading of the prompt,
so it is made once, here, from vocabularies kept as data tables: widening what
the studio understands means adding a row, not a branch. Nothing is guessed
silently: a quote with no one to speak it, an invalid @mention or contradictory
camera moves become notes the job can show.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from pipeline.types import DialogueLine

HANDLE = re.compile(r"^[a-z0-9_]{3,32}$")
# Any @word not glued to a preceding word (so e-mail addresses are not mentions).
_MENTION = re.compile(r"(?<![\w@.])@(\w+)")

# Double quotes first in the alternation: an apostrophe inside "don't" must not open a single-quoted line.
_QUOTE = re.compile(
    r'"(?P<d>[^"]+)"'
    r"|“(?P<c>[^”]+)”"
    r"|‘(?P<s>[^’]+)’"
    r"|«(?P<g>[^»]+)»"
    r"|(?<![\w])'(?P<a>.+?)'(?![\w])"
)

SPEECH_VERBS = (
    "says", "said", "say", "saying", "shouts", "shouted", "shout", "shouting", "yells", "yelled", "yell", "yelling",
    "whispers", "whispered", "whisper", "whispering", "asks", "asked", "ask", "asking", "replies", "replied",
    "reply", "answers", "answered", "exclaims", "exclaimed", "screams", "screamed", "mutters", "muttered",
    "sings", "sang", "sing", "singing", "adds", "added", "calls", "called", "cries", "cried", "announces",
    "announced", "tells", "told", "laughs", "laughed", "declares", "declared", "goes", "responds", "responded",
)
_VERBS = "|".join(SPEECH_VERBS)
# Before a quote: "@alice says", "@alice, grinning, shouts", "@bob:" (no other mention or quote in between).
_SPEAKER_BEFORE = re.compile(
    rf"@(?P<h>\w+)(?:[^@\"“”‘’«»]{{0,60}}?\b(?:{_VERBS})\b[^@\"“”‘’«»]{{0,30}}?|\s*)\s*[:,]?\s*$", re.IGNORECASE
)
_SPEAKER_COLON = re.compile(r"@(?P<h>\w+)\s*:\s*$")
# After a quote: `"run!" shouts @alice` or `"run!", @alice says`.
_SPEAKER_AFTER = re.compile(
    rf"^\s*,?\s*(?:(?:{_VERBS})\s+@(?P<h1>\w+)|@(?P<h2>\w+)\s+(?:{_VERBS})\b)", re.IGNORECASE
)

# ---- vocabularies: (value, keywords); a keyword is a regex fragment matched on word boundaries ----

DEFAULT_PLACE = "studio"
PLACES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("underwater", ("underwater", "under the sea", "under water", "ocean floor", "sea floor", "coral reefs?", "scuba", "diving", "submarine")),
    ("beach", ("beach(?:es)?", "seaside", "shore", "ocean", "sea", "coast", "surf(?:ing)?", "sand", "sandy")),
    ("city street", ("city", "street", "streets", "downtown", "urban", "sidewalk", "avenue", "skyline", "alley", "traffic", "times square", "crosswalk")),
    ("forest", ("forest", "woods", "jungle", "woodland", "rainforest", "trees")),
    ("mountains", ("mountains?", "peaks?", "summit", "cliffs?", "alps", "hiking", "hills?", "valley", "canyon")),
    ("office", ("office", "cubicle", "meeting room", "boardroom", "workplace", "desk")),
    ("kitchen", ("kitchen", "cooking", "chef", "bakery")),
    ("space", ("outer space", "space", "spaceship", "space station", "on the moon", "mars", "galaxy", "astronauts?", "planet")),
    ("desert", ("desert", "dunes?", "sahara", "cactus", "cacti", "oasis")),
    ("snow", ("arctic", "tundra", "igloo", "ski slope", "skiing", "snowfield", "glacier", "antarctica", "north pole")),
    ("stage", ("stage", "concert", "gig", "festival", "theat(?:er|re)", "karaoke", "spotlight", "band")),
    ("park", ("park", "garden", "meadow", "field", "picnic", "lawn", "playground")),
    ("cafe", ("cafe", "café", "coffee shop", "diner", "restaurant", "bar", "pub")),
    ("studio", ("studio", "room", "indoors", "home", "living room")),
)

DEFAULT_TIME = "day"
TIMES_OF_DAY: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("dawn", ("dawn", "sunrise", "daybreak", "early morning", "first light")),
    ("day", ("day", "daytime", "daylight", "noon", "midday", "afternoon", "morning", "sunny", "bright")),
    ("sunset", ("sunset", "dusk", "golden hour", "evening", "twilight", "sundown")),
    ("night", ("night", "nighttime", "midnight", "moonlight", "moonlit", "starry", "stars", "after dark")),
)
# Places whose own light overrides the default time of day.
PLACE_TIME: dict[str, str] = {"space": "night"}

DEFAULT_WEATHER = "clear"
WEATHERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("rain", ("rain", "raining", "rainy", "rainstorm", "storm", "stormy", "thunderstorm", "drizzle", "downpour", "showers")),
    ("snow", ("snow", "snowing", "snowy", "snowfall", "blizzard", "snowflakes?")),
    ("fog", ("fog", "foggy", "mist", "misty", "haze", "hazy")),
    ("clear", ("clear", "clear skies", "cloudless")),
)

CAMERA_MOVES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("pan_left", (r"(?:camera\s+)?pan(?:s|ning|ned)?\s+(?:to\s+(?:the\s+)?)?left", r"pan(?:s|ning|ned)?\s+right\s+to\s+left")),
    ("pan_right", (r"(?:camera\s+)?pan(?:s|ning|ned)?\s+(?:to\s+(?:the\s+)?)?right", r"pan(?:s|ning|ned)?\s+left\s+to\s+right", r"camera\s+pans?", r"pan(?:s|ning)?\s+(?:across|over|shot)", r"panning")),
    ("zoom_in", (r"zoom(?:s|ing|ed)?\s+in(?:to)?", r"push(?:es|ing)?\s+in", r"slow\s+zoom", r"crash\s+zoom")),
    ("zoom_out", (r"zoom(?:s|ing|ed)?\s+out", r"pull(?:s|ing)?\s+(?:back|out)", r"dolly\s+(?:out|back)", r"wide\s+reveal")),
    ("dolly", (r"dolly(?:\s+(?:in|forward|shot))?", r"push(?:es|ing)?\s+forward", r"fly-?through")),
    ("tracking", (r"tracking(?:\s+shot)?", r"travell?ing\s+shot", r"travell?ing", r"follow(?:s|ing)?\s+(?:them|him|her|shot)", r"side-?scroll(?:ing)?", r"trucking")),
    ("static", (r"static(?:\s+shot|\s+camera)?", r"locked[- ]off", r"tripod", r"still\s+camera", r"fixed\s+camera")),
    ("orbit", (r"orbit(?:s|ing)?", r"circles?\s+around", r"circling", r"360", r"arc\s+shot", r"revolv(?:es|ing)")),
    ("handheld", (r"hand-?held", r"shaky", r"camera\s+shake", r"shaking\s+camera", r"found\s+footage")),
)
# Moves that cannot happen together: the first one the prompt asks for wins.
_CAMERA_EXCLUSIVE = ({"pan_left", "pan_right"}, {"zoom_in", "zoom_out"})

COLOURS: dict[str, tuple[int, int, int]] = {
    "red": (214, 48, 49), "crimson": (180, 30, 45), "orange": (240, 140, 40), "yellow": (245, 210, 60),
    "gold": (212, 175, 55), "golden": (218, 165, 32), "green": (60, 160, 80), "emerald": (40, 150, 100),
    "teal": (0, 128, 128), "turquoise": (64, 200, 190), "cyan": (40, 200, 220), "blue": (50, 100, 210),
    "navy": (25, 35, 90), "purple": (130, 60, 170), "violet": (140, 90, 200), "lavender": (180, 160, 220),
    "pink": (240, 120, 170), "magenta": (210, 50, 150), "white": (240, 240, 240), "black": (20, 20, 24),
    "grey": (128, 128, 132), "gray": (128, 128, 132), "silver": (192, 192, 200), "brown": (120, 80, 50),
    "neon": (255, 60, 200), "pastel": (250, 200, 210),
}


@dataclass(frozen=True)
class Palette:
    """The colours a renderer paints the setting with (RGB)."""

    sky_top: tuple[int, int, int]
    sky_horizon: tuple[int, int, int]
    ground: tuple[int, int, int]
    accent: tuple[int, int, int]
    named: tuple[str, ...] = ()  # colour words the prompt used, in order


# Sky (top, horizon) by time of day; ground and accent by place.
SKY: dict[str, tuple[tuple[int, int, int], tuple[int, int, int]]] = {
    "dawn": ((70, 90, 160), (250, 180, 150)),
    "day": ((70, 140, 225), (190, 225, 250)),
    "sunset": ((60, 50, 120), (250, 140, 70)),
    "night": ((8, 10, 30), (35, 45, 85)),
}
GROUND: dict[str, tuple[tuple[int, int, int], tuple[int, int, int]]] = {  # (ground, accent)
    "beach": ((225, 200, 150), (30, 120, 170)),
    "city street": ((70, 70, 78), (250, 200, 80)),
    "forest": ((50, 90, 45), (30, 70, 35)),
    "mountains": ((95, 110, 90), (120, 125, 140)),
    "office": ((150, 140, 130), (90, 110, 140)),
    "kitchen": ((200, 190, 170), (190, 80, 60)),
    "space": ((60, 60, 70), (150, 150, 170)),
    "desert": ((220, 180, 120), (190, 120, 60)),
    "snow": ((235, 240, 248), (180, 200, 230)),
    "stage": ((40, 30, 35), (230, 60, 120)),
    "park": ((90, 160, 70), (60, 120, 50)),
    "cafe": ((120, 85, 60), (200, 150, 90)),
    "underwater": ((190, 170, 120), (20, 110, 140)),
    "studio": ((110, 110, 120), (150, 150, 165)),
}
# Indoor and underwater places have a wall or water in place of a sky.
INDOOR_SKY: dict[str, tuple[tuple[int, int, int], tuple[int, int, int]]] = {
    "office": ((200, 205, 210), (225, 228, 230)),
    "kitchen": ((225, 215, 195), (240, 232, 215)),
    "stage": ((15, 10, 25), (60, 25, 60)),
    "cafe": ((110, 75, 55), (170, 125, 85)),
    "underwater": ((5, 40, 80), (30, 140, 170)),
    "studio": ((60, 62, 72), (120, 122, 135)),
}


@dataclass(frozen=True)
class Scene:
    """One prompt, read: the frozen input of both the renderer and the sound."""

    prompt: str
    handles: tuple[str, ...]  # mentioned cameos, in order of first mention
    dialogue: tuple[DialogueLine, ...]  # untimed (start_s = end_s = 0) until `time_dialogue`
    place: str
    time_of_day: str
    weather: str
    palette: Palette
    camera: tuple[str, ...]  # moves asked for, in prompt order; () when none (the renderer drifts gently)
    notes: tuple[str, ...] = ()
    unspoken: tuple[str, ...] = ()  # quoted text with no cameo to speak it


def parse_scene(prompt: str) -> Scene:
    """The scene a prompt describes; never raises on odd prompts, notes what it could not use."""
    text = prompt or ""
    quotes = _quotes(text)
    mentions, notes = _mentions(text, quotes)
    dialogue, unspoken, dnotes = _dialogue(text, quotes, mentions)
    place = _first_match(text, PLACES, DEFAULT_PLACE, exclude=quotes, prefer_locative=True)
    time_of_day = _first_match(text, TIMES_OF_DAY, PLACE_TIME.get(place, DEFAULT_TIME), exclude=quotes)
    weather = _first_match(text, WEATHERS, DEFAULT_WEATHER, exclude=quotes)
    camera, cnotes = _camera(text, quotes)
    handles = tuple(dict.fromkeys(h for _, h in mentions))
    return Scene(
        prompt=text,
        handles=handles,
        dialogue=dialogue,
        place=place,
        time_of_day=time_of_day,
        weather=weather,
        palette=_palette(text, place, time_of_day, quotes),
        camera=camera,
        notes=tuple(notes + dnotes + cnotes),
        unspoken=unspoken,
    )


# ---- quotes and mentions ----

Span = tuple[int, int]


def _quotes(text: str) -> list[tuple[Span, str]]:
    out = []
    for m in _QUOTE.finditer(text):
        said = next(g for g in m.groups() if g is not None)
        said = " ".join(said.split())
        if said:
            out.append(((m.start(), m.end()), said))
    return out


def _inside(pos: int, quotes: Sequence[tuple[Span, str]]) -> bool:
    return any(a <= pos < b for (a, b), _ in quotes)


def _mentions(text: str, quotes) -> tuple[list[tuple[int, str]], list[str]]:
    """(position, handle) of each valid @mention outside quotes; notes for invalid ones."""
    found, notes = [], []
    for m in _MENTION.finditer(text):
        if _inside(m.start(), quotes):
            continue  # a name spoken in a line of dialogue, not a cameo in the scene
        handle = m.group(1).lower()
        if HANDLE.match(handle):
            found.append((m.start(), handle))
        else:
            notes.append(f"@{m.group(1)} is not a handle (3-32 letters, digits or underscores); it was ignored")
    return found, notes


def _dialogue(text: str, quotes, mentions) -> tuple[tuple[DialogueLine, ...], tuple[str, ...], list[str]]:
    lines, unspoken, notes = [], [], []
    prev_end = 0
    for (start, end), said in quotes:
        handle, clear = _speaker(text, start, end, prev_end, mentions)
        prev_end = end
        if handle is None:
            unspoken.append(said)
            notes.append(f'no cameo to speak "{said}": write it as @handle says "..."')
            continue
        if not clear:
            notes.append(f'"{said}" has no clear speaker; given to @{handle}, the nearest cameo mentioned')
        lines.append(DialogueLine(handle=handle, text=said))
    return tuple(lines), tuple(unspoken), notes


def _valid(h: str | None) -> str | None:
    if h is None:
        return None
    h = h.lower()
    return h if HANDLE.match(h) else None


def _speaker(text: str, start: int, end: int, prev_end: int, mentions) -> tuple[str | None, bool]:
    """Who says the quote at text[start:end], and whether the prompt says so clearly."""
    before = text[prev_end:start]
    m = _SPEAKER_COLON.search(before) or _SPEAKER_BEFORE.search(before)
    if m and _valid(m.group("h")):  # a speech verb, a colon, or nothing at all between name and quote
        return _valid(m.group("h")), True
    after = _SPEAKER_AFTER.match(text[end:])
    if after and _valid(after.group("h1") or after.group("h2")):
        return _valid(after.group("h1") or after.group("h2")), True
    preceding = [h for pos, h in mentions if pos < start]
    if preceding:
        return preceding[-1], False
    following = [h for pos, h in mentions if pos >= end]
    if following:
        return following[0], False
    return None, False


# ---- setting ----

def _keyword_pattern(words: Sequence[str]) -> re.Pattern:
    return re.compile(r"(?<![\w-])(?:" + "|".join(words) + r")(?![\w-])", re.IGNORECASE)


_PATTERNS: dict[int, re.Pattern] = {}


def _pattern(words: tuple[str, ...]) -> re.Pattern:
    key = hash(words)
    if key not in _PATTERNS:
        _PATTERNS[key] = _keyword_pattern(words)
    return _PATTERNS[key]


_LOCATIVE = re.compile(r"(?:\b(?:in|at|on|inside|into|by|near|under|through|across|along|to)\s+(?:the\s+|a\s+|an\s+)?(?:[a-z]+\s+)?)$", re.IGNORECASE)


def _matches(text: str, table, exclude) -> list[tuple[int, int, str]]:
    """(start, end, value) of the keyword hits outside quotes, in order; of overlapping hits the longest stays."""
    hits = []
    for value, words in table:
        for m in _pattern(words).finditer(text):
            if not _inside(m.start(), exclude):
                hits.append((m.start(), -(m.end() - m.start()), value))
    kept: list[tuple[int, int, str]] = []
    for start, neg_len, value in sorted(hits):
        if not kept or start >= kept[-1][1]:
            kept.append((start, start - neg_len, value))
    return kept


def _first_match(text: str, table, default: str, exclude=(), prefer_locative: bool = False) -> str:
    """The earliest hit; with `prefer_locative`, a hit after "in/at/on the ..." first ("coffee in the office")."""
    hits = _matches(text, table, exclude)
    if not hits:
        return default
    if prefer_locative:
        hits = sorted(hits, key=lambda h: (_LOCATIVE.search(text[max(0, h[0] - 40) : h[0]]) is None, h[0]))
    return hits[0][2]


def _camera(text: str, quotes) -> tuple[tuple[str, ...], list[str]]:
    asked = list(dict.fromkeys(v for _, _, v in _matches(text, CAMERA_MOVES, quotes)))
    notes = []
    for group in _CAMERA_EXCLUSIVE:
        both = [m for m in asked if m in group]
        for extra in both[1:]:
            asked.remove(extra)
            notes.append(f"camera: {both[0].replace('_', ' ')} and {extra.replace('_', ' ')} contradict; kept {both[0].replace('_', ' ')}")
    if "static" in asked and len(asked) > 1:
        asked.remove("static")
        notes.append("camera: a static shot was asked for along with moves; kept the moves")
    return tuple(asked), notes


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    return tuple(int(round(x + (y - x) * t)) for x, y in zip(a, b))  # type: ignore[return-value]


def _palette(text: str, place: str, time_of_day: str, quotes) -> Palette:
    """Sky by time of day (or the place's walls/water), ground and accent by place, tinted by colour words."""
    sky_top, sky_horizon = INDOOR_SKY.get(place) or SKY[time_of_day]
    if place in INDOOR_SKY and time_of_day == "night" and place != "underwater":
        sky_top, sky_horizon = _mix(sky_top, (10, 10, 20), 0.5), _mix(sky_horizon, (20, 20, 35), 0.5)
    ground, accent = GROUND[place]
    if time_of_day == "night" and place not in INDOOR_SKY:
        ground = _mix(ground, (10, 12, 25), 0.65)
    elif time_of_day in ("sunset", "dawn") and place not in INDOOR_SKY:
        ground = _mix(ground, (120, 70, 60), 0.3)
    named = [m.group(0).lower() for m in _keyword_pattern(tuple(COLOURS)).finditer(text) if not _inside(m.start(), quotes)]
    named = list(dict.fromkeys(named))
    if named:
        accent = COLOURS[named[0]]
        sky_top, sky_horizon = _mix(sky_top, accent, 0.2), _mix(sky_horizon, accent, 0.25)
    return Palette(sky_top, sky_horizon, ground, accent, tuple(named))


# ---- timing ----

LEAD_IN_S = 0.3  # silence before the first line: a clip that starts mid-word sounds cut
TAIL_S = 0.3
GAP_S = 0.35  # a natural turn-taking pause
MIN_GAP_S = 0.12
MAX_SPEEDUP = 1.5  # faster than this, espeak's speech stops being easy to follow


@dataclass(frozen=True)
class DialogueTiming:
    """When each line is spoken, how much faster than normal, and which lines could not fit."""

    lines: tuple[DialogueLine, ...]  # the lines that fit, timed, in prompt order
    speed: float  # speaking-rate factor for every timed line (1.0 = normal)
    dropped: tuple[DialogueLine, ...]  # lines that did not fit even spoken MAX_SPEEDUP faster
    notes: tuple[str, ...] = ()


def time_dialogue(scene: Scene, duration_s: float, speech_durations: Sequence[float]) -> DialogueTiming:
    """Lay the scene's lines out one after another within the clip.

    In order of preference: normal pauses; shorter pauses; everyone speaking up
    to MAX_SPEEDUP faster; and only then leaving out the lines at the end that
    still do not fit, each reported by name, so the job can refuse or warn.
    Speed is uniform: one person suddenly gabbling sounds like a glitch.
    """
    lines = list(scene.dialogue)
    if len(speech_durations) != len(lines):
        raise ValueError(f"{len(speech_durations)} durations for {len(lines)} lines")
    durations = [max(0.0, float(d)) for d in speech_durations]
    timed, speed, gap = _layout(durations, duration_s)
    keep = len(timed)
    notes: list[str] = []
    if keep < len(lines):  # lay the lines that fit out again: they may not need the full speed-up
        timed, speed, gap = _layout(durations[:keep], duration_s)
    if speed > 1.0:
        notes.append(f"dialogue spoken {speed:.2f}x faster than normal to fit the {duration_s:.1f} s clip")
    for line in lines[keep:]:
        notes.append(
            f'@{line.handle}\'s line "{line.text}" did not fit in the {duration_s:.1f} s clip even spoken '
            f"{MAX_SPEEDUP:.1f}x faster; make the clip longer or the dialogue shorter"
        )
    out = tuple(DialogueLine(line.handle, line.text, round(a, 4), round(b, 4)) for line, (a, b) in zip(lines, timed))
    return DialogueTiming(out, speed, tuple(lines[keep:]), tuple(notes))


def _layout(durations: Sequence[float], duration_s: float) -> tuple[list[tuple[float, float]], float, float]:
    """(start, end) of the leading lines that fit, the speed and the pause used."""
    n = len(durations)
    if n == 0:
        return [], 1.0, GAP_S
    available = max(0.0, duration_s - LEAD_IN_S - TAIL_S)
    total = sum(durations)
    speed, gap = 1.0, GAP_S
    if total + (n - 1) * GAP_S > available:
        gap = max(MIN_GAP_S, (available - total) / max(n - 1, 1)) if n > 1 else GAP_S
        if total + (n - 1) * gap > available:
            speed = min(MAX_SPEEDUP, total / max(available - (n - 1) * gap, 1e-6))
    spans: list[tuple[float, float]] = []
    t = LEAD_IN_S
    for d in durations:
        if t + d / speed > duration_s - TAIL_S + 1e-6:
            break
        spans.append((t, t + d / speed))
        t += d / speed + gap
    return spans, speed, gap
