"""foundation schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 12:57:58.946831
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0001'
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('body',
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_body')),
    sa.UniqueConstraint('code', name=op.f('uq_body_code'))
    )
    op.create_table('unit',
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('manager_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['parent_id'], ['unit.id'], name=op.f('fk_unit_parent_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit')),
    sa.UniqueConstraint('name', name=op.f('uq_unit_name'))
    )
    op.create_table('meeting',
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('body_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.ForeignKeyConstraint(['body_id'], ['body.id'], name=op.f('fk_meeting_body_id_body')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting')),
    sa.UniqueConstraint('body_id', 'held_on', name=op.f('uq_meeting_body_id_held_on'))
    )
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_body_id'), ['body_id'], unique=False)

    op.create_table('user',
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
    sa.Column('password_hash', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_user_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user')),
    sa.UniqueConstraint('email', name=op.f('uq_user_email'))
    )
    # unit and user point at each other: the unit's manager key comes after both tables.
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f('fk_unit_manager_id_user'), 'user', ['manager_id'], ['id']
        )
    op.create_table('changelog',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('changed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('entity', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_changelog_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_changelog'))
    )
    with op.batch_alter_table('changelog', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_changelog_changed_at'), ['changed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_changelog_entity_id'), ['entity_id'], unique=False)

    op.create_table('measure',
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(length=10000), nullable=False),
    sa.Column('goal', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('theme', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('judgement', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_measure_owner_id_user')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_measure_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_measure'))
    )
    with op.batch_alter_table('measure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_measure_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_measure_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_measure_unit_id'), ['unit_id'], unique=False)

    op.create_table('source',
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('dnr', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('issuer_id', sa.Integer(), nullable=True),
    sa.Column('addressee_id', sa.Integer(), nullable=True),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('paragraph', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('auditors', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('firm', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('response_due', sa.Date(), nullable=True),
    sa.Column('summary', sqlmodel.sql.sqltypes.AutoString(length=10000), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['addressee_id'], ['body.id'], name=op.f('fk_source_addressee_id_body')),
    sa.ForeignKeyConstraint(['issuer_id'], ['body.id'], name=op.f('fk_source_issuer_id_body')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_source_meeting_id_meeting')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_source'))
    )
    op.create_table('recommendation',
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('number', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(length=10000), nullable=False),
    sa.Column('theme', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('responsible_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('due_meeting_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['due_meeting_id'], ['meeting.id'], name=op.f('fk_recommendation_due_meeting_id_meeting')),
    sa.ForeignKeyConstraint(['responsible_id'], ['user.id'], name=op.f('fk_recommendation_responsible_id_user')),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], name=op.f('fk_recommendation_source_id_source')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_recommendation_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendation'))
    )
    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recommendation_responsible_id'), ['responsible_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recommendation_source_id'), ['source_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recommendation_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_recommendation_theme'), ['theme'], unique=False)

    op.create_table('decisionreference',
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('body_id', sa.Integer(), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('paragraph', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.ForeignKeyConstraint(['body_id'], ['body.id'], name=op.f('fk_decisionreference_body_id_body')),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendation.id'], name=op.f('fk_decisionreference_recommendation_id_recommendation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decisionreference')),
    sa.UniqueConstraint('recommendation_id', 'body_id', 'decided_on', 'paragraph', name=op.f('uq_decisionreference_recommendation_id_body_id_decided_on_paragraph'))
    )
    with op.batch_alter_table('decisionreference', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decisionreference_recommendation_id'), ['recommendation_id'], unique=False)

    op.create_table('recommendationmeasure',
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['measure_id'], ['measure.id'], name=op.f('fk_recommendationmeasure_measure_id_measure')),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendation.id'], name=op.f('fk_recommendationmeasure_recommendation_id_recommendation')),
    sa.PrimaryKeyConstraint('recommendation_id', 'measure_id', name=op.f('pk_recommendationmeasure'))
    )
    op.create_table('statusupdate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=True),
    sa.Column('recommendation_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('author_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('reported_on', sa.Date(), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(length=10000), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('judgement', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.CheckConstraint('(measure_id IS NULL) <> (recommendation_id IS NULL)', name=op.f('ck_statusupdate_one_target')),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_statusupdate_author_id_user')),
    sa.ForeignKeyConstraint(['measure_id'], ['measure.id'], name=op.f('fk_statusupdate_measure_id_measure')),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendation.id'], name=op.f('fk_statusupdate_recommendation_id_recommendation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statusupdate'))
    )
    with op.batch_alter_table('statusupdate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_statusupdate_measure_id'), ['measure_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_statusupdate_recommendation_id'), ['recommendation_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('statusupdate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_statusupdate_recommendation_id'))
        batch_op.drop_index(batch_op.f('ix_statusupdate_measure_id'))

    op.drop_table('statusupdate')
    op.drop_table('recommendationmeasure')
    with op.batch_alter_table('decisionreference', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decisionreference_recommendation_id'))

    op.drop_table('decisionreference')
    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recommendation_theme'))
        batch_op.drop_index(batch_op.f('ix_recommendation_status'))
        batch_op.drop_index(batch_op.f('ix_recommendation_source_id'))
        batch_op.drop_index(batch_op.f('ix_recommendation_responsible_id'))

    op.drop_table('recommendation')
    op.drop_table('source')
    with op.batch_alter_table('measure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_measure_unit_id'))
        batch_op.drop_index(batch_op.f('ix_measure_status'))
        batch_op.drop_index(batch_op.f('ix_measure_owner_id'))

    op.drop_table('measure')
    with op.batch_alter_table('changelog', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_changelog_entity_id'))
        batch_op.drop_index(batch_op.f('ix_changelog_changed_at'))

    op.drop_table('changelog')
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_unit_manager_id_user'), type_='foreignkey')

    op.drop_table('user')
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_body_id'))

    op.drop_table('meeting')
    op.drop_table('unit')
    op.drop_table('body')
