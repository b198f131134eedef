"""An embedding tagged with the backend and model that made it.

Two embeddings are comparable only when both tags match: the spaces of
different models are unrelated, so a score between them means nothing.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Embedding:
    backend: str
    model: str
    vector: np.ndarray

    def to_bytes(self) -> bytes:
        return np.asarray(self.vector, dtype=np.float32).tobytes()

    def same_model(self, other: "Embedding") -> bool:
        return (self.backend, self.model) == (other.backend, other.model)
