# ruff: noqa: F821
# Ways to "exit" from a cell, one per cell: each should only be a failing cell.
import sys

sys.exit(15)
# %% cell
raise SystemExit("15/15")
# %% cell
raise KeyboardInterrupt
# %% cell
exit(15)
