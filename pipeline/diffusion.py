"""The diffusion backend: Wan2.1 VACE puts the enrolled people into a generated clip from their face crops.

VACE takes "reference images" as extra conditioning: each is VAE-encoded into one latent frame that is
prepended to the video latents along time, so the transformer sees the faces while it denoises the clip.
We give it one face crop per cameo and name each cameo in the prompt by its reference image, so the
text and the pictures point at the same person.

torch and diffusers are imported inside the functions that need them: the app imports this module
on machines that only run the preview backend, and `build_prompt` is pure text.

The real weights are loaded lazily, on the first render, and never downloaded while offline: a missing
model is a `ModelUnavailableError` that names the model and how to fix it. Tests and the benchmark use
`build_tiny_pipeline`, the same `WanVACEPipeline` class at toy size with random weights.
"""
from __future__ import annotations

import math
import os
import re
import sys
import threading
from typing import TYPE_CHECKING, Any, Callable, Iterable

import numpy as np

from identity.errors import IdentityError, ModelUnavailableError
from pipeline.types import CameoRef, Progress, ProgressFn, RenderedVideo, RenderSpec

if TYPE_CHECKING:  # pragma: no cover - typing only
    import torch
    from diffusers import WanVACEPipeline
    from PIL import Image

DEFAULT_MODEL = "Wan-AI/Wan2.1-VACE-1.3B-diffusers"  # Apache-2.0
LARGE_MODEL = "Wan-AI/Wan2.1-VACE-14B-diffusers"  # Apache-2.0, needs ~40 GB of GPU memory without offload
MODELS = (DEFAULT_MODEL, LARGE_MODEL)

FPS = 16  # Wan2.1 was trained at 16 fps
# Wan's VAE packs 4 pixel frames into a latent frame after the first one, so a clip has 4k+1 frames.
TEMPORAL_STRIDE = 4
# The diffusers docs for Wan: flow_shift 3.0 for 480p (5.0 for 720p); our ASPECTS are all 480p.
FLOW_SHIFT_480P = 3.0

# Wan's usual negative prompt, shortened to the terms that matter for people in short clips.
DEFAULT_NEGATIVE = (
    "bright tones, overexposed, static, blurred details, subtitles, worst quality, low quality, "
    "JPEG compression residue, ugly, incomplete, extra fingers, poorly drawn hands, poorly drawn faces, "
    "deformed, disfigured, misshapen limbs, fused fingers, still picture, messy background, "
    "many people in the background, walking backwards"
)
# What an owner's switch (identity.consent.SWITCHES) keeps out of the clip, as negative-prompt terms.
SWITCH_NEGATIVES: dict[str, str] = {
    "no_violence": "violence, fighting, weapons, guns, knives, blood, injury, gore",
    "no_political": "political rally, protest, campaign signs, flags, politicians, election posters, political slogans",
    "keep_clothes": "different clothes, changed outfit, costume",
}
KNOWN_SWITCHES = frozenset(SWITCH_NEGATIVES)

# ZeroGPU time asked per call: fixed cost (moving weights, VAE, text encoder) plus a cost per frame per
# denoising step (classifier-free guidance included). Estimates for the 1.3B model at 480p on one
# H100/H200-class GPU, not measured here; the cap is what a Space may ask for one call.
ZEROGPU_BASE_S = 30.0
ZEROGPU_PER_FRAME_STEP_S = {DEFAULT_MODEL: 0.02, LARGE_MODEL: 0.15}
ZEROGPU_MAX_S = 300


# --- frames and latents --------------------------------------------------------------------------

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


def reference_images(cameos: Iterable[CameoRef]) -> "list[Image.Image] | None":
    """One PIL image per cameo, from its first aligned face crop; None when there are no cameos.

    WanVACEPipeline fits and pads each reference onto a canvas of the output size itself, so the
    256x256 crops go in as they are. None rather than [] because the pipeline cannot take an empty list.
    """
    from PIL import Image

    images = []
    for cameo in cameos:
        if not cameo.crops_rgb:
            raise IdentityError("cameo_without_crops", f"@{cameo.handle} has no face crops; enroll again")
        crop = np.asarray(cameo.crops_rgb[0])
        if crop.dtype != np.uint8 or crop.ndim != 3 or crop.shape[2] != 3:
            raise ValueError(f"@{cameo.handle}'s crop must be RGB uint8 (H, W, 3), got {crop.dtype} {crop.shape}")
        images.append(Image.fromarray(np.ascontiguousarray(crop)))
    return images or None


# --- prompts ---------------------------------------------------------------------------------------

def _reference_name(position: int, handle: str) -> str:
    return f"the person in reference image {position} (@{handle})"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?" else text + "."


def build_prompt(spec: RenderSpec) -> tuple[str, str]:
    """(prompt, negative prompt) in which every cameo is named by its reference image.

    The model gets the faces as numbered references (in spec.cameos order) and the text as words; naming
    "@alice" as "the person in reference image 1 (@alice)" everywhere ties the two together. Owners'
    switches become negative-prompt terms (and for keep_clothes a positive phrase), their free-text
    instructions a constraint sentence at the end.
    """
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
    parts.extend(constraints)
    negatives = [spec.negative_prompt.strip()] + [SWITCH_NEGATIVES[s] for s in switches] + [DEFAULT_NEGATIVE]
    return " ".join(p for p in parts if p), ", ".join(n for n in negatives if n)


