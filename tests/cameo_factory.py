"""Cameos made from real media, for tests of generation and safety.

Enrollment itself is tested on synthesized challenge recordings (test_enrollment);
here a cameo is built the way enrollment builds one, from a real face photo
(aligned crops, dlib templates) and real LibriSpeech speech (Resemblyzer
embedding, median pitch), and stored with `Store.add_cameo`.
"""
from __future__ import annotations

from pathlib import Path

import cv2

from identity.audio import read_audio
from identity.challenge import issue_challenge
from identity.faces import FaceBackend
from identity.imageio import decode_png, read_image
from identity.store import NewCameo, Store
from identity.voices import embed_voice, median_pitch_hz

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PEOPLE = {  # handle -> (face photos folder, a LibriSpeech recording)
    "alice": ("faces/jennifer_aniston", "speech/librispeech/1688/1688-142285-0003.flac"),
    "bob": ("faces/angelina_jolie", "speech/librispeech/367/367-130732-0004.flac"),
}


def real_new_cameo(backend: FaceBackend, faces_dir: Path, speech: Path) -> NewCameo:
    templates, crops = [], []
    for photo in sorted(faces_dir.glob("*.jpg")):
        rgb = read_image(photo)
        face = max(backend.detect(rgb) or backend.detect(rgb, small_faces=True), key=lambda f: f.height)
        templates.append(backend.embed(rgb, face))
        crop = backend.align(rgb, face, 256)
        crops.append(cv2.imencode(".png", cv2.cvtColor(crop, cv2.COLOR_RGB2BGR))[1].tobytes())
    audio = read_audio(speech)
    return NewCameo(templates=templates, voice=embed_voice(audio), crops_png=crops,
                    quality={"median_pitch_hz": median_pitch_hz(audio)}, liveness={"live": True})


def enroll_real(store: Store, backend: FaceBackend, handle: str, person: str | None = None,
                birth_year: int | None = 1990) -> str:
    faces, speech = PEOPLE[person or handle]
    account = store.get_or_create_account(handle, birth_year)
    ch = issue_challenge(handle)
    store.save_challenge(ch)
    return store.add_cameo(account, ch, real_new_cameo(backend, FIXTURES / faces, FIXTURES / speech))

as_rgb = decode_png  # stored crops as RGB, as the job reads them
