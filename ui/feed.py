"""Feed, appearances and inbox: the steered feed with reports and remix, clips featuring me, my notices,
owners' approvals and decisions about my clips (with an appeal). Every rule is the library's: identity.feed,
identity.moderation, identity.library."""
from __future__ import annotations

import time

import gradio as gr

from identity.clips import Clip
from identity.feed import FeedItem, FeedPage
from identity.moderation import REPORT_CATEGORIES, category_label
from identity.store import Account
from pipeline.studio import Studio
from ui.common import PLAYER_HEIGHT, by_prefix, friendly, require
from ui.takedown import sweep_cached_clips
from ui.words import message, notice, refuse, say, t, titled

CLIP_COLUMNS = ["clip", "by", "with", "status", "when", "prompt"]
FEED_COLUMNS = ["clip", "by", "with", "why am I seeing this", "remix of", "when", "prompt"]
REPORT_COLUMNS = ["clip", "category", "reported", "state", "outcome", "reason"]
DECISION_COLUMNS = ["case", "clip", "decision", "reason", "decided", "suspended until", "can appeal"]
APPROVAL_COLUMNS = ["clip", "by", "visibility", "asked", "prompt"]
INBOX_COLUMNS = ["when", "kind", "notice"]
CATEGORY_CHOICES = [(t(category_label(c)), c) for c in REPORT_CATEGORIES]


def _when(t: float | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.gmtime(t)) if t else ""


def clip_rows(clips: list[Clip]) -> list[list]:
    return [[c.id, f"@{c.creator_handle}", " ".join(f"@{h}" for h in c.cameo_handles), say(c.status),
             _when(c.published_at or c.created_at), c.prompt[:80]] for c in clips]


def _choices(clips: list[Clip]) -> gr.Dropdown:
    choices = [(say("{clip} by @{creator}: {prompt}", clip=c.id, creator=c.creator_handle, prompt=c.prompt[:40]), c.id)
               for c in clips if c.status != "removed"]
    return gr.Dropdown(choices=choices, value=choices[0][1] if choices else None)


def remix_text(item: FeedItem) -> str:
    return " ← ".join(message(link.message) for link in item.remix_chain)


def feed_rows(page: FeedPage) -> list[list]:
    return [[i.clip.id, f"@{i.clip.creator_handle}", " ".join(f"@{h}" for h in i.clip.cameo_handles), message(i.why),
             remix_text(i), _when(i.clip.published_at), i.clip.prompt[:80]] for i in page.items]


def feed_notice(page: FeedPage) -> str:
    lines = []
    if page.take_a_break is not None:
        lines.append(f"☕ **{message(page.take_a_break)}**")
    if page.locked_by_parent is not None:
        lines.append(say("_Following only: {why}._", why=message(page.locked_by_parent)))
    if not page.items:
        lines.append(say("Nothing to show yet.") + (say(" Follow people in the People tab, or switch off "
                                                        "\"following only\".") if page.following_only else ""))
    return "\n\n".join(lines)


def feed_view(studio: Studio, acc: Account | None, following_only: bool = False):
    """One page of the viewer's steered feed (identity.feed); someone not signed in sees recent public clips."""
    page = studio.feed.page(acc, following_only=bool(following_only))
    return (titled(feed_rows(page), FEED_COLUMNS), _choices([i.clip for i in page.items]), feed_notice(page),
            gr.Checkbox(value=page.following_only, interactive=page.locked_by_parent is None))


def report_rows(studio: Studio, acc: Account | None) -> list[list]:
    if acc is None:
        return []
    return [[r.clip_id, message(category_label(r.category)), _when(r.created_at),
             say({"in_review": "in review", "decided": "decided",
                  "removed": "the clip was removed by its creator or a person in it"}.get(r.state, r.state)),
             say((r.outcome or "").replace("_", " ")) if r.outcome else "", r.reason or ""]
            for r in studio.moderation.my_reports(acc)]


def decision_rows(studio: Studio, acc: Account | None) -> list[list]:
    if acc is None:
        return []
    return [[d.case_id[:8], d.clip_id, say(d.verdict.replace("_", " ")), d.reason, _when(d.decided_at),
             _when(d.suspended_until), say("yes") if d.appealable else say("no")]
            for d in studio.moderation.decisions_about(acc)]


def approval_rows(studio: Studio, acc: Account | None) -> list[list]:
    if acc is None:
        return []
    return [[a.clip.id, f"@{a.creator_handle}", say(a.visibility), _when(a.requested_at), a.clip.prompt[:80]]
            for a in studio.library.approvals_for(acc)]


