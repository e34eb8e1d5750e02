"""Alembic's entry point. The gradebook hands over an open connection inside its own
transaction (autograder.gradebook.schema), so a failed migration changes nothing."""

from alembic import context

from autograder.gradebook.database import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
