"""Clip records, the cameos each features, and owners' notices.

These tables live in identity/ because a clip's life is governed by consent: a
clip is stored only under a grant that still holds, and revoking a cameo takes
down every clip that features it (`take_down_featuring`, called inside the
revoke's own transaction). Clip ids are also the invisible watermark's payload.
"""
from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field

from sqlalchemy import Float, ForeignKey, Index, LargeBinary, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from identity.audit import append_event
from identity.db import Base
from identity.objects import MediaObjects
from identity.messages import Message

CLIP_STATES = ("draft", "pending", "published", "removed")  # pending: waiting for featured owners' approval
VISIBILITIES = ("public", "followers", "private")  # who may see a published clip (identity.visibility)

CACHE_DIR = ".cache/clips"  # local copies of clips from a remote media store, under the media folder


class ClipRow(Base):
    __tablename__ = "clips"
    id: Mapped[str] = mapped_column(String(16), primary_key=True)  # 64-bit hex: the watermark payload
    creator_id: Mapped[str | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"), index=True,
                                                   nullable=True)
    creator_handle: Mapped[str] = mapped_column(String(64))
    prompt: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), index=True)
    file: Mapped[str] = mapped_column(String(200))  # relative to the media folder
    meta: Mapped[str] = mapped_column(Text)  # JSON: backend, model, duration, consent records, ...
    remix_of: Mapped[str | None] = mapped_column(String(16), nullable=True, index=True)
    created_at: Mapped[float] = mapped_column(Float)
    published_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    removed_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    removed_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    visibility: Mapped[str] = mapped_column(String(16), default="public", server_default="public")
    hidden_at: Mapped[float | None] = mapped_column(Float, nullable=True)  # reported: out of sight pending review

    # The feed reads published clips newest first, overall and per creator.
    __table_args__ = (Index("ix_clips_status_published_at", "status", "published_at"),
                      Index("ix_clips_creator_id_published_at", "creator_id", "published_at"))


class ClipCameoRow(Base):
    """Which cameos a clip features, and whose they are: kept after a revoke, for the takedown record."""

    __tablename__ = "clip_cameos"
    clip_id: Mapped[str] = mapped_column(ForeignKey("clips.id", ondelete="CASCADE"), primary_key=True)
    cameo_id: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)
    owner_id: Mapped[str] = mapped_column(String(32), index=True)
    owner_handle: Mapped[str] = mapped_column(String(64))


class ClipManifestRow(Base):
    """Every Content Credentials manifest the studio signed, kept so that a clip that lost its own (a
    re-share strips it) can be shown its credentials again, found by its invisible mark (the C2PA
    "manifest repository" of a soft binding). Kept when the clip is taken down: verify still says
    what it was."""

    __tablename__ = "clip_manifests"
    clip_id: Mapped[str] = mapped_column(ForeignKey("clips.id", ondelete="CASCADE"), primary_key=True)
    manifest_store: Mapped[bytes] = mapped_column(LargeBinary)  # the JUMBF manifest store, as embedded
    report: Mapped[str] = mapped_column(Text)  # the reader's JSON report at signing
    signed_at: Mapped[float] = mapped_column(Float)


@dataclass(frozen=True)
class StoredManifest:
    clip_id: str
    manifest_store: bytes
    report: str
    signed_at: float


class NoticeRow(Base):
    __tablename__ = "notices"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # request | approved | denied | used | removed | a message code
    text: Mapped[str] = mapped_column(Text)  # English
    clip_id: Mapped[str | None] = mapped_column(String(16), nullable=True)
    created_at: Mapped[float] = mapped_column(Float)
    params: Mapped[str] = mapped_column(Text, default="{}", server_default="{}")  # JSON: the message's parameters


@dataclass(frozen=True)
class Clip:
    id: str
    creator_handle: str
    prompt: str
    status: str
    file: str
    meta: dict
    cameo_handles: tuple[str, ...]
    remix_of: str | None
    created_at: float
    published_at: float | None
    removed_at: float | None
    removed_reason: str | None
    visibility: str = "public"
    hidden: bool = False  # reported and out of sight until a moderator decides


@dataclass(frozen=True)
class Notice:
    id: str
    kind: str  # the message code, for a UI that translates
    text: str  # English
    clip_id: str | None
    created_at: float
    params: dict = field(default_factory=dict)


def new_clip_id() -> str:
    return uuid.uuid4().hex[:16]


def _record(row: ClipRow, handles: tuple[str, ...]) -> Clip:
    return Clip(row.id, row.creator_handle, row.prompt, row.status, row.file, json.loads(row.meta), handles,
                row.remix_of, row.created_at, row.published_at, row.removed_at, row.removed_reason,
                row.visibility, row.hidden_at is not None)


def to_clip(s: Session, row: ClipRow) -> Clip:
    return to_clips(s, [row])[0]


def to_clips(s: Session, rows: list[ClipRow]) -> list[Clip]:
    """Records for many clips with one query for the people in them (a feed page, a list)."""
    rows = list(rows)
    handles: dict[str, list[str]] = {r.id: [] for r in rows}
    if rows:
        q = select(ClipCameoRow.clip_id, ClipCameoRow.owner_handle).where(ClipCameoRow.clip_id.in_(list(handles)))
        for clip_id, handle in s.execute(q):
            handles[clip_id].append(handle)
    return [_record(r, tuple(handles[r.id])) for r in rows]


def notify(s: Session, account_id: str, kind: str, text: str, clip_id: str | None = None,
           params: dict | None = None) -> None:
    s.add(NoticeRow(id=uuid.uuid4().hex, account_id=account_id, kind=kind, text=text, clip_id=clip_id,
                    created_at=time.time(), params=json.dumps(params or {}, sort_keys=True)))


def notify_message(s: Session, account_id: str, message: Message, clip_id: str | None = None) -> None:
    """A notice that carries its message code and parameters, so the inbox can be shown in any language."""
    notify(s, account_id, message.code, message.text, clip_id, message.params)


def remove_clip(s: Session, row: ClipRow, reason: str, actor: str, notify_creator: bool = True) -> str | None:
    """Mark one clip removed (the row stays, so `safety verify` can say so); returns its file to delete.

    Every takedown goes through here (a revoke, a deleted account, a person in the clip, a moderator).
    """
    if row.status == "removed":
        return None
    row.status, row.removed_at, row.removed_reason = "removed", time.time(), reason
    append_event(s, "delete", actor, row.id, {"reason": reason})
    if row.creator_id and notify_creator:
        notify(s, row.creator_id, "removed", f"your clip {row.id} was removed: {reason}", row.id,
               {"clip": row.id, "reason": reason})
    return row.file


def take_down_featuring(s: Session, cameo_id: str, actor: str) -> list[str]:
    """Inside a revoke's transaction: remove every clip featuring the cameo; the caller deletes the files."""
    rows = s.scalars(select(ClipRow).join(ClipCameoRow, ClipCameoRow.clip_id == ClipRow.id)
                     .where(ClipCameoRow.cameo_id == cameo_id))
    files = [remove_clip(s, row, "a cameo in it was revoked by its owner", actor) for row in rows]
    return [f for f in files if f]


def delete_files(objects: MediaObjects, files: list[str]) -> None:
    """Delete taken-down clips' objects (keys relative to the media store)."""
    for f in files:
        objects.delete(f)