def appearances_view(studio: Studio, acc: Account | None):
    if acc is None:
        return [], gr.Dropdown(choices=[]), [], [], []
    clips = studio.library.appearances(acc)
    notices = [[_when(n.created_at), n.kind, notice(n)] for n in studio.library.inbox(acc)]
    return (titled(clip_rows(clips), CLIP_COLUMNS), _choices(clips), titled(notices, INBOX_COLUMNS),
            titled(approval_rows(studio, acc), APPROVAL_COLUMNS),
            titled(decision_rows(studio, acc), DECISION_COLUMNS))


def _playable(studio: Studio, acc: Account | None, clip_id: str | None) -> str | None:
    """The clip's file, if this viewer may see it (identity.visibility decides; hidden clips are not played)."""
    if not clip_id:
        return None
    try:
        clip = studio.library.view(acc, clip_id)
    except Exception:  # noqa: BLE001 - not viewable: nothing is played, like no clip at all
        return None
    return str(studio.library.path(clip))  # streamed from the media store through the app


def _case_id(studio: Studio, acc: Account, short: str) -> str:
    return by_prefix(short, [d.case_id for d in studio.moderation.decisions_about(acc)], "decisions")


def build_feed(studio: Studio, account: gr.State, create_inputs):
    with gr.Row():
        following = gr.Checkbox(label=t("Following only"), value=False, elem_id="feed-following-only")
        refresh_btn = gr.Button(t("Refresh"), elem_id="feed-refresh")
    notice = gr.Markdown(elem_id="feed-notice")
    table = gr.Dataframe(headers=FEED_COLUMNS, label=t("Your feed: people you follow first, then what is new"),
                         interactive=False, elem_id="feed", wrap=True)
    with gr.Row():
        pick = gr.Dropdown(label=t("Clip"), choices=[], allow_custom_value=True, elem_id="feed-pick")
        remix_btn = gr.Button(t("Remix in Create"), elem_id="remix-btn")
    player = gr.Video(label=t("Clip"), interactive=False, elem_id="feed-video", height=PLAYER_HEIGHT)
    remix_md = gr.Markdown(elem_id="remix-status")
    with gr.Accordion(t("Report this clip"), open=False):
        gr.Markdown(t("Tell the moderators what is wrong with the clip picked above. A clip reported by several "
                      "people, or by someone in it, is hidden at once until a moderator decides."))
        category = gr.Dropdown(CATEGORY_CHOICES, label=t("What is wrong"), value=None, elem_id="report-category")
        details = gr.Textbox(label=t("In your words (needed for \"something else\")"), lines=2, max_length=1000,
                             elem_id="report-text")
        report_btn = gr.Button(t("Send report"), variant="stop", elem_id="report-btn")
        report_md = gr.Markdown(elem_id="report-status")
    with gr.Accordion(t("My reports"), open=False):
        reports = gr.Dataframe(headers=REPORT_COLUMNS, interactive=False, elem_id="my-reports", wrap=True)
        reports_btn = gr.Button(t("Refresh"), elem_id="my-reports-refresh")
    prompt, cameos, duration, aspect, remix_of = create_inputs

    @friendly
    def remix(acc, clip_id):
        acc = require(acc)
        clip = studio.library.remix_source(acc, clip_id)
        return (clip.prompt, list(clip.cameo_handles), clip.meta.get("duration_s", 4), clip.meta.get("aspect", "16:9"),
                clip.id, say("Loaded into Create: your own permissions are checked again for every cameo."))

    @friendly
    def report(acc, clip_id, cat, text):
        acc = require(acc)
        if not clip_id:
            raise refuse("Pick a clip to report.")
        if not cat:
            raise refuse("Choose what is wrong with the clip.")
        receipt = studio.moderation.report(acc, clip_id, cat, text or "")
        text = message(receipt.message)
        said = text[:1].upper() + text[1:] + "."
        if receipt.duplicate:
            said = say("You had already reported this clip; it counts once.") + " " + said
        return said, titled(report_rows(studio, acc), REPORT_COLUMNS), ""

    view = friendly(lambda acc, only: feed_view(studio, acc, only))
    feed_outs = [table, pick, notice, following]
    refresh_btn.click(view, [account, following], feed_outs, api_name="feed")
    following.input(view, [account, following], feed_outs)
    pick.change(friendly(lambda acc, cid: _playable(studio, acc, cid)), [account, pick], [player])
    remix_btn.click(remix, [account, pick], [prompt, cameos, duration, aspect, remix_of, remix_md])
    report_btn.click(report, [account, pick, category, details], [report_md, reports, details], api_name="report")
    reports_btn.click(friendly(lambda acc: titled(report_rows(studio, require(acc)), REPORT_COLUMNS)), [account],
                      [reports],
                      api_name="my_reports")
    return view, [account, following], feed_outs


