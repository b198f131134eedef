"""Alembic environment: runs on the connection the store hands over (identity.migrate)."""
from alembic import context

from identity.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through identity.migrate.migrate(engine)")
context.configure(connection=connection, target_metadata=metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
