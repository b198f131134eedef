"""The diffusion backend: Wan2.1 VACE puts the enrolled people into a generated clip from their references.

VACE takes "reference images" as extra conditioning: each is VAE-encoded into one latent frame that is
prepended to the video latents along time, so the transformer sees them while it denoises the clip. We
give it one head-and-shoulders reference per cameo (segmented onto white at enrollment, as VACE's guide
asks; the face crop for cameos enrolled before that) and then the creator's image references
("ingredients"), and name each in the prompt by its reference image, so words and pictures agree.

One code path for every GPU host (pipeline.gpu says which one this is):
- the real weights are fetched ahead of the first request (`python -m pipeline fetch-models`, or at
  start-up), loaded in a background thread on a dedicated GPU (the UI shows "model loading") and before
  the app launches on ZeroGPU, where models must be placed at module level;
- the one GPU call, `_generate`, is a module-level generator decorated with `spaces.GPU` (a no-op off
  ZeroGPU). ZeroGPU pickles its arguments into a forked worker, so it takes one plain `GenerationCall`
  (strings, numbers, uint8 arrays): no pipeline, no callback, no CUDA generator. The pipeline is found
  in a module-level registry, the seed's generator is made inside, progress comes back as yielded
  `GpuEvent`s, and the frames as a uint8 array on the CPU;
- settings follow the official Wan2.1 VACE ones (generate.py: 50 steps, flow shift 16, 81 frames at 16
  fps; 832x480 and 480x832 only for VACE-1.3B), and durations, sizes and the ZeroGPU time budget are
  checked before any work (`admit`).

torch and diffusers are imported inside the functions that need them: the app imports this module on
machines that only run the preview backend, and `build_prompt` is pure text. Tests and the benchmark use
`build_tiny_pipeline`, the same `WanVACEPipeline` class at toy size with random weights.
"""
from __future__ import annotations

import itertools
import logging
import math
import queue
import re
import sys
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterator

import numpy as np

from identity.errors import IdentityError, ModelUnavailableError, StudioError
from pipeline import gpu
from pipeline.ingredients import describe
from pipeline.styles import get_style
from pipeline.types import ClipLimits, Progress, ProgressFn, RenderedVideo, RenderSpec

if TYPE_CHECKING:  # pragma: no cover - typing only
    import torch
    from diffusers import WanVACEPipeline

log = logging.getLogger("cameo.diffusion")

FPS = 16  # Wan2.1 was trained at 16 fps
# Wan's VAE packs 4 pixel frames into a latent frame after the first one, so a clip has 4k+1 frames.
TEMPORAL_STRIDE = 4
SPATIAL_STRIDE = 8  # VAE downsampling; the transformer patches 2x2 latents on top
SIZES_480P = {"16:9": (832, 480), "9:16": (480, 832)}  # Wan2.1 SUPPORTED_SIZES for vace-1.3B (no 1:1)
MIN_SECONDS = 2.0
MAX_FRAMES = 81  # the official frame_num: about 5 s at 16 fps; longer clips leave the training range


class DiffusionError(StudioError):
    """A request the video model cannot serve, with what to do instead."""


class ModelLoadingError(StudioError):
    """The video model is still being fetched or loaded: try again shortly (nothing was started)."""


# --- model profiles -------------------------------------------------------------------------------

@dataclass(frozen=True)
class ModelProfile:
    """One way of running VACE: which weights, how many steps, and what it needs.

    Memory figures are from the parameter counts of the official configs (tests instantiate them on
    the meta device): VACE-1.3B's transformer 2.15 B parameters (4.3 GB in bf16), VACE-14B's 17.3 B
    (34.7 GB), UMT5-XXL's encoder 5.68 B (11.4 GB), the VAE 0.13 B (0.5 GB in float32). Transient
    memory at 81 frames of 832x480 (activations, the VAE decode) is an estimate, to be replaced by the
    peak that scripts/gpu-check.sh measures.
    """

    name: str
    model_id: str
    steps: int
    guidance: float
    flow_shift: float
    dit_params: float  # transformer parameters, VACE blocks included
    dim: int  # attention width (heads x head_dim)
    attention_layers: int  # transformer blocks plus VACE blocks (each attends over all tokens)
    weights_gb: float  # every component resident on the GPU
    largest_component_gb: float  # what must fit at once under model CPU offload
    transient_gb: float  # activations and VAE decode without tiling, at 81 frames 832x480
    transient_tiled_gb: float
    lora: tuple[str, str, float] | None = None  # (repo, file, scale) fused into the transformer
    note: str = ""

    @property
    def resident_peak_gb(self) -> float:
        return self.weights_gb + self.transient_gb

    @property
    def resident_tiled_peak_gb(self) -> float:
        return self.weights_gb + self.transient_tiled_gb

    @property
    def offload_peak_gb(self) -> float:
        return self.largest_component_gb + self.transient_tiled_gb

    @property
    def cfg_passes(self) -> int:
        return 2 if self.guidance > 1.0 else 1


