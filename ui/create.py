"""Create: prompt, cameos I may use, style, image references, length and shape; a job with real progress;
publish or keep a draft. Lengths and shapes offered are the backend's own (its `limits`)."""
from __future__ import annotations

import time

import anyio
import gradio as gr

from identity.clips import Clip
from identity.consent import Refusal
from identity.store import Account
from pipeline.ingredients import KINDS
from pipeline.job import JobResult, parse_request
from pipeline.studio import Studio
from pipeline.styles import DEFAULT_STYLE, STYLES
from pipeline.types import ASPECTS, MAX_INGREDIENTS, MAX_SECONDS, MIN_SECONDS, ClipLimits
from ui.common import PLAYER_HEIGHT, friendly, require
from ui.jobs import JOB_COLUMNS, cancel_mine, jobs_view, outcome, wait_for
from ui.words import message, refuse, say, t
from workers.queues import JobQueue


def cameo_choices(studio: Studio, acc: Account | None) -> list[tuple[str, str]]:
    if acc is None:
        return []
    return [(f"@{h}" + (say(" (me)") if h == acc.handle else ""), h) for h, _ in studio.ledger.usable_cameos(acc)]


def provenance_markdown(result: JobResult | Clip) -> str:
    clip = result.clip if isinstance(result, JobResult) else result
    m = clip.meta
    records = "\n".join(f"  - `{cid}` sha256 `{sha[:16]}…`" for cid, sha in m.get("consent_records", []))
    sims = ", ".join(f"@{h} {v:.2f}" for h, v in (m.get("identity_similarity") or {}).items() if v is not None)
    return (say("**Clip `{clip}`** ({status}) made by **{backend}** (`{model}`), {seconds} s at {size}, seed {seed}.",
                clip=clip.id, status=say(clip.status), backend=m.get("backend"), model=m.get("model"),
                seconds=m.get("duration_s"), size=f"{m.get('width')}x{m.get('height')}", seed=m.get("seed")) + "\n\n"
            + say("- Watermark id: `{mark}`; C2PA Content Credentials signed by this studio.", mark=m.get("watermark_id"))
            + "\n" + say("- Consent records:") + f"\n{records}\n"
            + (say("- Face similarity to each cameo: {sims}", sims=sims) + "\n" if sims else "")
            + "".join(say("- Note: {note}", note=n) + "\n" for n in m.get("notes", [])))


def allowance_markdown(studio: Studio, acc: Account | None) -> str:
    """The daily generation limit as the library counts it (identity.limits): a rolling 24 hours."""
    if acc is None:
        return ""
    a = studio.library.allowance(acc)
    if a.suspended_until is not None:
        return say("A moderator suspended your generation until {until} UTC: {reason}",
                   until=time.strftime("%Y-%m-%d %H:%M", time.gmtime(a.suspended_until)), reason=a.suspension_reason)
    return say("**{remaining} of {limit} clips left** in the last 24 hours ({kind}).", remaining=a.remaining,
               limit=a.limit, kind=message(a.kind))


