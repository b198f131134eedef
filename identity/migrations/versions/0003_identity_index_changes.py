"""identity index change counter and change log

Revision ID: 0003
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    state = op.create_table('identity_index_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    # The one row exists from the start, so concurrent first writers only ever UPDATE it.
    op.bulk_insert(state, [{'id': 1, 'version': 0}])
    op.create_table('identity_changes',
    sa.Column('version', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('cameo_id', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('version')
    )


def downgrade() -> None:
    op.drop_table('identity_changes')
    op.drop_table('identity_index_state')
