"""Face and speaker verification accuracy on a folder of `<identity>/<files>`.

The figures written next to each threshold come from here (`python -m identity
eval-faces` / `eval-voices`, and bench/), so anyone can re-measure them on
their own data.
"""
from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from identity.faces import FaceBackend, compare_templates
from identity.gallery import IMAGE_SUFFIXES, embed_largest_face
from identity.imageio import read_image
from identity.errors import MediaError
from identity.metrics import one_to_n_report, pair_scores, verification_report

AUDIO_SUFFIXES = {".flac", ".wav", ".mp3", ".ogg", ".m4a", ".opus", ".webm"}


def _labelled_files(folder: Path, suffixes: set[str]) -> list[tuple[str, Path]]:
    folder = Path(folder)
    if not folder.is_dir():
        raise MediaError("not_a_folder", f"{folder} is not a folder of <identity>/<files>")
    return [
        (d.name, f)
        for d in sorted(p for p in folder.iterdir() if p.is_dir())
        for f in sorted(d.iterdir())
        if f.suffix.lower() in suffixes
    ]


def _report_fields(report) -> dict:
    """The report with the field names our evaluation tooling reads (tar_at_far_1e-2, ...)."""
    d = asdict(report)
    d["tar_at_far_1e-2"] = d.pop("tar_at_far_1e_2")
    d["tar_at_far_1e-3"] = d.pop("tar_at_far_1e_3")
    d["tar_at_far_1e-4"] = d.pop("tar_at_far_1e_4")
    return d


def evaluate_faces(folder: Path, backend: FaceBackend) -> dict:
    labels, templates, failed = [], [], []
    for label, path in _labelled_files(folder, IMAGE_SUFFIXES):
        try:
            template = embed_largest_face(backend, read_image(path))
        except MediaError:
            template = None
        if template is None:
            failed.append(str(path))
            continue
        labels.append(label)
        templates.append(template)
    genuine, impostor = pair_scores(labels, templates, lambda a, b: compare_templates(backend, a, b))
    report = verification_report(genuine, impostor, backend.match_threshold)
    return {
        "backend": backend.name,
        "model": backend.model,
        "score": "similarity (higher = same person)",
        "n_images": len(templates),
        "n_identities": len(set(labels)),
        **_report_fields(report),
        # threshold / far_at_threshold / frr_at_threshold above are the 1:1 operating point; the 1:N one
        # (the likeness firewall, the protected gallery) is stricter:
        **one_to_n_report(genuine, impostor, backend.one_to_n_threshold),
        "failed_images": failed,
    }


def evaluate_voices(folder: Path) -> dict:
    from identity.audio import read_audio
    from identity.voices import SAME_SPEAKER_THRESHOLD, VOICE_BACKEND, VOICE_MODEL, embed_voice, voice_similarity

    labels, embeddings, failed = [], [], []
    for label, path in _labelled_files(folder, AUDIO_SUFFIXES):
        try:
            embeddings.append(embed_voice(read_audio(path)))
            labels.append(label)
        except Exception as exc:  # noqa: BLE001 - reported per file, the evaluation goes on
            failed.append(f"{path}: {exc}")
    genuine, impostor = pair_scores(labels, embeddings, voice_similarity)
    report = verification_report(genuine, impostor, SAME_SPEAKER_THRESHOLD)
    return {
        "backend": VOICE_BACKEND,
        "model": VOICE_MODEL,
        "score": "cosine similarity (higher = same speaker)",
        "n_files": len(embeddings),
        "n_speakers": len(set(labels)),
        **_report_fields(report),
        # Same field name as eval-faces, so one tool reads both reports.
        "failed_images": failed,
    }
