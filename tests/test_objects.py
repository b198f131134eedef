"""Media in object storage: a local folder, and (in CI) an S3-compatible bucket on loopback (moto's server).

Crops and voice references are stored encrypted; a revoke leaves no object of the cameo in the bucket;
clips are served from the store (a signed URL from a bucket, a local file from a folder).
"""
from __future__ import annotations

import os
import time
from pathlib import Path

import httpx
import pytest

from identity.consent import ConsentLedger
from identity.crypto import Cipher
from identity.library import ClipLibrary
from identity.objects import MediaObjects, StorageError
from identity.store import Store
from identity.challenge import issue_challenge
from tests.cameo_factory import FIXTURES, PEOPLE, real_new_cameo

ADULT = time.gmtime().tm_year - 30
PNG_MAGIC = b"\x89PNG"


@pytest.fixture()
def media_store(database_url: str, media_url: str, tmp_path: Path):
    s = Store(database_url, tmp_path / "media", Cipher(os.urandom(32)), MediaObjects(media_url))
    yield s
    s.engine.dispose()


def test_objects_are_put_read_listed_and_really_deleted(media_url):
    objects = MediaObjects(media_url)
    objects.put("cameos/abc/crop_0.png.enc", b"one")
    objects.put("cameos/abc/crop_1.png.enc", b"two")
    objects.put("clips/0123456789abcdef.mp4", b"clip")
    assert objects.get("cameos/abc/crop_1.png.enc") == b"two"
    assert sorted(o.key for o in objects.list("cameos/abc/")) == ["cameos/abc/crop_0.png.enc",
                                                                   "cameos/abc/crop_1.png.enc"]
    assert sorted(objects.delete_prefix("cameos/abc/")) == ["cameos/abc/crop_0.png.enc", "cameos/abc/crop_1.png.enc"]
    assert objects.list("cameos/") == [] and not objects.exists("cameos/abc/crop_0.png.enc")
    with pytest.raises(FileNotFoundError):
        objects.get("cameos/abc/crop_0.png.enc")
    objects.delete("cameos/abc/crop_0.png.enc")  # deleting what is gone is not an error
    assert [o.key for o in objects.list()] == ["clips/0123456789abcdef.mp4"]


def _enroll(store: Store, handle: str) -> str:
    from dataclasses import replace

    from identity.faces import DlibBackend

    faces, speech = PEOPLE[handle]
    new = replace(real_new_cameo(DlibBackend(), FIXTURES / faces, FIXTURES / speech),
                  voice_reference_wav=(FIXTURES / "speech" / "digits" / "sentence.wav").read_bytes())
    account = store.get_or_create_account(handle, ADULT)
    ch = issue_challenge(handle)
    store.save_challenge(ch)
    return store.add_cameo(account, ch, new)


def test_biometric_objects_are_encrypted_and_a_revoke_leaves_none_in_the_bucket(media_store):
    cameo = _enroll(media_store, "alice")
    other = _enroll(media_store, "bob")
    mine = [o.key for o in media_store.objects.list(f"cameos/{cameo}/")]
    assert f"cameos/{cameo}/crop_0.png.enc" in mine and f"cameos/{cameo}/voice_reference.wav.enc" in mine
    for key in mine:
        blob = media_store.objects.get(key)
        assert PNG_MAGIC not in blob and b"RIFF" not in blob[:16]  # ciphertext, not an image or a WAV
    assert media_store.crops_png(cameo, 1)[0].startswith(PNG_MAGIC)
    media_store.revoke_cameo(cameo, actor="alice")
    remaining = [o.key for o in media_store.objects.list()]
    assert not any(cameo in key for key in remaining), remaining
    assert any(other in key for key in remaining)  # only that cameo's objects went


def test_a_clip_is_served_from_the_store_and_gone_after_a_takedown(media_store, tmp_path):
    ledger = ConsentLedger(media_store)
    library = ClipLibrary(media_store, ledger)
    cameo = _enroll(media_store, "alice")
    alice = media_store.account("alice")
    src = tmp_path / "made.mp4"
    src.write_bytes(b"\x00\x00\x00\x18ftypmp42 a stand-in for a clip")
    saved = library.save(alice, [cameo], src, clip_id="0123456789abcdef", prompt="a walk", meta={}, publish=True)
    local = library.path(saved.clip)  # what the app streams to the player
    assert local.read_bytes().startswith(b"\x00\x00\x00\x18ftyp")
    signed = library.signed_url(saved.clip, 600)
    if media_store.objects.is_local:
        assert signed is None
    else:
        assert signed.startswith("http") and "X-Amz-Signature" in signed
        assert httpx.get(signed, timeout=30).content.startswith(b"\x00\x00\x00\x18ftyp")
    library.delete(alice, saved.clip.id)
    assert media_store.objects.list("clips/") == []
    if not media_store.objects.is_local:
        assert not local.exists()  # the app's cached copy goes with the takedown
        assert httpx.get(signed, timeout=30).status_code == 404


def test_a_media_url_that_cannot_be_used_is_a_clear_error():
    with pytest.raises(StorageError, match="CAMEO_MEDIA_URL"):
        MediaObjects("ftp://example.invalid/bucket")
