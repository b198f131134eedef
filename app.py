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
from ui.words import I18N, LANGUAGE_CHOICES, LANGUAGES, choose_language, current_language, t
from ui.takedown import start_sweeper
from workers.queues import JobQueue


ORPHAN_SWEEP_EVERY_S = 3600.0  # media left by a revoke or a save cut short are swept this often (and at start)


def on_space_with_oauth() -> bool:
    """A Space with `hf_oauth: true` gets these variables; then people sign in with Hugging Face."""
    return bool(os.environ.get("SPACE_ID") and os.environ.get("OAUTH_CLIENT_ID"))


# The page's language switch also switches Gradio's own translations in the browser (its `changeLocale`,
# from the module the page already loaded; without it the switch still changes every text the server
# writes, and Gradio's Settings > Language changes the rest), and is remembered in the browser.
SWITCH_JS = """(lang) => {
  try { localStorage.setItem("cameo-language", lang); } catch (e) {}
  const core = performance.getEntriesByType("resource").map((e) => e.name)
    .find((n) => /\\/assets\\/core-[^\\/]+\\.js(\\?|$)/.test(n));
  if (core) import(core).then((m) => m.changeLocale && m.changeLocale(lang)).catch(() => {});
  return lang;
}"""
REMEMBERED_JS = """() => {
  let lang = null;
  try { lang = localStorage.getItem("cameo-language"); } catch (e) {}
  return lang === "en" || lang === "fr" ? (""" + SWITCH_JS + """)(lang) : null;
}"""


def start_language(remembered: str | None) -> str:
    """The session's language: the one this browser picked before, else its Accept-Language."""
    return choose_language(remembered) if remembered in LANGUAGES else current_language()


def switch_language(lang: str, acc) -> str:
    """The person picked a language: the server writes in it from now on, starting with the status line."""
    choose_language(lang)
    return who(acc)


def build_ui(studio: Studio, allow_upload: bool, oauth: bool = False, queue: JobQueue | None = None) -> gr.Blocks:
    """The page. It only reads and enqueues: enrollment analysis and generation run in workers (workers/)."""
    queue = queue or JobQueue(studio.settings, studio.store)
    # Gradio's own upload cache is swept hourly too, in case a request dies before the unlink.
    with gr.Blocks(title="Cameo Studio", delete_cache=(3600, 3600)) as demo:
        with gr.Row(equal_height=True):
            gr.Markdown(t("# Cameo Studio\nPut real people into generated clips, only with their verified, revocable "
                          "consent."))
            language = gr.Radio(LANGUAGE_CHOICES, label=t("Language"), value=None, elem_id="language", scale=0,
                                min_width=220)
        account = gr.State(None)
        with gr.Tabs():
            with gr.Tab(t("Account"), id="account"):
                status, from_profile = account_tab.build(studio, account, oauth)
            with gr.Tab(t("My cameo"), id="cameo"):
                load_mine, mine = cameo_tab.build(studio, account, allow_upload, queue)
            with gr.Tab(t("People"), id="people"):
                load_people, people_outs = people_tab.build(studio, account)
            with gr.Tab(t("Create"), id="create") as create:
                load_picker, picker, create_inputs = create_tab.build(studio, account, queue)
            with gr.Tab(t("Feed"), id="feed") as feed:
                load_feed, feed_ins, feed_outs = feed_tab.build_feed(studio, account, create_inputs)
            with gr.Tab(t("Appearances & inbox"), id="appearances") as appearances:
                load_appearances, appearance_outs = feed_tab.build_appearances(studio, account)
            with gr.Tab(t("Family"), id="family") as family:
                load_family, family_outs = family_tab.build(studio, account)
            with gr.Tab(t("Verify"), id="verify"):
                verify_tab.build(studio)
            # Shown to moderators only; its handlers are the library's, which refuse anyone else.
            with gr.Tab(t("Moderation"), id="moderation", visible=False) as moderation:
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
        language.input(None, [language], None, js=SWITCH_JS)
        switched = language.input(switch_language, [language, account], [status], api_name="set_language")
        for load, outs in ((load_mine, mine), (load_people, people_outs), (load_picker, picker),
                           (load_appearances, appearance_outs), (load_family, family_outs)):
            switched.then(load, [account], outs)  # what the server wrote, written again in the new language
        if from_profile is not None:
            demo.load(start_language, [language], [language], js=REMEMBERED_JS)
            demo.load(from_profile, None, [account, status])
        else:
            demo.load(lambda remembered: (start_language(remembered), who(None)), [language], [language, status],
                      js=REMEMBERED_JS)
    # Gradio takes the translations at launch: every launcher of this page (app, tests) gets them.
    launch = demo.launch
    demo.launch = lambda *args, **kwargs: launch(*args, **{"i18n": I18N, **kwargs})
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
