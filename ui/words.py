"""The page's words in the person's language (English or French).

Gradio translates only static text, in the browser (`gr.I18n`: labels, buttons, tabs, headings,
choices, from the browser's language or Gradio's own Settings > Language); what a handler returns
(a status line, an error, a table) is rendered here, on the server, in the session's language: the
one the person picked with the page's switch, else the browser's Accept-Language. Our errors and the
library's notices render by code through `identity.locale`; the UI's own sentences are keyed by their
English text, and their French is in `ui.words_fr`.
"""
from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

import gradio as gr
from gradio.context import LocalContext
from gradio.i18n import I18nData

from identity.errors import StudioError
from identity.locale import LANGUAGES, error_text, from_accept_language, message_text, render, supported
from ui.words_fr import FRENCH_UI

LANGUAGE_CHOICES = [("English", "en"), ("Français", "fr")]
_EN: dict[str, str] = {}
_FR: dict[str, str] = {}
# Gradio keeps these very dicts: texts registered after the page is built still reach the browser.
I18N = gr.I18n(en=_EN, fr=_FR)
# The language each session picked with the switch (session hash -> "en"/"fr"); the oldest are forgotten.
_CHOSEN: OrderedDict[str, str] = OrderedDict()
MAX_SESSIONS = 50_000
_CHOSEN_LOCK = threading.Lock()  # handlers run on several threads


def _french(english: str, params: dict) -> str:
    template = FRENCH_UI.get(english, english)
    return template.format(**params) if params else template


def t(english, **params) -> I18nData:
    """A static text of the page, shown by the browser in its language: the UI's own English, or a library
    message (`identity.messages.Message`, e.g. a report category), rendered by its code."""
    if hasattr(english, "code"):
        text, french = english.text, message_text(english, "fr")
    else:
        text, french = (english.format(**params) if params else english), _french(english, params)
    key = "cameo_" + hashlib.sha1(text.encode()).hexdigest()[:12]  # no dots: svelte-i18n reads them as paths
    _EN[key], _FR[key] = text, french
    return I18N(key)


def current_language() -> str:
    """The language of the session whose event is being handled: its switch, else its browser's."""
    request = LocalContext.request.get(None)
    if request is None:
        return "en"
    with _CHOSEN_LOCK:
        chosen = _CHOSEN.get(getattr(request, "session_hash", None) or "")
    if chosen:
        return chosen
    headers = getattr(request, "headers", None) or {}
    return from_accept_language(headers.get("accept-language"))


def choose_language(lang: str | None) -> str:
    """Remember the language this session picked (ignored without a session, e.g. a direct call)."""
    lang = supported(lang)
    request = LocalContext.request.get(None)
    session = getattr(request, "session_hash", None) if request is not None else None
    if session:
        with _CHOSEN_LOCK:
            _CHOSEN[session] = lang
            _CHOSEN.move_to_end(session)
            while len(_CHOSEN) > MAX_SESSIONS:
                _CHOSEN.popitem(last=False)
    return lang


def say(english: str, lang: str | None = None, **params) -> str:
    """One of the UI's own sentences, in the session's language."""
    if supported(lang or current_language()) == "fr":
        return _french(english, params)
    return english.format(**params) if params else english


def refuse(english: str, **params) -> gr.Error:
    """A gr.Error in the session's language, for the person to read."""
    return gr.Error(say(english, **params))


def error(exc: StudioError) -> str:
    return error_text(exc, current_language())


def message(msg) -> str:
    """A library notice, reason or label (`identity.messages.Message`) in the session's language."""
    return message_text(msg, current_language())


def notice(n) -> str:
    """An inbox notice (`identity.clips.Notice`: its kind is its message code) in the session's language."""
    return render(n.kind, n.params, n.text, current_language())


def titled(rows: list[list], columns: list[str]) -> dict:
    """A table's rows with its column headers in the session's language (Gradio does not translate headers;
    it takes a {"data", "headers"} value, and the page's API still answers headers and data)."""
    return {"data": rows, "headers": [say(c) for c in columns]}


__all__ = ["I18N", "LANGUAGES", "LANGUAGE_CHOICES", "t", "say", "refuse", "error", "message", "current_language",
           "choose_language", "notice", "titled"]
