"""The Moderation tab: the review queue and its decisions, through identity.moderation only.

The tab is shown to moderators alone (identity.roles); its handlers stay reachable through the page's API,
and there the library refuses anyone who is not a moderator. A review shows what the library gives a
reviewer: the clip, its record and safety figures, the creator, the consent records and the reports;
never a face template or a voice embedding (faces are listed by where they are, not what they are).
"""
from __future__ import annotations

import gradio as gr

from identity.moderation import VERDICTS, ReviewItem, category_label
from identity.roles import is_moderator
from identity.store import Account
from pipeline.studio import Studio
from ui.common import PLAYER_HEIGHT, friendly, require, whole_number
from ui.feed import _when
from ui.takedown import sweep_cached_clips
from ui.words import message, refuse, say, t, titled

QUEUE_COLUMNS = ["case", "kind", "severity", "opened", "clip", "creator", "reports", "prompt"]
VERDICT_LABELS = {"keep": "keep", "take_down": "take down", "uphold": "uphold (the appeal is refused)",
                  "overturn": "overturn (the appeal is accepted)"}
FACE_COLUMNS = ["face", "seen at (s)", "where (x0, y0, x1, y1)", "sightings", "is the cameo of"]


def _verdict_choices(verdicts) -> list[tuple[str, str]]:
    return [(say(VERDICT_LABELS[v]), v) for v in verdicts]


def shown_to(studio: Studio, acc: Account | None) -> gr.Tab:
    return gr.Tab(visible=acc is not None and is_moderator(studio.store, acc))


def queue_view(studio: Studio, acc: Account | None):
    items = studio.moderation.queue(require(acc))
    rows = [[i.case_id[:8], say(i.kind), i.severity, _when(i.opened_at), i.clip.id, f"@{i.creator.handle}",
             len(i.reports), i.clip.prompt[:60]] for i in items]
    choices = [(say("{case} ({kind}, severity {severity}) clip {clip}", case=i.case_id[:8], kind=say(i.kind),
                    severity=i.severity, clip=i.clip.id), i.case_id) for i in items]
    return titled(rows, QUEUE_COLUMNS), gr.Dropdown(choices=choices, value=choices[0][1] if choices else None)


def item_markdown(item: ReviewItem) -> str:
    c, who = item.clip, item.creator
    age = say("deleted account") if who.account_days is None else say("account {days} days old",
                                                                        days=f"{who.account_days:.0f}")
    lines = [say("### Case `{case}`: {kind}, severity {severity}, opened {when} UTC", case=item.case_id[:8],
                 kind=say(item.kind), severity=item.severity, when=_when(item.opened_at)),
             say("**Clip** `{clip}`: {status}, {visibility}", clip=c.id, status=say(c.status),
                 visibility=say(c.visibility)) + (say(", hidden pending review") if c.hidden else "")
             + (say(", remix of `{original}`", original=c.remix_of) if c.remix_of else "")
             + ("" if c.file_present else say(", file deleted")),
             say("**Prompt**: {prompt}", prompt=c.prompt),
             say("**Creator** @{handle} ({age}", handle=who.handle, age=age) + (say(", teen") if who.is_teen else "")
             + say(", {n} earlier takedowns", n=who.earlier_takedowns)
             + (say(", suspended until {until} UTC", until=_when(who.suspended_until)) if who.suspended_until else "")
             + ")",
             say("**People in it and their consent**:")]
    lines += [f"- @{p.handle}" + (say(" (teen)") if p.is_teen else "")
              + say(": cameo {state}, permission now {level}; consent record `{record}`",
                    state=say("active" if p.cameo_active else "revoked"), level=say(p.level_now or "none"),
                    record=p.consent_record_id or say("none"))
              + (f" sha256 `{p.consent_record_sha256[:16]}…`" if p.consent_record_sha256 else "") for p in item.people]
    lines.append(say("**Safety checks**:"))
    lines += [f"- {k}: `{v}`" for k, v in item.safety.items() if k != "consent_records"]
    lines.append(say("**Reports** ({n}):", n=len(item.reports)))
    lines += [f"- {_when(r.created_at)} @{r.reporter_handle}" + (say(" (is in the clip)") if r.by_featured else "")
              + f": {message(category_label(r.category))}" + (f": “{r.text}”" if r.text else "") for r in item.reports]
    if item.appeal is not None:
        a = item.appeal
        lines.append(say("**Appeal** of @{moderator}'s decision “{verdict}: {reason}”", moderator=a.moderator,
                         verdict=say(a.verdict.replace("_", " ")), reason=a.reason)
                     + (say(" (suspended until {until} UTC)", until=_when(a.suspended_until)) if a.suspended_until
                        else "")
                     + f": “{a.text}”")
    lines.append(say("**History**:") + " " + "; ".join(say("{when} {kind} by {actor}", when=_when(h.at),
                                                            kind=say(h.kind), actor=h.actor) for h in item.history))
    return "\n\n".join(lines)


