"""How each submission's time was learned: zip (entry time), file (modification time) or
client (nbgrader's timestamp.txt, the student's own clock). NULL for rows from before.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a gradebook from before migrations is adopted as 0001 with today's tables, which may
    # already have the column
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("submissions")}
    if "time_source" not in columns:
        op.add_column("submissions", sa.Column("time_source", sa.String(16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("submissions") as batch:
        batch.drop_column("time_source")
