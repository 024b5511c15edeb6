"""SQLAlchemy 2.x typed models. Schema changes go through Alembic (migrations/)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from app.i18n.locales import Locale


class UTCDateTime(TypeDecorator[datetime]):
    """Stores naive UTC (SQLite has no time zones) and always hands back aware UTC datetimes."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def new_id() -> str:
    return str(uuid.uuid4())


class Base(DeclarativeBase):
    pass


class Prison(Base):
    __tablename__ = "prison"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(120))

    wings: Mapped[list[Wing]] = relationship(back_populates="prison", order_by="Wing.code")


class Wing(Base):
    __tablename__ = "wing"
    __table_args__ = (UniqueConstraint("prison_id", "code"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    prison_id: Mapped[str] = mapped_column(ForeignKey("prison.id"))
    code: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(120))
    # A closed wing is kept for history (old observations name it) but takes no new postings
    # or prisoners.
    closed_on: Mapped[date | None] = mapped_column(Date, nullable=True)

    prison: Mapped[Prison] = relationship(back_populates="wings")


class PrisonLocation(Base):
    """Where on a prison's grounds something can be seen, as the capture form offers it. A code
    of the standard list (app/catalogue/locations.json) takes its words from the catalogues;
    a prison's own location carries its name in every locale (`names`, locale -> text)."""

    __tablename__ = "prison_location"

    prison_id: Mapped[str] = mapped_column(ForeignKey("prison.id"), primary_key=True)
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    names: Mapped[dict | None] = mapped_column(JSON, nullable=True)  # None: a standard location
    position: Mapped[int] = mapped_column(default=0)
    retired: Mapped[bool] = mapped_column(default=False)  # kept: old observations name it


class Prisoner(Base):
    __tablename__ = "prisoner"
    __table_args__ = (UniqueConstraint("prison_id", "number"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    prison_id: Mapped[str] = mapped_column(ForeignKey("prison.id"))
    wing_id: Mapped[str] = mapped_column(ForeignKey("wing.id"), index=True)
    number: Mapped[str] = mapped_column(String(32))
    given_name: Mapped[str] = mapped_column(String(80))
    family_name: Mapped[str] = mapped_column(String(80))
    admitted_on: Mapped[date | None] = mapped_column(Date, nullable=True)  # NULL: before rosters
    # Released prisoners stay (old observations are about them) but leave the tablets' rosters.
    released_on: Mapped[date | None] = mapped_column(Date, nullable=True)


class PrisonerMove(Base):
    """A prisoner's move between wings, as a roster import saw it. Observations keep the wing
    they were made on; this is the history of where the prisoner lived."""

    __tablename__ = "prisoner_move"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    prisoner_id: Mapped[str] = mapped_column(ForeignKey("prisoner.id"), index=True)
    from_wing_id: Mapped[str] = mapped_column(ForeignKey("wing.id"))
    to_wing_id: Mapped[str] = mapped_column(ForeignKey("wing.id"))
    moved_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class User(Base):
    __tablename__ = "app_user"
    __table_args__ = (
        CheckConstraint("locale IN (" + ", ".join(f"'{code}'" for code in Locale) + ")",
                        name="ck_app_user_locale"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(255))
    prison_id: Mapped[str | None] = mapped_column(ForeignKey("prison.id"), nullable=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The language and script the user works in, a BCP 47 tag of app.i18n.locales.Locale.
    locale: Mapped[str] = mapped_column(String(16), default=Locale.EN.value,
                                        server_default=Locale.EN.value)
    # Set by an administrator's password reset: the next sign-in must choose a new password.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    postings: Mapped[list[Posting]] = relationship(back_populates="user",
                                                   order_by="Posting.valid_from")


class Posting(Base):
    """Who may see what, and from when to when: an officer to a wing, treatment staff or a
    security head to a prison, a security head to the central service (app/services/postings).
    Dates are the prisons' local days, both ends included; valid_to NULL means until further
    notice. Never deleted: ending one sets valid_to, so the history of who saw what stays."""

    __tablename__ = "posting"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("app_user.id"), index=True)
    scope: Mapped[str] = mapped_column(String(12))  # vocabulary.PostingScope
    prison_id: Mapped[str | None] = mapped_column(ForeignKey("prison.id"), nullable=True)
    wing_id: Mapped[str | None] = mapped_column(ForeignKey("wing.id"), nullable=True)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(back_populates="postings")
    wing: Mapped[Wing | None] = relationship()


class WebSession(Base):
    """A signed-in browser. Only a SHA-256 of the random key is stored, so a copy of the
    database does not hand out live sessions."""

    __tablename__ = "web_session"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key_hash: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("app_user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime())
    locked: Mapped[bool] = mapped_column(default=False)
    unlock_failures: Mapped[int] = mapped_column(default=0)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    end_reason: Mapped[str | None] = mapped_column(String(32), nullable=True)
    # One-time ticket the sign-in page swaps for the HttpOnly cookie (see app/api/session.py).
    ticket_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    ticket_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class LoginThrottle(Base):
    """Failed sign-ins per username (known or not, so a lock-out never reveals who exists)."""

    __tablename__ = "login_throttle"

    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    window_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class LoginAddressThrottle(Base):
    """Failed sign-ins per client address in the current window: slows password spraying
    across many usernames, and a stranger locking out a known user."""

    __tablename__ = "login_address_throttle"

    address: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    window_started_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AuthLog(Base):
    """Every sign-in attempt, sign-out, lock and refusal. Append-only by convention; the
    hash-chained audit log of observations is a separate table."""

    __tablename__ = "auth_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    event: Mapped[str] = mapped_column(String(32))
    username: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    channel: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str] = mapped_column(String(200), default="")


class CatalogueVersion(Base):
    """Fingerprint of each catalogue file ever loaded: a version in use may never change."""

    __tablename__ = "catalogue_version"

    version: Mapped[str] = mapped_column(String(32), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    first_loaded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Observation(Base):
    """One officer's record of what they saw or heard. Never updated or deleted by a user path;
    corrections are addenda. Free text is stored only encrypted (app/services/fieldcrypt.py)."""

    __tablename__ = "observation"
    __table_args__ = (Index("ix_observation_prisoner_occurred", "prisoner_id", "occurred_at"),
                      # the retention run's first cut: made more than a period ago (0012)
                      Index("ix_observation_occurred_at", "occurred_at", "id"))

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # made on the device
    prisoner_id: Mapped[str] = mapped_column(ForeignKey("prisoner.id"))
    wing_id: Mapped[str] = mapped_column(ForeignKey("wing.id"))  # where the prisoner was
    prison_id: Mapped[str] = mapped_column(ForeignKey("prison.id"), index=True)
    author_id: Mapped[str] = mapped_column(ForeignKey("app_user.id"), index=True)
    device_id: Mapped[str] = mapped_column(String(64))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    location: Mapped[str] = mapped_column(String(32))
    catalogue_version: Mapped[str] = mapped_column(String(32))
    indicators: Mapped[list[str]] = mapped_column(JSON)
    categories: Mapped[list[str]] = mapped_column(JSON)
    concern_observation: Mapped[bool]  # False when every indicator is a protective one
    source: Mapped[str] = mapped_column(String(32))
    concern: Mapped[str] = mapped_column(String(8))
    flag: Mapped[bool]
    flag_reason_enc: Mapped[str | None] = mapped_column(Text, nullable=True)
    facts_enc: Mapped[str] = mapped_column(Text)
    assessment_enc: Mapped[str | None] = mapped_column(Text, nullable=True)
    payload_hash: Mapped[str] = mapped_column(String(64))
    review_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    # The language its free text was written in (a Locale code); NULL from a client too old to say.
    locale: Mapped[str | None] = mapped_column(String(16), nullable=True)


class Addendum(Base):
    """A correction or addition to an observation: who, when, what. Never edited."""

    __tablename__ = "addendum"
    # Ids never handed on after an erasure (SQLite AUTOINCREMENT, migration 0012).
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    observation_id: Mapped[str] = mapped_column(ForeignKey("observation.id"), index=True)
    author_id: Mapped[str] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    text_enc: Mapped[str] = mapped_column(Text)
    locale: Mapped[str | None] = mapped_column(String(16), nullable=True)  # of the text
    # Rectification: the fact this addendum corrects (vocabulary.CorrectedFact), its text then
    # being the corrected reading; NULL for an ordinary addendum.
    corrects: Mapped[str | None] = mapped_column(String(16), nullable=True)


class ScreeningItem(Base):
    """What a screener works on: one open item per prisoner at most (a partial unique index)."""

    __tablename__ = "screening_item"
    __table_args__ = (
        Index("uq_screening_item_open_prisoner", "prisoner_id", unique=True,
              sqlite_where=text("closed_at IS NULL"), postgresql_where=text("closed_at IS NULL")),
        {"sqlite_autoincrement": True},  # ids never handed on after an erasure (0012)
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    prisoner_id: Mapped[str] = mapped_column(ForeignKey("prisoner.id"))
    prison_id: Mapped[str] = mapped_column(ForeignKey("prison.id"), index=True)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class ScreeningTrigger(Base):
    """Why an item is in the queue: which rule fired, with its numbers, on which observations.
    No sentence: app/services/flag_rules.sentence says it in the reader's language."""

    __tablename__ = "screening_trigger"
    __table_args__ = {"sqlite_autoincrement": True}  # ids never handed on (0012)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("screening_item.id"), index=True)
    rule_id: Mapped[str] = mapped_column(String(32))
    params: Mapped[dict] = mapped_column(JSON)
    observation_ids: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AuditEntry(Base):
    """The append-only, hash-chained audit log (LED Art. 25). See app/services/audit.py."""

    __tablename__ = "audit_entry"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    action: Mapped[str] = mapped_column(String(24))
    prisoner_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    record_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    purpose: Mapped[str | None] = mapped_column(String(200), nullable=True)
    detail: Mapped[str | None] = mapped_column(Text, nullable=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    row_hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The single row that serialises appends: writers lock it, so the chain never forks."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(default=0)
    row_hash: Mapped[str] = mapped_column(String(64))


class ScreeningEvent(Base):
    """Everything recorded on a screening item, in order: claims, take-overs, decisions,
    sign-offs and addenda. Never edited; an item's status is derived from these rows."""

    __tablename__ = "screening_event"
    __table_args__ = (Index("ix_screening_event_item_at", "item_id", "at"),
                      {"sqlite_autoincrement": True})  # ids never handed on (0012)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("screening_item.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor_id: Mapped[str] = mapped_column(ForeignKey("app_user.id"))
    kind: Mapped[str] = mapped_column(String(16))  # claim, take_over, decision, sign_off, addendum
    outcome: Mapped[str | None] = mapped_column(String(24), nullable=True)
    support_kind: Mapped[str | None] = mapped_column(String(24), nullable=True)
    review_on: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    refers_to: Mapped[int | None] = mapped_column(ForeignKey("screening_event.id"), nullable=True)
    text_enc: Mapped[str | None] = mapped_column(Text, nullable=True)  # reason, encrypted
    locale: Mapped[str | None] = mapped_column(String(16), nullable=True)  # of the text


# --- trends: counts kept up to date in the same transaction as what they count ----------------
# No names, no ids of people, no free text: a security head's page reads only these tables.


class TrendWeek(Base):
    """Observations (and those that raised a flag) per prison, wing, category, local week, kind
    and concern level. Wing "*" counts the whole prison and category "*" each observation once,
    so the page's usual questions read a few rows instead of adding up thousands. The key
    starts with what a query fixes, then the week it ranges over."""

    __tablename__ = "trend_week"
    __table_args__ = {"sqlite_with_rowid": False}

    prison_id: Mapped[str] = mapped_column(ForeignKey("prison.id"), primary_key=True)
    wing_id: Mapped[str] = mapped_column(String(36), primary_key=True)  # a wing's id, or "*"
    category: Mapped[str] = mapped_column(String(16), primary_key=True)
    week: Mapped[date] = mapped_column(Date, primary_key=True)  # the Monday, prisons' local time
    kind: Mapped[str] = mapped_column(String(12), primary_key=True)  # concern or protective
    concern: Mapped[str] = mapped_column(String(8), primary_key=True)
    observations: Mapped[int] = mapped_column(default=0)
    flagged: Mapped[int] = mapped_column(default=0)


class TrendIndicatorWeek(Base):
    """How often each indicator was ticked, per prison, wing (or "*"), concern level (or "*")
    and local week."""

    __tablename__ = "trend_indicator_week"
    __table_args__ = {"sqlite_with_rowid": False}

    prison_id: Mapped[str] = mapped_column(ForeignKey("prison.id"), primary_key=True)
    wing_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    concern: Mapped[str] = mapped_column(String(8), primary_key=True)
    week: Mapped[date] = mapped_column(Date, primary_key=True)
    indicator: Mapped[str] = mapped_column(String(16), primary_key=True)
    category: Mapped[str] = mapped_column(String(16))
    observations: Mapped[int] = mapped_column(default=0)


class TrendDecision(Base):
    """One row per screening decision: where, when, which outcome and, for an item's first
    decision, the hours since the item was opened (the 72-hour target)."""

    __tablename__ = "trend_decision"
    # Covers the page's queries, so they never touch the table itself.
    __table_args__ = (Index("ix_trend_decision_prison_at", "prison_id", "decided_at", "wing_id",
                            "outcome", "hours_to_first"),)

    # No foreign key (migration 0012): the count outlives an erased screening record.
    event_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    prison_id: Mapped[str] = mapped_column(ForeignKey("prison.id"))
    wing_id: Mapped[str] = mapped_column(ForeignKey("wing.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime())
    outcome: Mapped[str] = mapped_column(String(24))
    hours_to_first: Mapped[float | None] = mapped_column(Float, nullable=True)


# --- tablets (issue 11 item 6): filled in by migration 0010 -----------------------------------
# Counts and times only: which tablet, when it was heard from, how many entries wait on it.
# Never what the entries say (app/services/tablets.py).


class Tablet(Base):
    """A device the capture island runs on, known by the id it made itself (`deviceId()` in
    assets/island/CaptureIsland.jsx), as every sync and report names it."""

    __tablename__ = "tablet"

    device_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    # The prison of the officer last heard from on it (tablets are a wing's, not a person's).
    prison_id: Mapped[str | None] = mapped_column(ForeignKey("prison.id"), nullable=True,
                                                  index=True)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_contact_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_officer_id: Mapped[str | None] = mapped_column(ForeignKey("app_user.id"), nullable=True)
    app_version: Mapped[str | None] = mapped_column(String(32), nullable=True)
    lost_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    lost_by: Mapped[str | None] = mapped_column(ForeignKey("app_user.id"), nullable=True)


class TabletOfficer(Base):
    """An officer who used a tablet, and what of theirs waits on it as they last reported: the
    tablet's outbox keeps each officer's entries apart and reports only the signed-in one's."""

    __tablename__ = "tablet_officer"

    device_id: Mapped[str] = mapped_column(ForeignKey("tablet.device_id"), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("app_user.id"), primary_key=True,
                                         index=True)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    waiting: Mapped[int] = mapped_column(default=0)
    oldest_waiting_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class TokenCutoff(Base):
    """Bearer tokens of this user issued before `not_before` are refused (a lost tablet): those
    from the password grant carry no session that could be ended instead."""

    __tablename__ = "token_cutoff"

    user_id: Mapped[str] = mapped_column(ForeignKey("app_user.id"), primary_key=True)
    not_before: Mapped[datetime] = mapped_column(UTCDateTime())


# --- catalogue versions made in the browser (issue 11 item 5): migration 0011 -----------------


class CatalogueEdition(Base):
    """A catalogue version made in the browser: a draft while being written, then published,
    after which it never changes (its sha256, also in catalogue_version, is checked at load).

    `content` holds every text in every written locale (app/services/catalogue_drafts.py says
    its shape); `version` is given at publishing, the next number after every version so far.
    """

    __tablename__ = "catalogue_edition"

    id: Mapped[str] = mapped_column(String(36), primary_key=True,
                                    default=lambda: str(uuid.uuid4()))
    version: Mapped[str | None] = mapped_column(String(32), unique=True, nullable=True)
    based_on: Mapped[str] = mapped_column(String(32))  # the version the draft was started from
    content: Mapped[dict] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    published_by: Mapped[str | None] = mapped_column(ForeignKey("app_user.id"), nullable=True)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    effective_from: Mapped[date | None] = mapped_column(Date, nullable=True)  # prisons' day
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)  # the publisher's words
    sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)


# --- data protection (issue 12): migration 0012 -----------------------------------------------
# Codes and dates, never an English sentence; a person's free text only encrypted (*_enc).


class ErasedRecord(Base):
    """The tombstone a retention rule (or a review decision) leaves: which record of which
    class, its dates and the rule, never its content. An anonymised observation keeps here what
    the trends count (prison, wing, week, kind, concern, categories, indicators, flag) so that a
    recount keeps it; an erased one keeps none of that. The record's own row is gone.

    `record_id` is also what a tablet resending an erased entry is answered from: the entry
    was received once, and is never stored again."""

    __tablename__ = "erased_record"
    __table_args__ = (UniqueConstraint("record_class", "record_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_class: Mapped[str] = mapped_column(String(40))  # vocabulary.RecordClass
    record_id: Mapped[str] = mapped_column(String(64), index=True)
    action: Mapped[str] = mapped_column(String(12))  # vocabulary.RetentionAction (not review)
    rule_id: Mapped[str] = mapped_column(String(64))  # a schedule rule, or "review:<entry id>"
    reference_on: Mapped[date] = mapped_column(Date)  # the date the period was counted from
    happened_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    erased_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("retention_run.id"), nullable=True)
    # Anonymised observations only: what the trends count.
    prison_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    wing_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    week: Mapped[date | None] = mapped_column(Date, nullable=True)
    concern: Mapped[str | None] = mapped_column(String(8), nullable=True)
    concern_observation: Mapped[bool | None] = mapped_column(nullable=True)
    indicators: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)
    catalogue_version: Mapped[str | None] = mapped_column(String(32), nullable=True)
    flagged: Mapped[bool | None] = mapped_column(nullable=True)


class RetentionRun(Base):
    """One retention run (the daily job, `app.cli retention run`, or its dry run): when, and
    how many records each rule erased, anonymised or put up for review (`summary`)."""

    __tablename__ = "retention_run"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    trigger: Mapped[str] = mapped_column(String(12))  # "job" or "cli"
    dry_run: Mapped[bool] = mapped_column(default=False)
    summary: Mapped[dict] = mapped_column(JSON, default=dict)  # rule id -> action -> count


class JobLock(Base):
    """Who runs a once-a-day job now, and until when: several workers (and nodes) start the job,
    one takes the row (app/services/retention_job.py)."""

    __tablename__ = "job_lock"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    holder: Mapped[str | None] = mapped_column(String(64), nullable=True)
    until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    last_day: Mapped[date | None] = mapped_column(Date, nullable=True)  # the last day it ran


class ReviewEntry(Base):
    """A record whose review date has come, in the review list of its prison's treatment
    staff (or, for the logs, the data-protection officer's), until someone decides."""

    __tablename__ = "review_entry"
    __table_args__ = (Index("ix_review_entry_open", "prison_id", "decided_at", "due_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_class: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(64))  # an audit-log month is "YYYY-MM"
    prison_id: Mapped[str | None] = mapped_column(ForeignKey("prison.id"), nullable=True)
    prisoner_id: Mapped[str | None] = mapped_column(ForeignKey("prisoner.id"), nullable=True)
    rule_id: Mapped[str] = mapped_column(String(64))
    due_on: Mapped[date] = mapped_column(Date)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decision: Mapped[str | None] = mapped_column(String(12), nullable=True)  # ReviewDecision
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    decided_by: Mapped[str | None] = mapped_column(ForeignKey("app_user.id"), nullable=True)
    extended_to: Mapped[date | None] = mapped_column(Date, nullable=True)
    reason_enc: Mapped[str | None] = mapped_column(Text, nullable=True)
    locale: Mapped[str | None] = mapped_column(String(16), nullable=True)  # of the reason


class LegalHold(Base):
    """A record kept as evidence (court, complaint, investigation): the retention run skips it
    until the end date or its release. Never deleted; a release sets released_at."""

    __tablename__ = "legal_hold"
    __table_args__ = (Index("ix_legal_hold_subject", "subject", "subject_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subject: Mapped[str] = mapped_column(String(12))  # vocabulary.HoldSubject
    subject_id: Mapped[str] = mapped_column(String(64))  # an observation id or an item id
    prison_id: Mapped[str] = mapped_column(ForeignKey("prison.id"))
    prisoner_id: Mapped[str] = mapped_column(ForeignKey("prisoner.id"), index=True)
    reason_enc: Mapped[str] = mapped_column(Text)
    locale: Mapped[str | None] = mapped_column(String(16), nullable=True)
    until: Mapped[date] = mapped_column(Date)  # inclusive, the prisons' day
    placed_by: Mapped[str] = mapped_column(ForeignKey("app_user.id"))
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    released_by: Mapped[str | None] = mapped_column(ForeignKey("app_user.id"), nullable=True)
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class Restriction(Base):
    """A prisoner's records restricted (LED Art. 16(3)): out of the queue, the ordinary case
    view and the trends, readable only by opening them with a reason. Never deleted; lifting
    sets lifted_at."""

    __tablename__ = "restriction"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    prisoner_id: Mapped[str] = mapped_column(ForeignKey("prisoner.id"), index=True)
    prison_id: Mapped[str] = mapped_column(ForeignKey("prison.id"))
    ground: Mapped[str] = mapped_column(String(24))  # vocabulary.RestrictionGround
    reason_enc: Mapped[str] = mapped_column(Text)
    locale: Mapped[str | None] = mapped_column(String(16), nullable=True)
    placed_by: Mapped[str] = mapped_column(ForeignKey("app_user.id"))
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    lifted_by: Mapped[str | None] = mapped_column(ForeignKey("app_user.id"), nullable=True)
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Why it was lifted (restriction and rectification part): encrypted, with its language.
    lift_reason_enc: Mapped[str | None] = mapped_column(Text, nullable=True)
    lift_locale: Mapped[str | None] = mapped_column(String(16), nullable=True)


class RestrictionOpening(Base):
    """A restricted record opened by treatment staff with a reason (also an audit row): who,
    when, which screening item, why (encrypted). The case page shows the content while an
    opening of this person's is fresh (app/services/restrictions.OPEN_FOR). `item_id` has no
    foreign key, so an opening never keeps a screening record from its erasure."""

    __tablename__ = "restriction_opening"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    restriction_id: Mapped[int] = mapped_column(ForeignKey("restriction.id"), index=True)
    item_id: Mapped[int] = mapped_column(Integer)
    opened_by: Mapped[str] = mapped_column(ForeignKey("app_user.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reason_enc: Mapped[str] = mapped_column(Text)
    locale: Mapped[str | None] = mapped_column(String(16), nullable=True)
