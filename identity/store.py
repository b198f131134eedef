"""Where accounts, challenges and cameos live: SQLAlchemy over SQLite (default) or PostgreSQL.

Biometric fields are encrypted before they reach the database (identity.crypto)
and face crops are encrypted files under the media folder; rows are converted to
frozen records here, at the store's edge, so nothing above handles ORM objects.
"""
from __future__ import annotations

import hashlib
import json
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from sqlalchemy import BigInteger, Float, ForeignKey, Integer, LargeBinary, String, Text, delete, insert, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from identity.audit import AuditEvent, ChainCheck, append_event, append_events, read_events, verify_audit_chain
from identity.challenge import Challenge
from identity.clips import ClipRow, delete_files, take_down_featuring
from identity.jobs import live_upload_names
from identity.crypto import Cipher
from identity.db import Base, compact, make_engine, writer
from identity.migrate import migrate
from identity.errors import IdentityError
from identity.objects import MediaObjects
from identity.faces import FaceTemplate
from identity.rules import DAY_S, CommunityRules
from identity.voices import VoiceEmbedding


class AccountRow(Base):
    __tablename__ = "accounts"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    handle: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    birth_year: Mapped[int | None] = mapped_column(nullable=True)
    password_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)  # Argon2id; None: Hugging Face login
    created_at: Mapped[float] = mapped_column(Float)


class RetiredHandleRow(Base):
    """The handle of a deleted account, kept from reuse for a cooling-off period (audit and appearances
    name people by handle, so a new owner of the name would make them ambiguous)."""

    __tablename__ = "retired_handles"
    handle: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str] = mapped_column(String(32))
    deleted_at: Mapped[float] = mapped_column(Float)


def ensure_handle_free(s: Session, handle: str, rules: CommunityRules, now: float | None = None) -> None:
    """Inside the transaction that creates an account: the handle is neither taken nor cooling off."""
    if s.scalar(select(AccountRow.id).where(AccountRow.handle == handle)) is not None:
        raise IdentityError("handle_taken", f"@{handle} is taken; choose another handle", {"handle": handle})
    retired = s.get(RetiredHandleRow, handle)
    now = time.time() if now is None else now
    if retired is not None and now < retired.deleted_at + rules.handle_cooling_off_days * DAY_S:
        free_on = time.strftime("%Y-%m-%d", time.gmtime(retired.deleted_at + rules.handle_cooling_off_days * DAY_S))
        raise IdentityError("handle_cooling_off", f"@{handle} belonged to a deleted account and cannot be "
                            f"used by anyone until {free_on}; choose another handle",
                            {"handle": handle, "free_on": free_on})


class ChallengeRow(Base):
    __tablename__ = "challenges"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    handle: Mapped[str] = mapped_column(String(64), index=True)
    payload: Mapped[str] = mapped_column(Text)  # the challenge JSON as issued
    expires_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    used_at: Mapped[float | None] = mapped_column(Float, nullable=True)


class CameoRow(Base):
    __tablename__ = "cameos"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)  # active (a revoked cameo is deleted; a tombstone stays)
    face_backend: Mapped[str] = mapped_column(String(32))
    face_model: Mapped[str] = mapped_column(String(64))
    face_templates: Mapped[bytes] = mapped_column(LargeBinary)  # encrypted float32 matrix
    face_dim: Mapped[int] = mapped_column()
    voice_backend: Mapped[str] = mapped_column(String(32))
    voice_model: Mapped[str] = mapped_column(String(64))
    voice_embedding: Mapped[bytes] = mapped_column(LargeBinary)  # encrypted float32 vector
    n_crops: Mapped[int] = mapped_column()
    quality: Mapped[str] = mapped_column(Text)  # JSON: face size, sharpness, pitch, ...
    liveness: Mapped[str] = mapped_column(Text)  # JSON liveness report
    challenge_id: Mapped[str] = mapped_column(ForeignKey("challenges.id"))
    created_at: Mapped[float] = mapped_column(Float)


class CameoTombstoneRow(Base):
    """What remains of a revoked cameo: ids, dates and a hash of its record; no biometric data."""

    __tablename__ = "cameo_tombstones"
    cameo_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    account_id: Mapped[str] = mapped_column(String(32), index=True)
    challenge_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[float] = mapped_column(Float)
    revoked_at: Mapped[float] = mapped_column(Float)
    record_sha256: Mapped[str] = mapped_column(String(64))


