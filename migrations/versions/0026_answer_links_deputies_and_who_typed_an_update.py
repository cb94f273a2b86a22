"""answer links, deputies, and who typed an update and how it came in

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-06 14:11:39.327264
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0026'
down_revision: str | Sequence[str] | None = '0025'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('answerlink',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('item_type', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('nonce', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('session_token', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('used_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('draft', sa.Text(), server_default='', nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_answerlink_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answerlink')),
    sa.UniqueConstraint('nonce', name=op.f('uq_answerlink_nonce'))
    )
    with op.batch_alter_table('answerlink', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_answerlink_user_id'), ['user_id'], unique=False)

    op.create_table('deputy',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('deputy_id', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.CheckConstraint('starts_on <= ends_on', name=op.f('ck_deputy_period')),
    sa.ForeignKeyConstraint(['deputy_id'], ['user.id'], name=op.f('fk_deputy_deputy_id_user')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_deputy_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deputy'))
    )
    with op.batch_alter_table('deputy', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deputy_deputy_id'), ['deputy_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deputy_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('statusupdate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('via', sqlmodel.sql.sqltypes.AutoString(length=20), server_default='', nullable=False))
        batch_op.add_column(sa.Column('entered_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('entered_by_name', sqlmodel.sql.sqltypes.AutoString(length=200), server_default='', nullable=False))
        batch_op.create_foreign_key(batch_op.f('fk_statusupdate_entered_by_id_user'), 'user', ['entered_by_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('statusupdate', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_statusupdate_entered_by_id_user'), type_='foreignkey')
        batch_op.drop_column('entered_by_name')
        batch_op.drop_column('entered_by_id')
        batch_op.drop_column('via')

    with op.batch_alter_table('deputy', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deputy_user_id'))
        batch_op.drop_index(batch_op.f('ix_deputy_deputy_id'))

    op.drop_table('deputy')
    with op.batch_alter_table('answerlink', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_answerlink_user_id'))

    op.drop_table('answerlink')
