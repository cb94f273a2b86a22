"""source attachments: the report file a source was read from, and its text

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-28 05:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0013'
down_revision: str | Sequence[str] | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('sourceattachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('file', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('media_type', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('pages', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('proposal', sa.JSON(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], name=op.f('fk_sourceattachment_source_id_source')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], name=op.f('fk_sourceattachment_uploaded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sourceattachment')),
    sa.UniqueConstraint('file', name=op.f('uq_sourceattachment_file'))
    )
    with op.batch_alter_table('sourceattachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sourceattachment_source_id'), ['source_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('sourceattachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sourceattachment_source_id'))
    op.drop_table('sourceattachment')