class IndexStateRow(Base):
    """One row: how many changes the set of active cameos has seen. Every identity index compares it with its own."""

    __tablename__ = "identity_index_state"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)


class CameoChangeRow(Base):
    """Which cameo changed at each version (ids only, never biometric data); pruned to the last KEEP_CHANGES."""

    __tablename__ = "identity_changes"
    version: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    cameo_id: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))  # enroll, rerecord, revoke
    at: Mapped[float] = mapped_column(Float)


KEEP_CHANGES = 10_000  # an index further behind than this reloads everything


def _record_change(s, cameo_id: str, kind: str) -> int:
    """Bump the version inside the caller's transaction and log which cameo changed.

    The UPDATE takes the state row's write lock until commit (SQLite's writers are
    serial anyway; PostgreSQL holds the row lock), so versions become visible in
    the order they were given: a reader that sees version V has every change up to V.
    """
    bumped = s.execute(update(IndexStateRow).where(IndexStateRow.id == 1)
                       .values(version=IndexStateRow.version + 1))
    if bumped.rowcount == 0:
        s.add(IndexStateRow(id=1, version=1))
        s.flush()
    version = s.scalar(select(IndexStateRow.version).where(IndexStateRow.id == 1))
    s.add(CameoChangeRow(version=version, cameo_id=cameo_id, kind=kind, at=time.time()))
    if version % 1000 == 0:
        s.execute(delete(CameoChangeRow).where(CameoChangeRow.version <= version - KEEP_CHANGES))
    return version


@dataclass(frozen=True)
class IndexedCameo:
    """What the identity index keeps of an active cameo: ids, its face model and templates (decrypted)."""

    cameo_id: str
    account_id: str
    handle: str
    face_backend: str
    face_model: str
    templates: np.ndarray  # (k, dim) float32


@dataclass(frozen=True)
class Tombstone:
    cameo_id: str
    account_id: str
    challenge_id: str
    created_at: float
    revoked_at: float
    record_sha256: str


def cameo_record_sha256(row: CameoRow) -> str:
    """A hash of the cameo's consent record (ids, dates, models), never of its biometric data."""
    record = {
        "cameo_id": row.id, "account_id": row.account_id, "challenge_id": row.challenge_id,
        "created_at": repr(row.created_at), "face_model": f"{row.face_backend}/{row.face_model}",
        "voice_model": f"{row.voice_backend}/{row.voice_model}",
    }
    return hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()


ADULT_AGE = 18


@dataclass(frozen=True)
class Account:
    id: str
    handle: str
    birth_year: int | None = None

    @property
    def is_teen(self) -> bool:
        """Under 18 this year; an unknown age is treated as a teen (the stricter rules)."""
        if self.birth_year is None:
            return True
        return time.gmtime().tm_year - self.birth_year < ADULT_AGE


@dataclass(frozen=True)
class NewCameo:
    templates: list[FaceTemplate]
    voice: VoiceEmbedding
    crops_png: list[bytes]
    quality: dict
    liveness: dict
    # The recording's speech as 16 kHz mono WAV, kept only where a voice-cloning TTS needs a reference
    # (CAMEO_KEEP_VOICE_REFERENCE); encrypted like the crops and deleted with them on revoke.
    voice_reference_wav: bytes | None = None
    # Head-and-shoulders references on white for the video model (identity.references), from the same
    # recording; encrypted like the crops and deleted with them on revoke.
    references_png: list[bytes] = field(default_factory=list)


@dataclass(frozen=True)
class Cameo:
    id: str
    account_id: str
    handle: str
    status: str
    templates: list[FaceTemplate]
    voice: VoiceEmbedding
    n_crops: int
    quality: dict
    liveness: dict
    challenge_id: str
    created_at: float


ORPHAN_GRACE_S = 600  # an enrollment or a save in flight is younger than this


