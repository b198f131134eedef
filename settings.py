"""Studio settings, read once from environment variables.

Every knob a deployment may need to turn lives here with its default, so the
studio starts with no configuration at all (SQLite and media under ./data, the
offline backends) and a Hugging Face Space only sets what differs.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from identity.rules import CommunityRules

# The social studio's limits and thresholds: variable -> CommunityRules field (which says what each means).
COMMUNITY_VARIABLES = {
    "CAMEO_GENERATIONS_PER_DAY": "generations_per_day",
    "CAMEO_GENERATIONS_PER_DAY_NEW": "generations_per_day_new",
    "CAMEO_GENERATIONS_PER_DAY_TEEN": "generations_per_day_teen",
    "CAMEO_NEW_ACCOUNT_DAYS": "new_account_days",
    "CAMEO_ENROLL_ATTEMPTS_PER_DAY": "enroll_attempts_per_day",
    "CAMEO_REPORTS_PER_WINDOW": "reports_per_window",
    "CAMEO_REPORT_WINDOW_S": "report_window_s",
    "CAMEO_REPORT_HIDE_THRESHOLD": "report_hide_threshold",
    "CAMEO_FEED_BREAK_AFTER": "feed_break_after",
    "CAMEO_FEED_SESSION_GAP_S": "feed_session_gap_s",
    "CAMEO_INVITE_ONLY": "invite_only",
    "CAMEO_INVITES_PER_ACCOUNT": "invites_per_account",
    "CAMEO_HANDLE_COOLING_OFF_DAYS": "handle_cooling_off_days",
}


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"{name}={raw!r}: expected one of 1/0, true/false, yes/no, on/off")


def _env_auto_bool(name: str) -> bool | None:
    """`auto` (or unset): None, for the code to decide; otherwise a boolean as _env_bool reads it."""
    raw = os.environ.get(name)
    if raw is None or raw.strip().lower() in ("", "auto"):
        return None
    return _env_bool(name, False)


def _default_data_dir() -> Path:
    # A Space with persistent storage mounts it at /data.
    if os.environ.get("SPACE_ID") and Path("/data").is_dir():
        return Path("/data/cameo-studio")
    return Path("data")


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    face_backend: str  # "auto", "dlib+sface", "dlib" or "insightface"
    insightface_root: Path  # folder holding models/buffalo_l/*.onnx
    allow_upload: bool  # may an enrollment come from an uploaded file (not the webcam)?
    secret_key: str | None  # base64 key for encryption at rest; None: a key file in data_dir
    challenge_ttl_s: int = 300
    max_clip_seconds: float = 15.0
    max_upload_bytes: int = 50 * 1024 * 1024
    protected_gallery_dir: Path | None = None
    keep_voice_reference: bool = False  # keep the consent recording's speech (encrypted) for a cloning TTS
    voice_synth: str = "auto"  # "auto" (chatterbox with a CUDA GPU and the package, else espeak), "espeak", "chatterbox"
    generation_backend: str = "auto"  # "auto" (diffusion with a CUDA GPU, else preview), "preview", "diffusion"
    # "auto" (VACE-1.3B, official settings), "vace-1.3b", "vace-14b", "vace-14b-4step", or a Hub id of the first two
    diffusion_model: str = "auto"
    diffusion_cpu_offload: bool | None = None  # None: chosen from the GPU's memory (pipeline.diffusion.choose_placement)
    diffusion_vae_tiling: bool | None = None
    zerogpu_max_s: int = 300  # the longest ZeroGPU call the studio asks for
    warm_up_models: bool = True  # fetch and load the GPU models at start-up rather than in the first request
    prompt_guard: str = "auto"  # "auto" (Qwen3Guard when its weights are in the HF cache), "qwen3guard", "off"
    prompt_guard_model: str = "Qwen/Qwen3Guard-Gen-0.6B"
    c2pa_cert_chain: Path | None = None  # a deployment's own signing chain (PEM) and key; None: demo chain
    c2pa_key: Path | None = None
    c2pa_trust_anchor: Path | None = None
    # Jobs and media for more than one machine (README, "One studio, many machines").
    queue_url: str | None = None  # None: the embedded queue (SQLite file in data_dir); redis://...: a broker
    media_url: str | None = None  # None: the media folder; s3://bucket/prefix: a bucket (AWS_* variables)
    local_cpu_workers: int = 1  # worker processes the web process starts for the CPU queue
    local_gpu_workers: int = 1  # ... and for the GPU queue (0 where workers run on other machines)
    inline_gpu_worker: bool = False  # serve the GPU queue in the web process (ZeroGPU: spaces.GPU needs it)
    job_heartbeat_s: float = 5.0  # how often a running job's worker says it is alive
    job_stale_s: float = 60.0  # a running job silent this long is taken to have lost its worker
    generate_attempts: int = 2  # a generation whose worker died is tried once more
    signed_url_ttl_s: int = 900  # clips in a bucket: a signed download link valid this long (0: none)
    community: CommunityRules = field(default_factory=CommunityRules)  # limits, thresholds, invitation-only

    @property
    def media_dir(self) -> Path:
        return self.data_dir / "media"

    @property
    def queue_location(self) -> str:
        """The broker URL, or the embedded queue's SQLite file."""
        return self.queue_url or f"sqlite:///{(self.data_dir / 'queue.db').as_posix()}"


