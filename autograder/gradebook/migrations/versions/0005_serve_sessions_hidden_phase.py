"""`autograder serve`: browser sessions kept on the server, so that logout ends them for
every copy of the cookie; and the hidden phase of grading as a queue of its own, so that
nothing a student sees before publishing depends on the hidden tests.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a gradebook from before migrations is adopted as 0001 with today's tables, which may
    # already have this one
    tables = sa.inspect(op.get_bind()).get_table_names()
    if "hidden_jobs" not in tables:
        op.create_table(
            "hidden_jobs",
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column(
                "receipt_id", sa.Integer, sa.ForeignKey("receipts.id"), nullable=False, unique=True
            ),
            sa.Column("status", sa.String(16), nullable=False),
            sa.Column("tries", sa.Integer, nullable=False),
            sa.Column("claimed_by", sa.String(64)),
            sa.Column("claimed_at", sa.DateTime),
            sa.Column("finished_at", sa.DateTime),
            sa.Column("error", sa.Text),
            sa.Column("results_path", sa.Text),
        )
        op.create_index("ix_hidden_jobs_status", "hidden_jobs", ["status"])
    if "web_sessions" in tables:
        return
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sid_sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("student_id", sa.String(128), sa.ForeignKey("students.id"), nullable=False),
        sa.Column("token_id", sa.Integer, sa.ForeignKey("login_tokens.id"), nullable=False),
        sa.Column("opened_at", sa.DateTime, nullable=False),
        sa.Column("ended_at", sa.DateTime),
    )
    op.create_index("ix_web_sessions_student_id", "web_sessions", ["student_id"])


def downgrade() -> None:
    op.drop_index("ix_web_sessions_student_id", "web_sessions")
    op.drop_table("web_sessions")
    op.drop_index("ix_hidden_jobs_status", "hidden_jobs")
    op.drop_table("hidden_jobs")
