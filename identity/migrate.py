"""Bring a database to the current schema with Alembic, on SQLite and PostgreSQL alike.

The store runs this when it opens, so a new deployment gets the schema and an
old one gets the revisions it lacks; `identity/migrations/versions` holds them.
"""
from __future__ import annotations

import threading
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from identity.db import writer

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection=None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


_lock = threading.Lock()  # Alembic's `context` and `op` are process-wide proxies: one migration at a time


def migrate(engine: Engine) -> None:
    with _lock, writer(engine).begin() as conn:
        command.upgrade(alembic_config(conn), "head")
