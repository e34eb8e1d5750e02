# ruff: noqa: F821
while True:
    pass
