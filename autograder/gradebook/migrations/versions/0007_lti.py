"""The course's LMS over LTI 1.3: what a launch keeps between its two requests, the LMS
users and courses seen in launches, the activities that launch a homework, and the last
score sent to each line item; a browser session may now be opened by a launch (no token).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a gradebook from before migrations is adopted as 0001 with today's tables, which may
    # already have these
    if "lti_users" in sa.inspect(op.get_bind()).get_table_names():
        return
    with op.batch_alter_table("web_sessions") as batch:
        batch.alter_column("token_id", existing_type=sa.Integer, nullable=True)
    op.create_table(
        "lti_launch_values",
        sa.Column("key", sa.String(255), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("expires_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_lti_launch_values_expires_at", "lti_launch_values", ["expires_at"])
    op.create_table(
        "lti_users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("issuer", sa.String(255), nullable=False),
        sa.Column("client_id", sa.String(255), nullable=False),
        sa.Column("sub", sa.String(255), nullable=False),
        sa.Column("student_id", sa.String(128), sa.ForeignKey("students.id"), nullable=False),
        sa.Column("last_launch_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("issuer", "client_id", "sub", name="uq_lti_users"),
    )
    op.create_index("ix_lti_users_student_id", "lti_users", ["student_id"])
    op.create_table(
        "lti_contexts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("issuer", sa.String(255), nullable=False),
        sa.Column("client_id", sa.String(255), nullable=False),
        sa.Column("deployment_id", sa.String(255), nullable=False),
        sa.Column("context_id", sa.String(255), nullable=False),
        sa.Column("title", sa.String(512), nullable=False),
        sa.Column("lineitems_url", sa.Text),
        sa.Column("scopes", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("issuer", "client_id", "context_id", name="uq_lti_contexts"),
    )
    op.create_table(
        "lti_members",
        sa.Column("context_row", sa.Integer, sa.ForeignKey("lti_contexts.id"), primary_key=True),
        sa.Column("user_row", sa.Integer, sa.ForeignKey("lti_users.id"), primary_key=True),
    )
    op.create_table(
        "lti_resource_links",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("context_row", sa.Integer, sa.ForeignKey("lti_contexts.id"), nullable=False),
        sa.Column("resource_link_id", sa.String(255), nullable=False),
        sa.Column("component_id", sa.String(32)),
        sa.Column("lineitem_url", sa.Text),
        sa.UniqueConstraint("context_row", "resource_link_id", name="uq_lti_resource_links"),
    )
    op.create_index("ix_lti_resource_links_context_row", "lti_resource_links", ["context_row"])
    op.create_table(
        "lti_scores",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("lineitem_url", sa.String(1024), nullable=False),
        sa.Column("user_row", sa.Integer, sa.ForeignKey("lti_users.id"), nullable=False),
        sa.Column("points", sa.String(24), nullable=False),
        sa.Column("sent_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("lineitem_url", "user_row", name="uq_lti_scores"),
    )
    op.create_index("ix_lti_scores_user_row", "lti_scores", ["user_row"])


def downgrade() -> None:
    op.drop_index("ix_lti_scores_user_row", "lti_scores")
    op.drop_table("lti_scores")
    op.drop_index("ix_lti_resource_links_context_row", "lti_resource_links")
    op.drop_table("lti_resource_links")
    op.drop_table("lti_members")
    op.drop_table("lti_contexts")
    op.drop_index("ix_lti_users_student_id", "lti_users")
    op.drop_table("lti_users")
    op.drop_index("ix_lti_launch_values_expires_at", "lti_launch_values")
    op.drop_table("lti_launch_values")
    with op.batch_alter_table("web_sessions") as batch:
        batch.alter_column("token_id", existing_type=sa.Integer, nullable=False)