def load_settings() -> Settings:
    """Read the settings from the environment (documented in README.md)."""
    data_dir = Path(os.environ.get("CAMEO_DATA_DIR") or _default_data_dir())
    db_url = os.environ.get("DATABASE_URL") or f"sqlite:///{(data_dir / 'studio.db').as_posix()}"
    backend = _choice("CAMEO_FACE_BACKEND", ("auto", "dlib+sface", "dlib", "insightface"))
    gallery = os.environ.get("CAMEO_PROTECTED_GALLERY")
    return Settings(
        data_dir=data_dir,
        database_url=db_url,
        face_backend=backend,
        insightface_root=Path(os.environ.get("CAMEO_INSIGHTFACE_ROOT") or (data_dir / "insightface")),
        # Locally an upload is fine; a public Space takes webcam recordings only unless told otherwise.
        allow_upload=_env_bool("CAMEO_ALLOW_UPLOAD", default=not os.environ.get("SPACE_ID")),
        secret_key=os.environ.get("CAMEO_SECRET_KEY") or None,
        challenge_ttl_s=int(os.environ.get("CAMEO_CHALLENGE_TTL_S") or 300),
        max_clip_seconds=float(os.environ.get("CAMEO_MAX_CLIP_SECONDS") or 15.0),
        max_upload_bytes=int(os.environ.get("CAMEO_MAX_UPLOAD_MB") or 50) * 1024 * 1024,
        protected_gallery_dir=Path(gallery) if gallery else None,
        keep_voice_reference=_env_bool("CAMEO_KEEP_VOICE_REFERENCE", False),
        voice_synth=_choice("CAMEO_VOICE_SYNTH", ("auto", "espeak", "chatterbox")),
        generation_backend=_choice("CAMEO_GENERATION_BACKEND", ("auto", "preview", "diffusion")),
        diffusion_model=(os.environ.get("CAMEO_DIFFUSION_MODEL") or "auto").strip(),
        diffusion_cpu_offload=_env_auto_bool("CAMEO_DIFFUSION_CPU_OFFLOAD"),
        diffusion_vae_tiling=_env_auto_bool("CAMEO_DIFFUSION_VAE_TILING"),
        zerogpu_max_s=_int("CAMEO_ZEROGPU_MAX_S", 300, lowest=30),
        warm_up_models=_env_bool("CAMEO_WARM_UP_MODELS", True),
        prompt_guard=_choice("CAMEO_PROMPT_GUARD", ("auto", "qwen3guard", "off")),
        prompt_guard_model=os.environ.get("CAMEO_PROMPT_GUARD_MODEL") or "Qwen/Qwen3Guard-Gen-0.6B",
        c2pa_cert_chain=_path("CAMEO_C2PA_CERT_CHAIN"),
        c2pa_key=_path("CAMEO_C2PA_KEY"),
        c2pa_trust_anchor=_path("CAMEO_C2PA_TRUST_ANCHOR"),
        queue_url=os.environ.get("CAMEO_QUEUE_URL") or None,
        media_url=os.environ.get("CAMEO_MEDIA_URL") or None,
        local_cpu_workers=_int("CAMEO_LOCAL_CPU_WORKERS", 1),
        local_gpu_workers=_int("CAMEO_LOCAL_GPU_WORKERS", 1),
        # ZeroGPU Spaces set SPACES_ZERO_GPU; there the GPU is usable only inside the web process.
        inline_gpu_worker=_env_bool("CAMEO_INLINE_GPU_WORKER", default=bool(os.environ.get("SPACES_ZERO_GPU"))),
        job_heartbeat_s=float(os.environ.get("CAMEO_JOB_HEARTBEAT_S") or 5.0),
        job_stale_s=float(os.environ.get("CAMEO_JOB_STALE_S") or 60.0),
        generate_attempts=_int("CAMEO_GENERATE_ATTEMPTS", 2, lowest=1),
        signed_url_ttl_s=_int("CAMEO_SIGNED_URL_TTL_S", 900),
        community=_community_rules(),
    )


def hub_cache_dir() -> str:
    """The Hugging Face Hub cache as the environment says now (HF_HUB_CACHE, else HF_HOME/hub):
    huggingface_hub reads it only once, at import, and the studio's models are looked up there."""
    from huggingface_hub import constants

    if os.environ.get("HF_HUB_CACHE"):
        return os.path.expanduser(os.environ["HF_HUB_CACHE"])
    if os.environ.get("HF_HOME"):
        return os.path.join(os.path.expanduser(os.environ["HF_HOME"]), "hub")
    return constants.HF_HUB_CACHE


def _int(name: str, default: int, lowest: int = 0) -> int:
    raw = (os.environ.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r}: expected a whole number") from None
    if value < lowest:
        raise ValueError(f"{name}={raw!r}: expected at least {lowest}")
    return value


def _community_rules() -> CommunityRules:
    values = {}
    for name, attr in COMMUNITY_VARIABLES.items():
        raw = (os.environ.get(name) or "").strip()
        if not raw:
            continue
        if isinstance(getattr(CommunityRules, attr), bool):
            values[attr] = _env_bool(name, False)
            continue
        values[attr] = _int(name, 0)
    return CommunityRules(**values)


def _path(name: str) -> Path | None:
    raw = os.environ.get(name)
    return Path(raw) if raw else None


def _choice(name: str, allowed: tuple[str, ...]) -> str:
    value = (os.environ.get(name) or allowed[0]).strip().lower()
    if value not in allowed:
        raise ValueError(f"{name}={value!r}: expected one of {', '.join(allowed)}")
    return value
