# ruff: noqa: F821
import os

os._exit(0)
