"""Reports and human moderation: the rules, like the ledger's; a UI only shows them.

Anyone signed in may report a clip they can see, once per review (a second report
by the same account counts once), within a rate limit. A report opens a review
case for the clip or joins the open one. The clip is hidden at once, pending
review, when the owner of a face in it reports it, or when enough distinct
accounts have (`CommunityRules.report_hide_threshold`).

Moderators (a role the operator grants: `python -m identity grant-moderator`)
work a queue ordered by severity, then age. Each item carries what the review
needs and nothing biometric: the clip's record, prompt and safety figures, its
creator, the consent records of the people in it, the reports and the clip's
audit trail. A decision keeps the clip or takes it down (the same code as a
revoke's takedown: row kept as removed, file deleted), and may also suspend the
creator's generation and add a face seen in the clip to the protected gallery;
each is audit-logged with the moderator's reason, and the creator and every
reporter get a notice. The creator may appeal a decision against them once; the
appeal goes back to the queue, and its decision is final.

A takedown deletes the file, as a revoke does, so an appeal that succeeds lifts
the suspension and clears the record but cannot bring the clip back: the notice
says so, and the creator may make it again.
"""
from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from identity.audit import append_event, read_events
from identity.clip_faces import FaceGroup, face_groups
from identity.clips import CACHE_DIR, ClipCameoRow, ClipRow, delete_files, notify_message, remove_clip
from identity.consent import CameoSettingsRow
from identity.db import Base
from identity.errors import IdentityError
from identity.faces import compare_templates
from identity.gallery import ProtectedGallery
from identity.limits import SuspensionRow
from identity.messages import Catalog, Message
from identity.rules import DAY_S
from identity.roles import require_moderator
from identity.store import Account, AccountRow, CameoRow, Store
from identity.visibility import may_view

# The prompt policy's categories (safety.policy.CATEGORIES, but "moderation", the guard model's verdict, which
# no person reports; a test keeps the two in step), the misuse of a likeness, and anything else said in words. Most severe first: the order is the queue's severity.
REPORT_CATEGORIES: tuple[str, ...] = (
    "sexual_minors", "likeness", "sexual", "violence", "self_harm", "hate", "extremism", "dangerous",
    "impersonation", "fake_evidence", "real_person", "humiliation", "teen", "instruction", "other",
)
MAX_REPORT_CHARS = 1000
MAX_REASON_CHARS = 1000
MAX_SUSPENSION_DAYS = 365
QUEUE_LIMIT = 50
# What of a clip's metadata a reviewer sees: how it was made and what the checks measured. Not its
# voice pitch or anything else derived from a person's body beyond the checks' own scores.
REVIEW_META = ("backend", "model", "duration_s", "aspect", "strict", "nudity_max_scores", "identity_similarity",
               "voice_similarity", "consent_records", "watermark_id", "prompt_sha256")

