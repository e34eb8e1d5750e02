"""Authoring: an instructor's master notebook becomes the student notebook and the grader
bundle (release), checked for leaks (leaks) and packed for Gradescope (gradescope_zip).
It may use grading (to prove the solution scores the maximum) and course."""
