"""What every tab shares: the signed-in account and turning our errors into readable messages."""
from __future__ import annotations

import functools
import inspect
import logging

import gradio as gr

from identity.errors import StudioError
from identity.store import Account
from ui.words import error, refuse, say

log = logging.getLogger("cameo.ui")
# Players and the recorder keep to this height (px), so the challenge, a clip's provenance and the
# buttons under it stay on the screen with them instead of below a full-width video.
PLAYER_HEIGHT = 400


def _as_message(fn, exc: Exception) -> gr.Error:
    if isinstance(exc, gr.Error):
        return exc
    if isinstance(exc, StudioError):
        return gr.Error(error(exc))  # by its code, in the session's language
    log.exception("unexpected error in %s", fn.__name__)  # the person gets a message, the log gets the trace
    return refuse("Something went wrong on our side ({kind}). Nothing was changed; please try again.",
                  kind=type(exc).__name__)


def friendly(fn):
    """Our errors reach the person as their message; anything else as a short apology, never a trace."""
    if inspect.iscoroutinefunction(fn):
        @functools.wraps(fn)
        async def waiting(*args, **kwargs):
            try:
                return await fn(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - turned into a message below
                error = _as_message(fn, exc)
                if error is exc:
                    raise
                raise error from exc
        return waiting

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - turned into a message below
            error = _as_message(fn, exc)
            if error is exc:
                raise
            raise error from exc
    return wrapper


def require(account: Account | None) -> Account:
    if account is None:
        raise refuse("Sign in first (the Account tab).")
    return account


def who(account: Account | None) -> str:
    if account is None:
        return say("Not signed in.")
    if account.is_teen:
        return say("Signed in as **@{handle}** (teen account: the strictest rules apply).", handle=account.handle)
    return say("Signed in as **@{handle}** (adult account).", handle=account.handle)


def by_prefix(short: str | None, ids: list[str], what: str) -> str:
    """The one id among `ids` that starts with what the person typed (ids are shown shortened)."""
    short = (short or "").strip()
    found = [i for i in ids if short and i.startswith(short)]
    if len(found) != 1:
        raise refuse("Pick one of the {what} listed (its first characters).", what=say(what))
    return found[0]


def whole_number(text: str | None, what: str) -> int | None:
    """A whole number typed in a text box, or None when left blank. (A browser sends an empty gr.Number as 0,
    which cannot say "none": 0 clips a day and face number 0 are real values.)"""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise refuse("{what}: type a whole number, or leave it blank.", what=say(what)) from None
