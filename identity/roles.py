"""Staff roles: who is a moderator. Granted and revoked only by the operator's command, audit-logged."""
from __future__ import annotations

import time

from sqlalchemy import Float, ForeignKey, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from identity.audit import append_event
from identity.db import Base
from identity.errors import IdentityError
from identity.messages import Catalog
from identity.store import Account, AccountRow, Store

ROLES = ("moderator",)
OPERATOR = "operator"  # the audit actor of the operator's commands (python -m identity ...)

TEXTS = Catalog({
    "role_unknown": "unknown role {role}; known roles: {roles}",
    "role_not_moderator": "only moderators can do this",
    "role_teen": "a teen account cannot be a moderator",
})


class RoleRow(Base):
    __tablename__ = "account_roles"
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(16), primary_key=True)
    granted_at: Mapped[float] = mapped_column(Float)
    granted_by: Mapped[str] = mapped_column(String(64))


def _check(role: str) -> None:
    if role not in ROLES:
        raise TEXTS.error(IdentityError, "role_unknown", role=role, roles=", ".join(ROLES))


def grant_role(store: Store, handle: str, role: str = "moderator", actor: str = OPERATOR) -> Account:
    _check(role)
    account = store.account(handle.strip().lstrip("@"))
    if account.is_teen:
        raise TEXTS.error(IdentityError, "role_teen")
    with store.session.begin() as s:
        if s.get(RoleRow, (account.id, role)) is None:
            s.add(RoleRow(account_id=account.id, role=role, granted_at=time.time(), granted_by=actor))
            append_event(s, "role", actor, account.id, {"grant": role, "handle": account.handle})
    return account


def revoke_role(store: Store, handle: str, role: str = "moderator", actor: str = OPERATOR) -> Account:
    _check(role)
    account = store.account(handle.strip().lstrip("@"))
    with store.session.begin() as s:
        row = s.get(RoleRow, (account.id, role))
        if row is not None:
            s.delete(row)
            append_event(s, "role", actor, account.id, {"revoke": role, "handle": account.handle})
    return account


def has_role(s: Session, account_id: str, role: str) -> bool:
    return s.get(RoleRow, (account_id, role)) is not None


def require_moderator(s: Session, account: Account) -> None:
    if not has_role(s, account.id, "moderator"):
        raise TEXTS.error(IdentityError, "role_not_moderator")


def moderators(store: Store) -> list[str]:
    with store.reader() as s:
        return list(s.scalars(select(AccountRow.handle).join(RoleRow, RoleRow.account_id == AccountRow.id)
                              .where(RoleRow.role == "moderator").order_by(AccountRow.handle)))


def is_moderator(store: Store, account: Account) -> bool:
    with store.reader() as s:
        return has_role(s, account.id, "moderator")
