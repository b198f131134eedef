"""Gradio keeps its own copy of every clip it has shown: a taken-down clip's copies must go too.

The library deletes a removed clip's file, but Gradio's cache (GRADIO_TEMP_DIR) still holds
whatever copies it served, under the clip's file name. The sweeper deletes every cached copy
of a clip that is removed (or unknown to the studio) right after a takedown in this process,
and every few seconds for takedowns made elsewhere (another worker, the command line).
"""
from __future__ import annotations

import logging
import re
import threading
from pathlib import Path

from gradio.utils import get_upload_folder

from identity.library import ClipLibrary

CLIP_FILE = re.compile(r"^[0-9a-f]{16}\.mp4$")  # how the library names clip files (identity.clips.new_clip_id)
SWEEP_EVERY_S = 5.0
log = logging.getLogger("cameo.takedown")


def sweep_cached_clips(library: ClipLibrary, cache_dir: Path | None = None) -> list[Path]:
    """Delete cached copies of removed clips in `cache_dir`, or else in Gradio's cache and in the
    library's own cache of clips fetched from a bucket."""
    roots = [Path(cache_dir)] if cache_dir else [Path(get_upload_folder()), library.cache_dir]
    gone = []
    for path in (p for root in roots if root.is_dir() for p in root.rglob("*.mp4")):
        if not CLIP_FILE.match(path.name):
            continue
        clip = library.get(path.stem)
        if clip is None or clip.status == "removed":
            path.unlink(missing_ok=True)
            gone.append(path)
    return gone


def start_sweeper(library: ClipLibrary, every_s: float = SWEEP_EVERY_S) -> threading.Thread:
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(every_s):
            try:
                sweep_cached_clips(library)
            except Exception:  # noqa: BLE001 - keep sweeping; a failed pass is retried
                log.exception("sweeping Gradio's cache failed")

    thread = threading.Thread(target=loop, name="takedown-sweeper", daemon=True)
    thread.start()
    return thread
