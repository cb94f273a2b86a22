"""Indicators, outcomes, measure links, threshold rules and the assignments they made

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 13:11:33.042192
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0005'
down_revision: str | Sequence[str] | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('indicator',
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
    sa.Column('perspective', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('objective', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('success_factor', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('measure_unit', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('target_kind', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('target_value', sa.Float(), nullable=True),
    sa.Column('target_women', sa.Float(), nullable=True),
    sa.Column('target_men', sa.Float(), nullable=True),
    sa.Column('margin', sa.Float(), nullable=False),
    sa.Column('baseline_value', sa.Float(), nullable=True),
    sa.Column('baseline_women', sa.Float(), nullable=True),
    sa.Column('baseline_men', sa.Float(), nullable=True),
    sa.Column('baseline_year', sa.Integer(), nullable=True),
    sa.Column('baseline_period', sqlmodel.sql.sqltypes.AutoString(length=4), nullable=True),
    sa.Column('follows_t1', sa.Boolean(), nullable=False),
    sa.Column('follows_t2', sa.Boolean(), nullable=False),
    sa.Column('follows_year', sa.Boolean(), nullable=False),
    sa.Column('split_by_sex', sa.Boolean(), nullable=False),
    sa.Column('responsible_unit_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['responsible_unit_id'], ['unit.id'], name=op.f('fk_indicator_responsible_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator')),
    sa.UniqueConstraint('code', name=op.f('uq_indicator_code'))
    )
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_perspective'), ['perspective'], unique=False)

    op.create_table('outcome',
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('scope_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('women', sa.Float(), nullable=True),
    sa.Column('men', sa.Float(), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.CheckConstraint('(unit_id IS NULL AND scope_id = 0) OR scope_id = unit_id', name=op.f('ck_outcome_scope_is_unit')),
    sa.CheckConstraint('value IS NOT NULL OR women IS NOT NULL OR men IS NOT NULL', name=op.f('ck_outcome_some_value')),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_outcome_indicator_id_indicator')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_outcome_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outcome')),
    sa.UniqueConstraint('indicator_id', 'year', 'period', 'scope_id', name=op.f('uq_outcome_indicator_id_year_period_scope_id'))
    )
    with op.batch_alter_table('outcome', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outcome_indicator_id'), ['indicator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outcome_unit_id'), ['unit_id'], unique=False)

    op.create_table('measureindicator',
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_measureindicator_indicator_id_indicator')),
    sa.ForeignKeyConstraint(['measure_id'], ['measure.id'], name=op.f('fk_measureindicator_measure_id_measure')),
    sa.PrimaryKeyConstraint('measure_id', 'indicator_id', name=op.f('pk_measureindicator'))
    )
    with op.batch_alter_table('measureindicator', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_measureindicator_indicator_id'), ['indicator_id'], unique=False)

    op.create_table('thresholdrule',
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('comparison', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('threshold', sa.Float(), nullable=False),
    sa.Column('unit_kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('theme', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('deadline_days', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_thresholdrule_indicator_id_indicator')),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], name=op.f('fk_thresholdrule_source_id_source')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_thresholdrule'))
    )
    with op.batch_alter_table('thresholdrule', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_thresholdrule_indicator_id'), ['indicator_id'], unique=False)

    op.create_table('thresholdassignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rule_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendation.id'], name=op.f('fk_thresholdassignment_recommendation_id_recommendation')),
    sa.ForeignKeyConstraint(['rule_id'], ['thresholdrule.id'], name=op.f('fk_thresholdassignment_rule_id_thresholdrule')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_thresholdassignment_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_thresholdassignment')),
    sa.UniqueConstraint('rule_id', 'year', 'period', 'unit_id', name=op.f('uq_thresholdassignment_rule_id_year_period_unit_id'))
    )
    with op.batch_alter_table('thresholdassignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_thresholdassignment_recommendation_id'), ['recommendation_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('thresholdassignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_thresholdassignment_recommendation_id'))

    op.drop_table('thresholdassignment')
    with op.batch_alter_table('thresholdrule', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_thresholdrule_indicator_id'))

    op.drop_table('thresholdrule')
    with op.batch_alter_table('measureindicator', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_measureindicator_indicator_id'))

    op.drop_table('measureindicator')
    with op.batch_alter_table('outcome', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outcome_unit_id'))
        batch_op.drop_index(batch_op.f('ix_outcome_indicator_id'))

    op.drop_table('outcome')
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_perspective'))

    op.drop_table('indicator')
