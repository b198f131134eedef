"""Messages in the person's language: English or French, chosen from the browser and switchable.

Every message the studio shows carries a stable code and its parameters beside its English text
(`StudioError`, `identity.messages.Message`). This module renders one in the language asked for, from
the French catalogue (`identity.locale_fr.FRENCH`); a code without a French entry, or whose parameters
do not fill its template, keeps its English text. The UI only calls these functions.
"""
from __future__ import annotations

import string
from typing import Any

from identity.errors import StudioError
from identity.locale_fr import FRENCH

LANGUAGES = ("en", "fr")
DEFAULT_LANGUAGE = "en"


def supported(lang: str | None) -> str:
    """`lang` itself when the studio speaks it (a region is ignored: fr-CA is fr), else English."""
    base = (lang or "").strip().lower().replace("_", "-").split("-")[0]
    return base if base in LANGUAGES else DEFAULT_LANGUAGE


def from_accept_language(header: str | None) -> str:
    """The language a browser prefers among ours, from its Accept-Language header (RFC 9110 weights)."""
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate((header or "").split(",")):
        tag, _, rest = part.strip().partition(";")
        weight = 1.0
        if rest.strip().startswith("q="):
            try:
                weight = float(rest.strip()[2:])
            except ValueError:
                weight = 0.0
        base = tag.strip().lower().split("-")[0]
        if base in LANGUAGES and weight > 0:
            ranked.append((-weight, i, base))
    return min(ranked)[2] if ranked else DEFAULT_LANGUAGE


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def render(code: str, params: dict[str, Any] | None, english: str, lang: str) -> str:
    """The message `code` in `lang`; its English text where French has no template its parameters fill."""
    if supported(lang) != "fr":
        return english
    entry = FRENCH.get(code)
    templates = (entry,) if isinstance(entry, str) else (entry or ())
    values = {**(params or {}), "english": english}
    for name, value in list(values.items()):  # a parameter that is itself a message names it in `name_code`
        if isinstance(values.get(f"{name}_code"), str):
            values[name] = render(values[f"{name}_code"], {}, str(value), lang)
    for template in templates:
        if _fields(template) <= values.keys():
            return template.format(**values)
    return english


def error_text(exc: StudioError, lang: str) -> str:
    """A StudioError as a person reads it in `lang`."""
    return render(exc.code, exc.params, exc.message, lang)


def message_text(message: Any, lang: str) -> str:
    """An `identity.messages.Message` (a notice, a reason, a "why am I seeing this") in `lang`."""
    return render(message.code, message.params, message.text, lang)
