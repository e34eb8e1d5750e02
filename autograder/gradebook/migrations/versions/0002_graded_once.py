"""Exactly-once recording: one row per student + component + content hash + bundle
version. Rows that older code recorded twice for the same file and bundle (a --regrade)
are merged first: the one the component score points to is kept (else the latest), and
the score rows that pointed at a dropped copy point at the kept one.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

KEY = ["student_id", "component_id", "content_sha256", "bundle_version"]


def upgrade() -> None:
    conn = op.get_bind()
    rows = conn.execute(
        sa.text(f"SELECT id, {', '.join(KEY)} FROM submissions ORDER BY id")
    ).fetchall()
    counted = {
        r[0]
        for r in conn.execute(
            sa.text("SELECT submission_id FROM component_scores WHERE submission_id IS NOT NULL")
        )
    }
    groups: dict[tuple, list[int]] = {}
    for row in rows:
        groups.setdefault(tuple(row[1:]), []).append(row[0])
    for ids in groups.values():
        if len(ids) < 2:
            continue
        keep = max((i for i in ids if i in counted), default=max(ids))
        for drop in (i for i in ids if i != keep):
            params = {"drop": drop, "keep": keep}
            conn.execute(
                sa.text(
                    "UPDATE component_scores SET submission_id = :keep WHERE submission_id = :drop"
                ),
                params,
            )
            conn.execute(sa.text("DELETE FROM question_scores WHERE submission_id = :drop"), params)
            conn.execute(sa.text("DELETE FROM submissions WHERE id = :drop"), params)
    op.create_index("uq_submissions_graded_once", "submissions", KEY, unique=True)


def downgrade() -> None:
    op.drop_index("uq_submissions_graded_once", table_name="submissions")
