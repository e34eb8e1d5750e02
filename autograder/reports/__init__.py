"""What people read after grading: a student's feedback.html (feedback), the instructor
report (instructor) and near-identical code (similarity). It may use the gradebook,
grading's result model and course; it never grades."""
