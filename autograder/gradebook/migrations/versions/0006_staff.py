"""`autograder serve` for the course's staff: TAs and instructors with their login tokens and
browser sessions (apart from the students'), the audit trail of what they do there, and
students' regrade requests with the staff's answers.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a gradebook from before migrations is adopted as 0001 with today's tables, which may
    # already have these
    if "staff" in sa.inspect(op.get_bind()).get_table_names():
        return
    op.create_table(
        "staff",
        sa.Column("id", sa.String(128), primary_key=True),
        sa.Column("name", sa.String(256), nullable=False),
        sa.Column("email", sa.String(256)),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("added_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "staff_tokens",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("staff_id", sa.String(128), sa.ForeignKey("staff.id"), nullable=False),
        sa.Column("token_sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("issued_at", sa.DateTime, nullable=False),
        sa.Column("revoked_at", sa.DateTime),
    )
    op.create_index("ix_staff_tokens_staff_id", "staff_tokens", ["staff_id"])
    op.create_table(
        "staff_sessions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sid_sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("staff_id", sa.String(128), sa.ForeignKey("staff.id"), nullable=False),
        sa.Column("token_id", sa.Integer, sa.ForeignKey("staff_tokens.id"), nullable=False),
        sa.Column("opened_at", sa.DateTime, nullable=False),
        sa.Column("ended_at", sa.DateTime),
    )
    op.create_index("ix_staff_sessions_staff_id", "staff_sessions", ["staff_id"])
    op.create_table(
        "staff_actions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("staff_id", sa.String(128), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("target", sa.String(256), nullable=False),
        sa.Column("before", sa.Text, nullable=False),
        sa.Column("after", sa.Text, nullable=False),
    )
    op.create_index("ix_staff_actions_staff_id", "staff_actions", ["staff_id"])
    op.create_table(
        "regrade_requests",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("receipt_id", sa.Integer, sa.ForeignKey("receipts.id"), nullable=False),
        sa.Column("student_id", sa.String(128), nullable=False),
        sa.Column("component_id", sa.String(32), nullable=False),
        sa.Column("question", sa.String(64), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("opened_at", sa.DateTime, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("answer", sa.Text),
        sa.Column("answered_by", sa.String(128)),
        sa.Column("answered_at", sa.DateTime),
        sa.Column("new_points", sa.String(24)),  # exact decimal points, as text
    )
    for column in ("receipt_id", "student_id", "status"):
        op.create_index(f"ix_regrade_requests_{column}", "regrade_requests", [column])


def downgrade() -> None:
    for column in ("receipt_id", "student_id", "status"):
        op.drop_index(f"ix_regrade_requests_{column}", "regrade_requests")
    op.drop_table("regrade_requests")
    op.drop_index("ix_staff_actions_staff_id", "staff_actions")
    op.drop_table("staff_actions")
    op.drop_index("ix_staff_sessions_staff_id", "staff_sessions")
    op.drop_table("staff_sessions")
    op.drop_index("ix_staff_tokens_staff_id", "staff_tokens")
    op.drop_table("staff_tokens")
    op.drop_table("staff")
