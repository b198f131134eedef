"""The consent ledger: who may use which cameo, and the one function everyone must call.

Every permission rule lives here, in `_permission`, and `authorize` is the only
way another package obtains what generation needs from a cameo (crops, voice,
instructions). Every change and every decision is an audit event.
"""
from __future__ import annotations

import hashlib
import json
import time
import uuid
from dataclasses import dataclass, field

from sqlalchemy import Boolean, Float, ForeignKey, String, Text, false, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from identity.audit import append_event
from identity.clips import notify
from identity.db import Base
from identity.errors import IdentityError
from identity.family import active_controls
from identity.messages import Catalog, Message
from identity.store import Account, AccountRow, CameoRow, CameoTombstoneRow, Store, cameo_record_sha256
from identity.voices import VoiceEmbedding

LEVELS = ("only_me", "approved", "mutuals", "everyone")  # each allows everyone the one before it allows
SWITCHES = ("no_political", "no_violence", "keep_clothes")
MAX_CAMEOS_PER_CLIP = 3
MAX_INSTRUCTIONS_CHARS = 500

# Why the rule refused a cameo: a code and its parameters, with the English text.
REASONS = Catalog({
    "consent_teen_not_approved": "@{owner} is a teen account and has not approved you",
    "consent_only_me": "@{owner} keeps this cameo to themselves",
    "consent_not_approved": "@{owner} has not approved your request to use this cameo",
    "consent_parent_limit": "@{owner}'s parent account limits who may use this cameo",
    "consent_revoked": "this cameo was revoked by its owner",
    "consent_no_cameo": "no such cameo",
    "consent_no_account": "your account no longer exists",
    "consent_cameo_count": "a clip features 1 to {most} cameos",
})


class CameoSettingsRow(Base):
    __tablename__ = "cameo_settings"
    cameo_id: Mapped[str] = mapped_column(ForeignKey("cameos.id", ondelete="CASCADE"), primary_key=True)
    level: Mapped[str] = mapped_column(String(16))
    instructions: Mapped[str] = mapped_column(Text, default="")
    switches: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of SWITCHES
    updated_at: Mapped[float] = mapped_column(Float)
    # The owner approves each publication of a clip featuring this cameo (identity.publication).
    approve_publication: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class FollowRow(Base):
    __tablename__ = "follows"
    follower_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    followee_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True,
                                             index=True)  # "who follows me" and the feed's followers-only rule


