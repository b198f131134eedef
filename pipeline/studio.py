"""The studio's services, built once from the settings: what the UI and the commands call.

Backends are chosen here by setting: generation "auto" means the diffusion
pipeline when a CUDA GPU is present and the offline preview otherwise.
"""
from __future__ import annotations

from dataclasses import dataclass

from identity.consent import ConsentLedger
from identity.enrollment import Enroller
from identity.library import ClipLibrary
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

    @property
    def store(self):
        return self.enroller.store


def generation_backend(settings: Settings) -> GenerationBackend:
    from pipeline.diffusion import DiffusionBackend, is_cuda_available
    from pipeline.preview import PreviewBackend

    choice = settings.generation_backend
    if choice == "diffusion" or (choice == "auto" and is_cuda_available()):
        return DiffusionBackend(model_id=settings.diffusion_model, cpu_offload=settings.diffusion_cpu_offload,
                                vae_tiling=settings.diffusion_vae_tiling)
    return PreviewBackend()


def signing_identity(settings: Settings) -> SigningIdentity:
    if settings.c2pa_cert_chain and settings.c2pa_key:
        return load_signing_identity(settings.c2pa_cert_chain, settings.c2pa_key, settings.c2pa_trust_anchor)
    return ensure_demo_certs(settings.data_dir / "c2pa")


def build_studio(settings: Settings, backend: GenerationBackend | None = None) -> Studio:
    enroller = build_enroller(settings)
    ledger = ConsentLedger(enroller.store)
    library = ClipLibrary(enroller.store, ledger)
    signer = signing_identity(settings)
    from pipeline.diffusion import is_cuda_available
    from pipeline.voice_clone import voice_synth

    jobs = JobRunner(enroller.store, ledger, library, backend or generation_backend(settings), enroller.backend,
                     enroller.gallery, signer, synth=voice_synth(settings.voice_synth, is_cuda_available()),
                     index=enroller.index)
    return Studio(settings, enroller, ledger, library, jobs, signer)
