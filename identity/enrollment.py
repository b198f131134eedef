"""The verified enrollment: from one recording to a cameo, or to reasons a person can act on.

`analyse_clip` measures what is in a recording (faces, head pose, liveness,
digits, voice) without judging it; `judge` holds every rule of a valid consent
recording in one place and returns a verdict with one reason per failed check;
`Enroller` ties that to the store so a cameo is created only from a passing
verdict on an unused, unexpired challenge.
"""
from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import cv2
import numpy as np

from identity.challenge import Challenge, issue_challenge
from identity.errors import IdentityError, MediaError
from identity.faces import Face, FaceBackend, FaceTemplate, compare_templates, get_face_backend, made_by
from identity.gallery import ProtectedGallery
from identity.limits import enroll_attempts_left
from identity.index import IdentityIndex
from identity.face_swap import assess_face_swap
from identity.liveness import MIN_SHAPE_MOTION, LivenessReport, assess_liveness, flow_parallax
from identity.screen_replay import assess_screen
from identity.media import Clip, load_clip
from identity.pose import (
    MAX_PLAUSIBLE_DEG,
    PITCH_TURN_DEG,
    YAW_TURN_DEG,
    PoseSample,
    Turn,
    check_turn_order,
    classify,
    neutral_pose,
    turn_sequence,
)
from identity.references import build_references
from identity.voice_liveness import VoiceLiveness, assess_voice_liveness
from identity.speech import DigitsHeard, match_digits, recognize_digits
from identity.store import Account, NewCameo, Store
from identity.voices import (
    SAME_SPEAKER_THRESHOLD,
    VoiceAnalysis,
    VoiceEmbedding,
    analyse_voice,
    median_pitch_hz,
    voice_similarity,
)

# The face must fill a reasonable part of the frame: at least this fraction of
# the frame height (a webcam at arm's length gives 0.3-0.6; the fixtures 0.46-0.62).
MIN_FACE_HEIGHT_FRAC = 0.15
# Variance of the Laplacian of the face, grey, scaled to 128 px high. Measured
# (median per clip) on the five fixture videos: 158-758; the same frames blurred
# with a Gaussian of sigma 2 px: 22-114, sigma 3: 10-44, sigma 4: 6-24. A face
# this soft is useless as a generation reference; see tests/test_enrollment.py.
MIN_FACE_SHARPNESS = 20.0
# The share of analysed frames that must show the face (turning fast can lose it briefly).
MIN_FACE_FRAME_SHARE = 0.8
N_TEMPLATES = 5
N_CROPS = 3
CROP_SIZE = 256


@dataclass(frozen=True)
class ClipAnalysis:
    duration_s: float
    n_frames: int
    frames_with_face: int
    max_faces: int
    multi_face_at_s: float | None
    longest_gap_s: tuple[float, float] | None
    poses: list[PoseSample]
    turns: list[Turn]
    liveness: LivenessReport
    face_height_frac: float
    sharpness: float
    templates: list[FaceTemplate]
    identity_min_similarity: float | None
    crops: list[np.ndarray]
    digits: DigitsHeard
    voice: VoiceAnalysis | None
    voice_error: str | None
    median_pitch_hz: float | None
    seconds_to_process: float
    # The frames the crops came from, for the head-and-shoulders references (identity.references),
    # made only once a recording passes.
    reference_sources: list = field(default_factory=list)
    voice_liveness: VoiceLiveness | None = None  # reported, not enforced (identity/voice_liveness.py)


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    reason: str | None = None


