"""The course: loading and validating course_config.py (config), the grading scheme and
late policy in exact decimals (scheme), and what a student id may be (student_ids).
The bottom room: it may use only the standard library and autograder.errors."""
