"""The course's LMS over LTI 1.3 (Moodle first): the OIDC login and the launch that logs a
roster student in (launch.py), the platforms' registrations and the tool's key (config.py),
pylti1p3 on FastAPI and the gradebook (adapter.py), and the scores sent back to the LMS
through Assignment and Grade Services (passback.py). Uses the gradebook and serve's roster."""
