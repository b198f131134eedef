"""Errors from the safety checks and marks, with a stable code for programs."""
from __future__ import annotations

from identity.errors import StudioError


class SafetyError(StudioError):
    """A safety step refused or could not run, explained in words a user can act on."""