TEXTS = Catalog({
    "report_category_sexual_minors": "sexual content involving minors",
    "report_category_likeness": "uses my likeness without my consent",
    "report_category_sexual": "sexual content",
    "report_category_violence": "graphic violence or gore",
    "report_category_self_harm": "self-harm or suicide",
    "report_category_hate": "hate or harassment",
    "report_category_extremism": "extremist propaganda",
    "report_category_dangerous": "instructions for serious harm",
    "report_category_impersonation": "an impersonation of a real person",
    "report_category_fake_evidence": "fake evidence against a person (footage, news or messages of a crime or scandal)",
    "report_category_real_person": "a real person who did not consent",
    "report_category_humiliation": "the humiliation of someone in it",
    "report_category_teen": "unsuitable for a teen in it",
    "report_category_instruction": "goes against the instructions of someone in it",
    "report_category_other": "something else (say what)",
    "report_bad_category": "choose one of the report categories: {categories}",
    "report_needs_text": "say in a few words what is wrong with this clip",
    "report_too_long": "keep the report under {most} characters",
    "report_no_clip": "no such clip, or it is no longer shown",
    "report_own_clip": "this is your own clip: delete it instead of reporting it",
    "report_rate_limited": "you have sent {limit} reports in the last {minutes} minutes; you can report again "
                           "at {next_at} UTC",
    "mod_no_case": "no such review case",
    "mod_case_closed": "this case was already decided",
    "mod_bad_verdict": "for this case decide one of: {verdicts}",
    "mod_needs_reason": "give a reason for the decision (at most {most} characters): the creator and the "
                        "reporters are told",
    "mod_conflict": "you made this clip or appear in it: another moderator must review it",
    "mod_bad_suspension": "a suspension lasts 1 to {most} days, and only with a takedown",
    "mod_protect_needs_takedown": "a face is added to the protected gallery only with a takedown",
    "mod_no_gallery": "this studio has no protected gallery to add a face to",
    "mod_clip_file_gone": "the clip's file is gone, so no face can be taken from it",
    "mod_no_such_face": "there is no face {face} in this clip; pick one of the faces listed",
    "mod_face_is_cameo": "that face is @{handle}'s cameo in this clip; revoking or reporting a cameo is not "
                         "done through the protected gallery",
    "mod_not_suspended": "@{handle} is not suspended",
    "appeal_not_yours": "only the creator of the clip can appeal this decision",
    "appeal_nothing": "this decision did not act against you: there is nothing to appeal",
    "appeal_once": "this decision was already appealed; the appeal's decision is final",
    "appeal_open": "this case is still under review; you can appeal once it is decided",
    "appeal_too_long": "keep the appeal under {most} characters",
    "notice_report_received": "thank you: your report about clip {clip} was received and will be reviewed",
    "notice_report_hidden": "clip {clip} is hidden while a moderator reviews it",
    "notice_clip_hidden": "your clip {clip} was reported and is hidden while a moderator reviews it",
    "notice_outcome_kept": "a moderator reviewed clip {clip} and kept it: {reason}",
    "notice_outcome_taken_down": "a moderator took clip {clip} down: {reason}",
    "notice_creator_kept": "a moderator reviewed your clip {clip} and kept it: {reason}",
    "notice_creator_taken_down": "a moderator took your clip {clip} down: {reason}. You may appeal once "
                                 "(case {case})",
    "notice_creator_suspended": "a moderator suspended your generation until {until} UTC: {reason}. You may "
                                "appeal once (case {case})",
    "notice_appeal_received": "your appeal about clip {clip} was received and goes back to a moderator",
    "notice_appeal_upheld": "your appeal about clip {clip} was reviewed and the decision stands: {reason}",
    "notice_appeal_overturned": "your appeal about clip {clip} was accepted: {reason}. The decision is withdrawn "
                                "and any suspension lifted; the clip's file was deleted at the takedown and "
                                "cannot be restored, but you may make it again",
    "notice_outcome_appeal_overturned": "clip {clip}, which you reported, was taken down and then restored to "
                                        "its creator's record on appeal: {reason}",
    "notice_suspension_lifted": "a moderator lifted the suspension of your generation: {reason}",
})

VERDICTS = {"report": ("keep", "take_down"), "appeal": ("uphold", "overturn")}


class ModerationError(IdentityError):
    """A report, review or appeal that cannot be made as asked."""


