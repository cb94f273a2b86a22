"""follow-up: kept lists and closing decisions

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-23 13:14:17.047713
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0003'
down_revision: str | Sequence[str] | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('closingdecision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('body_id', sa.Integer(), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('paragraph', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('outcome', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('evidence_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('evidence_file', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('evidence_type', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('evidence_size', sa.Integer(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.CheckConstraint("outcome IN ('closed', 'not_implemented', 'no_longer_relevant')", name=op.f('ck_closingdecision_outcome')),
    sa.ForeignKeyConstraint(['body_id'], ['body.id'], name=op.f('fk_closingdecision_body_id_body')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_closingdecision_recorded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_closingdecision'))
    )
    op.create_table('keptlist',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('dated', sa.Date(), nullable=False),
    sa.Column('grouping', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('criteria', sa.JSON(), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.Column('item_count', sa.Integer(), nullable=False),
    sa.Column('digest', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('made_by_id', sa.Integer(), nullable=True),
    sa.Column('made_by_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('made_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['made_by_id'], ['user.id'], name=op.f('fk_keptlist_made_by_id_user')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_keptlist_meeting_id_meeting')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_keptlist'))
    )
    with op.batch_alter_table('keptlist', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_keptlist_meeting_id'), ['meeting_id'], unique=False)
    op.create_table('closeditem',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['decision_id'], ['closingdecision.id'], name=op.f('fk_closeditem_decision_id_closingdecision')),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendation.id'], name=op.f('fk_closeditem_recommendation_id_recommendation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_closeditem')),
    sa.UniqueConstraint('decision_id', 'recommendation_id', name=op.f('uq_closeditem_decision_id_recommendation_id'))
    )
    with op.batch_alter_table('closeditem', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_closeditem_decision_id'), ['decision_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_closeditem_recommendation_id'), ['recommendation_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('closeditem', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_closeditem_recommendation_id'))
        batch_op.drop_index(batch_op.f('ix_closeditem_decision_id'))

    op.drop_table('closeditem')
    with op.batch_alter_table('keptlist', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_keptlist_meeting_id'))

    op.drop_table('keptlist')
    op.drop_table('closingdecision')
