"""items reported at a meeting: a status update may name the meeting it was reported at

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0019'
down_revision: str | Sequence[str] | None = '0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('statusupdate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('meeting_id', sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f('ix_statusupdate_meeting_id'), ['meeting_id'], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_statusupdate_meeting_id_meeting'), 'meeting', ['meeting_id'], ['id']
        )


def downgrade() -> None:
    with op.batch_alter_table('statusupdate', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_statusupdate_meeting_id_meeting'), type_='foreignkey'
        )
        batch_op.drop_index(batch_op.f('ix_statusupdate_meeting_id'))
        batch_op.drop_column('meeting_id')
