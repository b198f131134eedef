"""Studio settings, read once from environment variables.

Every knob a deployment may need to turn lives here with its default, so the
studio starts with no configuration at all (SQLite and media under ./data, the
offline backends) and a Hugging Face Space only sets what differs.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


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
    diffusion_model: str = "Wan-AI/Wan2.1-VACE-1.3B-diffusers"
    diffusion_cpu_offload: bool = False
    diffusion_vae_tiling: bool = False
    c2pa_cert_chain: Path | None = None  # a deployment's own signing chain (PEM) and key; None: demo chain
    c2pa_key: Path | None = None
    c2pa_trust_anchor: Path | None = None

    @property
    def media_dir(self) -> Path:
        return self.data_dir / "media"


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
        diffusion_model=os.environ.get("CAMEO_DIFFUSION_MODEL") or "Wan-AI/Wan2.1-VACE-1.3B-diffusers",
        diffusion_cpu_offload=_env_bool("CAMEO_DIFFUSION_CPU_OFFLOAD", False),
        diffusion_vae_tiling=_env_bool("CAMEO_DIFFUSION_VAE_TILING", False),
        c2pa_cert_chain=_path("CAMEO_C2PA_CERT_CHAIN"),
        c2pa_key=_path("CAMEO_C2PA_KEY"),
        c2pa_trust_anchor=_path("CAMEO_C2PA_TRUST_ANCHOR"),
    )


def _path(name: str) -> Path | None:
    raw = os.environ.get(name)
    return Path(raw) if raw else None


def _choice(name: str, allowed: tuple[str, ...]) -> str:
    value = (os.environ.get(name) or allowed[0]).strip().lower()
    if value not in allowed:
        raise ValueError(f"{name}={value!r}: expected one of {', '.join(allowed)}")
    return value
