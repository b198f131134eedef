"""Cameo Studio, the Gradio app: tabs and wiring only; every rule lives in identity/, pipeline/ and safety/."""
from __future__ import annotations

import atexit
import os

if os.environ.get("SPACES_ZERO_GPU", "").lower() in ("1", "t", "true"):
    import spaces  # noqa: F401 - on ZeroGPU it must be imported before anything touches CUDA (its docs)

import gradio as gr
from starlette.middleware import Middleware

from pipeline.studio import Studio, build_studio
from settings import load_settings
from ui import account as account_tab
from ui import cameo as cameo_tab
from ui import create as create_tab
from ui import family as family_tab
from ui import feed as feed_tab
from ui import moderation as moderation_tab
from ui import people as people_tab
from ui import verify as verify_tab
from ui.common import who
from ui.page_cache import PageCache
from ui.takedown import start_sweeper
from workers.queues import JobQueue


ORPHAN_SWEEP_EVERY_S = 3600.0  # media left by a revoke or a save cut short are swept this often (and at start)


def on_space_with_oauth() -> bool:
    """A Space with `hf_oauth: true` gets these variables; then people sign in with Hugging Face."""
    return bool(os.environ.get("SPACE_ID") and os.environ.get("OAUTH_CLIENT_ID"))


def build_ui(studio: Studio, allow_upload: bool, oauth: bool = False, queue: JobQueue | None = None) -> gr.Blocks:
    """The page. It only reads and enqueues: enrollment analysis and generation run in workers (workers/)."""
    queue = queue or JobQueue(studio.settings, studio.store)
    # Gradio's own upload cache is swept hourly too, in case a request dies before the unlink.
    with gr.Blocks(title="Cameo Studio", delete_cache=(3600, 3600)) as demo:
        gr.Markdown("# Cameo Studio\nPut real people into generated clips, only with their verified, revocable consent.")
        account = gr.State(None)
        with gr.Tabs():
            with gr.Tab("Account", id="account"):
                status, from_profile = account_tab.build(studio, account, oauth)
            with gr.Tab("My cameo", id="cameo"):
                load_mine, mine = cameo_tab.build(studio, account, allow_upload, queue)
            with gr.Tab("People", id="people"):
                load_people, people_outs = people_tab.build(studio, account)
            with gr.Tab("Create", id="create") as create:
                load_picker, picker, create_inputs = create_tab.build(studio, account, queue)
            with gr.Tab("Feed", id="feed") as feed:
                load_feed, feed_ins, feed_outs = feed_tab.build_feed(studio, account, create_inputs)
            with gr.Tab("Appearances & inbox", id="appearances") as appearances:
                load_appearances, appearance_outs = feed_tab.build_appearances(studio, account)
            with gr.Tab("Family", id="family") as family:
                load_family, family_outs = family_tab.build(studio, account)
            with gr.Tab("Verify", id="verify"):
                verify_tab.build(studio)
            # Shown to moderators only; its handlers are the library's, which refuse anyone else.
            with gr.Tab("Moderation", id="moderation", visible=False) as moderation:
                load_queue, queue_outs = moderation_tab.build(studio, account)
        # Whatever changes the signed-in account refreshes every view of it.
        account.change(load_mine, [account], mine)
        account.change(load_people, [account], people_outs)
        account.change(load_picker, [account], picker)
        account.change(load_appearances, [account], appearance_outs)
        account.change(lambda acc: moderation_tab.shown_to(studio, acc), [account], [moderation])
        account.change(load_queue, [account], queue_outs)
        account.change(load_family, [account], family_outs)
        family.select(load_family, [account], family_outs)
        moderation.select(load_queue, [account], queue_outs)
        create.select(load_picker, [account], picker)
        feed.select(load_feed, feed_ins, feed_outs)
        appearances.select(load_appearances, [account], appearance_outs)
        if from_profile is not None:
            demo.load(from_profile, None, [account, status])
        else:
            demo.load(lambda: who(None), None, [status])
    return demo


def start_workers(settings, studio: Studio, queue: JobQueue):
    """The embedded mode's workers: local worker processes per queue, or the GPU queue served in this
    process (ZeroGPU); plus the maintenance thread (dispatch what the broker missed, reap dead workers)."""
    from workers.inline import start_inline_worker
    from workers.local import LocalWorkers
    from workers.maintenance import start_maintenance

    start_maintenance(queue, settings.job_stale_s, sweep_media_every_s=ORPHAN_SWEEP_EVERY_S)
    counts = {"cpu": settings.local_cpu_workers, "gpu": 0 if settings.inline_gpu_worker else settings.local_gpu_workers}
    local = LocalWorkers(counts).start() if any(counts.values()) else None
    if local is not None:
        atexit.register(local.stop)
    if settings.inline_gpu_worker:
        start_inline_worker(queue, studio, "gpu")
    return local


def launch_options(settings) -> dict:
    """Where the page listens, which files it may serve, and its shell served from memory (ui/page_cache.py)."""
    return dict(server_name=os.environ.get("CAMEO_HOST", "0.0.0.0"), server_port=int(os.environ.get("CAMEO_PORT", 7860)),
                allowed_paths=[str(settings.media_dir.resolve())], app_kwargs={"middleware": [Middleware(PageCache)]})


def main() -> None:
    settings = load_settings()
    studio = build_studio(settings, warm_up="background" if settings.inline_gpu_worker else "off")
    queue = JobQueue(settings, studio.store)
    start_workers(settings, studio, queue)
    demo = build_ui(studio, settings.allow_upload, oauth=on_space_with_oauth(), queue=queue)
    start_sweeper(studio.library)  # takedowns made by other processes reach Gradio's cache too
    demo.queue(default_concurrency_limit=4).launch(**launch_options(settings))


if __name__ == "__main__":
    main()
