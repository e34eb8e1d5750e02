"""The schema as it was before migrations existed (gradebooks made before revision 0002
are adopted at this revision by `autograder gradebook upgrade`).

Revision ID: 0001
Revises:
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

POINTS = sa.String(24)  # exact decimal points, stored as text


def upgrade() -> None:
    op.create_table(
        "students",
        sa.Column("id", sa.String(128), primary_key=True),
        sa.Column("name", sa.String(256), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "submissions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("student_id", sa.String(128), sa.ForeignKey("students.id"), nullable=False),
        sa.Column("component_id", sa.String(32), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("content_sha256", sa.String(64), nullable=False),
        sa.Column("bundle_version", sa.String(64), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("raw_points", POINTS, nullable=False),
        sa.Column("late_days", sa.Integer(), nullable=False),
        sa.Column("late_penalty", POINTS, nullable=False),
        sa.Column("points", POINTS, nullable=False),
        sa.Column("results_json", sa.Text(), nullable=True),
        sa.Column("code_text", sa.Text(), nullable=True),
    )
    op.create_index("ix_submissions_student_id", "submissions", ["student_id"])
    op.create_index("ix_submissions_component_id", "submissions", ["component_id"])
    op.create_table(
        "question_scores",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("submission_id", sa.Integer(), sa.ForeignKey("submissions.id"), nullable=False),
        sa.Column("question", sa.String(64), nullable=False),
        sa.Column("points", POINTS, nullable=False),
        sa.Column("max_points", POINTS, nullable=False),
        sa.UniqueConstraint("submission_id", "question"),
    )
    op.create_index("ix_question_scores_submission_id", "question_scores", ["submission_id"])
    op.create_table(
        "component_scores",
        sa.Column("student_id", sa.String(128), sa.ForeignKey("students.id"), primary_key=True),
        sa.Column("component_id", sa.String(32), primary_key=True),
        sa.Column("recorded_points", POINTS, nullable=True),
        sa.Column("recorded_from", sa.String(32), nullable=True),
        sa.Column("raw_points", POINTS, nullable=True),
        sa.Column("late_penalty", POINTS, nullable=True),
        sa.Column("late_note", sa.Text(), nullable=True),
        sa.Column("submission_id", sa.Integer(), sa.ForeignKey("submissions.id"), nullable=True),
        sa.Column("override_points", POINTS, nullable=True),
        sa.Column("override_reason", sa.Text(), nullable=True),
        sa.Column("override_by", sa.String(128), nullable=True),
        sa.Column("override_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "score_changes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("student_id", sa.String(128), nullable=False),
        sa.Column("component_id", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("old_points", POINTS, nullable=True),
        sa.Column("new_points", POINTS, nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("author", sa.String(128), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_score_changes_student_id", "score_changes", ["student_id"])


def downgrade() -> None:
    for table in ["score_changes", "component_scores", "question_scores", "submissions"]:
        op.drop_table(table)
    op.drop_table("students")
