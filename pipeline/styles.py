"""Looks a creator can pick for a clip: one record per style, read by both backends.

The diffusion backend turns a style into words (a phrase added to the prompt and terms added to the
negative prompt, the way Wan's own prompt extender describes shots); the preview backend turns the same
style into a visible grade of its frames (pipeline.preview.apply_look). Neither changes who is in the
clip: every style keeps the cameos' own faces, and the likeness firewall checks the result as usual.
"""
from __future__ import annotations

from dataclasses import dataclass

from identity.errors import StudioError


class StyleError(StudioError):
    """A style the studio does not offer."""


@dataclass(frozen=True)
class Style:
    name: str  # the key a request carries
    label: str  # what the Create tab shows
    prompt: str  # appended to the prompt as a sentence
    negative: str  # prepended to the negative prompt


STYLES: dict[str, Style] = {s.name: s for s in (
    Style("realistic", "Realistic",
          "Photorealistic live-action footage, natural skin texture, true-to-life colours and lighting.",
          "cartoon, anime, illustration, painting, drawing, CGI, 3D render, plastic skin"),
    Style("cinematic", "Cinematic",
          "Cinematic film shot, anamorphic widescreen framing, shallow depth of field, dramatic key light, "
          "rich teal and orange colour grade.",
          "flat lighting, amateur footage, webcam, smartphone video, oversaturated"),
    Style("animated", "Animated",
          "Stylised 3D animated film look with soft shading and expressive motion; every person keeps their "
          "own recognisable face, hair and skin tone.",
          "photorealistic, live action, photograph, grainy footage"),
    Style("documentary", "Documentary",
          "Observational documentary footage, handheld camera, natural available light, candid moments, "
          "neutral colours.",
          "studio lighting, glossy commercial look, staged poses, heavy colour grading, fantasy"),
    Style("vintage_film", "Vintage film",
          "1970s vintage 16 mm film footage, visible film grain, faded warm colours, gentle vignette, "
          "soft focus and slight gate weave.",
          "digital video, HDR, ultra sharp, modern colour grading, clean image"),
)}
DEFAULT_STYLE = "realistic"


def get_style(name: str | None) -> Style:
    """The style named by a request ("" or None: realistic); an unknown name is an error, never ignored."""
    key = (name or DEFAULT_STYLE).strip().lower().replace(" ", "_").replace("-", "_")
    style = STYLES.get(key)
    if style is None:
        raise StyleError("bad_style", f"the style must be one of {', '.join(s.label for s in STYLES.values())}, "
                                      f"not {name!r}",
                         {"choices": ", ".join(s.label for s in STYLES.values()), "value": repr(name)})
    return style
