"""Every table of the studio, imported in one place so `Base.metadata` is whole (for Alembic)."""
from identity import audit, clips, consent, family, feed, invites, jobs, limits, moderation, publication, \
    roles, store  # noqa: F401  (imported for their tables)
from identity.db import Base

metadata = Base.metadata
