"""One generation job, from a prompt to a signed, watermarked clip stored under a consent grant.

The job reads cameos only through `ConsentLedger.authorize`, checks the prompt
before any work, polls the grant while it renders (a revoke stops it), runs the
post-generation checks (nudity, likeness firewall, dialogue text), marks and
signs the clip, and hands it to the clip library, which decides consent once
more inside the transaction that stores it. Whatever fails, no file is left.
"""
from __future__ import annotations

import hashlib
import math
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from identity.clips import Clip, new_clip_id
from identity.consent import ConsentLedger, Grant, Refusal
from identity.errors import IdentityError, StudioError
from identity.faces import FaceBackend
from identity.gallery import ProtectedGallery
from identity.imageio import decode_png
from identity.index import IdentityIndex
from identity.library import ClipLibrary, SaveGuard
from identity.store import Account, Store
from pipeline.export import write_mp4
from pipeline.ingredients import Ingredient, load_ingredients
from pipeline.scene import parse_scene
from pipeline.sound import EspeakSynth, VoiceSynth, make_soundtrack
from pipeline.styles import DEFAULT_STYLE, get_style
from pipeline.types import ASPECTS, MAX_CAMEOS, MAX_SECONDS, MIN_SECONDS, CameoRef, GenerationBackend, Progress, \
    ProgressFn, RenderSpec, VoiceReference
from safety.firewall import FirewallResult, check_faces
from safety.ingredients import check_ingredient
from safety.audio_mark import embed_audio
from safety.invisible_mark import embed_frames
from safety.moderation import moderate_frames
from safety.policy import OwnerInstructions, check_prompt
from safety.provenance import ProvenanceInfo, SigningIdentity, sign_clip
from safety.visible_mark import apply_visible_mark

MAX_PROMPT_CHARS = 500  # the diffusion text encoder reads 512 tokens; owners' constraints are appended after it
MAX_SEED = 2**32 - 1
POLL_GRANT_EVERY_S = 0.5
STUDIO_VERSION = "cameo-studio/0.4"


class JobError(StudioError):
    """A job that cannot start or did not finish, with a message for the person and a code for programs."""


@dataclass(frozen=True)
class JobRequest:
    prompt: str
    handles: tuple[str, ...]
    duration_s: float
    aspect: str
    seed: int
    remix_of: str | None = None
    style: str = DEFAULT_STYLE  # a key of pipeline.styles.STYLES
    ingredients: tuple[Ingredient, ...] = ()  # image references, checked like frames before rendering


@dataclass(frozen=True)
class JobResult:
    clip: Clip
    path: Path | None  # the stored file where the media store is a local folder
    meta: dict = field(default_factory=dict)


def parse_request(prompt: str, handles, duration_s, aspect: str, seed, remix_of: str | None = None,
                  style: str | None = None, ingredients=()) -> JobRequest:
    """Validate everything a person typed or uploaded before any work starts.

    `ingredients` are up to two (image file or bytes, kind, label) triples or loaded `Ingredient`s."""
    prompt = (prompt or "").strip()
    if not prompt:
        raise JobError("empty_prompt", "write a prompt: what happens in the clip")
    if len(prompt) > MAX_PROMPT_CHARS:
        raise JobError("prompt_too_long", f"the prompt has {len(prompt)} characters; keep it under {MAX_PROMPT_CHARS}",
                       {"length": len(prompt), "most": MAX_PROMPT_CHARS})
    names = tuple(dict.fromkeys(h.strip().lstrip("@").lower() for h in (handles or []) if h and h.strip()))
    if not 1 <= len(names) <= MAX_CAMEOS:
        raise JobError("cameo_count", f"pick 1 to {MAX_CAMEOS} cameos for a clip (you picked {len(names)})",
                       {"most": MAX_CAMEOS, "picked": len(names)})
    try:
        duration = float(duration_s)
    except (TypeError, ValueError):
        raise JobError("bad_duration", f"the duration must be a number of seconds, not {duration_s!r}",
                       {"value": repr(duration_s)}) from None
    if not (math.isfinite(duration) and MIN_SECONDS <= duration <= MAX_SECONDS):
        raise JobError("bad_duration", f"the duration must be {MIN_SECONDS:g} to {MAX_SECONDS:g} seconds",
                       {"least": f"{MIN_SECONDS:g}", "most": f"{MAX_SECONDS:g}"})
    if aspect not in ASPECTS:
        raise JobError("bad_aspect", f"the aspect ratio must be one of {', '.join(ASPECTS)}",
                       {"choices": ", ".join(ASPECTS)})
    try:
        seed_int = int(str(seed).strip())
    except ValueError:
        raise JobError("bad_seed", f"the seed must be a whole number from 0 to {MAX_SEED}, not {seed!r}",
                       {"most": MAX_SEED, "value": repr(seed)}) from None
    if not 0 <= seed_int <= MAX_SEED:
        raise JobError("bad_seed", f"the seed must be a whole number from 0 to {MAX_SEED}", {"most": MAX_SEED})
    return JobRequest(prompt, names, duration, aspect, seed_int, remix_of, get_style(style).name,
                      load_ingredients(ingredients))