UMT5_GB, VAE_GB = 11.4, 0.5
PROFILES: dict[str, ModelProfile] = {p.name: p for p in (
    ModelProfile("vace-1.3b", "Wan-AI/Wan2.1-VACE-1.3B-diffusers", steps=50, guidance=5.0, flow_shift=16.0,
                 dit_params=2.154e9, dim=1536, attention_layers=30 + 15, weights_gb=4.3 + UMT5_GB + VAE_GB,
                 largest_component_gb=UMT5_GB, transient_gb=6.5, transient_tiled_gb=2.0,
                 note="Apache-2.0; the official VACE settings"),
    ModelProfile("vace-14b", "Wan-AI/Wan2.1-VACE-14B-diffusers", steps=50, guidance=5.0, flow_shift=16.0,
                 dit_params=17.34e9, dim=5120, attention_layers=40 + 8, weights_gb=34.7 + UMT5_GB + VAE_GB,
                 largest_component_gb=34.7, transient_gb=8.0, transient_tiled_gb=3.5,
                 note="Apache-2.0; the official settings: about 8 minutes per 5 s clip on one H100 (estimated)"),
    ModelProfile("vace-14b-4step", "Wan-AI/Wan2.1-VACE-14B-diffusers", steps=4, guidance=1.0, flow_shift=5.0,
                 dit_params=17.34e9, dim=5120, attention_layers=40 + 8, weights_gb=34.7 + UMT5_GB + VAE_GB,
                 largest_component_gb=34.7, transient_gb=8.0, transient_tiled_gb=3.5,
                 lora=("lightx2v/Wan2.1-Distill-Loras", "wan2.1_t2v_14b_lora_rank64_lightx2v_4step.safetensors", 1.0),
                 note="experimental: lightx2v's 4-step, guidance-free distillation LoRA for Wan2.1-T2V-14B applied "
                      "to VACE-14B's shared blocks; not validated by the VACE authors, measure it with gpu-check"),
)}
DEFAULT_PROFILE = "vace-1.3b"
# The Hub ids select their official profile, as the setting did before profiles existed.
MODEL_IDS = {p.model_id: p.name for p in PROFILES.values() if p.lora is None}
DEFAULT_MODEL = PROFILES[DEFAULT_PROFILE].model_id
LARGE_MODEL = PROFILES["vace-14b"].model_id
MODELS = tuple(MODEL_IDS)
MEMORY_MARGIN = 1.1  # CUDA context, allocator fragmentation


def get_profile(choice: str) -> ModelProfile:
    """The profile a setting names ("auto" is resolved by `choose_profile`, not here)."""
    key = MODEL_IDS.get(choice, choice)
    if key not in PROFILES:
        raise DiffusionError("bad_model", f"unknown video model {choice!r}: expected auto, "
                                          f"{', '.join(PROFILES)} or one of {', '.join(MODEL_IDS)}")
    return PROFILES[key]


def choose_profile(choice: str, host: gpu.GpuHost) -> ModelProfile:
    """`auto` is VACE-1.3B with the official settings on every host.

    Why not 14B by default: at its official 50 steps it needs an estimated 8 minutes per 5 s clip on an
    H100 (see `estimate_gpu_seconds`), far past a ZeroGPU call and an interactive demo, and it needs
    43 GB or more; the 4-step distilled variant is fast but unvalidated with VACE. Both are a setting
    away (CAMEO_DIFFUSION_MODEL=vace-14b or vace-14b-4step) and gpu-check measures them.
    """
    return PROFILES[DEFAULT_PROFILE] if choice in ("", "auto") else get_profile(choice)


# --- placement: what fits on this GPU --------------------------------------------------------------

@dataclass(frozen=True)
class Placement:
    cpu_offload: bool
    vae_tiling: bool
    reason: str


def choose_placement(profile: ModelProfile, host: gpu.GpuHost, cpu_offload: bool | None = None,
                     vae_tiling: bool | None = None) -> Placement:
    """Offload and tiling from the GPU's memory, unless a setting forces them (None: decide here).

    Resident when the whole model and the untiled decode fit with a margin; resident with a tiled VAE
    decode when only that fits (VACE-1.3B on 24 GB cards: A10G, L4); model CPU offload and tiling below
    that (16 GB cards), so that only the largest component (UMT5-XXL, 11.4 GB) must fit at once.
    ZeroGPU never offloads: its weights are moved in by the spaces package for each call.
    """
    mem = host.memory_gb
    if host.zerogpu:
        auto = Placement(False, mem is not None and profile.resident_peak_gb * MEMORY_MARGIN > mem,
                         f"ZeroGPU ({host.name}): weights resident, moved in for each call")
        if mem is not None and profile.resident_tiled_peak_gb * MEMORY_MARGIN > mem:
            raise DiffusionError("model_too_large", f"{profile.name} needs about {profile.resident_tiled_peak_gb:.0f} GB "
                                 f"on the GPU and a ZeroGPU call has {mem:.0f} GB; use vace-1.3b")
    elif mem is None:
        auto = Placement(False, False, "no CUDA GPU: the model runs where it is (tests, CPU)")
    elif mem >= profile.resident_peak_gb * MEMORY_MARGIN:
        auto = Placement(False, False, f"{mem:.0f} GB: everything resident")
    elif mem >= profile.resident_tiled_peak_gb * MEMORY_MARGIN:
        auto = Placement(False, True, f"{mem:.0f} GB: resident, VAE decoded in tiles")
    elif mem >= profile.offload_peak_gb * MEMORY_MARGIN:
        auto = Placement(True, True, f"{mem:.0f} GB: model CPU offload and tiled VAE decode")
    else:
        raise DiffusionError("model_too_large", f"{profile.name} needs a GPU with at least "
                             f"{profile.offload_peak_gb * MEMORY_MARGIN:.0f} GB (this one has {mem:.0f} GB); "
                             "use vace-1.3b or the preview backend")
    return Placement(auto.cpu_offload if cpu_offload is None else cpu_offload,
                     auto.vae_tiling if vae_tiling is None else vae_tiling,
                     auto.reason + ("" if cpu_offload is None and vae_tiling is None else " (overridden by a setting)"))


