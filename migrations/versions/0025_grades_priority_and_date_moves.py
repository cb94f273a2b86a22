"""grades, priority and moved dates: how far each item got, and when its deadline moved

Revision ID: 0025
Revises: 0016
Create Date: 2026-12-06 13:46:30.181564
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0025'
down_revision: str | Sequence[str] | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('datemove',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=True),
    sa.Column('measure_id', sa.Integer(), nullable=True),
    sa.Column('old_date', sa.Date(), nullable=False),
    sa.Column('new_date', sa.Date(), nullable=True),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('agreed_by', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('moved_by_id', sa.Integer(), nullable=True),
    sa.Column('moved_by_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('moved_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.CheckConstraint('(measure_id IS NULL) <> (recommendation_id IS NULL)', name=op.f('ck_datemove_one_target')),
    sa.ForeignKeyConstraint(['measure_id'], ['measure.id'], name=op.f('fk_datemove_measure_id_measure')),
    sa.ForeignKeyConstraint(['moved_by_id'], ['user.id'], name=op.f('fk_datemove_moved_by_id_user')),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendation.id'], name=op.f('fk_datemove_recommendation_id_recommendation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_datemove'))
    )
    with op.batch_alter_table('datemove', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_datemove_measure_id'), ['measure_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_datemove_recommendation_id'), ['recommendation_id'], unique=False)

    op.create_table('implementationgrade',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('grader', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('grade', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('graded_on', sa.Date(), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('recorded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendation.id'], name=op.f('fk_implementationgrade_recommendation_id_recommendation')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_implementationgrade_recorded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_implementationgrade'))
    )
    with op.batch_alter_table('implementationgrade', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_implementationgrade_recommendation_id'), ['recommendation_id'], unique=False)

    with op.batch_alter_table('measure', schema=None) as batch_op:
        batch_op.add_column(sa.Column('original_due_date', sa.Date(), nullable=True))

    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('original_due_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('priority_by', sqlmodel.sql.sqltypes.AutoString(length=20), server_default='', nullable=False))

    # What is set now is the first date anyone knows of: the change log has no older one.
    op.execute("UPDATE recommendation SET original_due_date = due_date")
    op.execute("UPDATE measure SET original_due_date = due_date")



def downgrade() -> None:
    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.drop_column('priority_by')
        batch_op.drop_column('original_due_date')

    with op.batch_alter_table('measure', schema=None) as batch_op:
        batch_op.drop_column('original_due_date')

    with op.batch_alter_table('implementationgrade', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_implementationgrade_recommendation_id'))

    op.drop_table('implementationgrade')
    with op.batch_alter_table('datemove', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_datemove_recommendation_id'))
        batch_op.drop_index(batch_op.f('ix_datemove_measure_id'))

    op.drop_table('datemove')
