"""Media in object storage: crops, voice references, uploads and clips, behind one small interface.

A local folder by default, any S3-compatible store by URL in deployments (several
machines then share one bucket). Both go through obstore (the Rust `object_store`
crate that Apache Arrow and DataFusion use), so the same code paths run on a laptop
and against a bucket. S3 credentials, region and endpoint come from the usual
`AWS_*` variables (`AWS_ENDPOINT_URL` for MinIO, R2, Ceph, moto, ...).

Keys are relative paths (`cameos/<id>/crop_0.png.enc`, `clips/<id>.mp4`). Encryption
is the caller's: biometric objects are AES-GCM encrypted before `put` (identity.crypto),
so a bucket holds only ciphertext of them. `delete_prefix` is real deletion (an unlink
on disk, a DELETE in the bucket); a versioned bucket would keep old versions, so the
bucket of a deployment must not have versioning on (README, "Media in object storage").
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import obstore
from obstore.store import LocalStore, from_url

from identity.errors import StudioError

READ_CHUNK = 1 << 20


class StorageError(StudioError):
    """The media store could not be reached or refused a request."""


@dataclass(frozen=True)
class ObjectInfo:
    key: str
    size: int
    modified_at: float  # seconds since the epoch


def _local_folder(url: str) -> Path | None:
    if url.startswith("file://"):
        return Path(url.removeprefix("file://"))
    if "://" not in url:
        return Path(url)
    return None


class MediaObjects:
    """put, get, delete, list and sign objects under one URL (a folder or `s3://bucket/prefix`)."""

    def __init__(self, url: str | Path):
        self.url = str(url)
        folder = _local_folder(self.url)
        self.folder = folder.resolve() if folder is not None else None
        if self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._store = LocalStore(self.folder, mkdir=True)
        else:
            try:
                self._store = from_url(self.url)
            except Exception as exc:  # noqa: BLE001 - obstore raises its own kinds for bad URLs and config
                raise StorageError("bad_media_url", f"CAMEO_MEDIA_URL={self.url!r} cannot be used: {exc}") from exc

    @property
    def is_local(self) -> bool:
        return self.folder is not None

    def local_path(self, key: str) -> Path | None:
        """Where the object lies on this machine's disk (local stores only)."""
        return self.folder / key if self.folder is not None else None

    def _call(self, what: str, fn, *args, **kwargs):
        try:
            return fn(self._store, *args, **kwargs)
        except FileNotFoundError:
            raise
        except Exception as exc:  # noqa: BLE001 - network and service errors become one readable error
            if type(exc).__name__ == "NotFoundError":
                raise FileNotFoundError(args[0] if args else what) from exc
            raise StorageError("storage_unavailable", f"the media store could not {what}: {exc}") from exc

    def put(self, key: str, data: bytes) -> None:
        self._call("store an object", obstore.put, key, data)

    def put_file(self, key: str, path: Path) -> None:
        with open(path, "rb") as fh:
            self._call("store a file", obstore.put, key, fh)

    def get(self, key: str) -> bytes:
        return bytes(self._call("read an object", obstore.get, key).bytes())

    def local_copy(self, key: str, cache: Path) -> Path:
        """A local file of an object: the object itself in a local store, else a copy kept at `cache`."""
        local = self.local_path(key)
        if local is not None:
            return local
        return cache if cache.is_file() else self.download(key, cache)

    def download(self, key: str, dest: Path) -> Path:
        """Copy an object to a local file (written beside it, then renamed: never half a file)."""
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".part-")
        try:
            with os.fdopen(fd, "wb") as fh:
                src = self.local_path(key)
                if src is not None:
                    with open(src, "rb") as inp:
                        shutil.copyfileobj(inp, fh, READ_CHUNK)
                else:
                    for chunk in self._call("read an object", obstore.get, key).stream(min_chunk_size=READ_CHUNK):
                        fh.write(chunk)
            os.replace(tmp, dest)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return dest

    def stream(self, key: str) -> Iterator[bytes]:
        for chunk in self._call("read an object", obstore.get, key).stream(min_chunk_size=READ_CHUNK):
            yield bytes(chunk)

    def exists(self, key: str) -> bool:
        try:
            self._call("look up an object", obstore.head, key)
        except FileNotFoundError:
            return False
        return True

    def delete(self, key: str) -> None:
        """Delete one object; deleting what is not there is not an error."""
        try:
            self._call("delete an object", obstore.delete, key)
        except FileNotFoundError:
            pass
        self._prune(key)

    def rename(self, src: str, dst: str) -> None:
        self._call("rename an object", obstore.rename, src, dst)
        self._prune(src)

    def list(self, prefix: str = "") -> list[ObjectInfo]:
        return [o for page in self.pages(prefix) for o in page]

    def pages(self, prefix: str = "") -> Iterator[list[ObjectInfo]]:
        """The objects under a prefix a page at a time (a bucket's listing pages), so that walking a bucket
        of millions never holds it whole."""
        if self.folder is not None and not (self.folder / prefix).exists():
            return
        for batch in self._call("list objects", obstore.list, prefix.rstrip("/") or None):
            page = []
            for meta in batch if isinstance(batch, list) else [batch]:
                modified = meta["last_modified"]
                page.append(ObjectInfo(meta["path"], int(meta["size"]),
                                       modified.timestamp() if isinstance(modified, dt.datetime) else float(modified)))
            yield page

    def delete_prefix(self, prefix: str) -> list[str]:
        """Delete every object under a prefix (a cameo's folder); returns the keys deleted."""
        keys = [o.key for o in self.list(prefix)]
        for key in keys:
            self.delete(key)
        if self.folder is not None:
            shutil.rmtree(self.folder / prefix, ignore_errors=True)
        return keys

    def signed_url(self, key: str, expires_s: int) -> str | None:
        """A time-limited GET URL browsers can use directly (object stores), None for a local folder."""
        if self.folder is not None:
            return None
        return self._call("sign a URL", obstore.sign, "GET", key, dt.timedelta(seconds=expires_s))

    def _prune(self, key: str) -> None:
        """A local store leaves empty folders behind deletes; remove them up to the root."""
        if self.folder is None:
            return
        parent = (self.folder / key).parent
        while parent != self.folder and self.folder in parent.parents:
            try:
                parent.rmdir()
            except OSError:
                break
            parent = parent.parent
