"""Read any audio file as mono 16 kHz float32, the form every voice model here takes."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from identity.errors import MediaError

AUDIO_RATE = 16000


def read_audio(path: Path) -> np.ndarray:
    import av

    try:
        with av.open(str(path)) as container:
            if not container.streams.audio:
                raise MediaError("no_audio", f"{path} has no audio track")
            resampler = av.AudioResampler(format="s16", layout="mono", rate=AUDIO_RATE)
            chunks = []
            for frame in container.decode(audio=0):
                chunks.extend(out.to_ndarray().reshape(-1) for out in resampler.resample(frame))
            chunks.extend(out.to_ndarray().reshape(-1) for out in resampler.resample(None))
    except av.error.FFmpegError as exc:
        raise MediaError("not_audio", f"{path} could not be read as audio ({exc.__class__.__name__})") from exc
    return (np.concatenate(chunks).astype(np.float32) / 32768.0) if chunks else np.zeros(0, np.float32)
