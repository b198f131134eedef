"""Verify a clip: its Content Credentials, its invisible watermark, and what the studio knows of it.

A clip found elsewhere may have lost its C2PA manifest (any remux strips it)
but still carry the watermark; the watermark's id is then looked up in the
studio's clip records, which say whether the clip was taken down.
"""
from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import av

from safety.errors import SafetyError
from safety.invisible_mark import decode_video
from safety.provenance import read_clip


def _readable_video(path: Path) -> None:
    if not path.is_file():
        raise SafetyError("no_file", f"no file at {path}")
    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                raise SafetyError("not_video", f"{path.name} has no video stream; verify takes a video clip")
    except av.error.FFmpegError as exc:
        raise SafetyError("not_video", f"{path.name} is not a readable video ({exc.strerror or exc})") from None


def verify_clip(path: Path, trust_anchor_pem: str | None = None, lookup=None) -> dict:
    """The report `python -m safety verify` prints; `lookup(clip_id)` returns the studio's Clip or None."""
    path = Path(path)
    _readable_video(path)
    c2pa = read_clip(path, trust_anchor_pem)
    mark = decode_video(path)
    clip_id = mark.clip_id or c2pa.clip_id
    clip = lookup(clip_id) if (lookup and clip_id) else None
    return {
        "c2pa": {
            "present": c2pa.present,
            "state": c2pa.state,
            "signer": c2pa.signer,
            "consent_records": [{"id": i, "sha256": h} for i, h in c2pa.consent_records],
            "actions": [asdict(a) for a in c2pa.actions],
            "style": c2pa.style,
            "image_references": [{"sha256": h, "kind": k} for h, k in c2pa.image_references],
        },
        "watermark": {"found": mark.found, "clip_id": mark.clip_id, "bit_errors": mark.bit_errors},
        "known_clip": clip is not None,
        "removed": bool(clip and clip.status == "removed"),
    }


def summary(report: dict) -> str:
    """The report in words, for the studio's Verify tab."""
    c2, wm = report["c2pa"], report["watermark"]
    lines = []
    if c2["present"]:
        trust = {"Trusted": "signed by this studio (trusted)", "Valid": "signed, but by a signer this studio "
                 "does not trust", "Invalid": "INVALID: the clip or its credentials were changed after signing"}
        lines.append(f"Content Credentials: {trust.get(c2['state'], c2['state'])}; signer: {c2['signer']}.")
        if c2["consent_records"]:
            lines.append(f"Consent records: {len(c2['consent_records'])} ("
                         + ", ".join(r["id"].split(":")[0][:8] for r in c2["consent_records"]) + ").")
    else:
        lines.append("Content Credentials: none (never signed, or stripped by re-saving the file).")
    lines.append(f"Invisible watermark: clip {wm['clip_id']} ({wm['bit_errors']} bit errors)." if wm["found"]
                 else "Invisible watermark: not found.")
    if report["removed"]:
        lines.append("This clip was TAKEN DOWN by the studio (a cameo in it was revoked, or it was deleted).")
    elif report["known_clip"]:
        lines.append("This clip is in the studio's records.")
    else:
        lines.append("This studio has no record of this clip.")
    return "\n".join(f"- {line}" for line in lines)