# --- GPU placement -------------------------------------------------------------------------------

def is_cuda_available() -> bool:
    """Whether a CUDA GPU can run the model (False without torch's CUDA build, never an error)."""
    try:
        import torch
    except ImportError:  # pragma: no cover - torch is in requirements.txt
        return False
    return bool(torch.cuda.is_available())


def gpu_seconds(num_frames: int, num_steps: int, *, per_frame_step_s: float = ZEROGPU_PER_FRAME_STEP_S[DEFAULT_MODEL],
                base_s: float = ZEROGPU_BASE_S, cap_s: int = ZEROGPU_MAX_S) -> int:
    """Seconds of ZeroGPU time to ask for one generation: too little aborts the call, too much queues it longer."""
    return int(min(cap_s, math.ceil(base_s + num_frames * num_steps * per_frame_step_s)))


def zerogpu(duration: int | Callable[..., int]) -> Callable[[Callable], Callable]:
    """`spaces.GPU(duration=...)` on a Hugging Face ZeroGPU Space, and no wrapping anywhere else.

    ZeroGPU attaches a GPU only inside functions decorated this way; `duration` may be a function of the
    same arguments (ZeroGPU's dynamic duration). Without the `spaces` package the function runs as is.
    """
    try:
        import spaces
    except ImportError:
        return lambda fn: fn
    return spaces.GPU(duration=duration)


def _generate_seconds(pipe: Any, call_kwargs: dict[str, Any], per_frame_step_s: float) -> int:
    return gpu_seconds(call_kwargs["num_frames"], call_kwargs["num_inference_steps"], per_frame_step_s=per_frame_step_s)


@zerogpu(duration=_generate_seconds)
def _generate(pipe: Any, call_kwargs: dict[str, Any], per_frame_step_s: float) -> Any:
    """The one call that needs the GPU: everything else (prompts, images, loading) runs outside it."""
    return pipe(**call_kwargs)


# --- loading -------------------------------------------------------------------------------------

def _hub_offline() -> bool:
    """Offline mode as the environment says now (huggingface_hub reads it only once, at import)."""
    from huggingface_hub import constants

    flags = (os.environ.get("HF_HUB_OFFLINE", ""), os.environ.get("TRANSFORMERS_OFFLINE", ""))
    return constants.HF_HUB_OFFLINE or any(f.strip().upper() in {"1", "ON", "YES", "TRUE"} for f in flags)


def _hub_cache_dir() -> str:
    """The Hub cache as the environment says now (HF_HUB_CACHE, else HF_HOME/hub)."""
    from settings import hub_cache_dir

    return hub_cache_dir()


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


def load_pipeline(model_id: str = DEFAULT_MODEL, *, cpu_offload: bool = False, vae_tiling: bool = False,
                  device: str | None = None) -> "WanVACEPipeline":
    """The real pipeline from the Hub cache (downloading only when online), placed for inference.

    Transformer and text encoder in bfloat16, the VAE in float32 as the diffusers docs for Wan advise;
    cpu_offload keeps each model on the GPU only while it runs (for GPUs smaller than the model),
    vae_tiling decodes in tiles to bound the VAE's memory.
    """
    import torch
    from diffusers import AutoencoderKLWan, UniPCMultistepScheduler, WanVACEPipeline

    offline, cache_dir = _hub_offline(), _hub_cache_dir()
    try:
        vae = AutoencoderKLWan.from_pretrained(model_id, subfolder="vae", torch_dtype=torch.float32,
                                               cache_dir=cache_dir, local_files_only=offline)
        pipe = WanVACEPipeline.from_pretrained(model_id, vae=vae, torch_dtype=torch.bfloat16,
                                               cache_dir=cache_dir, local_files_only=offline)
    except OSError as exc:  # not cached and offline, no network, unknown or gated repo: all OSError
        from huggingface_hub.errors import RepositoryNotFoundError

        if offline:
            where = "offline mode is on (HF_HUB_OFFLINE)"
        elif isinstance(exc, RepositoryNotFoundError):
            where = "the Hugging Face Hub has no public model by that id (check it; log in for a gated one)"
        else:
            where = "the Hugging Face Hub could not be reached"
        raise ModelUnavailableError(
            "diffusion_model_missing",
            f"the video model {model_id} is not in the model cache ({cache_dir}) and {where}. "
            f"Download it on a machine with network access (`hf download {model_id}`) and copy the cache "
            f"here (or point HF_HOME at it), or use the preview backend. ({type(exc).__name__}: {exc})",
        ) from exc
    pipe.scheduler = UniPCMultistepScheduler.from_config(pipe.scheduler.config, flow_shift=FLOW_SHIFT_480P)
    if vae_tiling:
        pipe.vae.enable_tiling()
    if cpu_offload:
        pipe.enable_model_cpu_offload()
    else:
        pipe.to(device or ("cuda" if is_cuda_available() else "cpu"))
    return pipe


