"""The gradebook: SQLAlchemy models and the one transaction per command (database),
recording graded submissions, manual overrides, exam import, standings and LMS exports.
It may use course and errors; it knows nothing of how a notebook is graded."""
