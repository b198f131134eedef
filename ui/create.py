"""Create: prompt, cameos I may use, style, image references, length and shape; a job with real progress;
publish or keep a draft. Lengths and shapes offered are the backend's own (its `limits`)."""
from __future__ import annotations

import gradio as gr

from identity.clips import Clip
from identity.consent import Refusal
from identity.store import Account
from pipeline.ingredients import KINDS
from pipeline.job import JobResult, parse_request
from pipeline.studio import Studio
from pipeline.styles import DEFAULT_STYLE, STYLES
from pipeline.types import ASPECTS, MAX_INGREDIENTS, MAX_SECONDS, MIN_SECONDS, ClipLimits, Progress
from ui.common import PLAYER_HEIGHT, friendly, require

STAGES = {"sound": "Voices and sound", "render": "Rendering", "safety": "Safety checks", "marks": "Watermarks",
          "save": "Signing and saving"}


def cameo_choices(studio: Studio, acc: Account | None) -> list[tuple[str, str]]:
    if acc is None:
        return []
    return [(f"@{h}" + (" (me)" if h == acc.handle else ""), h) for h, _ in studio.ledger.usable_cameos(acc)]


def provenance_markdown(result: JobResult | Clip) -> str:
    clip = result.clip if isinstance(result, JobResult) else result
    m = clip.meta
    records = "\n".join(f"  - `{cid}` sha256 `{sha[:16]}…`" for cid, sha in m.get("consent_records", []))
    sims = ", ".join(f"@{h} {v:.2f}" for h, v in (m.get("identity_similarity") or {}).items() if v is not None)
    return (f"**Clip `{clip.id}`** ({clip.status}) made by **{m.get('backend')}** (`{m.get('model')}`), "
            f"{m.get('duration_s')} s at {m.get('width')}x{m.get('height')}, seed {m.get('seed')}.\n\n"
            f"- Watermark id: `{m.get('watermark_id')}`; C2PA Content Credentials signed by this studio.\n"
            f"- Consent records:\n{records}\n"
            + (f"- Face similarity to each cameo: {sims}\n" if sims else "")
            + "".join(f"- Note: {n}\n" for n in m.get("notes", [])))


def model_status(studio: Studio) -> str:
    """The video model's state for people: ready, or "model loading" with how far it is."""
    status = getattr(studio.jobs.backend, "status", None)
    return f"Video model: {status()}" if status else ""


def build(studio: Studio, account: gr.State):
    backend = studio.jobs.backend
    limits: ClipLimits = getattr(backend, "limits", ClipLimits(MIN_SECONDS, MAX_SECONDS, dict(ASPECTS)))
    gr.Markdown(f"Clips are made by the **{backend.name}** backend (`{backend.model}`)."
                + (" The preview is a draft animatic made on the CPU, not the video model." if backend.name == "preview"
                   else ""))
    status = gr.Markdown(model_status(studio), elem_id="model-status")
    if hasattr(backend, "status"):  # fetching and loading take minutes: say so instead of hanging a request
        gr.Timer(5.0).tick(lambda: model_status(studio), None, [status], show_progress="hidden")
    prompt = gr.Textbox(label="Prompt", lines=3, elem_id="prompt",
                        placeholder='@alice and @bob on a beach at sunset, slow pan left. @alice says "we made it!"')
    cameos = gr.Dropdown(label="Cameos (up to 3)", choices=[], multiselect=True, max_choices=3,
                         allow_custom_value=True, elem_id="cameo-picker")
    style = gr.Radio([(s.label, s.name) for s in STYLES.values()], value=DEFAULT_STYLE, label="Style", elem_id="style")
    with gr.Accordion(f"Image references (up to {MAX_INGREDIENTS}): an object, product, place or outfit", open=False):
        gr.Markdown("Photos without people: a face that is not one of the clip's cameos is refused.")
        ingredient_inputs = []
        with gr.Row():
            for k in range(1, MAX_INGREDIENTS + 1):
                with gr.Column():
                    image = gr.Image(type="filepath", label=f"Image reference {k}", height=160, elem_id=f"ingredient-{k}")
                    kind = gr.Dropdown(list(KINDS), value="object", label="What it is", elem_id=f"ingredient-kind-{k}")
                    name = gr.Textbox(label="Its name in the prompt", placeholder="my red car", max_length=60,
                                      elem_id=f"ingredient-label-{k}")
                    ingredient_inputs += [image, kind, name]
    with gr.Row():
        duration = gr.Slider(limits.min_seconds, limits.max_seconds, value=min(4, limits.max_seconds), step=1,
                             label="Seconds", elem_id="duration")
        aspect = gr.Radio(list(limits.sizes), value=next(iter(limits.sizes)), label="Aspect ratio", elem_id="aspect")
        seed = gr.Textbox(value="0", label="Seed", elem_id="seed")
    remix_of = gr.State(None)
    generate_btn = gr.Button("Generate", variant="primary", elem_id="generate-btn")
    result = gr.Video(label="Your clip", interactive=False, elem_id="result-video", height=PLAYER_HEIGHT)
    provenance = gr.Markdown(elem_id="provenance")
    clip_state = gr.State(None)
    publish_btn = gr.Button("Publish", elem_id="publish-btn")
    published_md = gr.Markdown(elem_id="published")

    @friendly
    def generate(acc, text, picked, secs, shape, seed_text, remix, look, *images_kinds_labels, progress=gr.Progress()):
        acc = require(acc)
        triples = [images_kinds_labels[i:i + 3] for i in range(0, len(images_kinds_labels), 3)]
        req = parse_request(text, picked or [], secs, shape, seed_text, remix_of=remix, style=look,
                            ingredients=[t for t in triples if t[0]])

        def report(p: Progress) -> None:
            progress((p.step, p.total), desc=STAGES.get(p.stage, p.stage))

        out = studio.jobs.run(acc, req, publish=False, on_progress=report)
        return str(out.path), provenance_markdown(out), out.clip.id, "Saved as a draft: only you see it until you publish."

    @friendly
    def publish(acc, clip_id):
        acc = require(acc)
        if not clip_id:
            raise gr.Error("Generate a clip first.")
        clip = studio.library.publish(acc, clip_id)
        if isinstance(clip, Refusal):
            raise gr.Error("Not published: consent no longer holds (" + "; ".join(clip.reasons.values()) + ").")
        return "Published: it is in the feed now."

    generate_btn.click(generate, [account, prompt, cameos, duration, aspect, seed, remix_of, style, *ingredient_inputs],
                       [result, provenance, clip_state, published_md], concurrency_limit=1,
                       concurrency_id="generate", api_name="generate")
    publish_btn.click(publish, [account, clip_state], [published_md], api_name="publish")

    def refresh(acc):
        return gr.Dropdown(choices=cameo_choices(studio, acc))

    return refresh, cameos, (prompt, cameos, duration, aspect, remix_of)
