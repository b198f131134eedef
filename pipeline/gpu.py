"""Which GPU host this is, the ZeroGPU decorator, and fetching model weights ahead of the first request.

Three kinds of GPU host run the same code: a dedicated GPU (a Space with an A10G, L4, L40S, A100, H100,
or any CUDA machine or Docker container), ZeroGPU (a Gradio Space that gets a slice of a GPU only inside
functions decorated with `spaces.GPU`), and none (CPU: tests, laptops). On ZeroGPU the main process must
never initialise CUDA, so the host is read from the variables the `spaces` package reads (SPACES_ZERO_GPU,
ZEROGPU_CUDA_*), never from torch.cuda.

Weights: `fetch_model` downloads a Hub repository into the cache with its progress in the log (and to a
callback, for the UI), or, offline, checks that it is already cached; either way a missing model is a
`ModelUnavailableError` that says what to do.
"""
from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass
from typing import Callable

from identity.errors import ModelUnavailableError

log = logging.getLogger("cameo.gpu")

# Sustained bf16 throughput of Wan's transformer, TFLOP/s: about 55% of each GPU's dense bf16 peak (an
# assumption, not a measurement). One public figure to compare: Wan2.1-T2V-1.3B makes a 5 s 480p clip in
# about 4 minutes on an RTX 4090 (Wan2.1 README); pipeline.diffusion.step_flops at the 90 TFLOP/s below
# gives about 5.5 minutes, so these figures err towards asking ZeroGPU for more time, not less.
# scripts/gpu-check.sh prints measured seconds per step next to the estimate to correct them.
SUSTAINED_TFLOPS = {
    "H200": 545.0, "H100": 545.0, "A100": 170.0, "L40S": 200.0, "RTX PRO 6000": 275.0, "4090": 90.0,
    "L4": 66.0, "A10G": 38.0, "A10": 68.0, "T4": 36.0,
}
UNKNOWN_GPU_TFLOPS = 60.0
CPU_TFLOPS = 0.2
H200_SMS = 132
# ZeroGPU: the longest single call this studio asks for (seconds). The hard maximum is not documented
# (the spaces client reports "illegal duration" past it); 300 s keeps a 5 s VACE-1.3B clip (about 265 s
# asked) within one call. CAMEO_ZEROGPU_MAX_S changes it.
ZEROGPU_MAX_S = 300


@dataclass(frozen=True)
class GpuHost:
    name: str
    memory_gb: float | None  # None: no CUDA GPU
    zerogpu: bool
    tflops: float

    @staticmethod
    def cpu() -> "GpuHost":
        return GpuHost("cpu", None, False, CPU_TFLOPS)


def _tflops_for(name: str) -> float:
    upper = name.upper()
    for key, value in SUSTAINED_TFLOPS.items():
        if key in upper:
            return value
    return UNKNOWN_GPU_TFLOPS


def on_zerogpu() -> bool:
    """The same test the spaces package makes (spaces.config.Settings.zero_gpu)."""
    return os.environ.get("SPACES_ZERO_GPU", "").lower() in ("1", "t", "true")


def zerogpu_host() -> GpuHost:
    """ZeroGPU's slice as the spaces package describes it to the app (defaults: its H200 MIG 3g.71gb).

    Durations are asked in H200-slice seconds: the spaces client scales them itself for other hardware
    (its configs.json: 1.5x on a half RTX PRO 6000)."""
    name = os.environ.get("ZEROGPU_CUDA_DEVICE_NAME", "NVIDIA H200 MIG 3g.71gb")
    memory = int(os.environ.get("ZEROGPU_CUDA_TOTAL_MEMORY", 74625056768)) / 1e9
    sms = int(os.environ.get("ZEROGPU_CUDA_MULTI_PROCESSOR_COUNT", 60))
    return GpuHost(name, memory, True, SUSTAINED_TFLOPS["H200"] * min(1.0, sms / H200_SMS))


def cuda_available() -> bool:
    """Whether a CUDA GPU can run the model (False without torch's CUDA build, never an error).

    On ZeroGPU the spaces package answers for torch in the main process; this is only asked where a
    model is placed, as ZeroGPU's own examples do (`pipe.to("cuda")` at start-up)."""
    try:
        import torch
    except ImportError:  # pragma: no cover - torch is in requirements.txt
        return False
    return bool(torch.cuda.is_available())


def detect_host() -> GpuHost:
    if on_zerogpu():
        return zerogpu_host()
    if not cuda_available():
        return GpuHost.cpu()
    import torch

    props = torch.cuda.get_device_properties(0)
    return GpuHost(props.name, props.total_memory / 1e9, False, _tflops_for(props.name))


