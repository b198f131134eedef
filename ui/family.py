"""Family: a parent account links to a teen account (the teen confirms), sets the teen's controls and sees a
summary of the teen's appearances; the teen is told what the parent can see and do. Rules: identity.family."""
from __future__ import annotations

import gradio as gr

from identity.family import CAP_LEVELS, AppearanceSummary, FamilyLink
from identity.store import Account
from pipeline.studio import Studio
from ui.common import by_prefix, friendly, require, whole_number
from ui.feed import _when
from ui.words import message, say, t, titled

LINK_COLUMNS = ["link", "parent", "teen", "status", "since", "controls"]
CAP_LABELS = {"only_me": "only the teen", "approved": "people the teen approves", "mutuals": "mutual followers"}


def _controls_text(link: FamilyLink) -> str:
    c = link.controls
    parts = [say("cameo at most: {cap}", cap=say(CAP_LABELS.get(c.cameo_cap, "as the teen chooses (never everyone)")))]
    parts.append(say("feed: following only") if c.feed_following_only else say("feed: as the teen chooses"))
    parts.append(say("{n} clips a day", n=c.daily_generation_limit) if c.daily_generation_limit is not None
                 else say("the studio's daily limit"))
    parts.append(say("publishing on") if c.publishing_allowed else say("publishing off"))
    return "; ".join(parts)


def links_view(studio: Studio, acc: Account | None) -> list[list]:
    if acc is None:
        return []
    return [[link.id[:8], f"@{link.parent_handle}", f"@{link.teen_handle}", say(link.status), _when(link.created_at),
             _controls_text(link)] for link in studio.family.links(acc)]


def told_to_teen(studio: Studio, acc: Account | None) -> str:
    """What a teen is told about their linked parent (the library's list)."""
    if acc is None or not acc.is_teen:
        return ""
    view = studio.family.parent_view(acc)
    if view is None:
        return say("No parent account is linked to yours.")
    return (say("**@{parent} is linked as your parent account. They can see and do:**", parent=view.link.parent_handle)
            + "\n\n" + "\n".join(f"- {message(m)}" for m in view.can))


def summary_markdown(summary: AppearanceSummary) -> str:
    if not summary.total:
        return say("No clip features @{teen}'s cameo.", teen=summary.teen_handle)
    statuses = ", ".join(f"{n} {say(status)}" for status, n in sorted(summary.by_status.items()))
    makers = ", ".join(f"@{h} ({n})" for h, n in summary.creators)
    recent = "\n".join(say("- {when} by @{creator}: {status}, {visibility}", when=_when(a.created_at),
                            creator=a.creator_handle, status=say(a.status), visibility=say(a.visibility))
                        for a in summary.recent)
    return (say("**{total} clips feature @{teen}'s cameo** ({statuses}). Made by {makers}.", total=summary.total,
                teen=summary.teen_handle, statuses=statuses, makers=makers) + f"\n\n{recent}")


def _link_id(studio: Studio, acc: Account, short: str) -> str:
    return by_prefix(short, [link.id for link in studio.family.links(acc)], "links")


def build(studio: Studio, account: gr.State):
    gr.Markdown(t("A parent account (adult) asks to link with a teen account; the teen confirms. The parent can "
                  "then narrow who may use the teen's cameo (never beyond mutual followers), keep the teen's feed to "
                  "accounts they follow, set a daily generation limit, turn off publishing, and see a summary of the "
                  "teen's appearances. The teen sees exactly what the parent can see and do."))
    told = gr.Markdown(elem_id="family-told")
    links = gr.Dataframe(headers=LINK_COLUMNS, interactive=False, elem_id="family-links", wrap=True)
    refresh_btn = gr.Button(t("Refresh"), elem_id="family-refresh")
    with gr.Row():
        teen = gr.Textbox(label=t("Teen's handle (to link as their parent)"), elem_id="family-teen")
        ask_btn = gr.Button(t("Ask to link"), elem_id="family-ask")
    with gr.Row():
        link = gr.Textbox(label=t("Link"), placeholder=t("its first characters"), elem_id="family-link")
        confirm_btn = gr.Button(t("Confirm (teen)"), elem_id="family-confirm")
        decline_btn = gr.Button(t("Decline (teen)"), elem_id="family-decline")
        unlink_btn = gr.Button(t("End the link"), variant="stop", elem_id="family-unlink")
    with gr.Accordion(t("Parent's controls for this link"), open=False):
        cap = gr.Dropdown([(t("as the teen chooses (never everyone)"), "")] + [(t(CAP_LABELS[c]), c) for c in CAP_LEVELS],
                          value="", label=t("Who may use the teen's cameo, at most"), elem_id="family-cap")
        only = gr.Checkbox(label=t("Feed: only accounts the teen follows"), elem_id="family-following-only")
        # Text, not a number: a browser sends an empty number box as 0, and 0 clips a day is a limit.
        limit = gr.Textbox(label=t("Clips a day (blank: the studio's limit)"), elem_id="family-limit")
        publishing = gr.Checkbox(label=t("The teen may publish"), value=True, elem_id="family-publishing")
        with gr.Row():
            save_btn = gr.Button(t("Save controls"), elem_id="family-save")
            summary_btn = gr.Button(t("Summary of the teen's appearances"), elem_id="family-summary")
    said = gr.Markdown(elem_id="family-status")

    def view(acc):
        return titled(links_view(studio, acc), LINK_COLUMNS), told_to_teen(studio, acc)

    @friendly
    def ask(acc, handle):
        acc = require(acc)
        studio.family.invite(acc, (handle or "").strip().lstrip("@"))
        return (*view(acc), say("Asked: the teen confirms or declines in their Family tab."))

    @friendly
    def answer(acc, short, how):
        acc = require(acc)
        link_id = _link_id(studio, acc, short)
        if how == "unlink":
            studio.family.unlink(acc, link_id)
        else:
            (studio.family.confirm if how == "confirm" else studio.family.decline)(acc, link_id)
        return (*view(acc), say({"confirm": "Confirmed.", "decline": "Declined.", "unlink": "The link was ended."}[how]))

    @friendly
    def save(acc, short, cameo_cap, following_only, per_day, may_publish):
        acc = require(acc)
        studio.family.set_controls(acc, _link_id(studio, acc, short), cameo_cap=cameo_cap or None,
                                   feed_following_only=bool(following_only),
                                   daily_generation_limit=whole_number(per_day, "Clips a day"),
                                   publishing_allowed=bool(may_publish))
        return (*view(acc), say("Saved: the teen is told what changed."))

    @friendly
    def summary(acc, short):
        acc = require(acc)
        return summary_markdown(studio.family.teen_summary(acc, _link_id(studio, acc, short)))

    outs = [links, told, said]
    refresh_btn.click(friendly(lambda acc: view(require(acc))), [account], [links, told], api_name="family")
    ask_btn.click(ask, [account, teen], outs, api_name="family_ask")
    confirm_btn.click(lambda a, s: answer(a, s, "confirm"), [account, link], outs, api_name="family_confirm")
    decline_btn.click(lambda a, s: answer(a, s, "decline"), [account, link], outs, api_name="family_decline")
    unlink_btn.click(lambda a, s: answer(a, s, "unlink"), [account, link], outs, api_name="family_unlink")
    save_btn.click(save, [account, link, cap, only, limit, publishing], outs, api_name="family_controls")
    summary_btn.click(summary, [account, link], [said], api_name="family_summary")
    return friendly(view), [links, told]
