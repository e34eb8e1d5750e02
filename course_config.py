"""The course: what is graded, what it is worth, when it is due, how the final grade is made.

This is the one place the course is described. The autograder reads it on every command and
refuses to run if something here does not add up. After a change, `autograder course` shows
the result as a table.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

# Deadlines below are wall-clock times in this time zone.
MSK = ZoneInfo("Europe/Moscow")

# The course's name as students see it in feedback.
COURSE_TITLE = "Нейронные сети в машинном обучении"

# Everything that earns points, in the order the gradebook shows it.
#   id          short name used in commands and file names (hw01 ... hw06, exam)
#   title       the name from the syllabus, shown to students
#   max_points  the most a student can earn here
#   deadline    submissions after this moment are late (None: no deadline, e.g. the exam)
COMPONENTS = [
    dict(
        id="hw01",
        title="Базовые функции PyTorch, классификация/регрессия, методы регуляризации",
        max_points=15,
        deadline=datetime(2026, 10, 4, 23, 59, tzinfo=MSK),
    ),
    dict(
        id="hw02",
        title="Сегментация. Ускорение модели",
        max_points=10,
        deadline=datetime(2026, 10, 18, 23, 59, tzinfo=MSK),
    ),
    dict(
        id="hw03",
        title="NLP: классификация текстов, переводчик, NER",
        max_points=15,
        deadline=datetime(2026, 11, 1, 23, 59, tzinfo=MSK),
    ),
    dict(
        id="hw04",
        title="GAN + VAE",
        max_points=15,
        deadline=datetime(2026, 11, 15, 23, 59, tzinfo=MSK),
    ),
    dict(
        id="hw05",
        title="Representation learning",
        max_points=10,
        deadline=datetime(2026, 11, 29, 23, 59, tzinfo=MSK),
    ),
    dict(
        id="hw06",
        title="RecSys, ALS",
        max_points=10,
        deadline=datetime(2026, 12, 13, 23, 59, tzinfo=MSK),
    ),
    dict(
        id="exam",
        title="Экзамен",
        max_points=40,
        deadline=None,
    ),
]

# The maxima above must add up to this; a typo in one of them stops every command.
MAX_TOTAL = 115

# Final grade = total points / FINAL_GRADE_DIVISOR, rounded half up ("математическое
# округление"): 84.5 -> 8.45 -> 8, 85 -> 8.5 -> 9, 115 -> 11.5 -> 12.
FINAL_GRADE_DIVISOR = 10
FINAL_GRADE_ROUNDING = "half_up"  # the only rule supported; halves always go up

# Late homework. A component may carry its own `late_policy=dict(...)` to replace this one.
#   kind             "per_day": lose a share for each started day late;
#                    "none": late work counts in full; "reject": late work counts 0
#   grace_minutes    uploads this many minutes after the deadline still count as on time
#   percent_per_day  each started day late takes this share of the points earned
#   max_days_late    later than this many days, the homework counts 0
LATE_POLICY = dict(
    kind="per_day",
    grace_minutes=15,
    percent_per_day=10,
    max_days_late=7,
)

# Uploads through `autograder serve` that are graded, per homework. A component may carry its
# own `attempts=...`. A whole number: that many in all; dict(count=3, per_hours=24): at most
# 3 in any 24 hours (a refill); None: no limit. The same file sent again uses no attempt, and
# neither does a failure of the grader itself.
ATTEMPTS = 10

# Where students' `submit.py` (released beside each homework) sends notebooks: the public
# https address of `autograder serve` behind the course's reverse proxy; None: students pass
# --server themselves.
SUBMIT_SERVER_URL = None
