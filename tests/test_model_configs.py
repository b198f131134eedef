"""The real VACE 1.3B and 14B architectures on PyTorch's meta device: shapes and sizes, no weights.

The configs are the official ones (tests/fixtures/configs/SOURCES.md). On the meta device every tensor has
a shape and a dtype but no storage, so the full-size transformer and VAE run a forward pass in well under
a minute on a CPU: what they would produce for an 81-frame 832x480 clip with two reference images, and
how many parameters (so how many GB) the GPU will hold.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from pipeline.diffusion import PROFILES, SIZES_480P, frame_count, latent_frame_count, tokens

CONFIGS = Path(__file__).resolve().parent / "fixtures" / "configs"
Z, SPATIAL, TEMPORAL = 16, 8, 4


def _config(name: str) -> dict:
    return {k: v for k, v in json.loads((CONFIGS / name).read_text()).items() if not k.startswith("_")}


def _transformer(name: str):
    from diffusers import WanVACETransformer3DModel

    with torch.device("meta"):
        return WanVACETransformer3DModel(**_config(f"{name}-transformer.json")).to(torch.bfloat16)


def _params(model) -> float:
    return sum(p.numel() for p in model.parameters()) / 1e9


@pytest.fixture(scope="module")
def vae():
    from diffusers import AutoencoderKLWan

    with torch.device("meta"):
        return AutoencoderKLWan(**_config("wan2.1-vae.json"))


@pytest.mark.parametrize("name,billions", [("vace-1.3b", 2.154), ("vace-14b", 17.34)])
def test_transformer_parameter_counts_match_the_profiles_memory_figures(name, billions):
    model = _transformer(name)
    assert _params(model) == pytest.approx(billions, rel=0.005)
    profile = PROFILES[name]
    assert profile.dit_params == pytest.approx(_params(model) * 1e9, rel=0.005)
    assert profile.dim == model.config.num_attention_heads * model.config.attention_head_dim
    assert profile.attention_layers == model.config.num_layers + len(model.config.vace_layers)


def test_the_text_encoder_and_vae_sizes_match_the_profiles_memory_figures(vae):
    from transformers import UMT5Config, UMT5EncoderModel

    with torch.device("meta"):
        encoder = UMT5EncoderModel(UMT5Config(**_config("umt5-xxl-encoder.json")))
    umt5_gb, vae_gb = 2 * _params(encoder), 4 * _params(vae)  # bf16 and float32
    assert umt5_gb == pytest.approx(11.4, abs=0.1) and vae_gb == pytest.approx(0.5, abs=0.05)
    for profile in PROFILES.values():
        transformer_gb = 2 * profile.dit_params / 1e9
        assert profile.weights_gb == pytest.approx(transformer_gb + umt5_gb + vae_gb, abs=0.3)


def test_vace_control_channels_are_two_latents_and_the_folded_mask():
    for name in ("vace-1.3b", "vace-14b"):
        assert _config(f"{name}-transformer.json")["vace_in_channels"] == 2 * Z + SPATIAL * SPATIAL


@pytest.mark.parametrize("name", ["vace-1.3b", "vace-14b"])
@pytest.mark.parametrize("aspect", list(SIZES_480P))
def test_the_full_transformer_denoises_an_81_frame_480p_clip_with_two_references(name, aspect):
    width, height = SIZES_480P[aspect]
    refs, frames = 2, frame_count(5.0)
    t = latent_frame_count(frames, refs)
    h, w = height // SPATIAL, width // SPATIAL
    model = _transformer(name)
    with torch.device("meta"):
        latents = torch.empty(1, Z, t, h, w, dtype=torch.bfloat16)
        control = torch.empty(1, 2 * Z + SPATIAL * SPATIAL, t, h, w, dtype=torch.bfloat16)
        text = torch.empty(1, 512, 4096, dtype=torch.bfloat16)
        out = model(hidden_states=latents, timestep=torch.empty(1, dtype=torch.long), encoder_hidden_states=text,
                    control_hidden_states=control, control_hidden_states_scale=torch.ones(len(model.config.vace_layers)),
                    return_dict=False)[0]
    assert out.shape == (1, Z, 21 + refs, h, w)
    assert tokens(frames, refs, width, height) == (21 + refs) * (h // 2) * (w // 2)


def test_the_vae_maps_81_frames_to_21_latent_frames_and_back(vae):
    width, height = SIZES_480P["16:9"]
    with torch.device("meta"):
        video = torch.empty(1, 3, 81, height, width)
        latent = vae.encode(video).latent_dist.mean
        assert latent.shape == (1, Z, 21, height // SPATIAL, width // SPATIAL)
        decoded = vae.decode(latent).sample
    assert decoded.shape == (1, 3, 81, height, width)


def test_one_reference_image_is_one_latent_frame(vae):
    with torch.device("meta"):
        image = torch.empty(1, 3, 1, 480, 832)
        assert vae.encode(image).latent_dist.mean.shape == (1, Z, 1, 60, 104)