# --- frames, tokens and time -----------------------------------------------------------------------

def frame_count(duration_s: float, fps: int = FPS) -> int:
    """Frames for a clip of duration_s: the nearest 4k+1, as Wan's VAE needs (2 s at 16 fps -> 33)."""
    k = max(0, round(duration_s * fps / TEMPORAL_STRIDE))
    return k * TEMPORAL_STRIDE + 1


def latent_frame_count(num_frames: int, num_references: int) -> int:
    """Latent frames of a VACE generation: the video's, plus one per reference image (prepended)."""
    return (num_frames - 1) // TEMPORAL_STRIDE + 1 + num_references


def strip_reference_latents(latents: "torch.Tensor", num_references: int) -> "torch.Tensor":
    """The video part of (B, C, T, H, W) VACE latents.

    WanVACEPipeline prepends one latent frame per reference image along time (prepare_video_latents)
    and drops them itself before decoding; with output_type="latent" they are still there.
    """
    return latents[:, :, num_references:]


def tokens(num_frames: int, num_references: int, width: int, height: int) -> int:
    """Transformer tokens of one forward pass: latent frames times 2x2 patches of the latent grid."""
    per_frame = (height // SPATIAL_STRIDE // 2) * (width // SPATIAL_STRIDE // 2)
    return latent_frame_count(num_frames, num_references) * per_frame


def step_flops(profile: ModelProfile, n_tokens: int, text_tokens: int = 512) -> float:
    """FLOPs of one denoising step: the linear layers (2 per parameter per token), self-attention
    (4 * tokens^2 * width per attention block) and cross-attention to the prompt, times the guidance passes."""
    linear = 2.0 * profile.dit_params * n_tokens
    attention = 4.0 * n_tokens * n_tokens * profile.dim * profile.attention_layers
    cross = 4.0 * n_tokens * text_tokens * profile.dim * profile.attention_layers
    return (linear + attention + cross) * profile.cfg_passes


FIXED_S = 15.0  # weights into the call, UMT5 prompt encoding, reference encoding (ZeroGPU packs weights)
DECODE_S_81F_480P = 8.0  # VAE decode of 81 frames at 832x480 on an H100-class GPU (estimate)
TIME_MARGIN = 1.25  # asked on top of the estimate: too little aborts the call


def estimate_gpu_seconds(profile: ModelProfile, num_frames: int, num_references: int, width: int, height: int,
                         steps: int | None = None, host: gpu.GpuHost | None = None) -> float:
    """Seconds of GPU time for one generation, from FLOPs and the GPU's sustained bf16 throughput.

    A model, not a measurement: scripts/gpu-check.sh prints the measured seconds per step next to this
    estimate so the throughput table (pipeline.gpu.SUSTAINED_TFLOPS) can be corrected from data.
    """
    host = host or gpu.GpuHost.cpu()
    n = tokens(num_frames, num_references, width, height)
    compute = (steps or profile.steps) * step_flops(profile, n) / (host.tflops * 1e12)
    h100_tflops = gpu.SUSTAINED_TFLOPS["H100"]
    decode = DECODE_S_81F_480P * (num_frames / 81) * (width * height / (832 * 480)) * h100_tflops / host.tflops
    return FIXED_S + compute + decode


def gpu_seconds(estimate_s: float, cap_s: int) -> int:
    """What to ask ZeroGPU for: the estimate with a margin, never above the per-call cap."""
    return int(min(cap_s, math.ceil(estimate_s * TIME_MARGIN)))


def clip_limits(profile: ModelProfile) -> ClipLimits:
    return ClipLimits(MIN_SECONDS, (MAX_FRAMES - 1) / FPS, dict(SIZES_480P),
                      why=f"Wan2.1 VACE makes 480p clips of up to {MAX_FRAMES} frames at {FPS} fps")


# --- references and prompts -----------------------------------------------------------------------

def reference_images(spec: RenderSpec) -> tuple[np.ndarray, ...]:
    """The reference images in prompt order: one per cameo (head and shoulders on white when enrollment
    made one, else the face crop), then each ingredient. RGB uint8 arrays, to pickle into the GPU call."""
    images = []
    for cameo in spec.cameos:
        pool = cameo.references_rgb or cameo.crops_rgb
        if not pool:
            raise IdentityError("cameo_without_crops", f"@{cameo.handle} has no face crops; enroll again")
        images.append(_rgb(pool[0], f"@{cameo.handle}'s reference"))
    images.extend(_rgb(i.rgb, f"image reference {k}") for k, i in enumerate(spec.ingredients, start=1))
    return tuple(images)


def _rgb(image: np.ndarray, what: str) -> np.ndarray:
    arr = np.asarray(image)
    if arr.dtype != np.uint8 or arr.ndim != 3 or arr.shape[2] != 3:
        raise ValueError(f"{what} must be RGB uint8 (H, W, 3), got {arr.dtype} {arr.shape}")
    return np.ascontiguousarray(arr)


def _reference_name(position: int, handle: str) -> str:
    return f"the person in reference image {position} (@{handle})"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?" else text + "."


# What an owner's switch (identity.consent.SWITCHES) keeps out of the clip, as negative-prompt terms.
SWITCH_NEGATIVES: dict[str, str] = {
    "no_violence": "violence, fighting, weapons, guns, knives, blood, injury, gore",
    "no_political": "political rally, protest, campaign signs, flags, politicians, election posters, political slogans",
    "keep_clothes": "different clothes, changed outfit, costume",
}
KNOWN_SWITCHES = frozenset(SWITCH_NEGATIVES)
# Wan's usual negative prompt, shortened to the terms that matter for people in short clips.
DEFAULT_NEGATIVE = (
    "bright tones, overexposed, static, blurred details, subtitles, worst quality, low quality, "
    "JPEG compression residue, ugly, incomplete, extra fingers, poorly drawn hands, poorly drawn faces, "
    "deformed, disfigured, misshapen limbs, fused fingers, still picture, messy background, "
    "many people in the background, walking backwards"
)


def build_prompt(spec: RenderSpec) -> tuple[str, str]:
    """(prompt, negative prompt) in which every cameo and ingredient is named by its reference image.

    The model gets the references numbered (cameos in spec.cameos order, then ingredients) and the text
    as words; naming "@alice" as "the person in reference image 1 (@alice)" everywhere ties the two
    together. Owners' switches become negative-prompt terms (and for keep_clothes a positive phrase),
    their free-text instructions a constraint sentence at the end; the style adds its sentence and its
    negative terms.
    """
    style = get_style(spec.style)
    prompt = spec.prompt.strip()
    unmentioned: list[str] = []
    constraints: list[str] = []
    switches: list[str] = []
    for position, cameo in enumerate(spec.cameos, start=1):
        name = _reference_name(position, cameo.handle)
        mention = re.compile(rf"(?<![\w@])@{re.escape(cameo.handle)}(?!\w)", re.IGNORECASE)
        prompt, n = mention.subn(lambda _m, name=name: name, prompt)
        if n == 0:
            unmentioned.append(name)
        unknown = [s for s in cameo.switches if s not in KNOWN_SWITCHES]
        if unknown:
            raise IdentityError(
                "bad_switch", f"@{cameo.handle} has switches this backend cannot honour: {unknown}; "
                f"known: {', '.join(sorted(KNOWN_SWITCHES))}")
        if "keep_clothes" in cameo.switches:
            constraints.append(f"{name[0].upper()}{name[1:]} is wearing the same clothes as in reference image {position}.")
        if cameo.instructions.strip():
            constraints.append(f"Constraint for {name}: {_sentence(cameo.instructions)}")
        switches.extend(s for s in cameo.switches if s not in switches)
    parts = [_sentence(prompt)]
    if unmentioned:
        parts.append(_sentence("Featuring " + " and ".join(unmentioned)))
    for k, ingredient in enumerate(spec.ingredients, start=len(spec.cameos) + 1):
        parts.append(_sentence(f"{describe(ingredient)[0].upper()}{describe(ingredient)[1:]} is exactly the "
                               f"{ingredient.kind} shown in reference image {k}"))
    parts.append(style.prompt)
    parts.extend(constraints)
    negatives = ([spec.negative_prompt.strip(), style.negative] + [SWITCH_NEGATIVES[s] for s in switches]
                 + [DEFAULT_NEGATIVE])
    return " ".join(p for p in parts if p), ", ".join(n for n in negatives if n)


# --- the one GPU call -----------------------------------------------------------------------------

@dataclass(frozen=True)
class GenerationCall:
    """Everything `_generate` needs, as plain data: it is pickled into ZeroGPU's worker process."""

    pipeline_key: str
    prompt: str
    negative_prompt: str
    reference_images: tuple[np.ndarray, ...]
    width: int
    height: int
    num_frames: int
    num_inference_steps: int
    guidance_scale: float
    seed: int
    output_type: str  # "np": uint8 frames back; "latent": the latents (tests)
    gpu_seconds: int  # what ZeroGPU is asked for (computed outside the call)


@dataclass(frozen=True)
class GpuEvent:
    """What the GPU call yields: a finished step, the result, or an error a person can act on."""

    kind: str  # "step", "result" or "error"
    step: int = 0
    total: int = 0
    result: Any = None  # uint8 (T, H, W, 3) frames, or CPU latents
    code: str = ""
    message: str = ""


# The loaded pipelines, by key. On ZeroGPU they are put here (and on "cuda") before the app launches,
# so the forked worker finds them; a call carries only the key.
_PIPELINES: dict[str, Any] = {}
_keys = itertools.count()


def register_pipeline(pipe: Any, key: str | None = None) -> str:
    key = key or f"pipeline-{next(_keys)}"
    _PIPELINES[key] = pipe
    return key


class _Stopped(Exception):
    """Raised inside the pipeline's step callback when the consumer has gone (revoked, closed)."""


def _call_seconds(call: GenerationCall) -> int:
    return call.gpu_seconds


@gpu.zerogpu(duration=_call_seconds)
def _generate(call: GenerationCall) -> Iterator[GpuEvent]:
    """Run one generation, yielding a "step" event per denoising step, then the result.

    The pipeline runs in a thread so steps can be yielded while it works; when the consumer stops
    iterating (the job was revoked, or the request went away) the next step callback raises and the
    pipeline stops, before the VAE decode. Errors come back as events: ZeroGPU would reduce an exception
    to its class name.
    """
    import torch
    from PIL import Image

    pipe = _PIPELINES.get(call.pipeline_key)
    if pipe is None:
        yield GpuEvent("error", code="model_not_loaded", message="the video model is not loaded in this process")
        return
    events: queue.Queue = queue.Queue()
    stop = threading.Event()

    def step_done(pipeline: Any, step: int, timestep: Any, tensors: dict) -> dict:
        if stop.is_set():
            raise _Stopped()
        events.put(GpuEvent("step", step + 1, pipeline.num_timesteps))
        return {}

    def work() -> None:
        try:
            generator = torch.Generator(device="cpu").manual_seed(call.seed)  # same noise on every device
            images = [Image.fromarray(a) for a in call.reference_images] or None
            out = pipe(prompt=call.prompt, negative_prompt=call.negative_prompt, reference_images=images,
                       height=call.height, width=call.width, num_frames=call.num_frames,
                       num_inference_steps=call.num_inference_steps, guidance_scale=call.guidance_scale,
                       generator=generator, output_type=call.output_type, callback_on_step_end=step_done,
                       callback_on_step_end_tensor_inputs=[])
            if call.output_type == "latent":
                result = out.frames.detach().to("cpu", torch.float32)  # a CUDA tensor would not cross over
            else:
                frames = np.asarray(out.frames[0], dtype=np.float32)  # (T, H, W, 3) in [0, 1]
                result = (np.clip(frames, 0.0, 1.0) * 255.0).round().astype(np.uint8)
            events.put(GpuEvent("result", result=result))
        except _Stopped:
            events.put(GpuEvent("error", code="stopped", message="the generation was stopped"))
        except torch.cuda.OutOfMemoryError as exc:
            events.put(GpuEvent("error", code="gpu_out_of_memory", message=(
                f"the GPU ran out of memory ({exc}); try a shorter clip, fewer references, or set "
                "CAMEO_DIFFUSION_CPU_OFFLOAD=true and CAMEO_DIFFUSION_VAE_TILING=true")))
        except Exception as exc:  # noqa: BLE001 - reported to the job as an event, with its class
            log.exception("the generation failed")
            events.put(GpuEvent("error", code="generation_failed", message=f"the video model failed ({type(exc).__name__}: {exc})"))
        finally:
            events.put(None)

    thread = threading.Thread(target=work, name="cameo-generate", daemon=True)
    thread.start()
    try:
        while (event := events.get()) is not None:
            yield event
    finally:
        stop.set()
        thread.join()


# --- loading --------------------------------------------------------------------------------------

def _use_plain_prompt_cleaning(pipe: Any) -> None:
    """Let the Wan pipeline clean prompts without ftfy when ftfy is not installed.

    diffusers' Wan pipelines call `ftfy.fix_text` on every prompt but import ftfy only if it is
    installed, so without it every call fails with NameError. ftfy only repairs mojibake; the rest of
    the cleaning (HTML unescape, whitespace) still runs. Installing ftfy makes this a no-op.
    """
    module = sys.modules.get(type(pipe).__module__)
    if module is not None and "basic_clean" in vars(module) and not hasattr(module, "ftfy"):
        module.ftfy = _PlainText


class _PlainText:
    @staticmethod
    def fix_text(text: str) -> str:
        return text


def load_pipeline(profile: ModelProfile | str = DEFAULT_PROFILE, placement: Placement | None = None, *,
                  device: str | None = None) -> "WanVACEPipeline":
    """The real pipeline from the Hub cache (downloading only when online), placed for inference.

    Transformer and text encoder in bfloat16, the VAE in float32 as the diffusers docs for Wan advise;
    the scheduler is the checkpoint's UniPC with the profile's flow shift (16 for VACE, from Wan2.1's
    generate.py); a profile's LoRA is loaded and fused.
    """
    import torch
    from diffusers import AutoencoderKLWan, UniPCMultistepScheduler, WanVACEPipeline

    profile = get_profile(profile) if isinstance(profile, str) else profile
    placement = placement or Placement(False, False, "as asked")
    offline, cache_dir = gpu.hub_offline(), gpu.hub_cache_dir()
    try:
        vae = AutoencoderKLWan.from_pretrained(profile.model_id, subfolder="vae", torch_dtype=torch.float32,
                                               cache_dir=cache_dir, local_files_only=offline)
        pipe = WanVACEPipeline.from_pretrained(profile.model_id, vae=vae, torch_dtype=torch.bfloat16,
                                               cache_dir=cache_dir, local_files_only=offline)
        if profile.lora is not None:
            repo, weight_name, scale = profile.lora
            pipe.load_lora_weights(repo, weight_name=weight_name, adapter_name="distill", cache_dir=cache_dir,
                                   local_files_only=offline)
            pipe.set_adapters(["distill"], [scale])
            pipe.fuse_lora(lora_scale=scale)
    except OSError as exc:  # not cached and offline, no network, unknown or gated repo: all OSError
        raise gpu.missing_model_error(profile.model_id, exc, "diffusion_model_missing") from exc
    pipe.scheduler = UniPCMultistepScheduler.from_config(pipe.scheduler.config, flow_shift=profile.flow_shift)
    if placement.vae_tiling:
        pipe.vae.enable_tiling()
    if placement.cpu_offload:
        pipe.enable_model_cpu_offload()
    else:
        # On ZeroGPU "cuda" is where models must be put at start-up (an emulation outside spaces.GPU calls).
        pipe.to(device or ("cuda" if gpu.on_zerogpu() or gpu.cuda_available() else "cpu"))
    return pipe


@dataclass
class LoadState:
    """Where the model is: "idle", "fetching", "loading", "ready" or "failed", with words for people."""

    stage: str = "idle"
    detail: str = ""
    error: StudioError | None = None
    done: threading.Event = field(default_factory=threading.Event)


class ModelLoader:
    """Fetches and loads the pipeline once, in the background or right now, and says how far it is."""

    def __init__(self, profile: ModelProfile, placement: Placement, device: str | None = None):
        self.profile, self.placement, self.device = profile, placement, device
        self.state = LoadState()
        self.key: str | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        """Begin fetching and loading in a daemon thread (a dedicated GPU: the app serves meanwhile)."""
        with self._lock:
            if self.state.stage != "idle":
                return
            self.state.stage = "fetching"
        threading.Thread(target=self._run, name="cameo-model-loader", daemon=True).start()

    def load_now(self) -> str:
        """Fetch and load in this thread (ZeroGPU, before launch; the fetch-models command); the key."""
        with self._lock:
            started = self.state.stage != "idle"
            if not started:
                self.state.stage = "fetching"
        if started:
            self.state.done.wait()
        else:
            self._run()
        if self.state.error is not None:
            raise self.state.error
        assert self.key is not None
        return self.key

    def _run(self) -> None:
        try:
            gpu.fetch_model(self.profile.model_id, progress=self._fetch_progress)
            if self.profile.lora is not None:
                gpu.fetch_model(self.profile.lora[0], files=(self.profile.lora[1],), progress=self._fetch_progress)
            self.state.stage, self.state.detail = "loading", f"loading {self.profile.model_id} ({self.placement.reason})"
            log.info(self.state.detail)
            pipe = load_pipeline(self.profile, self.placement, device=self.device)
            DiffusionBackend._prepare(pipe)
            self.key = register_pipeline(pipe)
            self.state.stage, self.state.detail = "ready", f"{self.profile.model_id} ready ({self.placement.reason})"
            log.info(self.state.detail)
        except StudioError as exc:
            self.state.stage, self.state.error, self.state.detail = "failed", exc, exc.message
            log.error("the video model could not be loaded: %s", exc.message)
        except Exception as exc:  # noqa: BLE001 - any failure becomes a readable state, logged with its trace
            log.exception("the video model could not be loaded")
            self.state.stage = "failed"
            self.state.error = ModelUnavailableError("diffusion_load_failed",
                                                     f"the video model could not be loaded ({type(exc).__name__}: {exc})")
            self.state.detail = self.state.error.message
        finally:
            self.state.done.set()

    def _fetch_progress(self, done_bytes: int, total_bytes: int) -> None:
        self.state.detail = (f"fetching {self.profile.model_id}: {done_bytes / 1e9:.1f} of "
                             f"{total_bytes / 1e9:.1f} GB" if total_bytes else f"fetching {self.profile.model_id}")


# --- the backend ---------------------------------------------------------------------------------

class DiffusionBackend:
    """The GPU generator: WanVACEPipeline with the cameos' and the ingredients' references.

    Pass `pipe` to use an already-built pipeline (tests pass `build_tiny_pipeline()`); otherwise the
    profile's model is fetched and loaded by `warm_up` (at start-up) or on the first render. The
    dialogue mouth track of a spec is not used: the model has no lip-sync input.
    """

    name = "diffusion"
    fps = float(FPS)

    def __init__(self, pipe: "WanVACEPipeline | None" = None, model_id: str = "auto", *,
                 num_inference_steps: int | None = None, guidance_scale: float | None = None,
                 cpu_offload: bool | None = None, vae_tiling: bool | None = None, device: str | None = None,
                 host: gpu.GpuHost | None = None, zerogpu_max_s: int = gpu.ZEROGPU_MAX_S):
        self.host = host or gpu.detect_host()
        known = model_id in ("", "auto") or model_id in MODEL_IDS or model_id in PROFILES
        # With a pipeline passed in, an unknown model id is only its label (tests name tiny pipelines) and the
        # official 1.3B settings apply; without one, it must name a profile.
        self.profile = choose_profile(model_id, self.host) if known or pipe is None else None
        self.model = self.profile.model_id if self.profile else model_id
        profile = self.profile or PROFILES[DEFAULT_PROFILE]
        self.num_inference_steps = num_inference_steps or profile.steps
        if self.num_inference_steps < 1:
            raise ValueError(f"num_inference_steps must be at least 1, got {self.num_inference_steps}")
        self.guidance_scale = profile.guidance if guidance_scale is None else guidance_scale
        self.zerogpu_max_s = zerogpu_max_s
        self.limits = clip_limits(profile)
        self._profile_for_cost = profile
        if pipe is not None:
            if device is not None:
                pipe.to(device)
            self._prepare(pipe)
            self.loader = None
            self._key: str | None = register_pipeline(pipe)
            self.placement = Placement(False, False, "a pipeline passed in")
        else:
            self.placement = choose_placement(profile, self.host, cpu_offload, vae_tiling)
            self.loader = ModelLoader(profile, self.placement, device)
            self._key = None

    @staticmethod
    def _prepare(pipe: Any) -> None:
        pipe.set_progress_bar_config(disable=True)  # progress goes through on_progress, not tqdm
        _use_plain_prompt_cleaning(pipe)

    # readiness -----------------------------------------------------------------------------------
    def warm_up(self, background: bool = True) -> None:
        """Fetch and load the model now: in the background on a dedicated GPU, at once on ZeroGPU."""
        if self.loader is None:
            return
        if background and not self.host.zerogpu:
            self.loader.start()
        else:
            self._key = self.loader.load_now()

    def status(self) -> str:
        """A line for the UI: ready, or how far fetching and loading are."""
        if self.loader is None or self._key is not None:
            return f"ready ({self.model})"
        state = self.loader.state
        return {"idle": f"{self.model} loads on the first clip", "ready": state.detail}.get(
            state.stage, f"model loading: {state.detail}" if state.stage != "failed" else f"failed: {state.detail}")

    def _pipeline_key(self) -> str:
        if self._key is not None:
            return self._key
        assert self.loader is not None
        state = self.loader.state
        if state.stage == "idle":  # nobody warmed up: load now (the first clip waits, as before)
            self._key = self.loader.load_now()
            return self._key
        if state.stage == "failed" and state.error is not None:
            raise state.error
        if state.stage != "ready":
            raise ModelLoadingError("model_loading", f"The video model is still loading ({state.detail}). "
                                                     "Nothing was started; try again in a minute.",
                                        {"detail": state.detail})
        self._key = self.loader.key
        assert self._key is not None
        return self._key

    # admission ------------------------------------------------------------------------------------
    def estimate_seconds(self, duration_s: float, aspect: str, num_references: int) -> float:
        width, height = self.limits.sizes.get(aspect, SIZES_480P["16:9"])
        return estimate_gpu_seconds(self._profile_for_cost, frame_count(duration_s), num_references, width, height,
                                    self.num_inference_steps, self.host)

    def admit(self, duration_s: float, aspect: str, num_references: int) -> None:
        """Refuse, before any work, what this backend cannot make: the limits, the model's state, and on
        ZeroGPU a generation that would not finish within one call."""
        problem = self.limits.problem(duration_s, aspect)
        if problem is not None:
            raise DiffusionError(*problem)
        if self.loader is not None and self._key is None:
            state = self.loader.state
            if state.stage == "failed" and state.error is not None:
                raise state.error
            if state.stage in ("fetching", "loading"):
                raise ModelLoadingError("model_loading", f"The video model is still loading ({state.detail}). "
                                                         "Nothing was started; try again in a minute.",
                                        {"detail": state.detail})
        if self.host.zerogpu:
            asked = self.estimate_seconds(duration_s, aspect, num_references) * TIME_MARGIN
            if asked > self.zerogpu_max_s:
                longest = max((s for s in np.arange(self.limits.max_seconds, MIN_SECONDS - 0.01, -0.5)
                               if self.estimate_seconds(float(s), aspect, num_references) * TIME_MARGIN
                               <= self.zerogpu_max_s), default=None)
                hint = (f"with {num_references} reference images the longest clip is {longest:g} s" if longest
                        else "use fewer image references")
                raise DiffusionError("too_long_for_gpu_call", (
                    f"this clip needs about {asked:.0f} s of GPU time and a ZeroGPU call is limited to "
                    f"{self.zerogpu_max_s} s; {hint}"))

    # rendering ------------------------------------------------------------------------------------
    def render(self, spec: RenderSpec, on_progress: ProgressFn) -> RenderedVideo:
        """The clip as uint8 RGB frames (T, H, W, 3) at 16 fps, T the 4k+1 nearest spec.duration_s."""
        frames = self._run(spec, on_progress, output_type="np")
        return RenderedVideo(frames=frames, fps=self.fps, backend=self.name, model=self.model)

    def render_latents(self, spec: RenderSpec, on_progress: ProgressFn | None = None) -> "torch.Tensor":
        """The denoised latents (1, C, T_refs + T_video, h, w) before decoding, reference frames first.

        For tests: a tiny random decoder nearly erases differences that the latents still show.
        `strip_reference_latents(latents, n_references)` keeps the video part.
        """
        return self._run(spec, on_progress or (lambda _p: None), output_type="latent")

    def generation_call(self, spec: RenderSpec, output_type: str = "np") -> GenerationCall:
        """The pipeline's arguments for spec, as the picklable record the GPU call takes."""
        prompt, negative = build_prompt(spec)
        images = reference_images(spec)
        num_frames = frame_count(spec.duration_s)
        estimate = estimate_gpu_seconds(self._profile_for_cost, num_frames, len(images), spec.width, spec.height,
                                        self.num_inference_steps, self.host)
        return GenerationCall(
            pipeline_key=self._pipeline_key(), prompt=prompt, negative_prompt=negative, reference_images=images,
            width=spec.width, height=spec.height, num_frames=num_frames,
            num_inference_steps=self.num_inference_steps, guidance_scale=self.guidance_scale, seed=spec.seed,
            output_type=output_type, gpu_seconds=gpu_seconds(estimate, self.zerogpu_max_s))

    def _run(self, spec: RenderSpec, on_progress: ProgressFn, output_type: str) -> Any:
        call = self.generation_call(spec, output_type)
        events = _generate(call)
        try:
            for event in events:
                if event.kind == "step":
                    on_progress(Progress("render", event.step, event.total))  # may raise: a revoke stops the job
                elif event.kind == "result":
                    return event.result
                elif event.code == "gpu_out_of_memory":
                    raise DiffusionError(event.code, event.message)
                else:
                    raise ModelUnavailableError(event.code, event.message)
        finally:
            events.close()
        raise DiffusionError("no_result", "the GPU call ended without a result; try again")


# --- a tiny real pipeline for tests and benchmarks ----------------------------------------------

def _tiny_tokenizer() -> Any:
    """A character-level WordLevel tokenizer with T5's special tokens: different prompts, different ids."""
    import string

    from tokenizers import Regex, Tokenizer, models, normalizers, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    specials = ["<pad>", "</s>", "<unk>"]
    vocab = {token: i for i, token in enumerate(specials + [c for c in string.printable if not c.isspace()])}
    tok = Tokenizer(models.WordLevel(vocab=vocab, unk_token="<unk>"))
    tok.normalizer = normalizers.Lowercase()
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [pre_tokenizers.WhitespaceSplit(), pre_tokenizers.Split(Regex("."), behavior="isolated")])
    # T5 ends every sequence with </s>; encode_prompt asks for add_special_tokens=True.
    tok.post_processor = processors.TemplateProcessing(single="$A </s>", special_tokens=[("</s>", vocab["</s>"])])
    return PreTrainedTokenizerFast(tokenizer_object=tok, pad_token="<pad>", eos_token="</s>", unk_token="<unk>")


