# ruff: noqa: F821
# The attack is in the notebook's metadata (attacks.tamper_metadata): tests for full
# marks in otter's formats and nbgrader grade fields. This cell only marks the spot.
_tampered = True