@dataclass(frozen=True)
class Verdict:
    ok: bool
    checks: list[Check]
    cameo_id: str | None = None
    figures: dict = field(default_factory=dict)

    @property
    def reasons(self) -> list[str]:
        return [c.reason for c in self.checks if not c.passed and c.reason]

    def to_dict(self) -> dict:
        return {
            "ok": self.ok,
            "cameo_id": self.cameo_id,
            "reasons": self.reasons,
            "checks": [asdict(c) for c in self.checks],
            "figures": self.figures,
        }

    @classmethod
    def from_dict(cls, d: dict) -> "Verdict":
        """The verdict an enrollment worker stored in its job record."""
        return cls(bool(d["ok"]), [Check(**c) for c in d["checks"]], d.get("cameo_id"), d.get("figures") or {})


def _sharpness(rgb: np.ndarray, face: Face) -> float:
    x0, y0, x1, y1 = (int(round(v)) for v in face.bbox)
    crop = rgb[max(y0, 0) : max(y1, 0), max(x0, 0) : max(x1, 0)]
    if crop.size == 0:
        return 0.0
    grey = cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY)
    grey = cv2.resize(grey, (max(1, round(128 * grey.shape[1] / grey.shape[0])), 128), interpolation=cv2.INTER_AREA)
    return float(cv2.Laplacian(grey, cv2.CV_64F).var())


def _spread_pick(indices: list[int], times: list[float], k: int, min_gap_s: float = 0.5) -> list[int]:
    """Up to k of the (best-first) indices, at least min_gap_s apart in time."""
    chosen: list[int] = []
    for i in indices:
        if all(abs(times[i] - times[j]) >= min_gap_s for j in chosen):
            chosen.append(i)
        if len(chosen) == k:
            break
    return chosen


def plausible_poses(single: list[tuple[float, np.ndarray, Face]]) -> list[tuple[float, np.ndarray, Face]]:
    """The single-face frames without those whose pose estimate failed (identity.pose.MAX_PLAUSIBLE_DEG
    from the clip's neutral pose: solvePnP flipping on a profile); their landmarks are not to be trusted."""
    if not single:
        return single
    yaw0, pitch0 = neutral_pose([PoseSample(t, f.yaw_deg, f.pitch_deg) for t, _, f in single])
    return [s for s in single
            if max(abs(s[2].yaw_deg - yaw0), abs(s[2].pitch_deg - pitch0)) <= MAX_PLAUSIBLE_DEG]


def _offness(single: list[tuple[float, np.ndarray, Face]]) -> list[float]:
    """How far each frame's pose is from the clip's neutral pose, in units of the turn thresholds."""
    yaw0, pitch0 = neutral_pose([PoseSample(t, f.yaw_deg, f.pitch_deg) for t, _, f in single])
    return [max(abs(f.yaw_deg - yaw0) / YAW_TURN_DEG, abs(f.pitch_deg - pitch0) / PITCH_TURN_DEG) for _, _, f in single]


def _turn_parallax(single: list[tuple[float, np.ndarray, Face]], turns: list[Turn], offness: list[float]) -> list[float | None]:
    """Optical-flow parallax of each turn, tracked from 0.3 s before it starts to its peak (None: too few points)."""
    times = [t for t, _, _ in single]
    out: list[float | None] = []
    for turn in turns:
        inside = [i for i, t in enumerate(times) if turn.start_s <= t <= turn.end_s]
        if not inside:
            out.append(None)
            continue
        peak = max(inside, key=lambda i: offness[i])
        first = max(0, inside[0] - 3)
        out.append(flow_parallax([single[i][1] for i in range(first, peak + 1)], single[first][2].bbox,
                                 single[first][2].landmarks))
    return out


