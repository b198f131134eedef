"""Feed, appearances and inbox: published clips with remix, clips featuring me, and my notices."""
from __future__ import annotations

import time

import gradio as gr

from identity.clips import Clip
from identity.store import Account
from pipeline.studio import Studio
from ui.common import PLAYER_HEIGHT, friendly, require
from ui.takedown import sweep_cached_clips

CLIP_COLUMNS = ["clip", "by", "with", "status", "when", "prompt"]


def _when(t: float | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.gmtime(t)) if t else ""


def clip_rows(clips: list[Clip]) -> list[list]:
    return [[c.id, f"@{c.creator_handle}", " ".join(f"@{h}" for h in c.cameo_handles), c.status,
             _when(c.published_at or c.created_at), c.prompt[:80]] for c in clips]


def _choices(clips: list[Clip]) -> gr.Dropdown:
    choices = [(f"{c.id} by @{c.creator_handle}: {c.prompt[:40]}", c.id) for c in clips if c.status != "removed"]
    return gr.Dropdown(choices=choices, value=choices[0][1] if choices else None)


def feed_view(studio: Studio):
    clips = studio.library.feed()
    return clip_rows(clips), _choices(clips)


def appearances_view(studio: Studio, acc: Account | None):
    if acc is None:
        return [], gr.Dropdown(choices=[]), []
    clips = studio.library.appearances(acc)
    notices = [[_when(n.created_at), n.kind, n.text] for n in studio.library.inbox(acc)]
    return clip_rows(clips), _choices(clips), notices


def _playable(studio: Studio, clip_id: str | None) -> str | None:
    clip = studio.library.get(clip_id) if clip_id else None
    if clip is None or clip.status == "removed":
        return None
    return str(studio.library.path(clip))  # streamed from the media store through the app


def build_feed(studio: Studio, account: gr.State, create_inputs):
    table = gr.Dataframe(headers=CLIP_COLUMNS, label="Published clips, newest first", interactive=False,
                         elem_id="feed")
    with gr.Row():
        pick = gr.Dropdown(label="Clip", choices=[], allow_custom_value=True, elem_id="feed-pick")
        refresh_btn = gr.Button("Refresh", elem_id="feed-refresh")
        remix_btn = gr.Button("Remix in Create", elem_id="remix-btn")
    player = gr.Video(label="Clip", interactive=False, elem_id="feed-video", height=PLAYER_HEIGHT)
    remix_md = gr.Markdown(elem_id="remix-status")
    prompt, cameos, duration, aspect, remix_of = create_inputs

    @friendly
    def remix(acc, clip_id):
        require(acc)
        clip = studio.library.get(clip_id) if clip_id else None
        if clip is None or clip.status != "published":
            raise gr.Error("Pick a published clip to remix.")
        return (clip.prompt, list(clip.cameo_handles), clip.meta.get("duration_s", 4), clip.meta.get("aspect", "16:9"),
                clip.id, "Loaded into Create: your own permissions are checked again for every cameo.")

    refresh_btn.click(friendly(lambda: feed_view(studio)), None, [table, pick], api_name="feed")
    pick.change(friendly(lambda cid: _playable(studio, cid)), [pick], [player])
    remix_btn.click(remix, [account, pick], [prompt, cameos, duration, aspect, remix_of, remix_md])
    return lambda: feed_view(studio), [table, pick]


def build_appearances(studio: Studio, account: gr.State):
    table = gr.Dataframe(headers=CLIP_COLUMNS, label="Clips and drafts featuring my cameo", interactive=False,
                         elem_id="appearances")
    with gr.Row():
        pick = gr.Dropdown(label="Clip", choices=[], allow_custom_value=True, elem_id="appearance-pick")
        delete_btn = gr.Button("Delete this clip", variant="stop", elem_id="appearance-delete")
        refresh_btn = gr.Button("Refresh", elem_id="appearances-refresh")
    player = gr.Video(label="Clip", interactive=False, elem_id="appearance-video", height=PLAYER_HEIGHT)
    gr.Markdown("### Inbox")
    inbox = gr.Dataframe(headers=["when", "kind", "notice"], label="Inbox", interactive=False, elem_id="inbox")

    @friendly
    def delete(acc, clip_id):
        acc = require(acc)
        if not clip_id:
            raise gr.Error("Pick a clip first.")
        studio.library.delete(acc, clip_id)
        sweep_cached_clips(studio.library)
        return appearances_view(studio, acc)

    outs = [table, pick, inbox]
    refresh_btn.click(friendly(lambda acc: appearances_view(studio, acc)), [account], outs)
    delete_btn.click(delete, [account, pick], outs)
    pick.change(friendly(lambda cid: _playable(studio, cid)), [pick], [player])
    return (lambda acc: appearances_view(studio, acc)), outs
