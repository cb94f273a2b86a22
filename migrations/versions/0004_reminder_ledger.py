"""reminder ledger, digest preference, calendar feed token

The ledger's unique key (item, kind, deadline, recipient) makes each reminder exactly-once.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 13:07:10.467232
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0004'
down_revision: str | Sequence[str] | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('reminder',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_type', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('claimed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('sent_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('error', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.ForeignKeyConstraint(['recipient_id'], ['user.id'], name=op.f('fk_reminder_recipient_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder')),
    sa.UniqueConstraint('item_type', 'item_id', 'kind', 'deadline', 'recipient_id', name=op.f('uq_reminder_item_type_item_id_kind_deadline_recipient_id'))
    )
    with op.batch_alter_table('reminder', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminder_claimed_at'), ['claimed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminder_recipient_id'), ['recipient_id'], unique=False)

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('digest', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('feed_token', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_user_feed_token'), ['feed_token'], unique=True)



def downgrade() -> None:
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_feed_token'))
        batch_op.drop_column('feed_token')
        batch_op.drop_column('digest')

    with op.batch_alter_table('reminder', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminder_recipient_id'))
        batch_op.drop_index(batch_op.f('ix_reminder_claimed_at'))

    op.drop_table('reminder')
