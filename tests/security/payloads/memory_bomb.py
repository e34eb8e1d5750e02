# ruff: noqa: F821
# Allocate (and touch) 64 MB at a time until refused; 4 GB at most.
chunks = []
try:
    for _ in range(64):
        chunks.append(b"x" * (64 * 2**20))
finally:
    allocated = 64 * len(chunks)
    chunks.clear()
    report(allocated_mb=allocated)