def analyse_face_liveness(single: list[tuple[float, np.ndarray, Face]], turns: list[Turn]) -> LivenessReport:
    """Every face liveness cue of a recording: the geometric cues of its head turns, the screen check and
    the face-swap check (identity/liveness.py, identity/screen_replay.py, identity/face_swap.py)."""
    if not single:
        return LivenessReport(False, 0.0, 0.0, reasons=["no face was found in the clip"])
    yaw0, pitch0 = neutral_pose([PoseSample(t, f.yaw_deg, f.pitch_deg) for t, _, f in single])
    offness = _offness(single)
    turned, turn_of = [], []
    for i, (t, _, f) in enumerate(single):
        if classify(f.yaw_deg - yaw0, f.pitch_deg - pitch0) == "CENTER":
            continue
        owner = next((k for k, u in enumerate(turns) if u.start_s <= t <= u.end_s), None)
        if owner is not None:
            turned.append(i)
            turn_of.append(owner)
    frontal = min(range(len(single)), key=lambda i: offness[i])
    geometric = assess_liveness([f.landmarks for _, _, f in single], turned, frontal,
                                _turn_parallax(single, turns, offness), turn_of, [t.peak_deg for t in turns])
    screen = assess_screen([(rgb, f.bbox) for _, rgb, f in single])
    swap = assess_face_swap([(rgb, f.landmarks) for _, rgb, f in single])
    reasons = geometric.reasons + screen.reasons  # the face-swap cue is reported, not enforced
    return replace(geometric, live=not reasons, reasons=reasons, screen=asdict(screen), swap=asdict(swap))


@dataclass(frozen=True)
class _FaceScan:
    single: list[tuple[float, np.ndarray, Face]]  # frames with exactly one face
    with_face: int
    max_faces: int
    multi_face_at_s: float | None
    longest_gap_s: tuple[float, float] | None


def _scan_faces(clip: Clip, backend: FaceBackend) -> _FaceScan:
    """Detect faces in every analysed frame; note when there were two and the longest stretch with none."""
    single: list[tuple[float, np.ndarray, Face]] = []
    max_faces, multi_at, with_face = 0, None, 0
    gaps: list[tuple[float, float]] = []
    gap_start = None
    for t, rgb in clip.frames:
        faces = backend.detect(rgb)
        max_faces = max(max_faces, len(faces))
        if len(faces) > 1 and multi_at is None:
            multi_at = t
        if faces:
            with_face += 1
            if gap_start is not None:
                gaps.append((gap_start, t))
                gap_start = None
        elif gap_start is None:
            gap_start = t
        if len(faces) == 1:
            single.append((t, rgb, faces[0]))
    if gap_start is not None:
        gaps.append((gap_start, clip.frames[-1][0]))
    longest = max(gaps, key=lambda g: g[1] - g[0]) if gaps else None
    return _FaceScan(single, with_face, max_faces, multi_at, longest)


@dataclass(frozen=True)
class _FaceIdentity:
    liveness: LivenessReport
    height_frac: float
    sharpness: float
    templates: list[FaceTemplate]
    crops: list[np.ndarray]
    identity_min_similarity: float | None
    reference_sources: list = field(default_factory=list)


def _face_identity(single: list[tuple[float, np.ndarray, Face]], turns: list[Turn], clip_height: int,
                   backend: FaceBackend) -> _FaceIdentity:
    """Liveness, quality, templates and reference crops from the single-face frames."""
    liveness = analyse_face_liveness(single, turns)
    if not single:
        return _FaceIdentity(liveness, 0.0, 0.0, [], [], None)
    offness = _offness(single)
    frontal = sorted(range(len(single)), key=lambda i: offness[i])
    height_frac = float(np.median([f.height for _, _, f in single])) / clip_height
    frontal_set = [i for i in frontal if offness[i] < 0.5] or frontal[:1]
    sharp = {i: _sharpness(single[i][1], single[i][2]) for i in frontal_set}
    times = [t for t, _, _ in single]
    # Sharp frames first, then the most frontal: these become the templates and the reference crops.
    best = sorted(frontal_set, key=lambda i: (-sharp[i] if sharp[i] >= MIN_FACE_SHARPNESS else 0, offness[i]))
    embedded: dict[int, FaceTemplate] = {}

    def embed(i: int) -> FaceTemplate:  # each frame is embedded at most once (~70 ms each with dlib)
        if i not in embedded:
            embedded[i] = backend.embed(single[i][1], single[i][2])
        return embedded[i]

    template_idx = _spread_pick(best, times, N_TEMPLATES)
    templates = [embed(i) for i in template_idx]
    crop_idx = _spread_pick(best, times, N_CROPS, 1.0)
    crops = [backend.align(single[i][1], single[i][2], CROP_SIZE) for i in crop_idx]
    # Same person throughout: near-frontal frames spread over the whole clip, each against the
    # templates taken from other moments.
    by_time = sorted(frontal_set, key=lambda i: times[i])
    probes = [by_time[k] for k in np.linspace(0, len(by_time) - 1, min(6, len(by_time))).astype(int)]
    sims = []
    for i in probes:
        others = [embed(j) for j in template_idx if j != i]
        if others:
            sims.append(max(compare_templates(backend, embed(i), t) for t in others))
    return _FaceIdentity(liveness, height_frac, float(np.median(list(sharp.values()))), templates, crops,
                         float(min(sims)) if sims else None, [(single[i][1], single[i][2]) for i in crop_idx])


