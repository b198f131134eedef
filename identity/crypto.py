"""Encryption at rest for biometric data (face templates, voice embedding, crops).

AES-256-GCM with the cameo id and field name as associated data, so a
ciphertext copied into another cameo's row does not decrypt. The key comes from
CAMEO_SECRET_KEY (a deployment secret) or, on a laptop, from a key file created
once beside the database with owner-only permissions.
"""
from __future__ import annotations

import base64
import os
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from identity.errors import IdentityError

_NONCE_BYTES = 12


class Cipher:
    def __init__(self, key: bytes):
        if len(key) != 32:
            raise IdentityError("bad_key", "the encryption key must be 32 bytes (base64 of 32 random bytes)")
        self._aead = AESGCM(key)

    def encrypt(self, plaintext: bytes, context: str) -> bytes:
        nonce = os.urandom(_NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, plaintext, context.encode())

    def decrypt(self, blob: bytes, context: str) -> bytes:
        return self._aead.decrypt(blob[:_NONCE_BYTES], blob[_NONCE_BYTES:], context.encode())


def load_or_create_key(secret_key: str | None, key_file: Path) -> bytes:
    if secret_key:
        try:
            key = base64.urlsafe_b64decode(secret_key.encode())
        except ValueError as exc:
            raise IdentityError("bad_key", "CAMEO_SECRET_KEY is not valid base64") from exc
        if len(key) != 32:
            raise IdentityError("bad_key", "CAMEO_SECRET_KEY must decode to 32 bytes")
        return key
    if key_file.exists():
        return base64.urlsafe_b64decode(key_file.read_bytes().strip())
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key = AESGCM.generate_key(bit_length=256)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(base64.urlsafe_b64encode(key))
    return key
