"""bodies' secretaries, the auditors' overall assessment, the yttrande's date

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0020'
down_revision: str | Sequence[str] | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'body_secretary',
        sa.Column('body_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['body_id'], ['body.id'], name=op.f('fk_body_secretary_body_id_body')
        ),
        sa.ForeignKeyConstraint(
            ['user_id'], ['user.id'], name=op.f('fk_body_secretary_user_id_user')
        ),
        sa.PrimaryKeyConstraint('body_id', 'user_id', name=op.f('pk_body_secretary')),
    )
    # A body's one secretary so far becomes the first of its secretaries.
    op.execute(
        'INSERT INTO body_secretary (body_id, user_id) '
        'SELECT id, secretary_id FROM body WHERE secretary_id IS NOT NULL'
    )
    with op.batch_alter_table('body', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assumed', sa.JSON(), nullable=False, server_default='[]'))
    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('assessment', sa.String(length=4000), nullable=False, server_default='')
        )
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dated', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_column('dated')
    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.drop_column('assessment')
    with op.batch_alter_table('body', schema=None) as batch_op:
        batch_op.drop_column('assumed')
    op.drop_table('body_secretary')