def build_appearances(studio: Studio, account: gr.State):
    table = gr.Dataframe(headers=CLIP_COLUMNS, label=t("Clips and drafts featuring my cameo"), interactive=False,
                         elem_id="appearances")
    with gr.Row():
        pick = gr.Dropdown(label=t("Clip"), choices=[], allow_custom_value=True, elem_id="appearance-pick")
        delete_btn = gr.Button(t("Delete this clip"), variant="stop", elem_id="appearance-delete")
        refresh_btn = gr.Button(t("Refresh"), elem_id="appearances-refresh")
    player = gr.Video(label=t("Clip"), interactive=False, elem_id="appearance-video", height=PLAYER_HEIGHT)
    gr.Markdown(t("### Inbox"))
    inbox = gr.Dataframe(headers=INBOX_COLUMNS, label=t("Inbox"), interactive=False, elem_id="inbox",
                         wrap=True)
    gr.Markdown(t("### Clips waiting for my approval\nWhere you asked to approve clips with your cameo before they "
                  "go out (My cameo tab), they wait here."))
    approvals = gr.Dataframe(headers=APPROVAL_COLUMNS, interactive=False, elem_id="approvals", wrap=True)
    with gr.Row():
        approval_pick = gr.Textbox(label=t("Clip id"), elem_id="approval-clip")
        approve_btn = gr.Button(t("Approve publication"), elem_id="approve-publication-btn")
        decline_btn = gr.Button(t("Decline"), variant="stop", elem_id="decline-publication-btn")
    gr.Markdown(t("### Moderators' decisions about my clips\nA takedown or a suspension can be appealed once; "
                  "the appeal's decision is final."))
    decisions = gr.Dataframe(headers=DECISION_COLUMNS, interactive=False, elem_id="decisions", wrap=True)
    with gr.Row():
        case = gr.Textbox(label=t("Case"), placeholder=t("its first characters"), elem_id="appeal-case")
        appeal_text = gr.Textbox(label=t("Why it should be looked at again"), max_length=1000, elem_id="appeal-text")
        appeal_btn = gr.Button(t("Appeal"), elem_id="appeal-btn")
    said = gr.Markdown(elem_id="appearances-status")

    @friendly
    def delete(acc, clip_id):
        acc = require(acc)
        if not clip_id:
            raise refuse("Pick a clip first.")
        studio.library.delete(acc, clip_id)
        sweep_cached_clips(studio.library)
        return (*appearances_view(studio, acc), say("Deleted."))

    @friendly
    def answer(acc, clip_id, yes: bool):
        acc = require(acc)
        clip_id = (clip_id or "").strip()
        clip = (studio.library.approve_publication if yes else studio.library.decline_publication)(acc, clip_id)
        return (*appearances_view(studio, acc), say("Clip {clip} is now {status}.", clip=clip.id, status=say(clip.status)))

    @friendly
    def appeal(acc, short, text):
        acc = require(acc)
        studio.moderation.appeal(acc, _case_id(studio, acc, short), text or "")
        return (*appearances_view(studio, acc), say("Your appeal was received and goes back to a moderator."))

    outs = [table, pick, inbox, approvals, decisions]
    refresh_btn.click(friendly(lambda acc: appearances_view(studio, acc)), [account], outs, api_name="appearances")
    delete_btn.click(delete, [account, pick], [*outs, said])
    approve_btn.click(lambda acc, c: answer(acc, c, True), [account, approval_pick], [*outs, said],
                      api_name="approve_publication")
    decline_btn.click(lambda acc, c: answer(acc, c, False), [account, approval_pick], [*outs, said],
                      api_name="decline_publication")
    appeal_btn.click(appeal, [account, case, appeal_text], [*outs, said], api_name="appeal")
    pick.change(friendly(lambda acc, cid: _playable(studio, acc, cid)), [account, pick], [player])
    return (lambda acc: appearances_view(studio, acc)), outs
