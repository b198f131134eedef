"""The store keeps biometric data encrypted at rest and never half-stores a cameo."""
from __future__ import annotations

import os

import numpy as np
import pytest

from identity.challenge import issue_challenge
from identity.crypto import Cipher, load_or_create_key
from identity.errors import IdentityError
from identity.faces import FaceTemplate
from identity.store import NewCameo
from identity.voices import VoiceEmbedding


def _new_cameo(rng) -> NewCameo:
    return NewCameo(
        templates=[FaceTemplate("dlib", "m", rng.standard_normal(128).astype(np.float32)) for _ in range(3)],
        voice=VoiceEmbedding("resemblyzer", "v", rng.standard_normal(256).astype(np.float32)),
        crops_png=[b"\x89PNG fake crop bytes %d" % k for k in range(2)],
        quality={"sharpness": 100.0},
        liveness={"live": True},
        voice_reference_wav=b"RIFF fake consent speech " + rng.bytes(64),
    )


def test_cameo_round_trips_and_is_encrypted_on_disk(store, tmp_path):
    rng = np.random.default_rng(1)
    new = _new_cameo(rng)
    account = store.get_or_create_account("alice")
    ch = issue_challenge("alice")
    store.save_challenge(ch)
    cameo_id = store.add_cameo(account, ch, new)
    got = store.get_cameo(cameo_id)
    assert np.allclose(got.templates[1].vector, new.templates[1].vector)
    assert np.allclose(got.voice.vector, new.voice.vector)
    assert store.crops_png(cameo_id, 2) == new.crops_png
    raw = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    for secret in (new.templates[0].to_bytes()[:32], new.voice.to_bytes()[:32], new.crops_png[0]):
        assert secret not in raw


def test_ciphertext_moved_to_another_cameo_does_not_decrypt():
    c = Cipher(os.urandom(32))
    blob = c.encrypt(b"template", "cameo-a/face")
    with pytest.raises(Exception):
        c.decrypt(blob, "cameo-b/face")


def test_key_file_is_created_once_with_owner_only_permissions(tmp_path):
    key = load_or_create_key(None, tmp_path / "secret.key")
    assert load_or_create_key(None, tmp_path / "secret.key") == key
    assert (tmp_path / "secret.key").stat().st_mode & 0o077 == 0


def test_cameo_for_unknown_challenge_leaves_nothing(store, tmp_path):
    account = store.get_or_create_account("alice")
    with pytest.raises(IdentityError):
        store.add_cameo(account, issue_challenge("alice"), _new_cameo(np.random.default_rng(2)))
    assert store.count_rows("cameos") == 0
    assert not list((tmp_path / "media").rglob("*.enc"))
