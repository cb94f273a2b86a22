"""index an indicator's outcomes by scope and period, and measures by status and deadline

The start page and the indicator list read each indicator's latest outcome and count the
overdue open measures; these indexes let them read a few entries instead of every row.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-28 09:45:00
"""

from collections.abc import Sequence

from alembic import op


revision: str = '0015'
down_revision: str | Sequence[str] | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("ix_outcome_latest", "outcome", ["indicator_id", "scope_id", "year", "period"]),
    ("ix_measure_status_due_date", "measure", ["status", "due_date"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
