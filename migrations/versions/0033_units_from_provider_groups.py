"""the units a person's provider groups give them, for an owner's read scope

Revision ID: 0033
Revises: 0023
Create Date: 2026-12-06 16:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0033'
down_revision: str | Sequence[str] | None = '0023'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'user_unit',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_user_unit_unit_id_unit')),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_user_unit_user_id_user')),
        sa.PrimaryKeyConstraint('user_id', 'unit_id', name=op.f('pk_user_unit')),
    )


def downgrade() -> None:
    op.drop_table('user_unit')
