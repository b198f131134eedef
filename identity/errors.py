"""Errors a person can act on, with a stable code for programs."""
from __future__ import annotations


class StudioError(Exception):
    """A problem explained in words a person can act on, with a stable code for programs.

    The base of every package's own errors (identity, pipeline, safety), so the UI
    and the commands turn any of them into a message the same way.
    """

    def __init__(self, code: str, message: str, params: dict | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.params = dict(params or {})  # what the message names, for a UI that renders the code in its language

    def __str__(self) -> str:
        return self.message


class IdentityError(StudioError):
    """An input or state problem in accounts, cameos or consent."""


class MediaError(IdentityError):
    """The recording itself cannot be used (damaged, wrong kind, too long, ...)."""


class ModelUnavailableError(IdentityError):
    """A model a backend needs is not installed or not downloaded."""