def _refusal_text(refusal: Refusal, handles: dict[str, str]) -> str:
    parts = [f"@{handles.get(cid, cid)}: {why}" if cid != "*" else why for cid, why in refusal.reasons.items()]
    return "; ".join(parts)


def cameo_refs(grant: Grant) -> tuple[CameoRef, ...]:
    return tuple(CameoRef(g.cameo_id, g.owner_handle, tuple(decode_png(p) for p in g.crops_png), g.voice_pitch_hz,
                          g.instructions, tuple(g.switches), tuple(decode_png(p) for p in g.references_png))
                 for g in grant.cameos)


def voice_references(grant: Grant) -> dict[str, VoiceReference]:
    """Each cameo's enrolled voice, with its consent recording's speech where the studio keeps one."""
    out = {}
    for g in grant.cameos:
        audio, rate = None, 16000
        if g.voice_reference_wav:
            import io

            import soundfile as sf

            audio, rate = sf.read(io.BytesIO(g.voice_reference_wav), dtype="float32")
        out[g.owner_handle] = VoiceReference(g.voice, audio, rate)
    return out


def _boxes_per_frame(result: FirewallResult, n_frames: int) -> list[list]:
    """Every frame gets the face boxes of the nearest sampled frame (for placing the visible mark)."""
    sampled = sorted(result.face_boxes)
    if not sampled:
        return [[] for _ in range(n_frames)]
    pos = np.searchsorted(sampled, np.arange(n_frames))
    out = []
    for i, p in enumerate(pos):
        near = min((sampled[j] for j in (p - 1, p) if 0 <= j < len(sampled)), key=lambda k: abs(k - i))
        out.append(result.face_boxes[near])
    return out


