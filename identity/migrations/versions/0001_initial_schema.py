"""initial schema

Revision ID: 0001
Revises: 
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('accounts',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('handle', sa.String(length=64), nullable=False),
    sa.Column('birth_year', sa.Integer(), nullable=True),
    sa.Column('password_hash', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accounts_handle'), ['handle'], unique=True)

    op.create_table('audit_head',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('audit_log',
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('at', sa.Float(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('subject', sa.Text(), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('seq')
    )
    op.create_table('cameo_tombstones',
    sa.Column('cameo_id', sa.String(length=32), nullable=False),
    sa.Column('account_id', sa.String(length=32), nullable=False),
    sa.Column('challenge_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.Float(), nullable=False),
    sa.Column('revoked_at', sa.Float(), nullable=False),
    sa.Column('record_sha256', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('cameo_id')
    )
    with op.batch_alter_table('cameo_tombstones', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cameo_tombstones_account_id'), ['account_id'], unique=False)

    op.create_table('challenges',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('handle', sa.String(length=64), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('expires_at', sa.Float(), nullable=True),
    sa.Column('used_at', sa.Float(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('challenges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_challenges_handle'), ['handle'], unique=False)

    op.create_table('cameos',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('account_id', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('face_backend', sa.String(length=32), nullable=False),
    sa.Column('face_model', sa.String(length=64), nullable=False),
    sa.Column('face_templates', sa.LargeBinary(), nullable=False),
    sa.Column('face_dim', sa.Integer(), nullable=False),
    sa.Column('voice_backend', sa.String(length=32), nullable=False),
    sa.Column('voice_model', sa.String(length=64), nullable=False),
    sa.Column('voice_embedding', sa.LargeBinary(), nullable=False),
    sa.Column('n_crops', sa.Integer(), nullable=False),
    sa.Column('quality', sa.Text(), nullable=False),
    sa.Column('liveness', sa.Text(), nullable=False),
    sa.Column('challenge_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ),
    sa.ForeignKeyConstraint(['challenge_id'], ['challenges.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('cameos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cameos_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cameos_status'), ['status'], unique=False)

    op.create_table('clips',
    sa.Column('id', sa.String(length=16), nullable=False),
    sa.Column('creator_id', sa.String(length=32), nullable=True),
    sa.Column('creator_handle', sa.String(length=64), nullable=False),
    sa.Column('prompt', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('file', sa.String(length=200), nullable=False),
    sa.Column('meta', sa.Text(), nullable=False),
    sa.Column('remix_of', sa.String(length=16), nullable=True),
    sa.Column('created_at', sa.Float(), nullable=False),
    sa.Column('published_at', sa.Float(), nullable=True),
    sa.Column('removed_at', sa.Float(), nullable=True),
    sa.Column('removed_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['creator_id'], ['accounts.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('clips', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_clips_creator_id'), ['creator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_clips_status'), ['status'], unique=False)

    op.create_table('follows',
    sa.Column('follower_id', sa.String(length=32), nullable=False),
    sa.Column('followee_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['followee_id'], ['accounts.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['follower_id'], ['accounts.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('follower_id', 'followee_id')
    )
    op.create_table('notices',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('account_id', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('clip_id', sa.String(length=16), nullable=True),
    sa.Column('created_at', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notices_account_id'), ['account_id'], unique=False)

    op.create_table('cameo_requests',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('requester_id', sa.String(length=32), nullable=False),
    sa.Column('cameo_id', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.Float(), nullable=False),
    sa.Column('decided_at', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['cameo_id'], ['cameos.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requester_id'], ['accounts.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('cameo_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cameo_requests_cameo_id'), ['cameo_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cameo_requests_requester_id'), ['requester_id'], unique=False)

    op.create_table('cameo_settings',
    sa.Column('cameo_id', sa.String(length=32), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('instructions', sa.Text(), nullable=False),
    sa.Column('switches', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['cameo_id'], ['cameos.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('cameo_id')
    )
    op.create_table('clip_cameos',
    sa.Column('clip_id', sa.String(length=16), nullable=False),
    sa.Column('cameo_id', sa.String(length=32), nullable=False),
    sa.Column('owner_id', sa.String(length=32), nullable=False),
    sa.Column('owner_handle', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['clip_id'], ['clips.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('clip_id', 'cameo_id')
    )
    with op.batch_alter_table('clip_cameos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_clip_cameos_cameo_id'), ['cameo_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_clip_cameos_owner_id'), ['owner_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('clip_cameos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_clip_cameos_owner_id'))
        batch_op.drop_index(batch_op.f('ix_clip_cameos_cameo_id'))

    op.drop_table('clip_cameos')
    op.drop_table('cameo_settings')
    with op.batch_alter_table('cameo_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cameo_requests_requester_id'))
        batch_op.drop_index(batch_op.f('ix_cameo_requests_cameo_id'))

    op.drop_table('cameo_requests')
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notices_account_id'))

    op.drop_table('notices')
    op.drop_table('follows')
    with op.batch_alter_table('clips', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_clips_status'))
        batch_op.drop_index(batch_op.f('ix_clips_creator_id'))

    op.drop_table('clips')
    with op.batch_alter_table('cameos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cameos_status'))
        batch_op.drop_index(batch_op.f('ix_cameos_account_id'))

    op.drop_table('cameos')
    with op.batch_alter_table('challenges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_challenges_handle'))

    op.drop_table('challenges')
    with op.batch_alter_table('cameo_tombstones', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cameo_tombstones_account_id'))

    op.drop_table('cameo_tombstones')
    op.drop_table('audit_log')
    op.drop_table('audit_head')
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accounts_handle'))

    op.drop_table('accounts')
