"""Cameo Studio, the Gradio app: layout and wiring only; every rule lives in identity/."""
from __future__ import annotations

from pathlib import Path

import gradio as gr

from identity.challenge import Challenge
from identity.enrollment import Enroller, Verdict
from identity.errors import IdentityError
from identity.service import build_enroller
from settings import load_settings


def challenge_markdown(ch: Challenge) -> str:
    steps = "\n".join(f"{i}. {line}" for i, line in enumerate(ch.instructions(), start=1))
    return (
        f"## Your challenge\n\n{steps}\n\n"
        f"# {ch.spoken_digits}\n\n"
        f"**Head turns:** {' → '.join(ch.turns)}  \n"
        f"Record one clip of at most 15 s, alone, face to the camera. This challenge expires in "
        f"{int((ch.expires_at or 0) - ch.issued_at) // 60} minutes and can be used once."
    )


def verdict_markdown(v: Verdict) -> str:
    if v.ok:
        return f"### ✅ Your cameo is ready\nCameo id `{v.cameo_id}`. Only you can use it until you allow others."
    reasons = "\n".join(f"- {r}" for r in v.reasons)
    return f"### ❌ We could not verify this recording\n{reasons}\n\nStart a new enrollment and record again."


def start_enrollment(enroller: Enroller, handle: str):
    try:
        ch = enroller.new_challenge(handle)
    except IdentityError as exc:
        raise gr.Error(exc.message) from exc
    return challenge_markdown(ch), ch


def verify_recording(enroller: Enroller, source: str, video_path: str | None, ch: Challenge | None):
    if ch is None:
        raise gr.Error("Start an enrollment first: the challenge tells you what to say and do.")
    if not video_path:
        raise gr.Error("Record (or upload) your clip first.")
    try:
        verdict = enroller.enroll(video_path, ch, source=source)
    finally:
        # The cameo keeps templates, crops and a voice embedding; the raw recording is not kept.
        Path(video_path).unlink(missing_ok=True)
    crops = []
    if verdict.ok:
        cameo = enroller.store.get_cameo(verdict.cameo_id)
        crops = [_png_to_rgb(p) for p in enroller.store.crops_png(cameo.id, cameo.n_crops)]
    return verdict_markdown(verdict), crops, None  # a challenge answers one recording


def build_ui(enroller: Enroller, allow_upload: bool) -> gr.Blocks:
    source = "upload" if allow_upload else "webcam"

    def start(handle: str):
        return start_enrollment(enroller, handle)

    def verify(video_path: str | None, ch: Challenge | None, progress=gr.Progress()):
        progress(0.1, desc="Checking your recording")
        return verify_recording(enroller, source, video_path, ch)

    # Gradio's own upload cache is swept hourly too, in case a request dies before the unlink.
    with gr.Blocks(title="Cameo Studio", delete_cache=(3600, 3600)) as demo:
        gr.Markdown("# Cameo Studio\nEnroll your cameo: one short recording proves it is really you, and that you agree.")
        with gr.Row():
            handle = gr.Textbox(label="Your handle", placeholder="alice")
            start_btn = gr.Button("Start enrollment", variant="primary")
        challenge_md = gr.Markdown()
        challenge_state = gr.State(None)
        # Unmirrored: the verifier reads "left" as the person's own left in the camera's view,
        # and Gradio would need ffmpeg on the server to flip a mirrored recording.
        video = gr.Video(
            label="Your recording",
            sources=["webcam", "upload"] if allow_upload else ["webcam"],
            include_audio=True,
            webcam_options=gr.WebcamOptions(mirror=False),
        )
        verify_btn = gr.Button("Verify and create my cameo", variant="primary")
        verdict_md = gr.Markdown()
        crops = gr.Gallery(label="Your reference images", columns=3, height=260)
        start_btn.click(start, [handle], [challenge_md, challenge_state])
        verify_btn.click(verify, [video, challenge_state], [verdict_md, crops, challenge_state])
    return demo


def _png_to_rgb(png: bytes):
    import cv2
    import numpy as np

    return cv2.cvtColor(cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)


def main() -> None:
    settings = load_settings()
    demo = build_ui(build_enroller(settings), settings.allow_upload)
    demo.queue(default_concurrency_limit=1).launch(server_name="0.0.0.0", server_port=7860)


if __name__ == "__main__":
    main()