# --- the backend ---------------------------------------------------------------------------------

class DiffusionBackend:
    """The GPU generator: WanVACEPipeline with the cameos' face crops as reference images.

    Pass `pipe` to use an already-built pipeline (tests pass `build_tiny_pipeline()`); otherwise
    `model_id` is loaded on the first render, and cpu_offload, vae_tiling and device (default: CUDA when
    there is one) say how it is placed (see `load_pipeline`). The dialogue mouth track of a spec is not used: the model
    has no lip-sync input.
    """

    name = "diffusion"
    fps = float(FPS)

    def __init__(self, pipe: "WanVACEPipeline | None" = None, model_id: str = DEFAULT_MODEL, *,
                 num_inference_steps: int = 30, guidance_scale: float = 5.0, cpu_offload: bool = False,
                 vae_tiling: bool = False, device: str | None = None):
        if num_inference_steps < 1:
            raise ValueError(f"num_inference_steps must be at least 1, got {num_inference_steps}")
        self.model = model_id
        self.num_inference_steps = num_inference_steps
        self.guidance_scale = guidance_scale
        self.cpu_offload = cpu_offload
        self.vae_tiling = vae_tiling
        self.device = device
        self._pipe = pipe
        self._lock = threading.Lock()  # two first renders at once must not load the model twice
        if pipe is not None:
            if device is not None:
                pipe.to(device)
            self._prepare(pipe)

    @property
    def pipeline(self) -> "WanVACEPipeline":
        """The pipeline, loaded on first use (minutes for the real model, so not at construction)."""
        with self._lock:
            if self._pipe is None:
                pipe = load_pipeline(self.model, cpu_offload=self.cpu_offload, vae_tiling=self.vae_tiling,
                                     device=self.device)
                self._prepare(pipe)
                self._pipe = pipe
            return self._pipe

    @staticmethod
    def _prepare(pipe: Any) -> None:
        pipe.set_progress_bar_config(disable=True)  # progress goes through on_progress, not tqdm
        _use_plain_prompt_cleaning(pipe)

    def render(self, spec: RenderSpec, on_progress: ProgressFn) -> RenderedVideo:
        """The clip as uint8 RGB frames (T, H, W, 3) at 16 fps, T the 4k+1 nearest spec.duration_s."""
        out = self._run(spec, on_progress, output_type="np")
        frames = np.asarray(out.frames[0], dtype=np.float32)  # (T, H, W, 3) in [0, 1]
        frames = (np.clip(frames, 0.0, 1.0) * 255.0).round().astype(np.uint8)
        return RenderedVideo(frames=frames, fps=self.fps, backend=self.name, model=self.model)

    def render_latents(self, spec: RenderSpec, on_progress: ProgressFn | None = None) -> "torch.Tensor":
        """The denoised latents (1, C, T_refs + T_video, h, w) before decoding, reference frames first.

        For tests: a tiny random decoder nearly erases differences that the latents still show.
        `strip_reference_latents(latents, len(spec.cameos))` keeps the video part.
        """
        return self._run(spec, on_progress or (lambda _p: None), output_type="latent").frames

    def _run(self, spec: RenderSpec, on_progress: ProgressFn, output_type: str) -> Any:
        pipe = self.pipeline
        kwargs = self._call_kwargs(pipe, spec, on_progress, output_type)
        per_frame_step_s = ZEROGPU_PER_FRAME_STEP_S.get(self.model, ZEROGPU_PER_FRAME_STEP_S[LARGE_MODEL])
        return _generate(pipe, kwargs, per_frame_step_s)

    def _call_kwargs(self, pipe: Any, spec: RenderSpec, on_progress: ProgressFn, output_type: str) -> dict[str, Any]:
        """The pipeline's arguments for spec: the prompts named by reference, one crop per cameo, the seed."""
        import torch

        prompt, negative = build_prompt(spec)
        images = reference_images(spec.cameos)
        device = pipe._execution_device  # where the latents are drawn, also under CPU offload
        generator = torch.Generator(device=device).manual_seed(spec.seed)

        def step_done(pipeline: Any, step: int, timestep: Any, tensors: dict) -> dict:
            on_progress(Progress("render", step + 1, pipeline.num_timesteps))
            return {}

        return dict(
            prompt=prompt, negative_prompt=negative, reference_images=images,
            height=spec.height, width=spec.width, num_frames=frame_count(spec.duration_s),
            num_inference_steps=self.num_inference_steps, guidance_scale=self.guidance_scale,
            generator=generator, output_type=output_type, callback_on_step_end=step_done,
            callback_on_step_end_tensor_inputs=[],
        )


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
    a second on one CPU core. The scheduler is the one the real checkpoints ship (UniPC, flow prediction).
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
                                        flow_shift=FLOW_SHIFT_480P, num_train_timesteps=1000)
    return WanVACEPipeline(tokenizer=tokenizer, text_encoder=text_encoder, vae=vae, transformer=transformer,
                           scheduler=scheduler)
