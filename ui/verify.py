"""Verify: upload any clip and read its Content Credentials (embedded, or recovered by its mark), marks and
takedown status, in words."""
from __future__ import annotations

import gradio as gr

from pipeline.studio import Studio
from safety.verify import summary, verify_clip
from ui.common import friendly
from ui.words import refuse, t


def build(studio: Studio):
    upload = gr.File(label=t("A clip to verify"), file_types=["video"], elem_id="verify-file")
    check_btn = gr.Button(t("Verify"), variant="primary", elem_id="verify-btn")
    words = gr.Markdown(elem_id="verify-summary")
    details = gr.JSON(label=t("Details (as `python -m safety verify --json` prints them)"), elem_id="verify-json")

    @friendly
    def check(path):
        if not path:
            raise refuse("Upload a clip first.")
        report = verify_clip(path, studio.signer.trust_anchor_pem, studio.library.get, studio.library.manifest)
        return summary(report), report

    check_btn.click(check, [upload], [words, details], api_name="verify")