def analyse_clip(clip: Clip, backend: FaceBackend, sentence: str = "", sentence_language: str = "en") -> ClipAnalysis:
    """Measure everything the verifier judges, in one pass over the frames and one over the audio.

    `sentence` is the consent sentence the person read before the digits; the
    digit recogniser expects it (see identity/speech.py). A sentence in another
    language than English is not modelled: the digits are read after a pause.
    """
    start = time.perf_counter()
    scan = _scan_faces(clip, backend)
    single = plausible_poses(scan.single)
    poses = [PoseSample(t, f.yaw_deg, f.pitch_deg) for t, _, f in single]
    turns = turn_sequence(poses)
    face = _face_identity(single, turns, clip.height, backend)
    voice, voice_error, pitch, spoof = None, None, None, None
    try:
        voice = analyse_voice(clip.audio)
        pitch = median_pitch_hz(clip.audio)
        spoof = assess_voice_liveness(clip.audio)
    except IdentityError as exc:
        voice_error = exc.message
    return ClipAnalysis(
        duration_s=clip.duration_s,
        n_frames=len(clip.frames),
        frames_with_face=scan.with_face,
        max_faces=scan.max_faces,
        multi_face_at_s=scan.multi_face_at_s,
        longest_gap_s=scan.longest_gap_s,
        poses=poses,
        turns=turns,
        liveness=face.liveness,
        face_height_frac=face.height_frac,
        sharpness=face.sharpness,
        templates=face.templates,
        identity_min_similarity=face.identity_min_similarity,
        crops=face.crops,
        digits=recognize_digits(clip.audio, sentence=sentence, sentence_heard=sentence_language == "en"),
        voice=voice,
        voice_error=voice_error,
        median_pitch_hz=pitch,
        seconds_to_process=time.perf_counter() - start,
        reference_sources=face.reference_sources,
        voice_liveness=spoof,
    )


