"""People: follow others, ask to use their cameo, and decide on requests for mine."""
from __future__ import annotations

import time

import gradio as gr

from identity.store import Account
from pipeline.studio import Studio
from ui.common import friendly, require
from ui.words import refuse, say, t, titled

PEOPLE_COLUMNS = ["handle", "has a cameo", "you follow", "follows you", "your request", "you may use it"]
REQUEST_COLUMNS = ["request", "from", "status", "when"]


def people_rows(studio: Studio, acc: Account | None) -> list[list]:
    if acc is None:
        return []
    yes = {True: say("yes"), False: ""}
    return [[f"@{p.handle}", yes[p.cameo_id is not None], yes[p.i_follow], yes[p.follows_me], say(p.my_request) if p.my_request else "",
             yes[p.usable]] for p in studio.ledger.people(acc)]


def request_rows(studio: Studio, acc: Account | None) -> list[list]:
    if acc is None:
        return []
    return [[r.id[:8], f"@{r.requester}", say(r.status), time.strftime("%Y-%m-%d %H:%M", time.gmtime(r.created_at))]
            for r in studio.ledger.requests_for(acc)]


def refresh(studio: Studio, acc: Account | None):
    rows = request_rows(studio, acc)
    choices = [(f"@{r[1].lstrip('@')} ({r[2]})", r[0]) for r in rows]
    return (titled(people_rows(studio, acc), PEOPLE_COLUMNS), titled(rows, REQUEST_COLUMNS),
            gr.Dropdown(choices=choices, value=choices[0][1] if choices else None))


def _other(studio: Studio, handle: str) -> Account:
    return studio.store.account((handle or "").strip().lstrip("@").lower())


def _full_request_id(studio: Studio, acc: Account, short: str | None) -> str:
    for r in studio.ledger.requests_for(acc):
        if short and r.id.startswith(short):
            return r.id
    raise refuse("Pick a request first.")


def build(studio: Studio, account: gr.State):
    people = gr.Dataframe(headers=PEOPLE_COLUMNS, label=t("People"), interactive=False, elem_id="people")
    with gr.Row():
        other = gr.Textbox(label=t("Handle"), placeholder="@bob", elem_id="people-handle")
        follow_btn = gr.Button(t("Follow"), elem_id="follow-btn")
        unfollow_btn = gr.Button(t("Unfollow"), elem_id="unfollow-btn")
        request_btn = gr.Button(t("Ask to use their cameo"), variant="primary", elem_id="request-btn")
    people_md = gr.Markdown(elem_id="people-status")
    gr.Markdown(t("### Requests to use my cameo"))
    requests = gr.Dataframe(headers=REQUEST_COLUMNS, label=t("Requests"), interactive=False, elem_id="requests")
    with gr.Row():
        pick = gr.Dropdown(label=t("Request"), choices=[], allow_custom_value=True, elem_id="request-pick")
        approve_btn = gr.Button(t("Approve"), variant="primary", elem_id="approve-btn")
        deny_btn = gr.Button(t("Deny"), elem_id="deny-btn")
        withdraw_btn = gr.Button(t("Withdraw approval"), elem_id="withdraw-btn")
    refresh_btn = gr.Button(t("Refresh"), elem_id="people-refresh")

    @friendly
    def follow(acc, h, unfollow=False):
        acc = require(acc)
        target = _other(studio, h)
        (studio.ledger.unfollow if unfollow else studio.ledger.follow)(acc, target)
        done = "You no longer follow @{handle}." if unfollow else "You now follow @{handle}."
        return (say(done, handle=target.handle), *refresh(studio, acc))

    @friendly
    def ask(acc, h):
        acc = require(acc)
        target = _other(studio, h)
        cameo = studio.store.active_cameo_of(target)
        if cameo is None:
            raise refuse("@{handle} has no cameo.", handle=target.handle)
        studio.ledger.request(acc, cameo.id)
        return (say("Asked @{handle}; you will see their answer in your inbox.", handle=target.handle),
                *refresh(studio, acc))

    def decide(method, done: str):
        @friendly
        def run(acc, short):
            acc = require(acc)
            method(acc, _full_request_id(studio, acc, short))
            return (say(done), *refresh(studio, acc))
        return run

    outs = [people_md, people, requests, pick]
    follow_btn.click(follow, [account, other], outs, api_name="follow")
    unfollow_btn.click(lambda a, h: follow(a, h, unfollow=True), [account, other], outs)
    request_btn.click(ask, [account, other], outs, api_name="request")
    approve_btn.click(decide(studio.ledger.approve, "Approved."), [account, pick], outs, api_name="approve")
    deny_btn.click(decide(studio.ledger.deny, "Denied."), [account, pick], outs)
    withdraw_btn.click(decide(studio.ledger.withdraw, "Approval withdrawn."), [account, pick], outs)
    refresh_btn.click(friendly(lambda acc: refresh(studio, acc)), [account], [people, requests, pick])
    return (lambda acc: refresh(studio, acc)), [people, requests, pick]