def zerogpu(duration: int | Callable[..., int]) -> Callable[[Callable], Callable]:
    """`spaces.GPU(duration=...)` on a Hugging Face ZeroGPU Space, and no wrapping anywhere else.

    ZeroGPU attaches a GPU only inside functions decorated this way, runs them in a forked worker and
    pickles their arguments and results; `duration` may be a function of the same arguments (ZeroGPU's
    dynamic duration). Without the `spaces` package the function runs as is; with it, off ZeroGPU,
    spaces.GPU itself returns the function unchanged.
    """
    try:
        import spaces
    except ImportError:
        return lambda fn: fn
    return spaces.GPU(duration=duration)


# --- the Hub cache ---------------------------------------------------------------------------------

def hub_offline() -> bool:
    """Offline mode as the environment says now (huggingface_hub reads it only once, at import)."""
    from huggingface_hub import constants

    flags = (os.environ.get("HF_HUB_OFFLINE", ""), os.environ.get("TRANSFORMERS_OFFLINE", ""))
    return constants.HF_HUB_OFFLINE or any(f.strip().upper() in {"1", "ON", "YES", "TRUE"} for f in flags)


def hub_cache_dir() -> str:
    """The Hub cache as the environment says now (HF_HUB_CACHE, else HF_HOME/hub)."""
    from settings import hub_cache_dir as from_environment

    return from_environment()


ProgressSink = Callable[[int, int], None]  # (bytes done, bytes in all)


def _logging_tqdm(repo_id: str, sink: ProgressSink | None):
    """A tqdm class for snapshot_download that reports byte progress to the log (every 5% or 15 s)."""
    from tqdm.auto import tqdm

    class LogProgress(tqdm):
        def __init__(self, *args, **kwargs):
            kwargs["file"] = open(os.devnull, "w")  # noqa: SIM115 - closed in close()
            kwargs.pop("name", None)
            super().__init__(*args, **kwargs)
            self._last_log, self._last_frac = 0.0, -1.0

        def update(self, n=1):
            out = super().update(n)
            if self.unit == "B" and str(self.desc).startswith("Downloading"):
                total = int(self.total or 0)
                frac = self.n / total if total else 0.0
                now = time.monotonic()
                if sink is not None:
                    sink(int(self.n), total)
                if frac - self._last_frac >= 0.05 or now - self._last_log >= 15:
                    self._last_log, self._last_frac = now, frac
                    log.info("fetching %s: %.2f of %.2f GB", repo_id, self.n / 1e9, total / 1e9)
            return out

        def close(self):
            super().close()
            if self.fp is not None and not self.fp.closed:
                self.fp.close()

    return LogProgress


def missing_model_error(repo_id: str, exc: Exception, code: str = "model_missing") -> ModelUnavailableError:
    """What to do when a model is neither in the cache nor downloadable, with the reason it could not be."""
    from huggingface_hub.errors import RepositoryNotFoundError

    if hub_offline():
        where = "offline mode is on (HF_HUB_OFFLINE)"
    elif isinstance(exc, RepositoryNotFoundError):
        where = "the Hugging Face Hub has no public model by that id (check it; log in for a gated one)"
    else:
        where = "the Hugging Face Hub could not be reached"
    return ModelUnavailableError(
        code, f"{repo_id} is not in the model cache ({hub_cache_dir()}) and {where}. Run `python -m pipeline "
              f"fetch-models` (or `hf download {repo_id}`) where there is network and copy the cache here (or point "
              f"HF_HOME at it), or use the preview backend. ({type(exc).__name__}: {exc})")


def fetch_model(repo_id: str, files: tuple[str, ...] | None = None, progress: ProgressSink | None = None) -> str:
    """Download a model repository (or some of its files) into the Hub cache; its local folder.

    Offline (HF_HUB_OFFLINE), only the cache is read: a model that is not there is a clear error at once,
    not a hung request.
    """
    from huggingface_hub import snapshot_download

    offline, cache_dir = hub_offline(), hub_cache_dir()
    log.info("%s %s into %s", "checking the cache for" if offline else "fetching", repo_id, cache_dir)
    start = time.monotonic()
    try:
        path = snapshot_download(repo_id, allow_patterns=list(files) if files else None, cache_dir=cache_dir,
                                 local_files_only=offline, tqdm_class=_logging_tqdm(repo_id, progress))
    except (OSError, ValueError) as exc:  # offline and missing, unreachable, unknown repo
        raise missing_model_error(repo_id, exc) from exc
    log.info("%s is in the cache (%s, %.0f s)", repo_id, path, time.monotonic() - start)
    return path
