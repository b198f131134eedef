"""the social studio: reports and moderation, parental links, visibility and approvals, limits, invites, feed

Revision ID: 0006
Revises: 0002

New tables for identity.moderation, roles, family, publication, limits, invites and
feed; clips gain a visibility and a hidden time, notices their message parameters,
cameo settings the owner's approval switch; indexes for the feed's reads.
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('retired_handles',
    sa.Column('handle', sa.String(length=64), nullable=False),
    sa.Column('account_id', sa.String(length=32), nullable=False),
    sa.Column('deleted_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('handle')
    )
    op.create_table('account_roles',
    sa.Column('account_id', sa.String(length=32), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('granted_at', sa.Float(), nullable=False),
    sa.Column('granted_by', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('account_id', 'role')
    )
    op.create_table('family_links',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('parent_id', sa.String(length=32), nullable=False),
    sa.Column('teen_id', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.Float(), nullable=False),
    sa.Column('decided_at', sa.Float(), nullable=True),
    sa.Column('cameo_cap', sa.String(length=16), nullable=True),
    sa.Column('feed_following_only', sa.Boolean(), nullable=False),
    sa.Column('daily_generation_limit', sa.Integer(), nullable=True),
    sa.Column('publishing_allowed', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['accounts.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['teen_id'], ['accounts.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('family_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_family_links_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_family_links_teen_id'), ['teen_id'], unique=False)

    op.create_table('feed_sessions',
    sa.Column('account_id', sa.String(length=32), nullable=False),
    sa.Column('started_at', sa.Float(), nullable=False),
    sa.Column('last_at', sa.Float(), nullable=False),
    sa.Column('clips_seen', sa.Integer(), nullable=False),
    sa.Column('breaks_shown', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('account_id')
    )
    op.create_table('generation_uses',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('account_id', sa.String(length=32), nullable=False),
    sa.Column('at', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('generation_uses', schema=None) as batch_op:
        batch_op.create_index('ix_generation_uses_account_id_at', ['account_id', 'at'], unique=False)

    op.create_table('invites',
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('inviter_id', sa.String(length=32), nullable=True),
    sa.Column('created_at', sa.Float(), nullable=False),
    sa.Column('used_by', sa.String(length=64), nullable=True),
    sa.Column('used_at', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['inviter_id'], ['accounts.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('code')
    )
    with op.batch_alter_table('invites', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invites_inviter_id'), ['inviter_id'], unique=False)

    op.create_table('suspensions',
    sa.Column('account_id', sa.String(length=32), nullable=False),
    sa.Column('until', sa.Float(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('moderator', sa.String(length=64), nullable=False),
    sa.Column('case_id', sa.String(length=32), nullable=True),
    sa.Column('created_at', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('account_id')
    )
    op.create_table('publication_approvals',
    sa.Column('clip_id', sa.String(length=16), nullable=False),
    sa.Column('owner_id', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('visibility', sa.String(length=16), nullable=False),
    sa.Column('requested_at', sa.Float(), nullable=False),
    sa.Column('decided_at', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['clip_id'], ['clips.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_id'], ['accounts.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('clip_id', 'owner_id')
    )
    with op.batch_alter_table('publication_approvals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_publication_approvals_owner_id'), ['owner_id'], unique=False)

    op.create_table('review_cases',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('clip_id', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('severity', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.Float(), nullable=False),
    sa.Column('decided_at', sa.Float(), nullable=True),
    sa.Column('verdict', sa.String(length=16), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('moderator', sa.String(length=64), nullable=True),
    sa.Column('suspended_until', sa.Float(), nullable=True),
    sa.Column('protected_person', sa.String(length=64), nullable=True),
    sa.Column('appeal_of', sa.String(length=32), nullable=True),
    sa.Column('appeal_text', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['clip_id'], ['clips.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('appeal_of')
    )
    with op.batch_alter_table('review_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_cases_clip_id'), ['clip_id'], unique=False)
        batch_op.create_index('ix_review_cases_status_severity_opened_at', ['status', 'severity', 'opened_at'], unique=False)

    op.create_table('reports',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('clip_id', sa.String(length=16), nullable=False),
    sa.Column('case_id', sa.String(length=32), nullable=False),
    sa.Column('reporter_id', sa.String(length=32), nullable=True),
    sa.Column('reporter_handle', sa.String(length=64), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('by_featured', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['review_cases.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['clip_id'], ['clips.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reporter_id'], ['accounts.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reports_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reports_clip_id'), ['clip_id'], unique=False)
        batch_op.create_index('ix_reports_reporter_id_created_at', ['reporter_id', 'created_at'], unique=False)

    with op.batch_alter_table('cameo_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('approve_publication', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('clips', schema=None) as batch_op:
        batch_op.add_column(sa.Column('visibility', sa.String(length=16), server_default='public', nullable=False))
        batch_op.add_column(sa.Column('hidden_at', sa.Float(), nullable=True))
        batch_op.create_index('ix_clips_creator_id_published_at', ['creator_id', 'published_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_clips_remix_of'), ['remix_of'], unique=False)
        batch_op.create_index('ix_clips_status_published_at', ['status', 'published_at'], unique=False)

    with op.batch_alter_table('follows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follows_followee_id'), ['followee_id'], unique=False)

    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('params', sa.Text(), server_default='{}', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.drop_column('params')

    with op.batch_alter_table('follows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follows_followee_id'))

    with op.batch_alter_table('clips', schema=None) as batch_op:
        batch_op.drop_index('ix_clips_status_published_at')
        batch_op.drop_index(batch_op.f('ix_clips_remix_of'))
        batch_op.drop_index('ix_clips_creator_id_published_at')
        batch_op.drop_column('hidden_at')
        batch_op.drop_column('visibility')

    with op.batch_alter_table('cameo_settings', schema=None) as batch_op:
        batch_op.drop_column('approve_publication')

    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_index('ix_reports_reporter_id_created_at')
        batch_op.drop_index(batch_op.f('ix_reports_clip_id'))
        batch_op.drop_index(batch_op.f('ix_reports_case_id'))

    op.drop_table('reports')
    with op.batch_alter_table('review_cases', schema=None) as batch_op:
        batch_op.drop_index('ix_review_cases_status_severity_opened_at')
        batch_op.drop_index(batch_op.f('ix_review_cases_clip_id'))

    op.drop_table('review_cases')
    with op.batch_alter_table('publication_approvals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_publication_approvals_owner_id'))

    op.drop_table('publication_approvals')
    op.drop_table('suspensions')
    with op.batch_alter_table('invites', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invites_inviter_id'))

    op.drop_table('invites')
    with op.batch_alter_table('generation_uses', schema=None) as batch_op:
        batch_op.drop_index('ix_generation_uses_account_id_at')

    op.drop_table('generation_uses')
    op.drop_table('feed_sessions')
    with op.batch_alter_table('family_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_family_links_teen_id'))
        batch_op.drop_index(batch_op.f('ix_family_links_parent_id'))

    op.drop_table('family_links')
    op.drop_table('account_roles')
    op.drop_table('retired_handles')
