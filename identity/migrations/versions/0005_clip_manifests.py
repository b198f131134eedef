"""clip manifests: every Content Credentials manifest the studio signed, for recovery by the marks

Revision ID: 0005
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('clip_manifests',
    sa.Column('clip_id', sa.String(length=16), nullable=False),
    sa.Column('manifest_store', sa.LargeBinary(), nullable=False),
    sa.Column('report', sa.Text(), nullable=False),
    sa.Column('signed_at', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['clip_id'], ['clips.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('clip_id')
    )


def downgrade() -> None:
    op.drop_table('clip_manifests')
