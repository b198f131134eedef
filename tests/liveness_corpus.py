"""Bona fide recordings and presentation attacks for measuring face liveness, built from real footage.

**Bona fide.** Real people turning their heads as people do: the turns below were
found in real videos (dlib pose at 10 frames a second, relative to the person's
median pose) and are cut out with the footage around them, so each clip shows a
real, continuous head turn of the size and speed the person made it (many are
quick glances of 0.2-0.5 s, several are pitch turns of 8-16 deg). A variant made
from the same footage: the turn sped up to a 0.25 s excursion (frames dropped).
A challenge clip strings three turns of one person in three directions together
after a stretch of them looking ahead (a turn the footage lacks is another turn
mirrored: a real head turning the other way), as made or made quick in turn.

**Attacks** (one presentation attack instrument species each, ISO/IEC 30107-3):

* ``print``: a photo held up and rotated in 3D to mimic each turn (tests/clip_synth.py);
* ``photo_on_tablet``: the same moving photo shown on a tablet (tests/spoof_synth.py);
* ``replay_tablet``: a bona fide challenge clip of the person replayed on a tablet held up
  to the webcam, bezel and room in view;
* ``replay_monitor``: the same replayed on a monitor that fills the webcam's view;
* ``swap_photo``: another person's face from a still photo swapped onto a bona fide clip;
* ``swap_video``: another person's face from their own video swapped onto a bona fide clip.

The videos: the fixture videos (tests/fixtures/videos, and ../shared/fixtures/videos
where present) and, where a folder holds them, more LivePortrait driving videos
(KwaiVGI/LivePortrait @ 1986663, assets/examples/driving/, MIT; real people).
`available_people` lists those found.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import av
import numpy as np

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "fixtures"


@dataclass(frozen=True)
class RealTurn:
    direction: str  # the person's own LEFT/RIGHT, UP/DOWN
    start: float  # s: last moment looking ahead before the turn
    peak: float  # s: furthest from ahead
    end: float  # s: back to ahead


@dataclass(frozen=True)
class Person:
    name: str
    file: str
    neutral: tuple[float, float]  # s: a stretch of looking ahead (talking or still)
    turns: tuple[RealTurn, ...] = ()


T = RealTurn
# Measured with dlib at 10 frames a second (yaw +-15 deg / pitch +-10 deg from the clip's median pose).
PEOPLE = (
    Person("d3", "liveportrait_woman_earrings_d3.mp4", (1.0, 4.4),
           (T("RIGHT", 9.6, 10.3, 10.9), T("DOWN", 8.2, 8.6, 9.4), T("RIGHT", 0.1, 0.7, 1.1))),
    Person("d9", "liveportrait_man_glasses_d9.mp4", (2.4, 4.8),
           (T("DOWN", 9.6, 10.1, 10.9), T("UP", 12.7, 13.0, 13.4), T("UP", 13.9, 14.3, 14.8),
            T("DOWN", 17.7, 18.5, 18.7), T("UP", 18.6, 18.9, 19.2))),
    Person("aoc", "sadtalker_WDA_AlexandriaOcasioCortez_000.mp4", (0.4, 2.1),
           (T("UP", 2.1, 2.3, 2.7), T("RIGHT", 3.1, 3.5, 4.0))),
    Person("d10", "liveportrait_woman_longhair_d10.mp4", (1.1, 7.3)),
    Person("d6", "d6.mp4", (3.4, 5.7),
           (T("LEFT", 1.6, 2.1, 2.4), T("RIGHT", 7.2, 7.7, 7.9), T("LEFT", 9.7, 10.1, 10.3),
            T("LEFT", 17.3, 17.7, 18.1), T("DOWN", 18.6, 18.9, 19.2), T("DOWN", 19.6, 20.1, 20.3),
            T("RIGHT", 25.5, 25.9, 26.5), T("LEFT", 28.6, 29.0, 29.8))),
    Person("d11", "d11.mp4", (0.0, 0.9), (T("RIGHT", 7.8, 8.0, 8.4), T("LEFT", 8.3, 8.5, 8.8),
                                           T("RIGHT", 5.6, 6.4, 6.6))),
    Person("d12", "d12.mp4", (0.0, 1.4), (T("RIGHT", 2.7, 3.2, 3.5), T("LEFT", 6.3, 6.8, 7.2),
                                           T("UP", 4.4, 4.9, 5.5))),
    Person("d13", "d13.mp4", (0.0, 9.5), (T("RIGHT", 9.5, 9.7, 10.1),)),
    Person("d14", "d14.mp4", (4.5, 9.4), (T("UP", 1.7, 2.2, 2.8), T("DOWN", 3.6, 4.0, 4.6),
                                           T("UP", 13.0, 14.1, 14.9))),
    Person("d18", "d18.mp4", (3.2, 7.1), (T("LEFT", 1.9, 2.7, 3.3),)),
    Person("d19", "d19.mp4", (0.8, 5.2)),
    Person("d20", "d20.mp4", (3.2, 4.8)),
    Person("s18", "s18.mp4", (0.4, 9.3)),
    Person("s32", "s32.mp4", (0.0, 5.9)),
)
MIRROR = {"LEFT": "RIGHT", "RIGHT": "LEFT", "UP": "UP", "DOWN": "DOWN"}


def find_video(person: Person, folders: tuple[Path, ...]) -> Path | None:
    for folder in (FIXTURES / "videos", SHARED / "videos", *folders):
        if (folder / person.file).exists():
            return folder / person.file
    return None


def available_people(folders: tuple[Path, ...] = ()) -> list[tuple[Person, Path]]:
    return [(p, path) for p in PEOPLE if (path := find_video(p, folders)) is not None]


@lru_cache(maxsize=3)
def _decoded(path: Path) -> tuple[float, tuple[np.ndarray, ...]]:
    with av.open(str(path)) as c:
        fps = float(c.streams.video[0].average_rate)
        frames = tuple(f.to_ndarray(format="rgb24") for f in c.decode(video=0))
    return fps, frames


def cut(path: Path, start: float, end: float) -> tuple[float, list[np.ndarray]]:
    fps, frames = _decoded(path)
    return fps, list(frames[max(0, int(start * fps)) : int(end * fps)])


def looking_ahead(path: Path, person: Person, seconds: float) -> list[np.ndarray]:
    """`seconds` of the person looking ahead, the stretch played forwards and backwards."""
    fps, base = cut(path, *person.neutral)
    out: list[np.ndarray] = []
    while len(out) < seconds * fps:
        out.extend(base if (len(out) // len(base)) % 2 == 0 else base[::-1])
    return out[: int(seconds * fps)]


def retimed(frames: list[np.ndarray], fps: float, seconds: float) -> list[np.ndarray]:
    """The same footage played in `seconds` (frames dropped or repeated): a quicker or slower movement."""
    n = max(2, round(seconds * fps))
    return [frames[int(round(i))] for i in np.linspace(0, len(frames) - 1, n)]


def turn_footage(path: Path, turn: RealTurn, variant: str) -> tuple[float, list[np.ndarray], str]:
    """One real turn, from looking ahead through the turn and back: (fps, frames, direction).

    variant: "real" (as the person made it), "quick" (out and back in 0.25 s), "mirrored" (the other way).
    """
    fps, frames = cut(path, turn.start, turn.end)
    direction = turn.direction
    if variant == "quick":
        frames = retimed(frames, fps, 0.25)
    elif variant == "mirrored":
        frames = [np.ascontiguousarray(f[:, ::-1]) for f in frames]
        direction = MIRROR[direction]
    return fps, frames, direction


@dataclass(frozen=True)
class Recording:
    name: str
    person: str
    species: str  # "bona fide" or the attack instrument species
    variant: str
    turns: tuple[str, ...]  # the turns the recording shows, in order
    fps: float
    build: Callable[[], list[np.ndarray]]  # RGB frames, built when needed


def single_turn_clip(path: Path, person: Person, turn: RealTurn, variant: str) -> tuple[float, list[np.ndarray], str]:
    """A person looking ahead for 3 s (reading the consent sentence), making one real turn, and looking
    ahead again for 0.6 s."""
    fps, frames, direction = turn_footage(path, turn, variant)
    ahead = looking_ahead(path, person, 3.6)
    lead, tail = ahead[: int(3.0 * fps)], ahead[int(3.0 * fps) :]
    if variant == "mirrored":
        lead, tail = ([np.ascontiguousarray(f[:, ::-1]) for f in x] for x in (lead, tail))
    return fps, lead + frames + tail, direction


def challenge_clip(path: Path, person: Person, turns: list[tuple[RealTurn, str]]) -> tuple[float, list[np.ndarray], tuple[str, ...]]:
    """Looking ahead for 2 s (the speech), then the given real turns one after another, then ahead 0.5 s."""
    fps, _ = _decoded(path)
    frames = looking_ahead(path, person, 2.0)
    directions = []
    for turn, variant in turns:
        _, f, d = turn_footage(path, turn, variant)
        frames += f
        directions.append(d)
    return fps, frames + looking_ahead(path, person, 0.5), tuple(directions)


def bona_fide(folders: tuple[Path, ...] = ()) -> Iterator[Recording]:
    """Every person looking ahead; single-turn clips of every real turn as made and quick; two challenge
    clips per person with turns (turns as made, and as made and quick in turn)."""
    for person, path in available_people(folders):
        yield Recording(f"{person.name}_ahead", person.name, "bona fide", "ahead", (), _decoded(path)[0],
                        lambda path=path, person=person: looking_ahead(path, person, 4.0))
        for k, turn in enumerate(person.turns):
            for variant in ("real", "quick"):
                def build(path=path, person=person, turn=turn, variant=variant):
                    return single_turn_clip(path, person, turn, variant)[1]
                fps = _decoded(path)[0]
                direction = MIRROR[turn.direction] if variant == "mirrored" else turn.direction
                yield Recording(f"{person.name}_turn{k}_{variant}", person.name, "bona fide", variant,
                                (direction,), fps, build)
        if person.turns:
            yield challenge_recording(path, person, ("real",))
            yield challenge_recording(path, person)


def challenge_turns(person: Person, variants: tuple[str, ...]) -> list[tuple[RealTurn, str]]:
    """Three of the person's turns in three different directions, as a challenge asks; a left turn missing
    from the footage is a right turn mirrored (and the other way round). Variants are used in turn."""
    chosen: list[tuple[RealTurn, str]] = []
    directions: set[str] = set()
    for mirrored in (False, True):
        for turn in person.turns:
            d = MIRROR[turn.direction] if mirrored else turn.direction
            if d in directions or len(chosen) == 3:
                continue
            variant = variants[len(chosen) % len(variants)]
            chosen.append((turn, "mirrored" if mirrored else variant))
            directions.add(d)
    return chosen


def challenge_recording(path: Path, person: Person, variants: tuple[str, ...] = ("real", "quick"),
                        name: str | None = None) -> Recording:
    """Looking ahead, then up to three turns of the person in different directions."""
    chosen = challenge_turns(person, variants)
    directions = tuple(MIRROR[t.direction] if v == "mirrored" else t.direction for t, v in chosen)
    fps = _decoded(path)[0]
    return Recording(name or f"{person.name}_challenge_{'_'.join(variants)}", person.name, "bona fide",
                     "challenge", directions, fps, lambda: challenge_clip(path, person, chosen)[1])


# ----------------------------------------------------------------------------------------------------
# attacks

ATTACK_FPS = 10.0  # attack clips are rendered at the analysis rate (identity.media.ANALYSIS_FPS)


def at_rate(frames: list[np.ndarray], fps: float, rate: float = ATTACK_FPS) -> list[np.ndarray]:
    step = fps / rate
    return [frames[int(i * step)] for i in range(int(len(frames) / step))]


def room_background(folders: tuple[Path, ...] = ()) -> np.ndarray:
    """A room behind the screen: the top of the d13 office frame where present, else a lit wall of d3."""
    for person, path in available_people(folders):
        if person.name == "d13":
            frame = cut(path, 1.0, 1.1)[1][0]
            return frame[: frame.shape[0] // 3]
    _, frames = cut(FIXTURES / "videos" / "liveportrait_woman_earrings_d3.mp4", 2.0, 2.1)
    return frames[0][:120, :120]


def face_photos() -> list[tuple[str, Path]]:
    """Photos of people who are not in the videos: (person, path)."""
    out = []
    for root in (SHARED / "faces", FIXTURES / "faces"):
        if root.exists():
            for d in sorted(p for p in root.iterdir() if p.is_dir()):
                if d.name not in {name for name, _ in out}:
                    out.extend((d.name, f) for f in sorted(d.glob("*.jpg"))[:2])
    return out
