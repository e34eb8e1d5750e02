"""Typed errors. Each carries a message a TA or instructor can act on; the CLI prints it
as one line and exits non-zero."""


class AutograderError(Exception):
    """Base class: a problem with usage, configuration or the environment."""


class ConfigError(AutograderError):
    """course_config.py is missing or invalid."""


class GradebookError(AutograderError):
    """The gradebook cannot be opened or a write was refused."""


class ImportRejected(AutograderError):
    """An import file was refused as a whole; `problems` lists every bad row."""

    def __init__(self, message: str, problems: list[str]):
        super().__init__(message)
        self.problems = problems


class SubmissionError(AutograderError):
    """One submission cannot be graded (bad file, wrong assignment); others go on."""


class SandboxError(AutograderError):
    """No isolation backend can start, or the sandbox failed for a reason outside the submission."""


class OutputPathError(AutograderError):
    """An output path given on the command line (--out, --csv) cannot be written."""


class ServeError(AutograderError):
    """The submission server cannot start or an instructor's serve command was refused
    (roster, tokens, publishing)."""