def build_tiny_pipeline(seed: int = 0) -> "WanVACEPipeline":
    """The real WanVACEPipeline at toy size with random weights, built from configs: no download.

    Sizes follow diffusers' own WanVACE tests (VAE base_dim 3, a 3-layer transformer with VACE blocks at
    layers 0 and 2) with a 2-layer UMT5 encoder; a 9-frame 32x32 render with 2 steps takes a fraction of
    a second on one CPU core. The scheduler is the one the real checkpoints ship (UniPC, flow prediction)
    with VACE's flow shift.
    """
    import torch
    from diffusers import AutoencoderKLWan, UniPCMultistepScheduler, WanVACEPipeline, WanVACETransformer3DModel
    from transformers import UMT5Config, UMT5EncoderModel

    tokenizer = _tiny_tokenizer()
    z_dim, text_dim = 16, 32
    torch.manual_seed(seed)
    text_encoder = UMT5EncoderModel(UMT5Config(
        vocab_size=len(tokenizer), d_model=text_dim, d_kv=8, d_ff=64, num_layers=2, num_heads=4,
        relative_attention_num_buckets=8, dropout_rate=0.0, pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id)).eval()
    torch.manual_seed(seed)
    vae = AutoencoderKLWan(base_dim=3, z_dim=z_dim, dim_mult=[1, 1, 1, 1], num_res_blocks=1,
                           temperal_downsample=[False, True, True]).eval()
    torch.manual_seed(seed)
    spatial = 2 ** 3  # one spatial halving per temperal_downsample entry
    transformer = WanVACETransformer3DModel(
        patch_size=(1, 2, 2), num_attention_heads=2, attention_head_dim=12, in_channels=z_dim, out_channels=z_dim,
        text_dim=text_dim, freq_dim=256, ffn_dim=32, num_layers=3, cross_attn_norm=True,
        qk_norm="rms_norm_across_heads", rope_max_seq_len=1024, vace_layers=[0, 2],  # 1024 as the real model: any 480p size
        # control input: inactive + reactive video latents, plus the mask folded from 8x8 pixels per latent
        vace_in_channels=2 * z_dim + spatial * spatial).eval()
    scheduler = UniPCMultistepScheduler(prediction_type="flow_prediction", use_flow_sigmas=True,
                                        flow_shift=PROFILES[DEFAULT_PROFILE].flow_shift, num_train_timesteps=1000)
    return WanVACEPipeline(tokenizer=tokenizer, text_encoder=text_encoder, vae=vae, transformer=transformer,
                           scheduler=scheduler)