class Store:
    def __init__(self, database_url: str, media_dir: Path, cipher: Cipher, objects: MediaObjects | None = None,
                 rules: CommunityRules | None = None):
        self.engine = make_engine(database_url)
        self.rules = rules or CommunityRules()  # the deployment's limits and thresholds, read by every rule
        self.media_dir = Path(media_dir)
        # Media objects (crops, voice references, uploads, clips): the media folder unless a bucket is given.
        self.objects = objects or MediaObjects(self.media_dir)
        self._cipher = cipher
        self._session = sessionmaker(writer(self.engine), expire_on_commit=False)  # `with ...begin()`: writes
        self._reader = sessionmaker(self.engine, expire_on_commit=False)
        migrate(self.engine)  # orphaned media are swept by the web process's maintenance (workers/maintenance.py)

    # accounts ------------------------------------------------------------
    @property
    def session(self) -> sessionmaker:
        """Writing sessions (`with store.session.begin()`), for the other tables of identity/."""
        return self._session

    @property
    def reader(self) -> sessionmaker:
        """Read-only sessions: on SQLite they never wait for a writer."""
        return self._reader

    def get_or_create_account(self, handle: str, birth_year: int | None = None) -> Account:
        with self._session.begin() as s:
            row = s.scalar(select(AccountRow).where(AccountRow.handle == handle))
            if row is None:
                ensure_handle_free(s, handle, self.rules)
                row = AccountRow(id=uuid.uuid4().hex, handle=handle, birth_year=birth_year, created_at=time.time())
                s.add(row)
            return Account(row.id, row.handle, row.birth_year)

    def account(self, handle: str) -> Account:
        with self._reader() as s:
            row = s.scalar(select(AccountRow).where(AccountRow.handle == handle))
            if row is None:
                raise IdentityError("no_account", f"there is no account @{handle}", {"handle": handle})
            return Account(row.id, row.handle, row.birth_year)

    # challenges ----------------------------------------------------------
    def save_challenge(self, ch: Challenge) -> None:
        with self._session.begin() as s:
            if s.get(ChallengeRow, ch.id) is None:
                s.add(ChallengeRow(id=ch.id, handle=ch.handle, payload=ch.to_json(), expires_at=ch.expires_at))

    def challenge_used(self, challenge_id: str) -> bool:
        with self._reader() as s:
            row = s.get(ChallengeRow, challenge_id)
            return row is not None and row.used_at is not None

    def consume_challenge(self, challenge_id: str, now: float | None = None) -> bool:
        """Mark the challenge used; False if it was used already (atomic, so two uploads cannot both win)."""
        with self._session.begin() as s:
            res = s.execute(
                update(ChallengeRow)
                .where(ChallengeRow.id == challenge_id, ChallengeRow.used_at.is_(None))
                .values(used_at=time.time() if now is None else now)
            )
            return res.rowcount == 1

    # cameos --------------------------------------------------------------
    @staticmethod
    def _crop_key(cameo_id: str, k: int) -> str:
        return f"cameos/{cameo_id}/crop_{k}.png.enc"

    @staticmethod
    def _voice_reference_key(cameo_id: str) -> str:
        return f"cameos/{cameo_id}/voice_reference.wav.enc"

    @staticmethod
    def _reference_key(cameo_id: str, k: int) -> str:
        return f"cameos/{cameo_id}/reference_{k}.png.enc"

    def references_png(self, cameo_id: str) -> list[bytes]:
        """The cameo's head-and-shoulders references (none for cameos enrolled before they existed)."""
        keys = {o.key for o in self.objects.list(f"cameos/{cameo_id}/")}
        out = []
        for k in range(100):
            key = self._reference_key(cameo_id, k)
            if key not in keys:
                break
            out.append(self._cipher.decrypt(self.objects.get(key), f"{cameo_id}/reference/{k}"))
        return out

    def voice_reference(self, cameo_id: str) -> bytes | None:
        try:
            blob = self.objects.get(self._voice_reference_key(cameo_id))
        except FileNotFoundError:
            return None
        return self._cipher.decrypt(blob, f"{cameo_id}/voice_reference")

    def _put_biometric_media(self, cameo_id: str, new: NewCameo, prefix: str) -> list[str]:
        """Encrypt and store a cameo's crops, references and voice reference under `prefix`; returns the keys written."""
        written: list[str] = []
        try:
            for k, png in enumerate(new.crops_png):
                key = prefix + self._crop_key(cameo_id, k).rsplit("/", 1)[1]
                self.objects.put(key, self._cipher.encrypt(png, f"{cameo_id}/crop/{k}"))
                written.append(key)
            for k, png in enumerate(new.references_png):
                key = prefix + self._reference_key(cameo_id, k).rsplit("/", 1)[1]
                self.objects.put(key, self._cipher.encrypt(png, f"{cameo_id}/reference/{k}"))
                written.append(key)
            if new.voice_reference_wav:
                key = prefix + self._voice_reference_key(cameo_id).rsplit("/", 1)[1]
                self.objects.put(key, self._cipher.encrypt(new.voice_reference_wav, f"{cameo_id}/voice_reference"))
                written.append(key)
        except BaseException:
            for key in written:
                self.objects.delete(key)
            raise
        return written

    def add_cameo(self, account: Account, challenge: Challenge, new: NewCameo) -> str:
        """Store a verified cameo answering `challenge` (saved and used up by the caller)."""
        cameo_id = uuid.uuid4().hex
        t0 = new.templates[0]
        matrix = np.stack([np.asarray(t.vector, np.float32) for t in new.templates])
        written = self._put_biometric_media(cameo_id, new, f"cameos/{cameo_id}/")
        try:
            with self._session.begin() as s:
                if s.get(ChallengeRow, challenge.id) is None:
                    raise IdentityError("unknown_challenge", "this challenge was not issued by this studio")
                s.add(
                    CameoRow(
                        id=cameo_id,
                        account_id=account.id,
                        status="active",
                        face_backend=t0.backend,
                        face_model=t0.model,
                        face_templates=self._cipher.encrypt(matrix.tobytes(), f"{cameo_id}/face"),
                        face_dim=matrix.shape[1],
                        voice_backend=new.voice.backend,
                        voice_model=new.voice.model,
                        voice_embedding=self._cipher.encrypt(new.voice.to_bytes(), f"{cameo_id}/voice"),
                        n_crops=len(new.crops_png),
                        quality=json.dumps(new.quality),
                        liveness=json.dumps(new.liveness),
                        challenge_id=challenge.id,
                        created_at=time.time(),
                    )
                )
                append_event(s, "enroll", account.handle, cameo_id, {"challenge_id": challenge.id})
                _record_change(s, cameo_id, "enroll")
        except BaseException:
            for key in written:  # nothing half-stored
                self.objects.delete(key)
            raise
        return cameo_id

    def replace_cameo(self, cameo_id: str, account: Account, challenge: Challenge, new: NewCameo) -> str:
        """Re-record: the same cameo (id, settings, approvals) with new biometric data; the old is gone.

        New objects are staged beside the old ones, the row is updated in one transaction
        with its audit event, then the old objects are replaced and the database compacted
        so no copy of the replaced templates or voice remains.
        """
        folder = f"cameos/{cameo_id}/"
        old_keys = [o.key for o in self.objects.list(folder)]
        staging = f"{folder}rerecord-{uuid.uuid4().hex[:8]}/"
        staged = self._put_biometric_media(cameo_id, new, staging)
        try:
            matrix = np.stack([np.asarray(t.vector, np.float32) for t in new.templates])
            with self._session.begin() as s:
                row = s.get(CameoRow, cameo_id)
                if row is None or row.account_id != account.id:
                    raise IdentityError("no_cameo", "this cameo was revoked; enroll anew")
                if s.get(ChallengeRow, challenge.id) is None:
                    raise IdentityError("unknown_challenge", "this challenge was not issued by this studio")
                t0 = new.templates[0]
                row.face_backend, row.face_model, row.face_dim = t0.backend, t0.model, matrix.shape[1]
                row.face_templates = self._cipher.encrypt(matrix.tobytes(), f"{cameo_id}/face")
                row.voice_backend, row.voice_model = new.voice.backend, new.voice.model
                row.voice_embedding = self._cipher.encrypt(new.voice.to_bytes(), f"{cameo_id}/voice")
                row.n_crops, row.quality, row.liveness = len(new.crops_png), json.dumps(new.quality), \
                    json.dumps(new.liveness)
                row.challenge_id = challenge.id
                append_event(s, "enroll", account.handle, cameo_id, {"challenge_id": challenge.id, "rerecord": True})
                _record_change(s, cameo_id, "rerecord")
            # Committed: the old crops and voice reference go, the new ones take their names.
            for key in old_keys:
                self.objects.delete(key)
            for key in staged:
                self.objects.rename(key, folder + key.rsplit("/", 1)[1])
        finally:
            self.objects.delete_prefix(staging)
        compact(self.engine)
        return cameo_id

    def _to_record(self, row: CameoRow, handle: str) -> Cameo:
        face = np.frombuffer(self._cipher.decrypt(row.face_templates, f"{row.id}/face"), np.float32)
        face = face.reshape(-1, row.face_dim)
        voice = np.frombuffer(self._cipher.decrypt(row.voice_embedding, f"{row.id}/voice"), np.float32)
        return Cameo(
            id=row.id,
            account_id=row.account_id,
            handle=handle,
            status=row.status,
            templates=[FaceTemplate(row.face_backend, row.face_model, v) for v in face],
            voice=VoiceEmbedding(row.voice_backend, row.voice_model, voice),
            n_crops=row.n_crops,
            quality=json.loads(row.quality),
            liveness=json.loads(row.liveness),
            challenge_id=row.challenge_id,
            created_at=row.created_at,
        )

    def get_cameo(self, cameo_id: str) -> Cameo:
        with self._reader() as s:
            row = s.get(CameoRow, cameo_id)
            if row is None:
                raise IdentityError("no_cameo", f"no cameo {cameo_id}", {"cameo": cameo_id})
            return self._to_record(row, s.get(AccountRow, row.account_id).handle)

    def active_cameos(self, exclude_account: str | None = None) -> list[Cameo]:
        with self._reader() as s:
            q = select(CameoRow, AccountRow.handle).join(AccountRow).where(CameoRow.status == "active")
            if exclude_account:
                q = q.where(CameoRow.account_id != exclude_account)
            return [self._to_record(row, handle) for row, handle in s.execute(q)]

    def active_cameo_of(self, account: Account) -> Cameo | None:
        with self._reader() as s:
            row = s.scalar(select(CameoRow).where(CameoRow.account_id == account.id, CameoRow.status == "active"))
            return self._to_record(row, account.handle) if row else None

    def cameo_owner(self, cameo_id: str) -> Account | None:
        with self._reader() as s:
            row = s.get(CameoRow, cameo_id)
            if row is None:
                return None
            acc = s.get(AccountRow, row.account_id)
            return Account(acc.id, acc.handle, acc.birth_year)

    def crops_png(self, cameo_id: str, n: int) -> list[bytes]:
        return [self._cipher.decrypt(self.objects.get(self._crop_key(cameo_id, k)), f"{cameo_id}/crop/{k}")
                for k in range(n)]

    # uploads: a recording on its way from the web process to an enrollment worker ----------------
    def put_upload(self, name: str, data: bytes) -> str:
        """Keep a recording, encrypted, until a worker has judged it; returns its key."""
        key = f"uploads/{name}"
        self.objects.put(key, self._cipher.encrypt(data, key))
        return key

    def read_upload(self, key: str) -> bytes:
        return self._cipher.decrypt(self.objects.get(key), key)

    def delete_upload(self, key: str) -> None:
        self.objects.delete(key)

    # the identity index's view -------------------------------------------
    def index_version(self) -> int:
        """The change counter (one indexed read): an index that holds this version is up to date."""
        with self._reader() as s:
            return s.scalar(select(IndexStateRow.version).where(IndexStateRow.id == 1)) or 0

    def changes_since(self, version: int) -> tuple[int, list[tuple[int, str, str]]] | None:
        """(current version, [(version, cameo_id, kind), ...] after `version`); None if the log no longer
        reaches back that far (the caller reloads everything)."""
        with self._reader() as s:
            current = s.scalar(select(IndexStateRow.version).where(IndexStateRow.id == 1)) or 0
            rows = s.execute(select(CameoChangeRow.version, CameoChangeRow.cameo_id, CameoChangeRow.kind)
                             .where(CameoChangeRow.version > version, CameoChangeRow.version <= current)
                             .order_by(CameoChangeRow.version)).all()
        if len(rows) != current - version:
            return None
        return current, [tuple(r) for r in rows]

    def _indexed(self, row) -> IndexedCameo:
        face = np.frombuffer(self._cipher.decrypt(row.face_templates, f"{row.id}/face"), np.float32)
        return IndexedCameo(row.id, row.account_id, row.handle, row.face_backend, row.face_model,
                            face.reshape(-1, row.face_dim))

    def scan_indexed_cameos(self, visit, cameo_ids: list[str] | None = None) -> int:
        """Call `visit(IndexedCameo)` for every active cameo (or those of `cameo_ids`), streamed in batches
        so that only one batch of decrypted templates exists at a time; returns the version read first."""
        cols = (CameoRow.id, CameoRow.account_id, AccountRow.handle, CameoRow.face_backend, CameoRow.face_model,
                CameoRow.face_dim, CameoRow.face_templates)
        with self._reader() as s:
            version = s.scalar(select(IndexStateRow.version).where(IndexStateRow.id == 1)) or 0
            q = select(*cols).join(AccountRow, AccountRow.id == CameoRow.account_id).where(CameoRow.status == "active")
            if cameo_ids is not None:
                q = q.where(CameoRow.id.in_(cameo_ids))
            for row in s.execute(q.execution_options(yield_per=2000)):
                visit(self._indexed(row))
        return version

    def voice_of(self, cameo_id: str) -> VoiceEmbedding | None:
        """One cameo's voice embedding (decrypted for one comparison), None if it was revoked."""
        with self._reader() as s:
            row = s.execute(select(CameoRow.id, CameoRow.voice_backend, CameoRow.voice_model, CameoRow.voice_embedding)
                            .where(CameoRow.id == cameo_id)).first()
        if row is None:
            return None
        vector = np.frombuffer(self._cipher.decrypt(row.voice_embedding, f"{row.id}/voice"), np.float32)
        return VoiceEmbedding(row.voice_backend, row.voice_model, vector)

    def add_cameos_in_bulk(self, cameos: list[tuple[Account, Challenge, NewCameo]]) -> list[str]:
        """Many verified cameos in one transaction (imports, benchmarks): the same rows, audit events and
        change log as add_cameo, without reference crops (a cameo without crops cannot be generated)."""
        now, ids, challenges, rows = time.time(), [], [], []
        for account, challenge, new in cameos:
            cameo_id = uuid.uuid4().hex
            matrix = np.stack([np.asarray(t.vector, np.float32) for t in new.templates])
            t0 = new.templates[0]
            challenges.append(dict(id=challenge.id, handle=challenge.handle, payload=challenge.to_json(),
                                   expires_at=challenge.expires_at, used_at=now))
            rows.append(dict(
                id=cameo_id, account_id=account.id, status="active", face_backend=t0.backend, face_model=t0.model,
                face_templates=self._cipher.encrypt(matrix.tobytes(), f"{cameo_id}/face"), face_dim=matrix.shape[1],
                voice_backend=new.voice.backend, voice_model=new.voice.model,
                voice_embedding=self._cipher.encrypt(new.voice.to_bytes(), f"{cameo_id}/voice"), n_crops=0,
                quality=json.dumps(new.quality), liveness=json.dumps(new.liveness), challenge_id=challenge.id,
                created_at=now))
            ids.append(cameo_id)
        with self._session.begin() as s:
            s.execute(insert(ChallengeRow), challenges)
            s.execute(insert(CameoRow), rows)
            append_events(s, [("enroll", a.handle, cid, {"challenge_id": ch.id})
                              for (a, ch, _), cid in zip(cameos, ids)])
            first = s.scalar(select(IndexStateRow.version).where(IndexStateRow.id == 1).with_for_update()) or 0
            s.execute(update(IndexStateRow).where(IndexStateRow.id == 1).values(version=first + len(ids)))
            s.execute(insert(CameoChangeRow), [dict(version=first + 1 + k, cameo_id=cid, kind="enroll", at=now)
                                               for k, cid in enumerate(ids)])
        return ids

    def create_accounts_in_bulk(self, handles: list[str]) -> list[Account]:
        now = time.time()
        rows = [AccountRow(id=uuid.uuid4().hex, handle=h, birth_year=1990, created_at=now) for h in handles]
        with self._session.begin() as s:
            s.add_all(rows)
        return [Account(r.id, r.handle, r.birth_year) for r in rows]

    # revocation -----------------------------------------------------------
    def revoke_cameo(self, cameo_id: str, actor: str) -> Tombstone:
        """Delete a cameo's biometric data for good, leaving a tombstone and an audit event.

        The row goes first, in one transaction with its tombstone, its audit event and
        the takedown of every clip featuring it: from that commit on the cameo does not
        exist for anyone. Then the crop and clip files go, and the database is
        compacted so no freed page or WAL frame keeps a copy.
        """
        now = time.time()
        with self._session.begin() as s:
            row = s.get(CameoRow, cameo_id)
            if row is None:
                raise IdentityError("no_cameo", f"no active cameo {cameo_id}", {"cameo": cameo_id})
            tomb = CameoTombstoneRow(cameo_id=row.id, account_id=row.account_id, challenge_id=row.challenge_id,
                                     created_at=row.created_at, revoked_at=now, record_sha256=cameo_record_sha256(row))
            s.delete(row)
            s.add(tomb)
            append_event(s, "revoke", actor, cameo_id, {"record_sha256": tomb.record_sha256})
            _record_change(s, cameo_id, "revoke")
            clip_files = take_down_featuring(s, cameo_id, actor)
        self.objects.delete_prefix(f"cameos/{cameo_id}/")  # the web process's media sweep retries
        delete_files(self.objects, clip_files)
        compact(self.engine)
        return Tombstone(tomb.cameo_id, tomb.account_id, tomb.challenge_id, tomb.created_at, tomb.revoked_at,
                         tomb.record_sha256)

    def purge_orphan_media(self) -> list[str]:
        """Remove media of cameos, clips and uploads that no longer exist (finishes a revoke, enroll or save
        cut short, or a job whose worker died).

        Run now and then by the web process (workers.maintenance), a page of the bucket
        at a time, asking the database only about the names on that page, so a bucket of
        millions of objects and a table of 100,000 cameos are never held whole. An
        enrollment or a clip save writes its objects just before committing its row,
        maybe in another process, so objects younger than ORPHAN_GRACE_S are left for
        the next sweep.
        """
        with self._reader() as s:
            uploads = live_upload_names(s)  # the unfinished jobs' (few)
        removed, cutoff = set(), time.time() - ORPHAN_GRACE_S
        for folder in ("cameos", "clips", "uploads"):
            for page in self.objects.pages(folder + "/"):
                old = [(o.key, o.key.removeprefix(folder + "/").split("/", 1)[0]) for o in page
                       if o.modified_at <= cutoff]
                live = uploads if folder == "uploads" else self._live_names(folder, {n for _, n in old})
                for key, name in old:
                    if name not in live:
                        self.objects.delete(key)
                        removed.add(name)
        return sorted(removed)

    def _live_names(self, folder: str, names: set[str]) -> set[str]:
        """Which of these object names (cameo ids, clip files) still belong to a row."""
        if not names:
            return set()
        with self._reader() as s:
            if folder == "cameos":
                return set(s.scalars(select(CameoRow.id).where(CameoRow.id.in_(names))))
            ids = {n.removesuffix(".mp4") for n in names}
            return {f"{cid}.mp4" for cid in s.scalars(select(ClipRow.id).where(ClipRow.id.in_(ids),
                                                                             ClipRow.status != "removed"))}

    def tombstone(self, cameo_id: str) -> Tombstone | None:
        with self._reader() as s:
            t = s.get(CameoTombstoneRow, cameo_id)
            return Tombstone(t.cameo_id, t.account_id, t.challenge_id, t.created_at, t.revoked_at,
                             t.record_sha256) if t else None

    # audit ---------------------------------------------------------------
    def audit_events(self, subject: str | None = None) -> list[AuditEvent]:
        with self._reader() as s:
            return read_events(s, subject)

    def verify_audit_chain(self) -> ChainCheck:
        with self._reader() as s:
            return verify_audit_chain(s)

    def count_rows(self, table: str) -> int:
        model = {"accounts": AccountRow, "challenges": ChallengeRow, "cameos": CameoRow}[table]
        with self._reader() as s:
            return len(s.scalars(select(model.id)).all())
