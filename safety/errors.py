"""Errors from the safety checks and marks, with a stable code for programs."""
from __future__ import annotations


class SafetyError(Exception):
    """A safety step refused or could not run, explained in words a user can act on."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message
