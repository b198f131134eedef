"""Sign in: a local account with a password, or Hugging Face on a Space (OAuth)."""
from __future__ import annotations

import time

import gradio as gr

from identity.accounts import delete_account, hugging_face_account, log_in, set_birth_year, sign_up
from identity.invites import InviteError, invite_codes
from identity.store import Account
from pipeline.studio import Studio
from ui.common import friendly, require, who
from ui.words import error, refuse, say, t
from ui.takedown import sweep_cached_clips


def build(studio: Studio, account: gr.State, oauth: bool) -> gr.Markdown:
    store = studio.store
    status = gr.Markdown(who(None), elem_id="who")
    if oauth:
        gr.LoginButton()
        gr.Markdown(t("New here? Tell us your birth year once: under 18 is a teen account with stricter rules."))
    with gr.Row():
        handle = gr.Textbox(label=t("Handle"), placeholder="alice", elem_id="login-handle", visible=not oauth)
        password = gr.Textbox(label=t("Password"), type="password", elem_id="login-password", visible=not oauth)
        birth = gr.Number(label=t("Birth year (sign-up)"), precision=0, elem_id="login-birth")
    invite_only = store.rules.invite_only
    code = gr.Textbox(label=t("Invitation code (sign-up: this studio is invitation-only)"), value="",
                      elem_id="login-invite", visible=invite_only)
    with gr.Row():
        up = gr.Button(t("Sign up"), elem_id="signup-btn", visible=not oauth)
        inn = gr.Button(t("Log in"), variant="primary", elem_id="login-btn", visible=not oauth)
        set_year = gr.Button(t("Save birth year"), elem_id="birth-btn", visible=oauth)
        # Hugging Face sign-in on an invitation-only studio: the first sign-in needs a code.
        join = gr.Button(t("Join with this code"), variant="primary", elem_id="join-btn", visible=oauth and invite_only)
        out = gr.Button(t("Log out"), elem_id="logout-btn", visible=not oauth)
    with gr.Accordion(t("My invitation codes"), open=False, visible=invite_only):
        gr.Markdown(t("Each account gets {n} codes to invite people it knows.", n=store.rules.invites_per_account))
        codes = gr.Dataframe(headers=["code", "used by", "used at"], interactive=False, elem_id="invite-codes")
        codes_btn = gr.Button(t("Show my codes"), elem_id="invite-codes-btn")
    with gr.Accordion(t("Delete my account"), open=False):
        gr.Markdown(t("Deletes your cameo (face templates, voice embedding, reference images), every clip you "
                      "made, your follows and requests. Clips taken down stay listed as removed. This cannot be "
                      "undone."))
        sure = gr.Checkbox(label=t("I understand: delete my account and everything above"), elem_id="delete-sure")
        delete = gr.Button(t("Delete my account"), variant="stop", elem_id="delete-account-btn")

    @friendly
    def do_sign_up(h: str, p: str, year, invitation: str = ""):
        if year is None:
            raise refuse("Enter your birth year to sign up.")
        acc = sign_up(store, h.strip(), p, int(year), (invitation or "").strip() or None)
        return acc, who(acc), ""

    @friendly
    def do_log_in(h: str, p: str):
        acc = log_in(store, h.strip(), p)
        return acc, who(acc), ""

    @friendly
    def do_delete(acc: Account | None, confirmed: bool):
        acc = require(acc)
        if not confirmed:
            raise refuse("Tick the box to confirm that you want everything deleted.")
        delete_account(store, acc)
        sweep_cached_clips(studio.library)
        return None, say("Your account and everything in it were deleted."), False

    @friendly
    def my_codes(acc: Account | None):
        return [[c.code, f"@{c.used_by}" if c.used_by else "", time.strftime("%Y-%m-%d %H:%M", time.gmtime(c.used_at))
                 if c.used_at else ""] for c in invite_codes(store, require(acc))]

    up.click(do_sign_up, [handle, password, birth, code], [account, status, password], api_name="sign_up")
    codes_btn.click(my_codes, [account], [codes], api_name="invite_codes")
    inn.click(do_log_in, [handle, password], [account, status, password], api_name="log_in")
    out.click(lambda: (None, who(None)), None, [account, status])
    delete.click(do_delete, [account, sure], [account, status, sure])

    if oauth:
        @friendly
        def join_with(invitation: str, profile: gr.OAuthProfile | None):
            """The Hugging Face user's account; the library asks a new one for a code (invitation-only)."""
            if profile is None:
                raise refuse("Sign in with Hugging Face first (the button above), then join with your code.")
            invitation = (invitation or "").strip()
            try:
                acc = hugging_face_account(store, profile.username, invitation or None)
            except InviteError as exc:
                if invitation:
                    raise  # a code that does not work: say why
                return None, say("Signed in with Hugging Face as **{user}**, but {why}, then press **Join with "
                                 "this code**.", user=profile.username, why=error(exc))
            return acc, who(acc)

        def from_profile(profile: gr.OAuthProfile | None):
            return (None, who(None)) if profile is None else join_with("", profile)

        @friendly
        def save_year(acc: Account | None, year):
            acc = set_birth_year(store, require(acc), int(year or 0))
            return acc, who(acc)

        set_year.click(save_year, [account, birth], [account, status])
        join.click(join_with, [code], [account, status], api_name="join")
        return status, from_profile
    return status, None