class RequestRow(Base):
    __tablename__ = "cameo_requests"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    requester_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    cameo_id: Mapped[str] = mapped_column(ForeignKey("cameos.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16))  # pending | approved | denied | withdrawn
    created_at: Mapped[float] = mapped_column(Float)
    decided_at: Mapped[float | None] = mapped_column(Float, nullable=True)


@dataclass(frozen=True)
class ConsentRecord:
    id: str  # "<cameo id>:<settings time>[:<request id>]"
    sha256: str


@dataclass(frozen=True)
class CameoGrant:
    cameo_id: str
    owner_handle: str
    owner_is_teen: bool
    level: str
    instructions: str
    switches: list[str]
    crops_png: list[bytes]
    voice: VoiceEmbedding
    voice_pitch_hz: float | None
    consent: ConsentRecord
    voice_reference_wav: bytes | None = None  # the consent recording's speech, where the studio keeps it
    references_png: list[bytes] = field(default_factory=list)  # head-and-shoulders references on white


@dataclass(frozen=True)
class Grant:
    requester: str
    purpose: str
    cameos: list[CameoGrant]
    issued_at: float

    @property
    def consent_records(self) -> list[ConsentRecord]:
        return [c.consent for c in self.cameos]


@dataclass(frozen=True)
class Person:
    handle: str
    cameo_id: str | None
    i_follow: bool
    follows_me: bool
    my_request: str | None  # status of the viewer's latest request for this person's cameo
    usable: bool  # the viewer may use this person's cameo now


@dataclass(frozen=True)
class RequestView:
    id: str
    requester: str
    status: str
    created_at: float


@dataclass(frozen=True)
class Refusal:
    requester: str
    reasons: dict[str, str] = field(default_factory=dict)  # cameo id -> why, in English
    messages: dict[str, Message] = field(default_factory=dict)  # cameo id -> why, as a code and parameters


def _refusal(requester: str, why: dict[str, Message]) -> Refusal:
    return Refusal(requester, {k: m.text for k, m in why.items()}, dict(why))


def stricter(level: str, cap: str) -> str:
    """The narrower of two permission levels (LEVELS is ordered from narrowest to widest)."""
    return min(level, cap, key=LEVELS.index)


def _sha256(obj: dict) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


class ConsentLedger:
    def __init__(self, store: Store):
        self.store = store

    # settings ------------------------------------------------------------
    def _owned_cameo(self, s: Session, owner: Account, cameo_id: str) -> CameoRow:
        row = s.get(CameoRow, cameo_id)
        if row is None or row.account_id != owner.id:
            raise IdentityError("not_your_cameo", "only the owner of an active cameo can change it")
        return row

    def _settings(self, s: Session, cameo_id: str) -> CameoSettingsRow:
        row = s.get(CameoSettingsRow, cameo_id)
        if row is None:  # a new cameo is usable by its owner only; reading adds no row (a revoke may be racing)
            created = s.scalar(select(CameoRow.created_at).where(CameoRow.id == cameo_id)) or 0.0
            row = CameoSettingsRow(cameo_id=cameo_id, level="only_me", instructions="", switches="[]",
                                   updated_at=created, approve_publication=False)
        return row

    def _settings_for_update(self, s: Session, cameo_id: str) -> CameoSettingsRow:
        row = self._settings(s, cameo_id)
        if row not in s:
            s.add(row)
        return row

    def set_permission(self, owner: Account, cameo_id: str, level: str) -> None:
        if level not in LEVELS:
            raise IdentityError("bad_level", f"permission level must be one of {', '.join(LEVELS)}",
                                {"levels": ", ".join(LEVELS)})
        if level == "everyone" and owner.is_teen:
            raise IdentityError("teen_everyone", "a teen account's cameo cannot be open to everyone")
        with self.store.session.begin() as s:
            self._owned_cameo(s, owner, cameo_id)
            row = self._settings_for_update(s, cameo_id)
            row.level, row.updated_at = level, time.time()
            append_event(s, "permission_change", owner.handle, cameo_id, {"level": level})

    def set_instructions(self, owner: Account, cameo_id: str, text: str, switches: list[str]) -> None:
        bad = [x for x in switches if x not in SWITCHES]
        if bad:
            raise IdentityError("bad_switch", f"unknown switches {bad}; known: {', '.join(SWITCHES)}")
        if len(text) > MAX_INSTRUCTIONS_CHARS:
            raise IdentityError("instructions_too_long", f"instructions are limited to {MAX_INSTRUCTIONS_CHARS} characters",
                                {"most": MAX_INSTRUCTIONS_CHARS})
        with self.store.session.begin() as s:
            self._owned_cameo(s, owner, cameo_id)
            row = self._settings_for_update(s, cameo_id)
            row.instructions, row.switches, row.updated_at = text.strip(), json.dumps(sorted(set(switches))), time.time()
            append_event(s, "permission_change", owner.handle, cameo_id,
                         {"instructions_sha256": hashlib.sha256(row.instructions.encode()).hexdigest(),
                          "switches": json.loads(row.switches)})

    def set_publication_approval(self, owner: Account, cameo_id: str, required: bool) -> None:
        """Whether each clip featuring this cameo waits for the owner's approval before it is published."""
        with self.store.session.begin() as s:
            self._owned_cameo(s, owner, cameo_id)
            row = self._settings_for_update(s, cameo_id)
            row.approve_publication, row.updated_at = bool(required), time.time()
            append_event(s, "permission_change", owner.handle, cameo_id, {"approve_publication": bool(required)})

    def publication_approval(self, cameo_id: str) -> bool:
        with self.store.reader() as s:
            return bool(self._settings(s, cameo_id).approve_publication)

    def approvals_needed(self, s: Session, creator: Account, cameo_ids: list[str]) -> list[str]:
        """Inside a publishing transaction: the owners (account ids) who must approve this publication first."""
        owners = []
        for cid in dict.fromkeys(cameo_ids):
            cameo = s.get(CameoRow, cid)
            if cameo is not None and cameo.account_id != creator.id and self._settings(s, cid).approve_publication:
                owners.append(cameo.account_id)
        return list(dict.fromkeys(owners))

    # follows and requests --------------------------------------------------
    @staticmethod
    def _live(s: Session, *accounts: Account) -> None:
        for a in accounts:
            if s.get(AccountRow, a.id) is None:
                raise IdentityError("no_account", f"@{a.handle} no longer has an account",
                                    {"handle": a.handle})

    def follow(self, follower: Account, followee: Account) -> None:
        if follower.id == followee.id:
            raise IdentityError("self_follow", "you cannot follow yourself")
        with self.store.session.begin() as s:
            self._live(s, follower, followee)
            if s.get(FollowRow, (follower.id, followee.id)) is None:
                s.add(FollowRow(follower_id=follower.id, followee_id=followee.id))

    def unfollow(self, follower: Account, followee: Account) -> None:
        with self.store.session.begin() as s:
            row = s.get(FollowRow, (follower.id, followee.id))
            if row is not None:
                s.delete(row)

    @staticmethod
    def _follows(s: Session, a: str, b: str) -> bool:
        return s.get(FollowRow, (a, b)) is not None

    def request(self, requester: Account, cameo_id: str) -> str:
        with self.store.session.begin() as s:
            self._live(s, requester)
            cameo = s.get(CameoRow, cameo_id)
            if cameo is None:
                raise IdentityError("no_cameo", "that cameo does not exist or was revoked")
            if cameo.account_id == requester.id:
                raise IdentityError("own_cameo", "this is your own cameo")
            owner = self._account(s, cameo.account_id)
            # A teen's cameo can only be requested by adults the teen has chosen to follow.
            if owner.is_teen and not requester.is_teen and not self._follows(s, owner.id, requester.id):
                raise IdentityError("teen_protected", f"@{owner.handle} has not approved you; you cannot request this cameo",
                                    {"owner": owner.handle})
            existing = s.scalar(select(RequestRow).where(RequestRow.requester_id == requester.id,
                                                         RequestRow.cameo_id == cameo_id,
                                                         RequestRow.status.in_(("pending", "approved"))))
            if existing is not None:
                raise IdentityError("duplicate_request", f"you already have a {existing.status} request for this cameo",
                                    {"status": existing.status})
            req = RequestRow(id=uuid.uuid4().hex, requester_id=requester.id, cameo_id=cameo_id, status="pending",
                             created_at=time.time())
            s.add(req)
            append_event(s, "request", requester.handle, cameo_id, {"request_id": req.id})
            notify(s, owner.id, "request", f"@{requester.handle} asked to use your cameo",
                   params={"requester": requester.handle})
            return req.id

    def _decide(self, owner: Account, request_id: str, status: str, kind: str, allowed_from: tuple[str, ...]) -> None:
        with self.store.session.begin() as s:
            req = s.get(RequestRow, request_id)
            if req is None:
                raise IdentityError("no_request", "no such request")
            self._owned_cameo(s, owner, req.cameo_id)
            if req.status not in allowed_from:
                raise IdentityError("request_state", f"this request is {req.status}", {"status": req.status})
            req.status, req.decided_at = status, time.time()
            append_event(s, kind, owner.handle, req.cameo_id, {"request_id": req.id})
            notify(s, req.requester_id, status, f"@{owner.handle} {status} your request to use their cameo",
                   params={"owner": owner.handle})

    def approve(self, owner: Account, request_id: str) -> None:
        self._decide(owner, request_id, "approved", "approve", ("pending", "denied"))

    def deny(self, owner: Account, request_id: str) -> None:
        self._decide(owner, request_id, "denied", "deny", ("pending",))

    def withdraw(self, owner: Account, request_id: str) -> None:
        """The owner takes back one person's approval; their next authorization is refused."""
        self._decide(owner, request_id, "withdrawn", "deny", ("approved",))

    # the rule --------------------------------------------------------------
    @staticmethod
    def _account(s: Session, account_id: str) -> Account:
        row = s.get(AccountRow, account_id)
        return Account(row.id, row.handle, row.birth_year)

    def _permission(self, s: Session, requester: Account, cameo: CameoRow) -> tuple[Message | None, RequestRow | None]:
        """(None, approving request) when allowed; (reason, None) when not. The only permission rule.

        A teen's cameo is used only by accounts the teen follows, and a linked parent
        may narrow the teen's level further (never wider than mutuals).
        """
        if cameo.account_id == requester.id:
            return None, None
        owner = self._account(s, cameo.account_id)
        level = self._settings(s, cameo.id).level
        approved = s.scalar(select(RequestRow).where(RequestRow.requester_id == requester.id,
                                                     RequestRow.cameo_id == cameo.id, RequestRow.status == "approved"))
        if owner.is_teen and not requester.is_teen and not self._follows(s, owner.id, requester.id):
            return REASONS.message("consent_teen_not_approved", owner=owner.handle), None
        controls = active_controls(s, owner.id) if owner.is_teen else None
        capped = stricter(level, controls.cameo_cap) if controls and controls.cameo_cap else level
        why, req = self._by_level(s, requester, owner, capped, approved)
        if why is not None and capped != level and self._by_level(s, requester, owner, level, approved)[0] is None:
            return REASONS.message("consent_parent_limit", owner=owner.handle), None
        return why, req

    def _by_level(self, s: Session, requester: Account, owner: Account, level: str,
                  approved: RequestRow | None) -> tuple[Message | None, RequestRow | None]:
        if level == "only_me":
            return REASONS.message("consent_only_me", owner=owner.handle), None
        if approved is not None:
            return None, approved
        if level == "everyone":
            return None, None
        if level == "mutuals" and self._follows(s, owner.id, requester.id) and self._follows(s, requester.id, owner.id):
            return None, None
        return REASONS.message("consent_not_approved", owner=owner.handle), None

    def _consent_record(self, s: Session, cameo: CameoRow, req: RequestRow | None) -> ConsentRecord:
        settings = self._settings(s, cameo.id)
        record = {
            "cameo_record_sha256": cameo_record_sha256(cameo),
            "level": settings.level,
            "instructions": settings.instructions,
            "switches": json.loads(settings.switches),
            "settings_updated_at": repr(settings.updated_at),
            "request_id": req.id if req else None,
            "request_decided_at": repr(req.decided_at) if req else None,
        }
        owner = self._account(s, cameo.account_id)
        controls = active_controls(s, owner.id) if owner.is_teen else None
        if controls is not None and controls.cameo_cap:  # the parent's narrowing was part of the decision
            record["parent_cameo_cap"] = controls.cameo_cap
        rid = f"{cameo.id}:{settings.updated_at:.6f}" + (f":{req.id}" if req else "")
        return ConsentRecord(rid, _sha256(record))

    def _decide_all(self, s: Session, requester: Account, ids: list[str]) -> tuple[dict[str, Message], list[tuple]]:
        """The rule applied to each cameo: reasons for those refused, and what the others need."""
        if s.get(AccountRow, requester.id) is None:
            return {"*": REASONS.message("consent_no_account")}, []
        reasons: dict[str, Message] = {}
        approved: list[tuple[CameoRow, Account, CameoSettingsRow, ConsentRecord]] = []
        for cid in ids:
            cameo = s.get(CameoRow, cid)
            if cameo is None:
                gone = s.get(CameoTombstoneRow, cid) is not None
                reasons[cid] = REASONS.message("consent_revoked" if gone else "consent_no_cameo")
                continue
            reason, req = self._permission(s, requester, cameo)
            if reason:
                reasons[cid] = reason
                continue
            approved.append((cameo, self._account(s, cameo.account_id), self._settings(s, cid),
                             self._consent_record(s, cameo, req)))
        return reasons, approved

    @staticmethod
    def _unique(cameo_ids: list[str]) -> list[str]:
        ids = list(dict.fromkeys(cameo_ids))
        if not 1 <= len(ids) <= MAX_CAMEOS_PER_CLIP:
            raise IdentityError("cameo_count", f"a clip features 1 to {MAX_CAMEOS_PER_CLIP} cameos",
                                {"most": MAX_CAMEOS_PER_CLIP})
        return ids

    def authorize(self, requester: Account, cameo_ids: list[str], purpose: str) -> Grant | Refusal:
        """A grant for all these cameos, or a refusal naming each that failed and why.

        Called before generation starts; `recheck_locked` decides again inside the
        transaction that saves or publishes a clip, so a revoke or a withdrawn
        approval in between means nothing is stored.
        """
        try:
            ids = self._unique(cameo_ids)
        except IdentityError:
            return _refusal(requester.handle, {"*": REASONS.message("consent_cameo_count", most=MAX_CAMEOS_PER_CLIP)})
        with self.store.session.begin() as s:
            reasons, approved = self._decide_all(s, requester, ids)
            if reasons:
                append_event(s, "refuse", requester.handle, ",".join(ids),
                             {"purpose": purpose, "reasons": {k: m.text for k, m in reasons.items()}})
                return _refusal(requester.handle, reasons)
            append_event(s, "authorize", requester.handle, ",".join(ids),
                         {"purpose": purpose, "consent": [[c.id, c.sha256] for *_, c in approved]})
        grants = []
        for cameo, owner, settings, record in approved:
            try:
                full = self.store.get_cameo(cameo.id)
                crops = self.store.crops_png(cameo.id, full.n_crops)
                reference = self.store.voice_reference(cameo.id)
                references = self.store.references_png(cameo.id)
            except (IdentityError, FileNotFoundError):  # revoked between the decision and this read
                return _refusal(requester.handle, {cameo.id: REASONS.message("consent_revoked")})
            grants.append(CameoGrant(
                cameo_id=cameo.id, owner_handle=owner.handle, owner_is_teen=owner.is_teen, level=settings.level,
                instructions=settings.instructions, switches=json.loads(settings.switches),
                crops_png=crops, voice=full.voice,
                voice_pitch_hz=full.quality.get("median_pitch_hz"), consent=record, voice_reference_wav=reference,
                references_png=references,
            ))
        return Grant(requester.handle, purpose, grants, time.time())

    def still_holds(self, requester: Account, cameo_ids: list[str]) -> Refusal | None:
        """The rule again, without an audit entry: polled while a job runs, so a revoke stops it early."""
        with self.store.reader() as s:
            reasons, _ = self._decide_all(s, requester, list(dict.fromkeys(cameo_ids)))
        return _refusal(requester.handle, reasons) if reasons else None

    def recheck_locked(self, s: Session, requester: Account, cameo_ids: list[str],
                       purpose: str) -> tuple[Refusal | None, list[ConsentRecord], list[Account]]:
        """Inside the caller's saving transaction: lock the cameo rows, then decide again.

        The no-op UPDATE takes the rows' write locks (PostgreSQL) or the database's
        write lock (SQLite) before deciding, so a revoke either commits first, and
        this refuses, or waits for this transaction, and then takes the new clip down
        with the rest. Either way no clip of a revoked cameo stays published.
        """
        ids = self._unique(cameo_ids)
        self.lock_cameos(s, ids)
        reasons, approved = self._decide_all(s, requester, ids)
        if reasons:
            append_event(s, "refuse", requester.handle, ",".join(ids),
                         {"purpose": purpose, "reasons": {k: m.text for k, m in reasons.items()}})
            return _refusal(requester.handle, reasons), [], []
        return None, [c for *_, c in approved], [owner for _, owner, *_ in approved]

    @staticmethod
    def lock_cameos(s: Session, cameo_ids: list[str]) -> None:
        """Take the cameo rows' write locks (PostgreSQL; SQLite's writer lock already serialises) with a no-op
        UPDATE: a revoke of any of them then waits for this transaction, or this one for the revoke."""
        if cameo_ids:
            s.execute(update(CameoRow).where(CameoRow.id.in_(cameo_ids)).values(status=CameoRow.status))

    def revoke(self, owner: Account, cameo_id: str) -> None:
        """The owner revokes their cameo: biometric data deleted, clips taken down (Store.revoke_cameo)."""
        with self.store.reader() as s:
            self._owned_cameo(s, owner, cameo_id)
        self.store.revoke_cameo(cameo_id, actor=owner.handle)

    # what the studio shows -------------------------------------------------
    def settings_of(self, cameo_id: str) -> tuple[str, str, list[str]]:
        """(level, instructions, switches) of a cameo."""
        with self.store.reader() as s:
            row = self._settings(s, cameo_id)
            return row.level, row.instructions, json.loads(row.switches)

    def people(self, viewer: Account) -> list[Person]:
        """Every other account, with follows both ways, their cameo and where the viewer's request stands."""
        with self.store.reader() as s:
            out = []
            for row in s.scalars(select(AccountRow).where(AccountRow.id != viewer.id).order_by(AccountRow.handle)):
                cameo = s.scalar(select(CameoRow.id).where(CameoRow.account_id == row.id))
                req = s.scalar(select(RequestRow).where(RequestRow.requester_id == viewer.id,
                                                        RequestRow.cameo_id == cameo)
                               .order_by(RequestRow.created_at.desc()).limit(1)) if cameo else None
                usable = cameo is not None and self._permission(s, viewer, s.get(CameoRow, cameo))[0] is None
                out.append(Person(row.handle, cameo, self._follows(s, viewer.id, row.id),
                                  self._follows(s, row.id, viewer.id), req.status if req else None, usable))
            return out

    def requests_for(self, owner: Account) -> list[RequestView]:
        """Requests to use the owner's cameo, newest first."""
        with self.store.reader() as s:
            q = (select(RequestRow, AccountRow.handle).join(AccountRow, AccountRow.id == RequestRow.requester_id)
                 .join(CameoRow, CameoRow.id == RequestRow.cameo_id).where(CameoRow.account_id == owner.id)
                 .order_by(RequestRow.created_at.desc()))
            return [RequestView(r.id, handle, r.status, r.created_at) for r, handle in s.execute(q)]

    def usable_cameos(self, viewer: Account) -> list[tuple[str, str]]:
        """(handle, cameo id) of every cameo the viewer may use now: their own first."""
        with self.store.reader() as s:
            out = []
            for cameo, handle in s.execute(select(CameoRow, AccountRow.handle).join(AccountRow)
                                           .order_by(AccountRow.handle)):
                if self._permission(s, viewer, cameo)[0] is None:
                    out.append((handle, cameo.id))
            return sorted(out, key=lambda hc: (hc[0] != viewer.handle, hc[0]))