class JobRunner:
    """Runs jobs on one backend; the studio builds one at start (pipeline.studio)."""

    def __init__(self, store: Store, ledger: ConsentLedger, library: ClipLibrary, backend: GenerationBackend,
                 face_backend: FaceBackend, gallery: ProtectedGallery | None, signer: SigningIdentity,
                 synth: VoiceSynth | None = None, sizes: dict[str, tuple[int, int]] | None = None,
                 index: IdentityIndex | None = None):
        self.store, self.ledger, self.library, self.backend = store, ledger, library, backend
        # The process's identity index (pipeline.studio shares the enroller's); every active cameo's face.
        self.index = index or IdentityIndex(store, face_backend)
        self.face_backend, self.gallery, self.signer, self.synth = face_backend, gallery, signer, synth
        self.sizes = sizes or ASPECTS  # (width, height) per aspect ratio

    def cameo_ids(self, handles: tuple[str, ...]) -> dict[str, str]:
        """cameo id -> handle, for handles that have an active cameo; an unknown handle is an error."""
        out = {}
        for h in handles:
            try:
                account = self.store.account(h)
            except IdentityError:
                account = None
            cameo = self.store.active_cameo_of(account) if account else None
            if cameo is None:
                raise JobError("unknown_cameo", f"@{h} has no cameo (check the handle, or they revoked it)",
                               {"handle": h})
            out[cameo.id] = h
        return out

    def voice_sample(self, requester: Account, text: str | None = None) -> tuple[np.ndarray, int]:
        """The requester's own cameo voice saying a line: a use of the cameo like any other, under a grant."""
        ids = self.cameo_ids((requester.handle,))
        grant = self.ledger.authorize(requester, list(ids), "voice_sample")
        if isinstance(grant, Refusal):
            raise JobError("consent_refused", _refusal_text(grant, ids), {"reasons": _refusal_text(grant, ids)})
        g = grant.cameos[0]
        line = text or f"Hi, this is {requester.handle}. This is how my cameo sounds in Cameo Studio."
        synth = self.synth or EspeakSynth()
        return synth.synth(line, g.voice_pitch_hz, voice_references(grant)[g.owner_handle])

    def remix_request(self, clip_id: str, seed) -> JobRequest:
        """A new job from a published clip's prompt and cameos; the remixer's own permissions apply."""
        clip = self.library.get(clip_id)
        if clip is None or clip.status != "published":
            raise JobError("no_clip", "only published clips can be remixed")
        # The style carries over; image references do not (the studio keeps only their hashes).
        return parse_request(clip.prompt, clip.cameo_handles, clip.meta.get("duration_s", 4.0),
                             clip.meta.get("aspect", "16:9"), seed, remix_of=clip.id, style=clip.meta.get("style"))

    def run(self, requester: Account, req: JobRequest, publish: bool = False,
            on_progress: ProgressFn | None = None, guard: SaveGuard | None = None) -> JobResult:
        """`guard` runs inside the transaction that stores the clip (a worker's: not cancelled, still mine)."""
        self.library.admit_generation(requester)  # suspension and daily limit (identity.limits); counts this job
        progress = on_progress or (lambda p: None)
        self._admit(req)
        ids = self.cameo_ids(req.handles)
        grant = self.ledger.authorize(requester, list(ids), "generate")
        if isinstance(grant, Refusal):
            raise JobError("consent_refused", "you may not use these cameos: " + _refusal_text(grant, ids),
                           {"reasons": _refusal_text(grant, ids)})
        owners = [OwnerInstructions(g.owner_handle, g.instructions, tuple(g.switches)) for g in grant.cameos]
        strict = requester.is_teen or any(g.owner_is_teen for g in grant.cameos)
        # The image references' names go into the model's prompt too, so they are checked with it.
        text = " ".join([req.prompt] + [f"({i.label})" for i in req.ingredients if i.label])
        decision = check_prompt(text, [g.owner_handle for g in grant.cameos], owners, strict=strict)
        if not decision.allowed:
            raise JobError("prompt_refused", decision.reason)
        work = Path(tempfile.mkdtemp(prefix="cameo-job-"))
        try:
            return self._make(requester, req, grant, ids, strict, publish, work, progress, guard)
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def _admit(self, req: JobRequest) -> None:
        """The backend's own limits (length, shape, its model loaded, a ZeroGPU call's time), before any work."""
        limits = getattr(self.backend, "limits", None)
        problem = limits.problem(req.duration_s, req.aspect) if limits is not None else None
        if problem is not None:
            raise JobError(*problem)
        admit = getattr(self.backend, "admit", None)
        if admit is not None:
            admit(req.duration_s, req.aspect, len(req.handles) + len(req.ingredients))

    def _check_ingredients(self, req: JobRequest, ids: dict[str, str], strict: bool) -> tuple:
        """The image references as the backend takes them, each checked like a frame of the clip."""
        refs = tuple(i.to_ref() for i in req.ingredients)
        if refs:
            cameos = self.store.active_cameos()
            for position, ref in enumerate(refs, start=1):
                verdict = check_ingredient(ref.rgb, position, self.face_backend, ids, cameos, self.gallery, strict)
                if not verdict.allowed:
                    raise JobError("ingredient_refused", verdict.reason)
        return refs

    def _watch(self, requester: Account, ids: dict[str, str], progress: ProgressFn) -> ProgressFn:
        """Progress that also stops the job as soon as consent for any cameo no longer holds."""
        last = [0.0]

        def report(p: Progress) -> None:
            now = time.monotonic()
            if now - last[0] >= POLL_GRANT_EVERY_S:
                last[0] = now
                refusal = self.ledger.still_holds(requester, list(ids))
                if refusal is not None:
                    raise JobError("consent_revoked", "stopped: " + _refusal_text(refusal, ids),
                                   {"reasons": _refusal_text(refusal, ids)})
            progress(p)
        return report

    def _make(self, requester: Account, req: JobRequest, grant: Grant, ids: dict[str, str], strict: bool,
              publish: bool, work: Path, progress: ProgressFn, guard: SaveGuard | None = None) -> JobResult:
        watch = self._watch(requester, ids, progress)
        ingredients = self._check_ingredients(req, ids, strict)
        refs = cameo_refs(grant)
        scene = parse_scene(req.prompt)
        width, height = self.sizes[req.aspect]
        sound = make_soundtrack(scene, refs, req.duration_s, self.backend.fps, voices=voice_references(grant),
                                synth=self.synth, seed=req.seed, on_progress=watch)
        spoken = " ".join(line.text for line in sound.dialogue)
        if spoken:
            said = check_prompt(spoken, [r.handle for r in refs], strict=strict)
            if not said.allowed:
                raise JobError("dialogue_refused", "the dialogue was refused: " + said.reason)
        spec = RenderSpec(req.prompt, refs, req.duration_s, width, height, req.seed, dialogue=sound.dialogue,
                          mouth=sound.mouth, style=req.style, ingredients=ingredients)
        video = self.backend.render(spec, watch)

        watch(Progress("safety", 1, 4))
        moderation = moderate_frames(video.frames, video.fps, strict=strict)
        if not moderation.allowed:
            raise JobError("frames_refused", "the clip was discarded: " + moderation.reason)
        watch(Progress("safety", 2, 4))
        firewall = check_faces(video.frames, video.fps, self.face_backend, ids, self.index, self.gallery)
        if not firewall.allowed:
            raise JobError("likeness_refused", "the clip was discarded: " + firewall.reason)

        clip_id = new_clip_id()
        watch(Progress("marks", 3, 4))
        frames = apply_visible_mark(video.frames, video.fps, requester.handle,
                                    _boxes_per_frame(firewall, len(video.frames)), seed=clip_id)
        frames = embed_frames(frames, clip_id)
        raw, signed = work / "raw.mp4", work / f"{clip_id}.mp4"
        write_mp4(raw, frames, video.fps, embed_audio(sound.audio, sound.sample_rate, clip_id), sound.sample_rate)
        prompt_sha = hashlib.sha256(req.prompt.encode()).hexdigest()
        consent = tuple((g.consent.id, g.consent.sha256) for g in grant.cameos)
        manifest = sign_clip(raw, signed, self.signer, ProvenanceInfo(
            clip_id=clip_id, title=f"Cameo Studio clip {clip_id}", creator_handle=requester.handle,
            backend=video.backend, model=video.model, prompt_sha256=prompt_sha, consent_records=consent,
            studio_version=STUDIO_VERSION, style=req.style,
            ingredients=tuple((i.sha256, i.kind) for i in req.ingredients)))
        watch(Progress("save", 4, 4))
        meta = {
            "backend": video.backend, "model": video.model, "fps": video.fps, "duration_s": req.duration_s,
            "aspect": req.aspect, "width": width, "height": height, "seed": req.seed, "prompt_sha256": prompt_sha,
            "consent_records": [list(c) for c in consent], "watermark_id": clip_id,
            "identity_similarity": firewall.identity_similarity, "voice_similarity": sound.voice_similarity,
            "voice_pitch_hz": sound.pitch_hz, "synth": sound.synth, "notes": list(sound.notes),
            "nudity_max_scores": {k: round(v, 3) for k, v in moderation.max_scores.items()},
            "strict": strict, "style": req.style,
            "ingredients": [{"sha256": i.sha256, "kind": i.kind, "label": i.label} for i in req.ingredients],
        }
        saved = self.library.save(requester, list(ids), signed, clip_id=clip_id, prompt=req.prompt, meta=meta,
                                  publish=publish, remix_of=req.remix_of, guard=guard, manifest=manifest)
        if isinstance(saved, Refusal):
            raise JobError("consent_revoked", "discarded before saving: " + _refusal_text(saved, ids),
                           {"reasons": _refusal_text(saved, ids)})
        return JobResult(saved.clip, saved.path, meta)