def storage_link(studio: Studio, clip: Clip) -> str:
    """Where the media store is a bucket: a signed link to the clip's object there, valid for a while."""
    ttl = studio.settings.signed_url_ttl_s
    url = studio.library.signed_url(clip, ttl)
    return "\n" + say("- [Download from storage]({url}) (link valid for {minutes} min)", url=url,
                      minutes=max(1, ttl // 60)) + "\n" if url else ""


def model_status(studio: Studio) -> str:
    """The video model's state for people: ready, or "model loading" with how far it is.

    Only where this process renders (ZeroGPU's inline GPU worker); a GPU worker elsewhere loads its own
    copy, and its job's progress says so."""
    status = getattr(studio.jobs.backend, "status", None)
    return say("Video model: {status}", status=status()) if status and studio.settings.inline_gpu_worker else ""


def build(studio: Studio, account: gr.State, queue: JobQueue):
    backend = studio.jobs.backend
    limits: ClipLimits = getattr(backend, "limits", ClipLimits(MIN_SECONDS, MAX_SECONDS, dict(ASPECTS)))
    gr.Markdown(t("Clips are made by the **{name}** backend (`{model}`).", name=backend.name, model=backend.model)
                if backend.name != "preview" else
                t("Clips are made by the **{name}** backend (`{model}`). The preview is a draft animatic made on the "
                  "CPU, not the video model.", name=backend.name, model=backend.model))
    status = gr.Markdown(model_status(studio), elem_id="model-status")
    allowance_md = gr.Markdown(elem_id="allowance")
    if model_status(studio):  # fetching and loading take minutes: say so instead of hanging a request
        gr.Timer(5.0).tick(lambda: model_status(studio), None, [status], show_progress="hidden")
    prompt = gr.Textbox(label=t("Prompt"), lines=3, elem_id="prompt",
                        placeholder=t('@alice and @bob on a beach at sunset, slow pan left. @alice says "we made it!"'))
    cameos = gr.Dropdown(label=t("Cameos (up to 3)"), choices=[], multiselect=True, max_choices=3,
                         allow_custom_value=True, elem_id="cameo-picker")
    style = gr.Radio([(t(s.label), s.name) for s in STYLES.values()], value=DEFAULT_STYLE, label=t("Style"), elem_id="style")
    with gr.Accordion(t("Image references (up to {n}): an object, product, place or outfit", n=MAX_INGREDIENTS), open=False):
        gr.Markdown(t("Photos without people: a face that is not one of the clip's cameos is refused."))
        ingredient_inputs = []
        with gr.Row():
            for k in range(1, MAX_INGREDIENTS + 1):
                with gr.Column():
                    image = gr.Image(type="filepath", label=t("Image reference {k}", k=k), height=160, elem_id=f"ingredient-{k}")
                    kind = gr.Dropdown([(t(k), k) for k in KINDS], value="object", label=t("What it is"), elem_id=f"ingredient-kind-{k}")
                    name = gr.Textbox(label=t("Its name in the prompt"), placeholder=t("my red car"), max_length=60,
                                      elem_id=f"ingredient-label-{k}")
                    ingredient_inputs += [image, kind, name]
    with gr.Row():
        duration = gr.Slider(limits.min_seconds, limits.max_seconds, value=min(4, limits.max_seconds), step=1,
                             label=t("Seconds"), elem_id="duration")
        aspect = gr.Radio(list(limits.sizes), value=next(iter(limits.sizes)), label=t("Aspect ratio"), elem_id="aspect")
        seed = gr.Textbox(value="0", label=t("Seed"), elem_id="seed")
    remix_of = gr.State(None)
    with gr.Row():
        generate_btn = gr.Button(t("Generate"), variant="primary", elem_id="generate-btn")
        cancel_btn = gr.Button(t("Cancel"), elem_id="cancel-btn")
    result = gr.Video(label=t("Your clip"), interactive=False, elem_id="result-video", height=PLAYER_HEIGHT)
    provenance = gr.Markdown(elem_id="provenance")
    clip_state = gr.State(None)
    with gr.Row():
        visibility = gr.Radio([(t("everyone"), "public"), (t("my followers"), "followers"), (t("only me"), "private")],
                              value="public", label=t("Who may see it"), elem_id="visibility")
        publish_btn = gr.Button(t("Publish"), elem_id="publish-btn")
    published_md = gr.Markdown(elem_id="published")
    with gr.Accordion(t("My jobs"), open=False):
        queue_md = gr.Markdown(elem_id="queue-status")
        jobs_table = gr.Dataframe(headers=JOB_COLUMNS, interactive=False, elem_id="jobs")
        jobs_btn = gr.Button(t("Refresh"), elem_id="jobs-refresh")

    @friendly
    async def generate(acc, text, picked, secs, shape, seed_text, remix, look, *images_kinds_labels,
                       progress=gr.Progress()):
        acc = require(acc)
        triples = [images_kinds_labels[i:i + 3] for i in range(0, len(images_kinds_labels), 3)]
        req = parse_request(text, picked or [], secs, shape, seed_text, remix_of=remix, style=look,
                            ingredients=[t for t in triples if t[0]])
        # A worker makes the clip (workers.tasks); this page follows its job record.
        job = await anyio.to_thread.run_sync(lambda: queue.submit_generation(acc, req, publish=False))
        done = outcome(await wait_for(queue, job.id, progress))
        clip = await anyio.to_thread.run_sync(studio.library.get, done["clip_id"])
        if clip is None or clip.status == "removed":
            raise refuse("The clip was taken down before you could see it.")
        path = await anyio.to_thread.run_sync(studio.library.path, clip)  # streamed from the media store
        link = await anyio.to_thread.run_sync(storage_link, studio, clip)
        return (str(path), provenance_markdown(clip) + link, clip.id,
                say("Saved as a draft: only you see it until you publish."), allowance_markdown(studio, acc))

    @friendly
    def cancel(acc):
        n = cancel_mine(queue, require(acc), "generate")
        return say("Stopping your clip: nothing of it will be stored.") if n else say("You have no clip in the making.")

    @friendly
    def publish(acc, clip_id, seen_by):
        acc = require(acc)
        if not clip_id:
            raise refuse("Generate a clip first.")
        clip = studio.library.publish(acc, clip_id, seen_by)
        if isinstance(clip, Refusal):
            raise refuse("Not published: consent no longer holds ({reasons}).",
                         reasons="; ".join(message(r) for r in clip.messages.values()))
        if clip.status == "pending":
            return say("Waiting for approval: someone in this clip approves clips with their cameo before they go "
                       "out. You will find their answer in your inbox.")
        return say("Published: it is in the feed now.") if seen_by != "private" else say("Published, visible to you only.")

    # Waiting for a job costs the web process nothing but a read every half second: no concurrency limit
    # here; the workers (their number, their machines) set how many clips are made at once.
    generate_btn.click(generate, [account, prompt, cameos, duration, aspect, seed, remix_of, style, *ingredient_inputs],
                       [result, provenance, clip_state, published_md, allowance_md], concurrency_limit=None,
                       api_name="generate")
    cancel_btn.click(cancel, [account], [published_md], api_name="cancel")
    publish_btn.click(publish, [account, clip_state, visibility], [published_md], api_name="publish")
    jobs_btn.click(friendly(lambda acc: jobs_view(queue, acc)), [account], [jobs_table, queue_md], api_name="jobs")

    def refresh(acc):
        return gr.Dropdown(choices=cameo_choices(studio, acc)), allowance_markdown(studio, acc)

    return refresh, [cameos, allowance_md], (prompt, cameos, duration, aspect, remix_of)