class ReviewCaseRow(Base):
    __tablename__ = "review_cases"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    clip_id: Mapped[str] = mapped_column(ForeignKey("clips.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # report | appeal
    status: Mapped[str] = mapped_column(String(16))  # open | decided
    severity: Mapped[int] = mapped_column(Integer)
    opened_at: Mapped[float] = mapped_column(Float)
    decided_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    verdict: Mapped[str | None] = mapped_column(String(16), nullable=True)  # keep | take_down | uphold | overturn
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    moderator: Mapped[str | None] = mapped_column(String(64), nullable=True)
    suspended_until: Mapped[float | None] = mapped_column(Float, nullable=True)
    protected_person: Mapped[str | None] = mapped_column(String(64), nullable=True)
    appeal_of: Mapped[str | None] = mapped_column(String(32), nullable=True, unique=True)  # one appeal per case
    appeal_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    __table_args__ = (Index("ix_review_cases_status_severity_opened_at", "status", "severity", "opened_at"),)


class ReportRow(Base):
    __tablename__ = "reports"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    clip_id: Mapped[str] = mapped_column(ForeignKey("clips.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("review_cases.id", ondelete="CASCADE"), index=True)
    reporter_id: Mapped[str | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"), nullable=True)
    reporter_handle: Mapped[str] = mapped_column(String(64))
    category: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    by_featured: Mapped[bool] = mapped_column(default=False)  # the reporter's cameo is in the clip
    created_at: Mapped[float] = mapped_column(Float)
    __table_args__ = (Index("ix_reports_reporter_id_created_at", "reporter_id", "created_at"),)


# records -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReportReceipt:
    report_id: str
    clip_id: str
    category: str
    created_at: float
    duplicate: bool  # the account had already reported this clip in this review: counted once
    hidden: bool  # the clip is now hidden pending review
    message: Message


@dataclass(frozen=True)
class ReportStatus:
    report_id: str
    clip_id: str
    category: str
    created_at: float
    state: str  # in_review | decided | removed (the clip went another way: its creator or a person in it)
    outcome: str | None  # keep | take_down; after an appeal: uphold | overturn
    reason: str | None
    decided_at: float | None


@dataclass(frozen=True)
class ReviewClip:
    id: str
    status: str
    visibility: str
    hidden: bool
    prompt: str
    created_at: float
    published_at: float | None
    remix_of: str | None
    file_present: bool


@dataclass(frozen=True)
class ReviewCreator:
    handle: str
    account_days: float | None  # None: the account was deleted
    is_teen: bool | None
    earlier_takedowns: int
    suspended_until: float | None


@dataclass(frozen=True)
class ReviewPerson:
    """Someone whose cameo is in the clip, and the consent that let the creator use it."""

    handle: str
    is_teen: bool | None
    cameo_active: bool
    level_now: str | None
    consent_record_id: str | None
    consent_record_sha256: str | None


@dataclass(frozen=True)
class ReviewReport:
    category: str
    text: str
    reporter_handle: str
    by_featured: bool
    created_at: float


@dataclass(frozen=True)
class ReviewAppeal:
    text: str
    verdict: str
    reason: str
    moderator: str
    suspended_until: float | None


@dataclass(frozen=True)
class AuditLine:
    at: float
    kind: str
    actor: str


@dataclass(frozen=True)
class ReviewItem:
    """One case in the queue, with what its review needs and no biometric data."""

    case_id: str
    kind: str  # report | appeal
    severity: int
    opened_at: float
    verdicts: tuple[str, ...]
    clip: ReviewClip
    creator: ReviewCreator
    people: tuple[ReviewPerson, ...]
    safety: dict = field(default_factory=dict)
    reports: tuple[ReviewReport, ...] = ()
    appeal: ReviewAppeal | None = None
    history: tuple[AuditLine, ...] = ()


@dataclass(frozen=True)
class FaceInClip:
    """A distinct face a moderator may add to the protected gallery: where it is, not what it is."""

    face: int
    time_s: float
    bbox: tuple[float, float, float, float]
    sightings: int
    cameo_handle: str | None  # the clip's own cameo this face matches, if any


@dataclass(frozen=True)
class Decision:
    case_id: str
    verdict: str
    reason: str
    suspended_until: float | None
    protected_person: str | None


@dataclass(frozen=True)
class CaseSummary:
    """A decided case about one of the creator's clips, and whether they may still appeal it."""

    case_id: str
    clip_id: str
    verdict: str
    reason: str
    decided_at: float
    suspended_until: float | None
    appealable: bool


def severity_of(categories: list[str], by_featured: bool, teen_in_clip: bool, reporters: int) -> int:
    """Ten points per step of the most severe category, five if a person in the clip reported it, five if a teen
    is in it, one per distinct reporter (up to nine): higher is reviewed first."""
    worst = min(REPORT_CATEGORIES.index(c) for c in categories)
    return (len(REPORT_CATEGORIES) - worst) * 10 + 5 * by_featured + 5 * teen_in_clip + min(reporters, 9)


def _utc(t: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.gmtime(t))


def _account(s: Session, account_id: str | None) -> Account | None:
    row = s.get(AccountRow, account_id) if account_id else None
    return Account(row.id, row.handle, row.birth_year) if row else None


class Moderation:
    def __init__(self, store: Store, gallery: ProtectedGallery | None = None):
        self.store, self.gallery = store, gallery

    # reports -------------------------------------------------------------------------------------------
    def report(self, reporter: Account, clip_id: str, category: str, text: str = "") -> ReportReceipt:
        if category not in REPORT_CATEGORIES:
            raise TEXTS.error(ModerationError, "report_bad_category", categories=", ".join(REPORT_CATEGORIES))
        text = (text or "").strip()
        if category == "other" and not text:
            raise TEXTS.error(ModerationError, "report_needs_text")
        if len(text) > MAX_REPORT_CHARS:
            raise TEXTS.error(ModerationError, "report_too_long", most=MAX_REPORT_CHARS)
        rules, now = self.store.rules, time.time()
        with self.store.session.begin() as s:
            if s.scalar(select(AccountRow.id).where(AccountRow.id == reporter.id).with_for_update()) is None:
                raise IdentityError("no_account", "this account no longer exists")
            clip = s.get(ClipRow, clip_id, with_for_update=True)  # one open case per clip, however many report
            if clip is None or not may_view(s, reporter.id, clip, unless_hidden=True):  # hidden meanwhile: still
                raise TEXTS.error(ModerationError, "report_no_clip")
            if clip.creator_id == reporter.id:
                raise TEXTS.error(ModerationError, "report_own_clip")
            case = self._open_case(s, clip_id)
            mine = s.scalar(select(ReportRow).where(ReportRow.case_id == case.id, ReportRow.reporter_id == reporter.id))
            if mine is not None:  # a duplicate counts once and costs nothing
                return ReportReceipt(mine.id, clip_id, mine.category, mine.created_at, True, clip.hidden_at is not None,
                                     TEXTS.message("notice_report_received", clip=clip_id))
            used, oldest = s.execute(select(func.count(), func.min(ReportRow.created_at)).where(
                ReportRow.reporter_id == reporter.id, ReportRow.created_at > now - rules.report_window_s)).one()
            if used >= rules.reports_per_window:
                raise TEXTS.error(ModerationError, "report_rate_limited", limit=rules.reports_per_window,
                                  minutes=rules.report_window_s // 60, next_at=_utc(oldest + rules.report_window_s))
            if case not in s:
                s.add(case)
                s.flush()
            owners = set(s.scalars(select(ClipCameoRow.owner_id).where(ClipCameoRow.clip_id == clip_id)))
            row = ReportRow(id=uuid.uuid4().hex, clip_id=clip_id, case_id=case.id, reporter_id=reporter.id,
                            reporter_handle=reporter.handle, category=category, text=text,
                            by_featured=reporter.id in owners, created_at=now)
            s.add(row)
            s.flush()
            reports = list(s.scalars(select(ReportRow).where(ReportRow.case_id == case.id)))
            reporters = {r.reporter_id or r.reporter_handle for r in reports}
            by_featured = any(r.by_featured for r in reports)
            teen = any(a is not None and a.is_teen for a in (_account(s, o) for o in owners))
            case.severity = severity_of([r.category for r in reports], by_featured, teen, len(reporters))
            append_event(s, "report", reporter.handle, clip_id, {"report_id": row.id, "case_id": case.id,
                                                                "category": category})
            notify_message(s, reporter.id, TEXTS.message("notice_report_received", clip=clip_id), clip_id)
            if clip.hidden_at is None and (by_featured or len(reporters) >= rules.report_hide_threshold):
                clip.hidden_at = now
                append_event(s, "report", "studio", clip_id, {"hidden": True, "case_id": case.id,
                                                             "reporters": len(reporters)})
                if clip.creator_id:
                    notify_message(s, clip.creator_id, TEXTS.message("notice_clip_hidden", clip=clip_id), clip_id)
            return ReportReceipt(row.id, clip_id, category, now, False, clip.hidden_at is not None,
                                 TEXTS.message("notice_report_hidden" if clip.hidden_at else "notice_report_received",
                                               clip=clip_id))

    @staticmethod
    def _open_case(s: Session, clip_id: str) -> ReviewCaseRow:
        """The clip's open report case, or a new one (not yet added to the session)."""
        case = s.scalar(select(ReviewCaseRow).where(ReviewCaseRow.clip_id == clip_id, ReviewCaseRow.kind == "report",
                                                    ReviewCaseRow.status == "open"))
        return case or ReviewCaseRow(id=uuid.uuid4().hex, clip_id=clip_id, kind="report", status="open", severity=0,
                                     opened_at=time.time())

    def my_reports(self, reporter: Account) -> list[ReportStatus]:
        """The reporter's reports, newest first, each with where its review stands."""
        with self.store.reader() as s:
            q = (select(ReportRow, ReviewCaseRow, ClipRow.status)
                 .join(ReviewCaseRow, ReviewCaseRow.id == ReportRow.case_id)
                 .join(ClipRow, ClipRow.id == ReportRow.clip_id)
                 .where(ReportRow.reporter_id == reporter.id).order_by(ReportRow.created_at.desc()))
            out = []
            for rep, case, clip_status in s.execute(q):
                final = s.scalar(select(ReviewCaseRow).where(ReviewCaseRow.appeal_of == case.id,
                                                             ReviewCaseRow.status == "decided")) or case
                if case.status == "decided":
                    out.append(ReportStatus(rep.id, rep.clip_id, rep.category, rep.created_at, "decided",
                                            final.verdict, final.reason, final.decided_at))
                else:
                    state = "removed" if clip_status == "removed" else "in_review"
                    out.append(ReportStatus(rep.id, rep.clip_id, rep.category, rep.created_at, state, None, None,
                                            None))
            return out

    # the queue -----------------------------------------------------------------------------------------
    def queue(self, moderator: Account, limit: int = QUEUE_LIMIT) -> list[ReviewItem]:
        """Open cases, most severe first, then oldest first. A report case whose clip was removed meanwhile
        (by its creator or a person in it) has nothing left to decide and is not listed."""
        with self.store.reader() as s:
            require_moderator(s, moderator)
            q = (select(ReviewCaseRow).join(ClipRow, ClipRow.id == ReviewCaseRow.clip_id)
                 .where(ReviewCaseRow.status == "open",
                        (ReviewCaseRow.kind == "appeal") | (ClipRow.status != "removed"))
                 .order_by(ReviewCaseRow.severity.desc(), ReviewCaseRow.opened_at).limit(limit))
            return [self._item(s, case) for case in s.scalars(q)]

    def item(self, moderator: Account, case_id: str) -> ReviewItem:
        with self.store.reader() as s:
            require_moderator(s, moderator)
            return self._item(s, self._case(s, case_id))

    def clip_file(self, moderator: Account, case_id: str) -> Path | None:
        """The clip's video for a moderator to watch (even hidden); None once taken down."""
        with self.store.reader() as s:
            require_moderator(s, moderator)
            clip = s.get(ClipRow, self._case(s, case_id).clip_id)
            return self._local_file(clip) if clip.status != "removed" and self.store.objects.exists(clip.file) else None

    def _local_file(self, clip: ClipRow) -> Path:
        """The clip's video on this machine (the media store may be a bucket)."""
        return self.store.objects.local_copy(clip.file, self.store.media_dir / CACHE_DIR / f"{clip.id}.mp4")

    @staticmethod
    def _case(s: Session, case_id: str) -> ReviewCaseRow:
        case = s.get(ReviewCaseRow, case_id)
        if case is None:
            raise TEXTS.error(ModerationError, "mod_no_case")
        return case

    def _item(self, s: Session, case: ReviewCaseRow) -> ReviewItem:
        clip = s.get(ClipRow, case.clip_id)
        meta = json.loads(clip.meta)
        now = time.time()
        creator_row = s.get(AccountRow, clip.creator_id) if clip.creator_id else None
        creator_acc = _account(s, clip.creator_id)
        earlier = s.scalar(select(func.count()).select_from(ReviewCaseRow).join(ClipRow)
                           .where(ClipRow.creator_id == clip.creator_id, ReviewCaseRow.verdict == "take_down",
                                  ReviewCaseRow.id != case.id)) if clip.creator_id else 0
        susp = s.get(SuspensionRow, clip.creator_id) if clip.creator_id else None
        creator = ReviewCreator(clip.creator_handle, (now - creator_row.created_at) / DAY_S if creator_row else None,
                                creator_acc.is_teen if creator_acc else None, earlier or 0,
                                susp.until if susp and susp.until > now else None)
        records = {rid.split(":")[0]: (rid, sha) for rid, sha in meta.get("consent_records", [])}
        people = []
        for cc in s.scalars(select(ClipCameoRow).where(ClipCameoRow.clip_id == clip.id)):
            owner = _account(s, cc.owner_id)
            settings = s.get(CameoSettingsRow, cc.cameo_id)
            rid, sha = records.get(cc.cameo_id, (None, None))
            people.append(ReviewPerson(cc.owner_handle, owner.is_teen if owner else None,
                                       s.get(CameoRow, cc.cameo_id) is not None,
                                       settings.level if settings else None, rid, sha))
        report_case = s.get(ReviewCaseRow, case.appeal_of) if case.kind == "appeal" else case
        reports = tuple(ReviewReport(r.category, r.text, r.reporter_handle, r.by_featured, r.created_at)
                        for r in s.scalars(select(ReportRow).where(ReportRow.case_id == report_case.id)
                                           .order_by(ReportRow.created_at)))
        appeal = ReviewAppeal(case.appeal_text or "", report_case.verdict, report_case.reason or "",
                              report_case.moderator or "", report_case.suspended_until) \
            if case.kind == "appeal" else None
        history = tuple(AuditLine(e.at, e.kind, e.actor) for e in read_events(s, clip.id))
        return ReviewItem(
            case.id, case.kind, case.severity, case.opened_at, VERDICTS[case.kind],
            ReviewClip(clip.id, clip.status, clip.visibility, clip.hidden_at is not None, clip.prompt,
                       clip.created_at, clip.published_at, clip.remix_of,
                       clip.status != "removed" and self.store.objects.exists(clip.file)),
            creator, tuple(people), {k: meta[k] for k in REVIEW_META if k in meta}, reports, appeal, history)

    # faces for the protected gallery -------------------------------------------------------------------
    def _groups(self, s: Session, case: ReviewCaseRow) -> tuple[list[FaceGroup], list[str | None]]:
        if self.gallery is None:
            raise TEXTS.error(ModerationError, "mod_no_gallery")
        clip = s.get(ClipRow, case.clip_id)
        if clip.status == "removed" or not self.store.objects.exists(clip.file):
            raise TEXTS.error(ModerationError, "mod_clip_file_gone")
        path = self._local_file(clip)
        backend = self.gallery.backend
        groups = face_groups(path, backend)
        cameos = []
        for cc in s.scalars(select(ClipCameoRow).where(ClipCameoRow.clip_id == clip.id)):
            if s.get(CameoRow, cc.cameo_id) is not None:
                cameos.append((cc.owner_handle, self.store.get_cameo(cc.cameo_id).templates))
        matches = []
        for g in groups:
            best, who = backend.match_threshold, None
            for handle, templates in cameos:
                score = max((compare_templates(backend, g.template, t) for t in templates
                             if (t.backend, t.model) == (backend.name, backend.model)), default=-1.0)
                if score >= best:
                    best, who = score, handle
            matches.append(who)
        return groups, matches

    def faces_in_clip(self, moderator: Account, case_id: str) -> list[FaceInClip]:
        """The distinct faces in the clip, numbered, with the clip cameo each one is (if any)."""
        with self.store.reader() as s:
            require_moderator(s, moderator)
            groups, matches = self._groups(s, self._case(s, case_id))
        return [FaceInClip(k, g.time_s, g.bbox, g.sightings, m) for k, (g, m) in enumerate(zip(groups, matches))]

    # decisions -----------------------------------------------------------------------------------------
    def decide(self, moderator: Account, case_id: str, verdict: str, reason: str, *,
               suspend_days: int | None = None, protect_face: int | None = None,
               protect_as: str | None = None) -> Decision:
        """Decide an open case, with a reason the creator and the reporters are told.

        Report cases: keep, or take_down (optionally suspending the creator's
        generation for `suspend_days` and adding face number `protect_face` of
        `faces_in_clip` to the protected gallery as `protect_as`). Appeal cases:
        uphold, or overturn (the suspension is lifted; the file is not restored).
        """
        reason = (reason or "").strip()
        if not reason or len(reason) > MAX_REASON_CHARS:
            raise TEXTS.error(ModerationError, "mod_needs_reason", most=MAX_REASON_CHARS)
        with self.store.reader() as s:
            require_moderator(s, moderator)
            case = self._case(s, case_id)
            self._check_decision(s, moderator, case, verdict, suspend_days, protect_face)
            photo = None
            if protect_face is not None:
                groups, matches = self._groups(s, case)
                if not 0 <= protect_face < len(groups):
                    raise TEXTS.error(ModerationError, "mod_no_such_face", face=protect_face)
                if matches[protect_face] is not None:
                    raise TEXTS.error(ModerationError, "mod_face_is_cameo", handle=matches[protect_face])
                photo = groups[protect_face].photo
        added = self.gallery.add_photo(protect_as or "", photo) if photo is not None else None
        try:
            return self._commit(moderator, case_id, verdict, reason, suspend_days, added)
        except BaseException:
            if added is not None:  # nothing half-done: the gallery loses the face again
                added.unlink(missing_ok=True)
                self.gallery.forget(added)
            raise

    @staticmethod
    def _check_decision(s: Session, moderator: Account, case: ReviewCaseRow, verdict: str,
                        suspend_days: int | None, protect_face: int | None) -> None:
        if case.status != "open":
            raise TEXTS.error(ModerationError, "mod_case_closed")
        if verdict not in VERDICTS[case.kind]:
            raise TEXTS.error(ModerationError, "mod_bad_verdict", verdicts=", ".join(VERDICTS[case.kind]))
        clip = s.get(ClipRow, case.clip_id)
        featured = s.scalar(select(ClipCameoRow.clip_id).where(ClipCameoRow.clip_id == clip.id,
                                                               ClipCameoRow.owner_id == moderator.id))
        if clip.creator_id == moderator.id or featured is not None:
            raise TEXTS.error(ModerationError, "mod_conflict")
        if suspend_days is not None and (verdict != "take_down" or isinstance(suspend_days, bool)
                                         or not isinstance(suspend_days, int)
                                         or not 1 <= suspend_days <= MAX_SUSPENSION_DAYS):
            raise TEXTS.error(ModerationError, "mod_bad_suspension", most=MAX_SUSPENSION_DAYS)
        if protect_face is not None and verdict != "take_down":
            raise TEXTS.error(ModerationError, "mod_protect_needs_takedown")

    def _commit(self, moderator: Account, case_id: str, verdict: str, reason: str, suspend_days: int | None,
                added: Path | None) -> Decision:
        files: list[str] = []
        now = time.time()
        with self.store.session.begin() as s:
            require_moderator(s, moderator)
            case = s.scalar(select(ReviewCaseRow).where(ReviewCaseRow.id == case_id).with_for_update())
            self._check_decision(s, moderator, case, verdict, suspend_days, None)  # again, under the lock
            clip = s.get(ClipRow, case.clip_id)
            case.status, case.verdict, case.reason, case.moderator, case.decided_at = \
                "decided", verdict, reason, moderator.handle, now
            details = {"case_id": case.id, "verdict": verdict, "reason": reason}
            if verdict == "keep":
                clip.hidden_at = None
            elif verdict == "take_down":
                file = remove_clip(s, clip, f"taken down by a moderator: {reason}", moderator.handle,
                                   notify_creator=False)
                files += [file] if file else []
                if suspend_days is not None:
                    case.suspended_until = self._suspend(s, clip.creator_id, now + suspend_days * DAY_S, reason,
                                                         moderator, case.id)
                    details["suspended_until"] = case.suspended_until
                if added is not None:
                    case.protected_person = added.parent.name
                    details["protected_person"] = added.parent.name
            elif verdict == "overturn":
                self._overturn(s, case, reason)
            append_event(s, "moderate", moderator.handle, clip.id, details)
            self._tell(s, case, clip, reason)
        delete_files(self.store.objects, files)
        return Decision(case_id, verdict, reason, case.suspended_until, case.protected_person)

    @staticmethod
    def _suspend(s: Session, account_id: str | None, until: float, reason: str, moderator: Account,
                 case_id: str) -> float | None:
        if account_id is None or s.get(AccountRow, account_id) is None:
            return None
        row = s.get(SuspensionRow, account_id)
        if row is None:
            row = SuspensionRow(account_id=account_id, until=0.0)
            s.add(row)
        if until > row.until:  # a longer suspension already running is not shortened
            row.until, row.reason, row.moderator, row.case_id, row.created_at = \
                until, reason, moderator.handle, case_id, time.time()
        return until

    @staticmethod
    def _overturn(s: Session, appeal: ReviewCaseRow, reason: str) -> None:
        original = s.get(ReviewCaseRow, appeal.appeal_of)
        clip = s.get(ClipRow, original.clip_id)
        susp = s.get(SuspensionRow, clip.creator_id) if clip.creator_id else None
        if susp is not None and susp.case_id == original.id:
            s.delete(susp)
        if clip.status == "removed":
            clip.removed_reason = f"{clip.removed_reason}; overturned on appeal: {reason}"

    def _tell(self, s: Session, case: ReviewCaseRow, clip: ClipRow, reason: str) -> None:
        """Notices to the creator and every reporter of the case (of the appealed case, for an appeal)."""
        report_case = s.get(ReviewCaseRow, case.appeal_of) if case.kind == "appeal" else case
        reporters = set(s.scalars(select(ReportRow.reporter_id).where(ReportRow.case_id == report_case.id,
                                                                      ReportRow.reporter_id.is_not(None))))
        creator = clip.creator_id if clip.creator_id and s.get(AccountRow, clip.creator_id) else None
        if case.verdict == "keep":
            for_creator = [TEXTS.message("notice_creator_kept", clip=clip.id, reason=reason)]
            for_reporters = TEXTS.message("notice_outcome_kept", clip=clip.id, reason=reason)
        elif case.verdict == "take_down":
            for_creator = [TEXTS.message("notice_creator_taken_down", clip=clip.id, reason=reason, case=case.id)]
            if case.suspended_until:
                for_creator.append(TEXTS.message("notice_creator_suspended", until=_utc(case.suspended_until),
                                                 reason=reason, case=case.id))
            for_reporters = TEXTS.message("notice_outcome_taken_down", clip=clip.id, reason=reason)
        elif case.verdict == "uphold":
            for_creator = [TEXTS.message("notice_appeal_upheld", clip=clip.id, reason=reason)]
            for_reporters = None
        else:
            for_creator = [TEXTS.message("notice_appeal_overturned", clip=clip.id, reason=reason)]
            for_reporters = TEXTS.message("notice_outcome_appeal_overturned", clip=clip.id, reason=reason)
        if creator:
            for m in for_creator:
                notify_message(s, creator, m, clip.id)
        if for_reporters is not None:
            for rid in reporters - {creator}:
                notify_message(s, rid, for_reporters, clip.id)

    def lift_suspension(self, moderator: Account, handle: str, reason: str) -> None:
        reason = (reason or "").strip()
        if not reason or len(reason) > MAX_REASON_CHARS:
            raise TEXTS.error(ModerationError, "mod_needs_reason", most=MAX_REASON_CHARS)
        account = self.store.account(handle.strip().lstrip("@"))
        with self.store.session.begin() as s:
            require_moderator(s, moderator)
            row = s.get(SuspensionRow, account.id)
            if row is None or row.until <= time.time():
                raise TEXTS.error(ModerationError, "mod_not_suspended", handle=account.handle)
            s.delete(row)
            append_event(s, "moderate", moderator.handle, account.id, {"lift_suspension": True, "reason": reason})
            notify_message(s, account.id, TEXTS.message("notice_suspension_lifted", reason=reason))

    # appeals -------------------------------------------------------------------------------------------
    def decisions_about(self, creator: Account) -> list[CaseSummary]:
        """Decided report cases about the creator's clips, newest first, and whether each can be appealed."""
        with self.store.reader() as s:
            q = (select(ReviewCaseRow).join(ClipRow, ClipRow.id == ReviewCaseRow.clip_id)
                 .where(ClipRow.creator_id == creator.id, ReviewCaseRow.kind == "report",
                        ReviewCaseRow.status == "decided").order_by(ReviewCaseRow.decided_at.desc()))
            out = []
            for case in s.scalars(q):
                appealed = s.scalar(select(ReviewCaseRow.id).where(ReviewCaseRow.appeal_of == case.id)) is not None
                out.append(CaseSummary(case.id, case.clip_id, case.verdict, case.reason or "", case.decided_at,
                                       case.suspended_until, case.verdict == "take_down" and not appealed))
            return out

    def appeal(self, creator: Account, case_id: str, text: str) -> str:
        """The creator asks once for a decision against them to be looked at again; the new case's id."""
        text = (text or "").strip()
        if len(text) > MAX_REPORT_CHARS:
            raise TEXTS.error(ModerationError, "appeal_too_long", most=MAX_REPORT_CHARS)
        with self.store.session.begin() as s:
            case = self._case(s, case_id)
            clip = s.get(ClipRow, case.clip_id)
            if case.kind != "report" or clip.creator_id != creator.id:
                raise TEXTS.error(ModerationError, "appeal_not_yours")
            if case.status != "decided":
                raise TEXTS.error(ModerationError, "appeal_open")
            if case.verdict != "take_down":
                raise TEXTS.error(ModerationError, "appeal_nothing")
            if s.scalar(select(ReviewCaseRow.id).where(ReviewCaseRow.appeal_of == case.id)) is not None:
                raise TEXTS.error(ModerationError, "appeal_once")
            appeal = ReviewCaseRow(id=uuid.uuid4().hex, clip_id=clip.id, kind="appeal", status="open",
                                   severity=case.severity, opened_at=time.time(), appeal_of=case.id, appeal_text=text)
            s.add(appeal)
            append_event(s, "appeal", creator.handle, clip.id, {"case_id": appeal.id, "appeal_of": case.id})
            notify_message(s, creator.id, TEXTS.message("notice_appeal_received", clip=clip.id), clip.id)
            return appeal.id


def category_label(category: str) -> Message:
    return TEXTS.message(f"report_category_{category}")
