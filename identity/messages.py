"""Messages as a code and its parameters, with the English text beside them, so a UI can translate.

Each module keeps its texts in one `Catalog` (code -> English template). Errors,
refusal reasons, notices and "why am I seeing this" all carry the code and the
parameters; the English text is rendered here once. `ALL_TEXTS` holds every
code registered, so a translation can be checked for completeness.
"""
from __future__ import annotations

import string
from dataclasses import dataclass, field
from typing import Any, TypeVar

from identity.errors import StudioError

ALL_TEXTS: dict[str, str] = {}
E = TypeVar("E", bound=StudioError)


@dataclass(frozen=True)
class Message:
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    text: str = ""  # the English rendering

    def __str__(self) -> str:
        return self.text


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


class Catalog:
    """One module's texts. Codes are unique across the studio (a UI translates by code alone)."""

    def __init__(self, texts: dict[str, str]):
        for code, text in texts.items():
            if ALL_TEXTS.get(code, text) != text:
                raise ValueError(f"message code {code!r} is defined twice with different texts")
        ALL_TEXTS.update(texts)
        self.texts = dict(texts)

    def message(self, code: str, /, **params: Any) -> Message:
        return Message(code, params, self.texts[code].format(**params))

    def error(self, cls: type[E], code: str, /, **params: Any) -> E:
        return cls(code, self.texts[code].format(**params), params)
