"""The studio's services, built once from the settings: what the UI and the commands call.

Backends are chosen here by setting: generation "auto" means the diffusion
pipeline when a CUDA GPU is present and the offline preview otherwise.
"""
from __future__ import annotations

from dataclasses import dataclass

from identity.consent import ConsentLedger
from identity.enrollment import Enroller
from identity.family import Family
from identity.feed import Feed
from identity.library import ClipLibrary
from identity.moderation import Moderation
from identity.service import build_enroller
from pipeline.job import JobRunner
from pipeline.types import GenerationBackend
from safety.provenance import SigningIdentity, ensure_demo_certs, load_signing_identity
from settings import Settings


@dataclass
class Studio:
    settings: Settings
    enroller: Enroller
    ledger: ConsentLedger
    library: ClipLibrary
    jobs: JobRunner
    signer: SigningIdentity
    feed: Feed
    moderation: Moderation
    family: Family

    @property
    def store(self):
        return self.enroller.store


def generation_backend(settings: Settings, warm_up: str = "off") -> GenerationBackend:
    """The diffusion backend on a GPU host (ZeroGPU included) when asked or "auto", else the preview.

    `warm_up` ("now", "background", "off": see build_studio) fetches and loads its weights now; on ZeroGPU
    always at once, before the app launches, where models must be placed at start-up."""
    from pipeline.diffusion import DiffusionBackend
    from pipeline.gpu import cuda_available, on_zerogpu
    from pipeline.preview import PreviewBackend

    choice = settings.generation_backend
    if choice == "diffusion" or (choice == "auto" and (on_zerogpu() or cuda_available())):
        backend = DiffusionBackend(model_id=settings.diffusion_model, cpu_offload=settings.diffusion_cpu_offload,
                                   vae_tiling=settings.diffusion_vae_tiling, zerogpu_max_s=settings.zerogpu_max_s)
        if warm_up != "off":
            backend.warm_up(background=warm_up == "background")
        return backend
    return PreviewBackend()


def signing_identity(settings: Settings) -> SigningIdentity:
    if settings.c2pa_cert_chain and settings.c2pa_key:
        return load_signing_identity(settings.c2pa_cert_chain, settings.c2pa_key, settings.c2pa_trust_anchor)
    return ensure_demo_certs(settings.data_dir / "c2pa")


def build_studio(settings: Settings, backend: GenerationBackend | None = None, warm_up: str = "off") -> Studio:
    """The studio's parts. `warm_up` is for processes that render, when CAMEO_WARM_UP_MODELS says so:
    "now" (a GPU worker: the models load before it takes a job, so a job waits in the queue instead of
    failing) or "background" (the web process serving the GPU queue inline, which must answer meanwhile).
    The web process and CPU workers never load the GPU models (two copies would not fit one GPU)."""
    warm_up = warm_up if settings.warm_up_models else "off"
    enroller = build_enroller(settings)
    ledger = ConsentLedger(enroller.store)
    library = ClipLibrary(enroller.store, ledger)
    signer = signing_identity(settings)
    from pipeline.gpu import cuda_available, on_zerogpu
    from pipeline.voice_clone import voice_synth

    synth = voice_synth(settings.voice_synth, on_zerogpu() or cuda_available(), warm_up=warm_up != "off")
    jobs = JobRunner(enroller.store, ledger, library, backend or generation_backend(settings, warm_up), enroller.backend,
                     enroller.gallery, signer, synth=synth, index=enroller.index)
    store = enroller.store
    return Studio(settings, enroller, ledger, library, jobs, signer, Feed(store),
                  Moderation(store, enroller.gallery), Family(store))