def build(studio: Studio, account: gr.State):
    gr.Markdown(t("Most severe first, then oldest. Each decision needs a reason: the creator and the reporters are "
                  "told. You cannot review a clip you made or appear in."))
    with gr.Row():
        refresh_btn = gr.Button(t("Refresh the queue"), elem_id="mod-refresh")
    table = gr.Dataframe(headers=QUEUE_COLUMNS, interactive=False, elem_id="mod-queue", wrap=True)
    case = gr.Dropdown(label=t("Case"), choices=[], allow_custom_value=True, elem_id="mod-case")  # the library checks it
    with gr.Row():
        player = gr.Video(label=t("The clip"), interactive=False, elem_id="mod-video", height=PLAYER_HEIGHT)
        details = gr.Markdown(elem_id="mod-item")
    with gr.Accordion(t("Faces in the clip (to add one to the protected gallery)"), open=False):
        faces_btn = gr.Button(t("Find the faces in this clip"), elem_id="mod-faces-btn")
        faces = gr.Dataframe(headers=FACE_COLUMNS, interactive=False, elem_id="mod-faces")
    verdict = gr.Radio([(t(VERDICT_LABELS[v]), v) for v in VERDICTS["report"]], label=t("Decision"), elem_id="mod-verdict")
    reason = gr.Textbox(label=t("Reason (the creator and the reporters are told)"), max_length=1000, elem_id="mod-reason")
    with gr.Row():
        # Text, not numbers: a browser sends an empty number box as 0, and face 0 is a face.
        suspend = gr.Textbox(label=t("Also suspend the creator's generation for (days, with a takedown; blank: no)"),
                             elem_id="mod-suspend")
        face = gr.Textbox(label=t("Also add face number ... to the protected gallery (with a takedown; blank: no)"),
                          elem_id="mod-face")
        protect_as = gr.Textbox(label=t("as (the protected person's name)"), elem_id="mod-protect-as")
    decide_btn = gr.Button(t("Decide"), variant="primary", elem_id="mod-decide")
    said = gr.Markdown(elem_id="mod-status")

    @friendly
    def open_case(acc, case_id):
        acc = require(acc)
        if not case_id:
            return None, "", [], gr.Radio(value=None)
        item = studio.moderation.item(acc, case_id)
        path = studio.moderation.clip_file(acc, case_id)
        return ((str(path) if path else None), item_markdown(item), [],
                gr.Radio(choices=_verdict_choices(item.verdicts), value=None))

    @friendly
    def find_faces(acc, case_id):
        if not case_id:
            raise refuse("Pick a case first.")
        return titled([[f.face, round(f.time_s, 2), ", ".join(f"{v:.0f}" for v in f.bbox), f.sightings,
                       f"@{f.cameo_handle}" if f.cameo_handle else ""]
                      for f in studio.moderation.faces_in_clip(require(acc), case_id)], FACE_COLUMNS)

    @friendly
    def decide(acc, case_id, chosen, why, days, face_no, name):
        acc = require(acc)
        if not case_id:
            raise refuse("Pick a case first.")
        if not chosen:
            raise refuse("Choose a decision.")
        d = studio.moderation.decide(acc, case_id, chosen, why, suspend_days=whole_number(days, "Days"),
                                     protect_face=whole_number(face_no, "The face number"),
                                     protect_as=(name or "").strip() or None)
        if chosen == "take_down":
            sweep_cached_clips(studio.library)
        done = say("Decided: **{verdict}**: {reason}.", verdict=say(d.verdict.replace("_", " ")), reason=d.reason)
        if d.suspended_until:
            done += say(" Generation suspended until {until} UTC.", until=_when(d.suspended_until))
        if d.protected_person:
            done += say(" Face added to the protected gallery as {person}.", person=d.protected_person)
        rows, pick = queue_view(studio, acc)
        return done, rows, pick, ""

    refresh_btn.click(friendly(lambda acc: queue_view(studio, acc)), [account], [table, case], api_name="mod_queue")
    case.change(open_case, [account, case], [player, details, faces, verdict], api_name="mod_item")
    faces_btn.click(find_faces, [account, case], [faces], api_name="mod_faces")
    decide_btn.click(decide, [account, case, verdict, reason, suspend, face, protect_as],
                     [said, table, case, reason], api_name="mod_decide")

    def load(acc):
        if acc is None or not is_moderator(studio.store, acc):
            return [], gr.Dropdown(choices=[], value=None)
        return queue_view(studio, acc)
    return load, [table, case]
