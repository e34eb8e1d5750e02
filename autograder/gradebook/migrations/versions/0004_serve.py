"""Students submitting through `autograder serve`: the roster, login tokens (hashes only),
receipts (append-only, server time), the grading queue and published homeworks.
Submissions keep their columns; their time_source gains the value "server".

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a gradebook from before migrations is adopted as 0001 with today's tables, which may
    # already have these
    if "roster" in sa.inspect(op.get_bind()).get_table_names():
        return
    op.create_table(
        "roster",
        sa.Column("student_id", sa.String(128), sa.ForeignKey("students.id"), primary_key=True),
        sa.Column("name", sa.String(256), nullable=False),
        sa.Column("email", sa.String(256)),
        sa.Column("imported_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "login_tokens",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("student_id", sa.String(128), sa.ForeignKey("students.id"), nullable=False),
        sa.Column("token_sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("issued_at", sa.DateTime, nullable=False),
        sa.Column("revoked_at", sa.DateTime),
    )
    op.create_index("ix_login_tokens_student_id", "login_tokens", ["student_id"])
    op.create_table(
        "receipts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("public_id", sa.String(32), nullable=False, unique=True),
        sa.Column("student_id", sa.String(128), sa.ForeignKey("students.id"), nullable=False),
        sa.Column("component_id", sa.String(32), nullable=False),
        sa.Column("content_sha256", sa.String(64), nullable=False),
        sa.Column("stored_name", sa.String(64), nullable=False),
        sa.Column("size_bytes", sa.Integer, nullable=False),
        sa.Column("received_at", sa.DateTime, nullable=False),
        sa.Column("late", sa.Boolean, nullable=False),
        sa.Column("attempt", sa.Integer, nullable=False),
        sa.UniqueConstraint(
            "student_id", "component_id", "content_sha256", name="uq_receipts_content"
        ),
    )
    op.create_index("ix_receipts_student_id", "receipts", ["student_id"])
    op.create_index("ix_receipts_component_id", "receipts", ["component_id"])
    op.create_table(
        "grading_jobs",
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
    op.create_index("ix_grading_jobs_status", "grading_jobs", ["status"])
    op.create_table(
        "publications",
        sa.Column("component_id", sa.String(32), primary_key=True),
        sa.Column("published_at", sa.DateTime, nullable=False),
        sa.Column("published_by", sa.String(128), nullable=False),
        sa.Column("forced", sa.Boolean, nullable=False),
    )


def downgrade() -> None:
    for table in ("publications", "grading_jobs", "receipts", "login_tokens", "roster"):
        op.drop_table(table)
