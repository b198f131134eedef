"""Verify a clip: its Content Credentials, its invisible marks, and what the studio knows of it.

A clip found elsewhere has usually lost its C2PA manifest (any remux or re-encode strips it) but still
carries the marks: the video mark in its pictures and the audio mark in its sound. Either names the
clip id; the id is looked up in the studio's clip records (was it taken down?) and in the studio's
manifest repository, and the manifest the studio signed for the clip is presented again, saying
plainly that it was recovered and that the file itself carries none (the C2PA soft-binding flow).
"""
from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Callable

import av

from safety.audio_mark import AudioReading, decode_audio_file
from safety.errors import SafetyError
from safety.invisible_mark import MarkReading, decode_video
from safety.provenance import ProvenanceReading, read_clip, reading_from_report

RECOVERED_NOTE = ("This file carries no Content Credentials of its own. These are the credentials the studio "
                  "signed for the clip its invisible mark names, recovered from the studio's records.")


def _readable_video(path: Path) -> None:
    if not path.is_file():
        raise SafetyError("no_file", f"no file at {path}")
    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                raise SafetyError("not_video", f"{path.name} has no video stream; verify takes a video clip")
    except av.error.FFmpegError as exc:
        raise SafetyError("not_video", f"{path.name} is not a readable video ({exc.strerror or exc})") from None


def _c2pa_fields(reading: ProvenanceReading) -> dict:
    return {
        "state": reading.state,
        "signer": reading.signer,
        "consent_records": [{"id": i, "sha256": h} for i, h in reading.consent_records],
        "actions": [asdict(a) for a in reading.actions],
        "style": reading.style,
        "image_references": [{"sha256": h, "kind": k} for h, k in reading.image_references],
    }


def _marks(video: MarkReading, audio: AudioReading) -> dict:
    """Both carriers, and the clip id they agree on (a disagreement names no clip)."""
    ids = {r.clip_id for r in (video, audio) if r.found}
    clip_id = ids.pop() if len(ids) == 1 else None
    carrier = "video" if video.found and video.clip_id == clip_id else "audio" if clip_id else None
    return {
        "found": clip_id is not None,
        "clip_id": clip_id,
        "bit_errors": (video.bit_errors if carrier == "video" else audio.bit_errors) if carrier else None,
        "carrier": carrier,
        "video": {"found": video.found, "clip_id": video.clip_id, "bit_errors": video.bit_errors,
                  "sync_z": video.sync_z, "frames_read": video.frames_read},
        "audio": {"found": audio.found, "clip_id": audio.clip_id, "bit_errors": audio.bit_errors,
                  "sync_z": audio.sync_z},
    }


def _credentials(c2pa: ProvenanceReading, clip_id: str | None, manifest_of: Callable | None) -> dict:
    if c2pa.present:
        return {"source": "embedded", "clip_id": c2pa.clip_id, **_c2pa_fields(c2pa),
                "soft_bindings": [{"alg": a, "value": v} for a, v in c2pa.soft_bindings]}
    stored = manifest_of(clip_id) if (manifest_of and clip_id) else None
    if stored is None:
        return {"source": "none"}
    recovered = reading_from_report(stored.report)
    fields = _c2pa_fields(recovered)
    fields["state_at_signing"] = fields.pop("state")
    return {"source": "recovered", "clip_id": stored.clip_id, "signed_at": stored.signed_at, **fields,
            "soft_bindings": [{"alg": a, "value": v} for a, v in recovered.soft_bindings],
            "note": RECOVERED_NOTE}


def verify_clip(path: Path, trust_anchor_pem: str | None = None, lookup=None, manifest_of=None) -> dict:
    """The report `python -m safety verify` prints.

    lookup(clip_id): the studio's Clip or None; manifest_of(clip_id): the manifest the studio signed
    for it (identity.clips.StoredManifest) or None.
    """
    path = Path(path)
    _readable_video(path)
    c2pa = read_clip(path, trust_anchor_pem)
    marks = _marks(decode_video(path), decode_audio_file(path))
    clip_id = marks["clip_id"] or c2pa.clip_id
    clip = lookup(clip_id) if (lookup and clip_id) else None
    return {
        "c2pa": {"present": c2pa.present, **_c2pa_fields(c2pa)},
        "watermark": marks,
        "credentials": _credentials(c2pa, marks["clip_id"], manifest_of),
        "known_clip": clip is not None,
        "removed": bool(clip and clip.status == "removed"),
    }


def summary(report: dict) -> str:
    """The report in words, for the studio's Verify tab."""
    c2, wm, cred = report["c2pa"], report["watermark"], report["credentials"]
    lines = []
    if c2["present"]:
        trust = {"Trusted": "signed by this studio (trusted)", "Valid": "signed, but by a signer this studio "
                 "does not trust", "Invalid": "INVALID: the clip or its credentials were changed after signing"}
        lines.append(f"Content Credentials: {trust.get(c2['state'], c2['state'])}; signer: {c2['signer']}.")
        if c2["consent_records"]:
            lines.append(f"Consent records: {len(c2['consent_records'])} ("
                         + ", ".join(r["id"].split(":")[0][:8] for r in c2["consent_records"]) + ").")
    elif cred["source"] == "recovered":
        lines.append("Content Credentials: RECOVERED, not in the file. " + RECOVERED_NOTE)
        lines.append(f"Recovered credentials: signed by {cred['signer']} ({cred['state_at_signing']} when signed); "
                     f"consent records: {len(cred['consent_records'])} ("
                     + ", ".join(r["id"].split(":")[0][:8] for r in cred["consent_records"]) + ").")
    else:
        lines.append("Content Credentials: none (never signed, or stripped by re-saving the file).")
    if wm["found"]:
        lines.append(f"Invisible mark: clip {wm['clip_id']}, read from the {wm['carrier']} "
                     f"({wm['bit_errors']} coded bits worn).")
    else:
        lines.append("Invisible mark: not found in the pictures or the sound.")
    if report["removed"]:
        lines.append("This clip was TAKEN DOWN by the studio (a cameo in it was revoked, or it was deleted).")
    elif report["known_clip"]:
        lines.append("This clip is in the studio's records.")
    else:
        lines.append("This studio has no record of this clip.")
    return "\n".join(f"- {line}" for line in lines)
