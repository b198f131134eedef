"""Commands of the generation side.

  python -m pipeline fetch-models [--model auto|vace-1.3b|vace-14b|vace-14b-4step] [--voice|--no-voice] [--json]

fetch-models downloads the GPU models into the Hugging Face cache (HF_HOME / HF_HUB_CACHE) ahead of the
first request, with progress in the log: the video model of the chosen profile (and its LoRA), and the
Chatterbox voice model when it is installed (or --voice). Offline (HF_HUB_OFFLINE=1) it checks the cache
instead. Exit codes: 0 everything is there, 1 something could not be fetched (the message says what to
do), 2 bad arguments.
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
import time

from identity.errors import StudioError


def fetch_models(model: str, voice: bool | None) -> dict:
    from pipeline import gpu
    from pipeline.diffusion import choose_profile
    from pipeline.voice_clone import MODEL_FILES, MODEL_REPO, chatterbox_available

    profile = choose_profile(model, gpu.GpuHost.cpu())
    fetched = []
    start = time.monotonic()
    fetched.append({"repo": profile.model_id, "path": gpu.fetch_model(profile.model_id)})
    if profile.lora is not None:
        fetched.append({"repo": profile.lora[0], "path": gpu.fetch_model(profile.lora[0], files=(profile.lora[1],))})
    if voice or (voice is None and chatterbox_available()):
        fetched.append({"repo": MODEL_REPO, "path": gpu.fetch_model(MODEL_REPO, files=MODEL_FILES)})
    return {"profile": profile.name, "models": fetched, "seconds": round(time.monotonic() - start, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline")
    sub = parser.add_subparsers(dest="command", required=True)
    fetch = sub.add_parser("fetch-models", help="download the GPU models into the Hub cache before the first request")
    fetch.add_argument("--model", default="auto", help="auto (default), vace-1.3b, vace-14b, vace-14b-4step or a Hub id")
    fetch.add_argument("--voice", dest="voice", action="store_true", default=None, help="also fetch Chatterbox")
    fetch.add_argument("--no-voice", dest="voice", action="store_false")
    fetch.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s", stream=sys.stderr)
    try:
        report = fetch_models(args.model, args.voice)
    except StudioError as exc:
        print(json.dumps({"ok": False, "code": exc.code, "error": exc.message}) if args.json else f"error: {exc.message}",
              file=sys.stdout if args.json else sys.stderr)
        return 1
    print(json.dumps({"ok": True, **report}) if args.json else
          "\n".join(f"{m['repo']}: {m['path']}" for m in report["models"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
