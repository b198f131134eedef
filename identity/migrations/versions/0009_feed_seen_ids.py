"""feed sessions remember which clips they showed: the take-a-break notice counts distinct clips

Revision ID: 0009
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('feed_sessions') as batch:
        batch.add_column(sa.Column('seen_ids', sa.Text(), nullable=False, server_default='[]'))


def downgrade() -> None:
    with op.batch_alter_table('feed_sessions') as batch:
        batch.drop_column('seen_ids')