def inspect_report(a: ClipAnalysis) -> dict:
    """What the verifier sees in a clip, with no challenge to judge it against."""
    yaws = [p.yaw_deg for p in a.poses]
    pitches = [p.pitch_deg for p in a.poses]
    return {
        "duration_s": round(a.duration_s, 2),
        "frames_analysed": a.n_frames,
        "max_faces": a.max_faces,
        "frames_with_face": a.frames_with_face,
        "yaw_range_deg": [round(min(yaws), 1), round(max(yaws), 1)] if yaws else None,
        "pitch_range_deg": [round(min(pitches), 1), round(max(pitches), 1)] if pitches else None,
        "pose_sequence": [t.direction for t in a.turns],
        "turns": [asdict(t) for t in a.turns],
        "speech_seconds": round(a.voice.speech_seconds, 2) if a.voice else 0.0,
        "digits_heard": "".join(d if d is not None else "_" for d in a.digits.digits),
        "voice_consistent": a.voice.consistency.consistent if a.voice else None,
        "voice_consistency_similarity": a.voice.consistency.min_similarity if a.voice else None,
        "passive_liveness": {
            "live": a.liveness.live,
            "reasons": a.liveness.reasons,
            "shape_motion": round(a.liveness.shape_motion, 4),
            "nonplanar_residual": round(a.liveness.nonplanar_residual, 4),
            "flow_parallax": None if a.liveness.flow_parallax is None else round(a.liveness.flow_parallax, 4),
            "turn_residuals": a.liveness.turn_residuals,
            "turn_parallax": a.liveness.turn_parallax,
            "screen": a.liveness.screen,
            "face_swap": a.liveness.swap,
        },
        "face_height_frac": round(a.face_height_frac, 3),
        "sharpness": round(a.sharpness, 1),
        "identity_min_similarity": a.identity_min_similarity,
        "median_pitch_hz": a.median_pitch_hz,
        "seconds_to_process": round(a.seconds_to_process, 2),
        # Synthetic or replayed speech cues: a figure for review, not a refusal (see identity/voice_liveness.py).
        "voice_liveness": asdict(a.voice_liveness) if a.voice_liveness else None,
    }


@dataclass(frozen=True)
class Registry:
    """Who a new person must not be: another account's active cameo (the identity index), or a protected person."""

    index: IdentityIndex | None
    gallery: ProtectedGallery | None
    exclude_account: str | None = None  # the enrolling account itself (a re-recording is checked by _same_person)


# The dedupe decides on face AND voice (the enrollment has both): a stranger who merely looks like a cameo
# (the heaviest impostor pairs reach the 1:1 face threshold: README "Calibration") is not refused unless
# the voice matches too. A face this far above the 1:N threshold is the same face whatever the voice (no
# impostor pair of 9,190 came within 0.1 of the 1:N threshold), so someone else's face with one's own
# voice is still refused.
FACE_ALONE_MARGIN = 0.12
DEDUPE_SHORTLIST = 10  # cameos whose voice is compared, most alike faces first

# Checks that depend on there being one face: when two faces were seen, their failures are consequences of
# that, and the verdict names only the cause.
ONE_FACE_DEPENDENT = ("face_quality", "head_turns", "liveness", "same_person", "not_registered")


def judge(
    a: ClipAnalysis,
    challenge: Challenge,
    backend: FaceBackend,
    *,
    challenge_used: bool,
    registry: Registry,
    now: float | None = None,
) -> list[Check]:
    """Every rule of a valid consent recording, each with a reason a person can act on."""
    now = time.time() if now is None else now
    checks: list[Check] = []

    def check(name: str, failure: str | None) -> None:
        checks.append(Check(name, failure is None, failure))

    if challenge.expires_at is not None and now > challenge.expires_at:
        check("challenge", "this challenge expired; start a new enrollment to get a fresh one")
    elif challenge_used:
        check("challenge", "this challenge was already used; start a new enrollment to get a fresh one")
    else:
        check("challenge", None)

    if a.frames_with_face == 0:
        check("one_face", "we saw no face; sit facing the camera in good light")
    elif a.max_faces > 1:
        check("one_face", f"we saw two faces at {a.multi_face_at_s:.1f} s; record alone in the frame")
    elif a.frames_with_face < MIN_FACE_FRAME_SHARE * a.n_frames and a.longest_gap_s:
        g0, g1 = a.longest_gap_s
        check("one_face", f"we lost your face from {g0:.1f} s to {g1:.1f} s; keep your whole face in the frame")
    else:
        check("one_face", None)

    if a.frames_with_face and a.face_height_frac < MIN_FACE_HEIGHT_FRAC:
        check("face_quality", f"your face fills only {a.face_height_frac:.0%} of the frame height; move closer to the camera")
    elif a.frames_with_face and a.sharpness < MIN_FACE_SHARPNESS:
        check("face_quality", "your face is blurred; hold the camera still, clean the lens and add light")
    else:
        check("face_quality", None if a.frames_with_face else "we saw no face")

    check("head_turns", check_turn_order([t.direction for t in a.turns], list(challenge.turns)))
    check("liveness", None if a.liveness.live else "; ".join(a.liveness.reasons))

    if a.identity_min_similarity is None or a.identity_min_similarity < backend.match_threshold:
        check("same_person", "the face changed during the recording; only the person enrolling may appear")
    else:
        check("same_person", None)

    check("digits", match_digits(a.digits, challenge.digits))

    if a.voice is None:
        check("voice", a.voice_error or "we heard no speech; read the sentence and the digits aloud")
    elif not a.voice.consistency.consistent:
        s0, s1 = a.voice.consistency.worst_segment_s or (0.0, 0.0)
        check("voice", f"we heard more than one voice (the part around {s0:.0f}-{s1:.0f} s of speech differs); "
              "only the person enrolling may speak")
    else:
        check("voice", None)

    check("not_registered", _registry_failure(a.templates, a.voice.embedding if a.voice else None, backend,
                                              registry))
    if a.max_faces > 1:  # the cause, not its consequences ("your face fills 0%", "no face was found")
        checks = [Check(c.name, False, None) if c.name in ONE_FACE_DEPENDENT and not c.passed else c for c in checks]
    return checks


