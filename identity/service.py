"""Build the identity services from the studio settings (one place, used by the UI and the CLI)."""
from __future__ import annotations

from settings import Settings
from identity.crypto import Cipher, load_or_create_key
from identity.enrollment import Enroller
from identity.faces import get_face_backend
from identity.gallery import ProtectedGallery
from identity.objects import MediaObjects
from identity.store import Store


def open_store(settings: Settings) -> Store:
    key = load_or_create_key(settings.secret_key, settings.data_dir / "secret.key")
    objects = MediaObjects(settings.media_url or settings.media_dir)
    return Store(settings.database_url, settings.media_dir, Cipher(key), objects, settings.community)


def build_enroller(settings: Settings) -> Enroller:
    backend = get_face_backend(settings.face_backend, str(settings.insightface_root))
    gallery_dir = settings.protected_gallery_dir or settings.data_dir / "protected_gallery"
    return Enroller(
        open_store(settings),
        backend,
        ProtectedGallery(gallery_dir, backend),
        allow_upload=settings.allow_upload,
        max_seconds=settings.max_clip_seconds,
        max_bytes=settings.max_upload_bytes,
        challenge_ttl_s=settings.challenge_ttl_s,
        keep_voice_reference=settings.keep_voice_reference,
    )
