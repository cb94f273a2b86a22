"""seeded users' placeholder addresses, a user's first sign-in, a summary row per reminder run

Revision ID: 0010
Revises: 0008
Create Date: 2026-11-28 05:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0010'
down_revision: str | Sequence[str] | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'reminderrun',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('started_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('sent', sa.Integer(), nullable=False),
        sa.Column('failed', sa.Integer(), nullable=False),
        sa.Column('placeholders', sa.Integer(), nullable=False),
        sa.Column('before_start', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reminderrun')),
    )
    op.create_index(op.f('ix_reminderrun_started_at'), 'reminderrun', ['started_at'], unique=False)
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('placeholder_email', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column('first_signed_in_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('first_signed_in_at')
        batch_op.drop_column('placeholder_email')
    op.drop_index(op.f('ix_reminderrun_started_at'), table_name='reminderrun')
    op.drop_table('reminderrun')