ALREADY_ENROLLED = "this face is already the active cameo of another account; a person can have only one cameo"


def _registry_failure(templates: list[FaceTemplate], voice: VoiceEmbedding | None, backend: FaceBackend,
                      registry: Registry) -> str | None:
    if not templates:
        return "we could not take a face template from the clip"
    if registry.index is not None and all(made_by(t, backend) for t in templates):
        probe = backend.centroid(registry.index.probe_vectors(templates))
        for m in registry.index.search(probe[None], k=DEDUPE_SHORTLIST)[0]:
            if m.similarity < backend.match_threshold:
                break
            if m.account_id == registry.exclude_account:
                continue
            if m.similarity >= backend.one_to_n_threshold + FACE_ALONE_MARGIN:
                return ALREADY_ENROLLED
            theirs = registry.index.store.voice_of(m.cameo_id)
            if voice is not None and theirs is not None and theirs.same_model(voice) \
                    and voice_similarity(voice, theirs) >= SAME_SPEAKER_THRESHOLD:
                return ALREADY_ENROLLED
    if registry.gallery is not None:
        match = registry.gallery.best_match(templates)  # face alone: a protected person stays protected
        if match:
            return "this face matches a protected person, who cannot be enrolled as a cameo"
    return None


def _png(rgb: np.ndarray) -> bytes:
    ok, buf = cv2.imencode(".png", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
    if not ok:  # pragma: no cover - a valid RGB array always encodes
        raise IdentityError("encode_failed", "could not encode a face crop")
    return buf.tobytes()


@dataclass(frozen=True)
class ReverifyResult:
    ok: bool
    face_similarity: float | None
    voice_similarity: float | None
    reasons: list[str]


class Enroller:
    """Issues challenges, verifies recordings and stores cameos from passing verdicts only."""

    def __init__(
        self,
        store: Store,
        backend: FaceBackend | None = None,
        gallery: ProtectedGallery | None = None,
        *,
        allow_upload: bool = True,
        max_seconds: float = 15.0,
        max_bytes: int = 50 * 1024 * 1024,
        challenge_ttl_s: int = 300,
        keep_voice_reference: bool = False,
        index: IdentityIndex | None = None,
    ):
        self.store = store
        self.keep_voice_reference = keep_voice_reference
        self.backend = backend or get_face_backend()
        # One index per process, shared with the likeness firewall (pipeline.studio builds it).
        self.index = index or IdentityIndex(store, self.backend)
        self.gallery = gallery
        self.allow_upload = allow_upload
        self.max_seconds = max_seconds
        self.max_bytes = max_bytes
        self.challenge_ttl_s = challenge_ttl_s

    def new_challenge(self, handle: str, language: str = "en") -> Challenge:
        ch = issue_challenge(handle, self.challenge_ttl_s, language=language)
        self.store.save_challenge(ch)
        return ch

    def _load(self, path: Path | str, source: str) -> Clip:
        if source not in ("webcam", "upload"):
            raise IdentityError("bad_source", f"source must be 'webcam' or 'upload', not {source!r}")
        if source == "upload" and not self.allow_upload:
            raise IdentityError(
                "upload_not_allowed", "this studio accepts enrollment recordings from the webcam only; record one"
            )
        return load_clip(path, max_seconds=self.max_seconds, max_bytes=self.max_bytes)

    def verify(self, path: Path | str, challenge: Challenge, *, source: str = "webcam",
               account: Account | None = None, now: float | None = None,
               challenge_used: bool | None = None) -> tuple[Verdict, ClipAnalysis | None]:
        """Judge a recording against a challenge; stores nothing and does not use the challenge up."""
        if challenge_used is None:
            challenge_used = self.store.challenge_used(challenge.id)
        try:
            clip = self._load(path, source)
        except IdentityError as exc:
            return Verdict(False, [Check("media", False, exc.message)]), None
        analysis = analyse_clip(clip, self.backend, challenge.sentence, challenge.language)
        registry = Registry(self.index, self.gallery, exclude_account=account.id if account else None)
        checks = [Check("media", True)] + judge(
            analysis, challenge, self.backend,
            challenge_used=challenge_used, registry=registry, now=now,
        )
        figures = inspect_report(analysis)
        return Verdict(all(c.passed for c in checks), checks, figures=figures), analysis

    def enroll(self, path: Path | str, challenge: Challenge, *, source: str = "webcam",
               now: float | None = None, rerecord: bool = False) -> Verdict:
        """Verify, then store the cameo for the challenge's handle if and only if every check passed.

        The challenge is used up by the attempt, pass or fail: one recording per
        challenge, so nobody can try recording after recording against the same digits.
        """
        account = self.store.get_or_create_account(challenge.handle)
        current = self.store.active_cameo_of(account)
        if current is not None and not rerecord:
            return Verdict(False, [Check("account", False, f"@{account.handle} already has an active cameo; "
                                         "re-record it, or revoke it before enrolling anew")])
        if current is None and rerecord:
            return Verdict(False, [Check("account", False, f"@{account.handle} has no cameo to re-record")])
        too_many = enroll_attempts_left(self.store, account.handle, now)
        if too_many is not None:  # the challenge stays unused: it can be answered once the window allows
            return Verdict(False, [Check("attempts", False, too_many.text)])
        self.store.save_challenge(challenge)
        fresh = self.store.consume_challenge(challenge.id)
        verdict, analysis = self.verify(path, challenge, source=source, account=account, now=now,
                                        challenge_used=not fresh)
        if not verdict.ok or analysis is None:
            return verdict
        references = build_references(analysis.reference_sources, self.backend, analysis.templates)
        new = NewCameo(
            templates=analysis.templates,
            voice=analysis.voice.embedding,
            crops_png=[_png(c) for c in analysis.crops],
            quality={
                "face_height_frac": analysis.face_height_frac,
                "sharpness": analysis.sharpness,
                "identity_min_similarity": analysis.identity_min_similarity,
                "speech_seconds": analysis.voice.speech_seconds,
                "median_pitch_hz": analysis.median_pitch_hz,
                "face_backend": self.backend.name,
                "reference_similarities": references.similarities,
            },
            liveness={
                **asdict(analysis.liveness),
                "turns": [t.direction for t in analysis.turns],
                "digits_heard": "".join(d or "_" for d in analysis.digits.digits),
            },
            voice_reference_wav=voice_reference_wav(path) if self.keep_voice_reference else None,
            references_png=references.png,
        )
        if current is not None:
            same = _same_person(self.backend, current.templates, new.templates)
            if not same.passed:
                return Verdict(False, verdict.checks + [same], figures=verdict.figures)
        try:
            if current is not None:
                cameo_id = self.store.replace_cameo(current.id, account, challenge, new)
            else:
                cameo_id = self.store.add_cameo(account, challenge, new)
        except IdentityError as exc:
            return Verdict(False, verdict.checks + [Check("store", False, exc.message)], figures=verdict.figures)
        return Verdict(True, verdict.checks, cameo_id=cameo_id, figures=verdict.figures)

    def reverify(self, path: Path | str, cameo_id: str, *, source: str = "webcam") -> ReverifyResult:
        """"Prove it's you": does a new short recording match a stored cameo, face and voice?"""
        cameo = self.store.get_cameo(cameo_id)
        try:
            clip = self._load(path, source)
        except MediaError as exc:
            return ReverifyResult(False, None, None, [exc.message])
        analysis = analyse_clip(clip, self.backend)
        reasons = []
        face_sim = None
        stored = [t for t in cameo.templates if made_by(t, self.backend)]
        if not stored:
            reasons.append(f"this cameo was enrolled with {cameo.templates[0].model}; the studio now uses "
                           f"{self.backend.model}, so the face cannot be compared: re-enroll")
        elif not analysis.templates:
            reasons.append("we saw no face; sit facing the camera in good light")
        else:
            face_sim = max(compare_templates(self.backend, a, b) for a in analysis.templates for b in stored)
            if face_sim < self.backend.match_threshold:
                reasons.append("the face does not match this cameo")
        if analysis.liveness.shape_motion < MIN_SHAPE_MOTION:
            reasons.append("the face never moved, as in a photo; record yourself live")
        if analysis.max_faces > 1:  # the cause, not its consequences ("we saw no face", "never moved")
            reasons = [f"we saw two faces at {analysis.multi_face_at_s:.1f} s; record alone"]
        voice_sim = None
        if analysis.voice is None:
            reasons.append(analysis.voice_error or "we heard no speech; say a sentence aloud")
        else:
            voice_sim = voice_similarity(analysis.voice.embedding, cameo.voice)
            if voice_sim < SAME_SPEAKER_THRESHOLD:
                reasons.append("the voice does not match this cameo")
        return ReverifyResult(not reasons, face_sim, voice_sim, reasons)


def _same_person(backend: FaceBackend, stored: list[FaceTemplate], new: list[FaceTemplate]) -> Check:
    """A re-recording must show the cameo's own face: others' grants were given for that person."""
    usable = [t for t in stored if made_by(t, backend)]
    if not usable:
        return Check("same_cameo", False, "your cameo was enrolled with another face model; revoke it and enroll anew")
    best = max(compare_templates(backend, a, b) for a in usable for b in new)
    if best < backend.match_threshold:
        return Check("same_cameo", False, "this recording does not show the same person as your cameo; a cameo "
                                          "can only be re-recorded by the person in it")
    return Check("same_cameo", True)


VOICE_REFERENCE_MAX_S = 12.0  # zero-shot cloning TTS want about 5-10 s of the speaker


def voice_reference_wav(path: Path | str) -> bytes:
    """The recording's speech as 16 kHz mono 16-bit WAV: the only voice reference a cloning TTS may use."""
    import io

    import soundfile as sf

    from identity.audio import AUDIO_RATE, read_audio

    audio = read_audio(Path(path))[: int(VOICE_REFERENCE_MAX_S * AUDIO_RATE)]
    buf = io.BytesIO()
    sf.write(buf, audio, AUDIO_RATE, format="WAV", subtype="PCM_16")
    return buf.getvalue()
