"""fingerprints named as such: a kept list's and an adopted response's SHA-256

"Digest" is the weekly mail; the SHA-256 that shows a record is unchanged is its fingerprint,
as the pages already call it.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-28 08:30:00
"""

from collections.abc import Sequence

from alembic import op


revision: str = '0014'
down_revision: str | Sequence[str] | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ('keptlist', 'response')


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('digest', new_column_name='fingerprint')


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('fingerprint', new_column_name='digest')
