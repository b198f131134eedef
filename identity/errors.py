"""Errors a person can act on, with a stable code for programs."""
from __future__ import annotations


class IdentityError(Exception):
    """An input or state problem, explained in words a user can act on."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message


class MediaError(IdentityError):
    """The recording itself cannot be used (damaged, wrong kind, too long, ...)."""


class ModelUnavailableError(IdentityError):
    """A model a backend needs is not installed or not downloaded."""
