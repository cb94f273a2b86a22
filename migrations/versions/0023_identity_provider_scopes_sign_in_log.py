"""identity: secretaries and members per body, the provider's groups, the sign-in log, restricted sources

Revision ID: 0023
Revises: 0020
Create Date: 2026-12-06 14:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0023'
down_revision: str | Sequence[str] | None = '0020'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # body_secretary is made by 0020 (the answer's secretaries), the same table.
    op.create_table('body_member',
    sa.Column('body_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['body_id'], ['body.id'], name=op.f('fk_body_member_body_id_body')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_body_member_user_id_user')),
    sa.PrimaryKeyConstraint('body_id', 'user_id', name=op.f('pk_body_member'))
    )
    with op.batch_alter_table('body_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_body_member_user_id'), ['user_id'], unique=False)
    op.create_table('groupmapping',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('body_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['body_id'], ['body.id'], name=op.f('fk_groupmapping_body_id_body')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_groupmapping_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_groupmapping')),
    sa.UniqueConstraint('group_name', 'role', 'body_id', 'unit_id', name=op.f('uq_groupmapping_group_name_role_body_id_unit_id'))
    )
    with op.batch_alter_table('groupmapping', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_groupmapping_group_name'), ['group_name'], unique=False)
    op.create_table('signin',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('method', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('outcome', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_signin_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signin'))
    )
    with op.batch_alter_table('signin', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signin_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_signin_user_id'), ['user_id'], unique=False)
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('oidc_subject', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_user_oidc_subject'), ['oidc_subject'])
    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.add_column(sa.Column('restricted', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.drop_column('restricted')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_user_oidc_subject'), type_='unique')
        batch_op.drop_column('oidc_subject')
    with op.batch_alter_table('signin', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signin_user_id'))
        batch_op.drop_index(batch_op.f('ix_signin_at'))
    op.drop_table('signin')
    with op.batch_alter_table('groupmapping', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_groupmapping_group_name'))
    op.drop_table('groupmapping')
    with op.batch_alter_table('body_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_body_member_user_id'))
    op.drop_table('body_member')
